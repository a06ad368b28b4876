using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace HeadshotPro.Client.Transport
{
    /// <summary>
    /// Whether the service can be reached at all, learned from every attempt of every session sharing the connection. A
    /// refused connection (nothing listens there; nothing was sent) starts a streak and any answer ends it. While a
    /// streak lasts one attempt goes at a time, every <see cref="RetryEvery"/>, and the others wait for it, so a blip of a
    /// few seconds fails nothing. Refusals without an answer for <see cref="UnreachableAfter"/> make the service
    /// unreachable: nothing new is sent, and every request that waits, or comes, gives up at once — except the one
    /// attempt every <see cref="RetryEvery"/> that finds out whether it is back.
    /// </summary>
    internal sealed class Reachability
    {
        public static readonly TimeSpan UnreachableAfter = TimeSpan.FromSeconds(5);
        public static readonly TimeSpan RetryEvery = TimeSpan.FromMilliseconds(500);

        private readonly object _gate = new object();
        private DateTime? _refusedSince;
        private DateTime _lastRefused;
        private bool _tryOut;
        private TaskCompletionSource<bool> _changed = NewSignal();

        /// <summary>
        /// Waits for an attempt's turn: at once while the service answers; during a streak of refusals, when no other
        /// attempt is out and the last refusal is <see cref="RetryEvery"/> old. Throws
        /// <see cref="ServiceUnreachableException"/> once the service is unreachable.
        /// </summary>
        public async Task<Turn> EnterAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                Task changed;
                TimeSpan wait;
                lock (_gate)
                {
                    if (_refusedSince is not DateTime since) return new Turn(this, tries: false);
                    var now = DateTime.UtcNow;
                    var unreachable = _lastRefused - since >= UnreachableAfter;
                    var next = _lastRefused + RetryEvery;
                    if (!_tryOut && now >= next)
                    {
                        _tryOut = true;
                        return new Turn(this, tries: true);
                    }
                    if (unreachable) throw new ServiceUnreachableException(since, _lastRefused);
                    wait = _tryOut ? Timeout.InfiniteTimeSpan : next - now;
                    changed = _changed.Task;
                }
                await Task.WhenAny(changed, Task.Delay(wait, cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        private void Ended(bool tried, bool? refused)
        {
            TaskCompletionSource<bool> changed;
            lock (_gate)
            {
                if (tried) _tryOut = false;
                if (refused == true)
                {
                    var now = DateTime.UtcNow;
                    _refusedSince ??= now;
                    _lastRefused = now;
                }
                else if (refused == false)
                {
                    _refusedSince = null;
                }
                changed = _changed;
                _changed = NewSignal();
            }
            changed.TrySetResult(true);
        }

        private static TaskCompletionSource<bool> NewSignal() => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>One attempt's turn: report what came of it, or dispose it when it did not go.</summary>
        public sealed class Turn : IDisposable
        {
            private readonly Reachability _owner;
            private readonly bool _tries;
            private int _ended;

            internal Turn(Reachability owner, bool tries)
            {
                _owner = owner;
                _tries = tries;
            }

            /// <summary>The attempt's connection was refused (true), or the server was reached (false).</summary>
            public void Report(bool refused)
            {
                if (Interlocked.Exchange(ref _ended, 1) == 0) _owner.Ended(_tries, refused);
            }

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _ended, 1) == 0) _owner.Ended(_tries, null);
            }
        }
    }

    /// <summary>Thrown instead of sending once the service has refused every connection for <see cref="Reachability.UnreachableAfter"/>.</summary>
    internal sealed class ServiceUnreachableException : Exception
    {
        public ServiceUnreachableException(DateTime since, DateTime last)
            : base("has refused every connection since " + since.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture) +
                   $" ({(last - since).TotalSeconds:0} s)")
        {
        }
    }
}

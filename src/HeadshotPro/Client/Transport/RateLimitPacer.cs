using System;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace HeadshotPro.Client.Transport
{
    /// <summary>
    /// Spends the server's rate-limit window and then waits for its reset, from the X-RateLimit-* headers,
    /// counting requests still in flight. While a window's budget is unknown (the first request, the first after a
    /// reset) one request goes alone to learn it. A server that sends no usable headers is never waited for; one whose
    /// reset time cannot be read is taken to have a one-minute window. The reset is kept as the server's clock shows
    /// it and turned into a local instant through <see cref="ServerClock"/> each time it is needed, at the latest it can
    /// be, so a window is never opened early; while the clock is known only roughly, the window's last few requests
    /// (when more are waiting than the window has left, so nothing is delayed) go when the server's clock starts a new
    /// second, where their answers pin it — and every later window opens on time.
    /// </summary>
    internal sealed class RateLimitPacer
    {
        private static readonly TimeSpan ResetMargin = TimeSpan.FromMilliseconds(50);
        private static readonly TimeSpan LongestBelievableWindow = TimeSpan.FromHours(1);
        private static readonly TimeSpan AssumedWindow = TimeSpan.FromMinutes(1);
        private static readonly TimeSpan ProbePoll = TimeSpan.FromMilliseconds(5);
        private static readonly TimeSpan SameWindow = TimeSpan.FromSeconds(1);

        /// <summary>The most of a window's last requests that may wait for the server's clock to tick.</summary>
        private const int TickProbes = 4;

        /// <summary>Below this the clock counts as pinned: no request waits for a tick.</summary>
        private static readonly TimeSpan Pinned = TimeSpan.FromMilliseconds(50);

        /// <summary>
        /// How long one of a window's last requests waits to see whether more are coming than the window has left (their
        /// answers arrive together and they follow one by one): only then do they wait for a tick, which costs them nothing.
        /// </summary>
        private static readonly TimeSpan DemandPause = TimeSpan.FromMilliseconds(10);

        /// <summary>How late after its moment a request may still go as a tick probe.</summary>
        private static readonly TimeSpan TickSlack = TimeSpan.FromMilliseconds(20);

        private readonly object _gate = new object();
        private readonly ServerClock _clock;
        private int _inFlight;
        private int _waiting;
        private long _tickets;
        private long _tickProbe;
        private bool _serverSendsNoHeaders;
        private int? _remaining;
        private DateTime _resetServerUtc;
        private long _windowTicket;
        private int? _laterRemaining;
        private DateTime _laterResetServerUtc;
        private int _laterAnswers;
        private DateTime _blockedUntilUtc;

        public RateLimitPacer(ServerClock clock) => _clock = clock;

        /// <summary>A request let through: how long it waited, and its place in the order requests went.</summary>
        public readonly struct Pass
        {
            public Pass(TimeSpan waited, long ticket)
            {
                Waited = waited;
                Ticket = ticket;
            }

            public TimeSpan Waited { get; }
            public long Ticket { get; }
        }

        /// <summary>Waits until a request may go, then counts it in flight.</summary>
        public async Task<Pass> AcquireAsync(TimeSpan waitBudget, IRequestObserver? observer, CancellationToken cancellationToken)
        {
            lock (_gate) _waiting++;
            try
            {
                var waited = TimeSpan.Zero;
                while (true)
                {
                    TimeSpan wait;
                    string? reason;
                    lock (_gate)
                    {
                        var now = DateTime.UtcNow;
                        if (_remaining.HasValue && now >= _clock.ToLocalLatest(_resetServerUtc)) EndWindow();
                        var resetUtc = _clock.ToLocalLatest(_resetServerUtc);
                        var left = _remaining - _inFlight;
                        if (_blockedUntilUtc > now)
                        {
                            wait = _blockedUntilUtc - now;
                            reason = "the server asked to retry later";
                        }
                        else if (left <= 0 && now < resetUtc)
                        {
                            wait = resetUtc - now + ResetMargin;
                            reason = "this window's request budget is spent";
                        }
                        else if (left <= TickProbes && now < resetUtc && TickProbeAt(now) is DateTime tick && (_waiting > left || waited < DemandPause))
                        {
                            if (_waiting <= left) wait = ProbePoll; // are more requests coming than the window has left?
                            else if (_tickProbe == 0 && tick <= now) return Let(waited, probe: true);
                            else wait = _tickProbe == 0 ? tick - now : ProbePoll;
                            reason = null;
                        }
                        else
                        {
                            if (_remaining.HasValue || _serverSendsNoHeaders || _inFlight == 0) return Let(waited, probe: false);
                            wait = ProbePoll;
                            reason = null;
                        }
                    }
                    if (reason == null)
                    {
                        // Another request is learning this window's budget or the server's clock, or this one waits for
                        // the clock's next tick: within a round trip, or a second, and always before the window resets.
                        await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                        waited += wait;
                        continue;
                    }
                    if (waited + wait > waitBudget)
                        throw new HeadshotProApiException(ApiErrorKind.RateLimitRetriesExhausted,
                            $"The rate limit would keep this request waiting longer than the {waitBudget.TotalSeconds:0} s allowed (-MaxRetryWaitSec).");
                    observer?.Waiting("rate limit: " + reason, wait);
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                    waited += wait;
                }
            }
            finally
            {
                lock (_gate) _waiting--;
            }
        }

        /// <summary>
        /// Under the gate, once the current window has reset: the later window that more than one answer told of while it
        /// lasted (the server's next window, seen early through an uncertain clock) is the current one now, with the
        /// least it said was left; otherwise — nothing, or one odd answer — a lone request learns the next window.
        /// </summary>
        private void EndWindow()
        {
            if (_laterAnswers > 1)
            {
                _remaining = _laterRemaining;
                _resetServerUtc = _laterResetServerUtc;
            }
            else _remaining = null;
            _laterRemaining = null;
            _laterAnswers = 0;
        }

        /// <summary>Under the gate: counts a request in flight and hands out its ticket.</summary>
        private Pass Let(TimeSpan waited, bool probe)
        {
            _inFlight++;
            var ticket = ++_tickets;
            if (probe) _tickProbe = ticket;
            return new Pass(waited, ticket);
        }

        /// <summary>
        /// Under the gate: when a request should go to pin the server's clock — the server's next tick, if the clock is
        /// not pinned yet and that tick comes before the window can have reset — or null when it need not wait for one.
        /// </summary>
        private DateTime? TickProbeAt(DateTime now)
        {
            if (!(_clock.Uncertainty > Pinned)) return null;
            var tick = _clock.NextTick(now - TickSlack);
            return tick < _clock.ToLocalEarliest(_resetServerUtc) - ResetMargin ? tick : null;
        }

        public void Release(long ticket)
        {
            lock (_gate)
            {
                _inFlight--;
                if (ticket == _tickProbe) _tickProbe = 0;
            }
        }

        /// <summary>
        /// Learns the window from the answer to the request with <paramref name="ticket"/>. Answers may arrive out of
        /// order: within a window the lowest remaining count and the latest reset win, and news of another window counts
        /// only from a request sent after the one that told of the current window. The server is followed when its window
        /// moves back (its clock was set back, the window shrank, or the current one came from an odd answer); a later
        /// window while the current one lasts lowers the count only, and at the current reset it becomes the current one if
        /// more than one answer told of it (<see cref="EndWindow"/>), else a lone request learns which holds. An answer
        /// from a window that has ended is old news.
        /// </summary>
        public void Observe(HttpResponseMessage response, DateTime receivedUtc, long ticket)
        {
            var remainingText = Header(response, "X-RateLimit-Remaining");
            var remaining = remainingText?.Split(',').Select(ParseCount).Where(c => c.HasValue).Min();
            if (remaining is null)
            {
                lock (_gate) _serverSendsNoHeaders |= _remaining is null;
                return;
            }
            var resetText = Header(response, "X-RateLimit-Reset");
            var serverNow = _clock.ToServerEarliest(receivedUtc);
            var reset = resetText == null ? null : ParseReset(resetText, serverNow);
            if (reset != null && reset.Value - serverNow > LongestBelievableWindow) reset = null;
            lock (_gate)
            {
                _serverSendsNoHeaders = false;
                var live = _remaining.HasValue && _resetServerUtc > serverNow;
                var resetServerUtc = reset ?? (live ? _resetServerUtc : serverNow + AssumedWindow);
                if (resetServerUtc <= serverNow) return;
                if (!live || (ticket > _windowTicket && resetServerUtc < _resetServerUtc - SameWindow))
                {
                    _remaining = remaining;
                    _resetServerUtc = resetServerUtc;
                    _windowTicket = ticket;
                    _laterRemaining = null;
                    _laterAnswers = 0;
                }
                else if (resetServerUtc <= _resetServerUtc + SameWindow && resetServerUtc >= _resetServerUtc - SameWindow)
                {
                    _remaining = Math.Min(_remaining!.Value, remaining.Value);
                    if (resetServerUtc > _resetServerUtc) _resetServerUtc = resetServerUtc;
                }
                else if (resetServerUtc > _resetServerUtc)
                {
                    _remaining = Math.Min(_remaining!.Value, remaining.Value);
                    if (_laterAnswers > 0 && resetServerUtc <= _laterResetServerUtc + SameWindow && resetServerUtc >= _laterResetServerUtc - SameWindow)
                    {
                        _laterRemaining = Math.Min(_laterRemaining!.Value, remaining.Value);
                        if (resetServerUtc > _laterResetServerUtc) _laterResetServerUtc = resetServerUtc;
                        _laterAnswers++;
                    }
                    else
                    {
                        _laterRemaining = remaining;
                        _laterResetServerUtc = resetServerUtc;
                        _laterAnswers = 1;
                    }
                }
            }
        }

        /// <summary>Holds every request back until the given local time (after a 429).</summary>
        public void BlockUntil(DateTime utc)
        {
            lock (_gate)
            {
                if (utc > _blockedUntilUtc) _blockedUntilUtc = utc;
            }
        }

        /// <summary>The current window, if the server told us: requests left and when it resets (local UTC).</summary>
        public (int Remaining, DateTime ResetUtc)? Window
        {
            get
            {
                lock (_gate)
                {
                    var resetUtc = _clock.ToLocalLatest(_resetServerUtc);
                    return _remaining is int r && resetUtc > DateTime.UtcNow ? (Math.Max(0, r - _inFlight), resetUtc) : ((int, DateTime)?)null;
                }
            }
        }

        private static string? Header(HttpResponseMessage response, string name) =>
            response.Headers.TryGetValues(name, out var values) ? string.Join(",", values).Trim() : null;

        private static int? ParseCount(string text) =>
            int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : (int?)null;

        /// <summary>
        /// The instant a reset header names, on the server's clock, or null when it cannot be read. Accepts ISO-8601 (the
        /// contract), Unix seconds or milliseconds, and seconds from the answer; of several values, the latest. Never throws.
        /// </summary>
        internal static DateTime? ParseReset(string value, DateTime serverNow)
        {
            DateTime? latest = null;
            foreach (var part in value.Split(','))
            {
                var at = ParseOne(part.Trim(), serverNow);
                if (at != null && (latest == null || at > latest)) latest = at;
            }
            return latest;
        }

        private static DateTime? ParseOne(string text, DateTime serverNow)
        {
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                if (double.IsNaN(number) || double.IsInfinity(number) || number < 0) return null;
                if (number <= LongestBelievableWindow.TotalSeconds) return serverNow.AddSeconds(number);
                if (number >= 1e9 && number < 1e11) return UnixEpoch.AddSeconds(number);
                if (number >= 1e12 && number < 1e14) return UnixEpoch.AddMilliseconds(number);
                return null;
            }
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when)
                ? when.UtcDateTime
                : (DateTime?)null;
        }

        private static readonly DateTime UnixEpoch = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    }
}

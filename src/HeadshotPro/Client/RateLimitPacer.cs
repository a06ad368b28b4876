using System;
using System.Globalization;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace HeadshotPro.Client
{
    /// <summary>
    /// Spends the server's rate-limit window and then waits for its reset, from the X-RateLimit-* headers,
    /// counting requests still in flight. While a window's budget is unknown (the first request, the first after a
    /// reset) one request goes alone to learn it. A server that sends no such headers is never waited for.
    /// </summary>
    internal sealed class RateLimitPacer
    {
        private static readonly TimeSpan ResetMargin = TimeSpan.FromMilliseconds(50);
        private static readonly TimeSpan LongestBelievableWindow = TimeSpan.FromHours(1);
        private static readonly TimeSpan ProbePoll = TimeSpan.FromMilliseconds(5);

        private readonly object _gate = new object();
        private int _inFlight;
        private bool _serverSendsNoHeaders;
        private int? _remaining;
        private DateTime _resetUtc;
        private DateTime _blockedUntilUtc;

        /// <summary>Waits until a request may go, then counts it in flight. Returns how long it waited.</summary>
        public async Task<TimeSpan> AcquireAsync(TimeSpan waitBudget, IRequestObserver? observer, CancellationToken cancellationToken)
        {
            var waited = TimeSpan.Zero;
            while (true)
            {
                TimeSpan wait;
                string? reason;
                lock (_gate)
                {
                    var now = DateTime.UtcNow;
                    if (_blockedUntilUtc > now)
                    {
                        wait = _blockedUntilUtc - now;
                        reason = "the server asked to retry later";
                    }
                    else if (_remaining is int remaining && now < _resetUtc && remaining - _inFlight <= 0)
                    {
                        wait = _resetUtc - now + ResetMargin;
                        reason = "this window's request budget is spent";
                    }
                    else
                    {
                        if (_remaining.HasValue && now >= _resetUtc) _remaining = null;
                        if (_remaining.HasValue || _serverSendsNoHeaders || _inFlight == 0)
                        {
                            _inFlight++;
                            return waited;
                        }
                        wait = ProbePoll;
                        reason = null;
                    }
                }
                if (reason == null)
                {
                    // Another request is learning this window's budget: its answer comes within one round trip.
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

        public void Release()
        {
            lock (_gate) _inFlight--;
        }

        /// <summary>Learns the window from an answer's headers; answers may arrive out of order, so the lowest remaining count wins within a window.</summary>
        public void Observe(HttpResponseMessage response)
        {
            var remaining = Header(response, "X-RateLimit-Remaining");
            var reset = Header(response, "X-RateLimit-Reset");
            if (remaining is null || reset is null)
            {
                lock (_gate) _serverSendsNoHeaders |= _remaining is null;
                return;
            }
            if (!int.TryParse(remaining, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count)) return;
            var resetUtc = ParseReset(reset);
            if (resetUtc is null || resetUtc.Value - DateTime.UtcNow > LongestBelievableWindow) return;
            lock (_gate)
            {
                _serverSendsNoHeaders = false;
                if (_remaining is null || resetUtc.Value > _resetUtc + TimeSpan.FromSeconds(1))
                {
                    _remaining = count;
                    _resetUtc = resetUtc.Value;
                }
                else if (resetUtc.Value >= _resetUtc - TimeSpan.FromSeconds(1))
                {
                    // The same window, give or take the server's rounding: trust the lowest count and the latest reset.
                    _remaining = Math.Min(_remaining.Value, count);
                    if (resetUtc.Value > _resetUtc) _resetUtc = resetUtc.Value;
                }
            }
        }

        /// <summary>Holds every request back until the given time (after a 429).</summary>
        public void BlockUntil(DateTime utc)
        {
            lock (_gate)
            {
                if (utc > _blockedUntilUtc) _blockedUntilUtc = utc;
            }
        }

        /// <summary>When the current window resets, if the server told us.</summary>
        public DateTime? ResetUtc
        {
            get { lock (_gate) return _remaining.HasValue ? _resetUtc : (DateTime?)null; }
        }

        private static string? Header(HttpResponseMessage response, string name) =>
            response.Headers.TryGetValues(name, out var values) ? string.Join(",", values).Trim() : null;

        /// <summary>ISO-8601 (the contract), or Unix seconds, or seconds from now (other APIs' habits).</summary>
        internal static DateTime? ParseReset(string value)
        {
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return number > 1_000_000_000
                    ? DateTimeOffset.FromUnixTimeMilliseconds((long)(number * 1000)).UtcDateTime
                    : DateTime.UtcNow.AddSeconds(number);
            }
            return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when)
                ? when.UtcDateTime
                : (DateTime?)null;
        }
    }
}

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
    /// it and turned into a local instant through <see cref="ServerClock"/> each time it is needed, so the estimate
    /// of the clocks' offset is the best known at that moment.
    /// </summary>
    internal sealed class RateLimitPacer
    {
        private static readonly TimeSpan ResetMargin = TimeSpan.FromMilliseconds(50);
        private static readonly TimeSpan LongestBelievableWindow = TimeSpan.FromHours(1);
        private static readonly TimeSpan AssumedWindow = TimeSpan.FromMinutes(1);
        private static readonly TimeSpan ProbePoll = TimeSpan.FromMilliseconds(5);

        private readonly object _gate = new object();
        private readonly ServerClock _clock;
        private int _inFlight;
        private bool _serverSendsNoHeaders;
        private int? _remaining;
        private DateTime _resetServerUtc;
        private DateTime _blockedUntilUtc;

        public RateLimitPacer(ServerClock clock) => _clock = clock;

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
                    var resetUtc = _clock.ToLocalLatest(_resetServerUtc);
                    if (_blockedUntilUtc > now)
                    {
                        wait = _blockedUntilUtc - now;
                        reason = "the server asked to retry later";
                    }
                    else if (_remaining is int remaining && now < resetUtc && remaining - _inFlight <= 0)
                    {
                        wait = resetUtc - now + ResetMargin;
                        reason = "this window's request budget is spent";
                    }
                    else
                    {
                        if (_remaining.HasValue && now >= resetUtc) _remaining = null;
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

        /// <summary>
        /// Learns the window from an answer's headers. Answers may arrive out of order, so within a window the lowest
        /// remaining count and the latest reset win.
        /// </summary>
        public void Observe(HttpResponseMessage response, DateTime receivedUtc)
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
                var resetServerUtc = reset ?? (_remaining.HasValue && _resetServerUtc > serverNow ? _resetServerUtc : serverNow + AssumedWindow);
                if (_remaining is null || resetServerUtc > _resetServerUtc + TimeSpan.FromSeconds(1))
                {
                    _remaining = remaining;
                    _resetServerUtc = resetServerUtc;
                }
                else if (resetServerUtc >= _resetServerUtc - TimeSpan.FromSeconds(1))
                {
                    _remaining = Math.Min(_remaining.Value, remaining.Value);
                    if (resetServerUtc > _resetServerUtc) _resetServerUtc = resetServerUtc;
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

using System;

namespace HeadshotPro.Client.Transport
{
    /// <summary>
    /// How far the server's clock is from ours, learned from the <c>Date</c> header of each answer. A Date has whole
    /// seconds and was stamped between sending and receiving, so each answer bounds the offset:
    /// <c>Date − received ≤ offset &lt; Date + 1 s − sent</c>. The bounds tighten with every answer, and the answer that
    /// sees Date tick over pins the offset to within its round trip (<see cref="NextTick"/> says when to ask for that). A
    /// pair that no longer overlaps (the server's clock was set) starts over from the answer sent later, so a late answer
    /// from before the change does not undo it.
    /// </summary>
    internal sealed class ServerClock
    {
        private static readonly TimeSpan DateResolution = TimeSpan.FromSeconds(1);

        private readonly object _gate = new object();
        private TimeSpan? _lower;
        private TimeSpan? _upper;
        private DateTime _since;

        public void Observe(DateTimeOffset? date, DateTime sentUtc, DateTime receivedUtc)
        {
            if (date == null) return;
            var lower = date.Value.UtcDateTime - receivedUtc;
            var upper = date.Value.UtcDateTime + DateResolution - sentUtc;
            lock (_gate)
            {
                if (_lower == null || _upper == null || lower > _upper.Value || upper < _lower.Value)
                {
                    if (_lower != null && sentUtc < _since) return;
                    _lower = lower;
                    _upper = upper;
                    _since = sentUtc;
                    return;
                }
                if (lower > _lower.Value) _lower = lower;
                if (upper < _upper.Value) _upper = upper;
            }
        }

        /// <summary>How wide the bound on the clocks' offset is (its upper less its lower end); null before any Date.</summary>
        public TimeSpan? Uncertainty
        {
            get { lock (_gate) return _upper - _lower; }
        }

        /// <summary>
        /// The local instant at which the server's clock shows <paramref name="serverUtc"/>, at the latest: a wait
        /// until then never ends before the server's. Without any Date seen, the clocks are taken to agree.
        /// </summary>
        public DateTime ToLocalLatest(DateTime serverUtc)
        {
            lock (_gate) return Shift(serverUtc, -(_lower ?? TimeSpan.Zero));
        }

        /// <summary>The local instant at which the server's clock shows <paramref name="serverUtc"/>, at the earliest.</summary>
        public DateTime ToLocalEarliest(DateTime serverUtc)
        {
            lock (_gate) return Shift(serverUtc, -(_upper ?? TimeSpan.Zero));
        }

        /// <summary>What the server's clock showed at the local instant <paramref name="localUtc"/>, at the earliest.</summary>
        public DateTime ToServerEarliest(DateTime localUtc)
        {
            lock (_gate) return Shift(localUtc, _lower ?? TimeSpan.Zero);
        }

        /// <summary>
        /// The first local instant from <paramref name="localUtc"/> on at which the server's clock starts a new second,
        /// if the offset is the middle of its bound; null before any Date. Whichever second an answer to a request sent
        /// then carries, it halves the bound.
        /// </summary>
        public DateTime? NextTick(DateTime localUtc)
        {
            lock (_gate)
            {
                if (_lower == null || _upper == null) return null;
                var middle = TimeSpan.FromTicks((_lower.Value.Ticks + _upper.Value.Ticks) / 2);
                var server = Shift(localUtc, middle);
                var second = new DateTime(server.Ticks - server.Ticks % DateResolution.Ticks, DateTimeKind.Utc);
                if (second < server) second += DateResolution;
                return Shift(second, -middle);
            }
        }

        private static DateTime Shift(DateTime utc, TimeSpan by)
        {
            var ticks = utc.Ticks + by.Ticks;
            if (ticks < DateTime.MinValue.Ticks) return DateTime.MinValue;
            if (ticks > DateTime.MaxValue.Ticks) return DateTime.MaxValue;
            return new DateTime(ticks, DateTimeKind.Utc);
        }
    }
}

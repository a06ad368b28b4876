namespace HeadshotPro.Sandbox;

/// <summary>How a paged v2 list misbehaves, as servers with paging bugs do (setting <c>pagingFault</c>).</summary>
public static class PagingFaultKind
{
    /// <summary>Every page is read from offset 0, and <c>pagination.offset</c> says 0.</summary>
    public const string IgnoreOffset = "ignore-offset";

    /// <summary>Every page is read from offset 0, but <c>pagination</c> echoes the offset asked.</summary>
    public const string RepeatPage = "repeat-page";

    /// <summary>Pages are right, but <c>hasMore</c> is true on every one, the last and those past the end included.</summary>
    public const string AlwaysMore = "always-more";

    public static readonly string[] All = { IgnoreOffset, RepeatPage, AlwaysMore };
}

/// <summary>How the service itself misbehaves: paging faults, a rate-limit window that shrinks, an outage, answer times that vary.</summary>
public sealed partial class SandboxState
{
    private int? _outageAfterRequests;
    private double? _outageSeconds;
    private Random _latencyRandom = new(0);

    /// <summary>
    /// Up to this many milliseconds more than <see cref="LatencyMs"/> each <c>/api/</c> request waits (a seeded draw), so
    /// requests handled at once are processed in an order of their own, as a real service's are.
    /// </summary>
    public int LatencyJitterMs { get; private set; }

    /// <summary>How long this request waits before it is processed: the latency and its draw of the jitter.</summary>
    public int DrawLatencyMs()
    {
        lock (_gate) return LatencyMs + (LatencyJitterMs > 0 ? _latencyRandom.Next(LatencyJitterMs + 1) : 0);
    }

    /// <summary>One of <see cref="PagingFaultKind.All"/>, or null for correct paging.</summary>
    public string? PagingFault { get; private set; }

    /// <summary>The outage that is due now (how long it lasts; null for good): the server stops listening.</summary>
    public event Action<TimeSpan?>? OutageDue;

    private void ResetServiceLocked()
    {
        PagingFault = _startup.PagingFault;
        _outageAfterRequests = _startup.OutageAfterRequests;
        _outageSeconds = _startup.OutageSeconds;
        LatencyJitterMs = _startup.LatencyJitterMs;
        _latencyRandom = new Random(_startup.FaultSeed);
    }

    /// <summary>An <c>/api/</c> request was handled: it counts toward an outage due after so many.</summary>
    public void Handled()
    {
        TimeSpan? duration;
        lock (_gate)
        {
            if (_outageAfterRequests is not int left) return;
            if (left > 1)
            {
                _outageAfterRequests = left - 1;
                return;
            }
            _outageAfterRequests = null;
            duration = _outageSeconds is double seconds ? TimeSpan.FromSeconds(seconds) : null;
        }
        OutageDue?.Invoke(duration);
    }

    private void ApplyServiceSettingsLocked(SettingsChange change)
    {
        if (change.SetPagingFault) PagingFault = change.PagingFault;
        if (change.ShrinkWindowSeconds is { } seconds) RateWindowSeconds = seconds; // the windows keep their start and count
        if (change.SetOutageAfterRequests) _outageAfterRequests = change.OutageAfterRequests;
        if (change.SetOutageSeconds) _outageSeconds = change.OutageSeconds;
        if (change.LatencyJitterMs is { } jitter) LatencyJitterMs = jitter;
        if (change.FaultSeed is { } seed) _latencyRandom = new Random(seed);
    }
}

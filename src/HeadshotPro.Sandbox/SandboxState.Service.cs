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

/// <summary>How the service itself misbehaves: paging faults, a rate-limit window that shrinks.</summary>
public sealed partial class SandboxState
{
    /// <summary>One of <see cref="PagingFaultKind.All"/>, or null for correct paging.</summary>
    public string? PagingFault { get; private set; }

    private void ResetServiceLocked()
    {
        PagingFault = _startup.PagingFault;
    }

    private void ApplyServiceSettingsLocked(SettingsChange change)
    {
        if (change.SetPagingFault) PagingFault = change.PagingFault;
        if (change.ShrinkWindowSeconds is { } seconds) RateWindowSeconds = seconds; // the windows keep their start and count
    }
}

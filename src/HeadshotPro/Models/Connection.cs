using System;

namespace HeadshotPro
{
    /// <summary>What the current session is connected to. The key is shown only by its last four characters.</summary>
    public sealed class Connection
    {
        /// <summary>The organization the key belongs to, by name, once read (Connect-HeadshotPro reads it).</summary>
        public string? Organization { get; set; }

        /// <summary>The organization's uid.</summary>
        public string? OrganizationId { get; set; }

        public Uri BaseUri { get; set; } = null!;
        public string ApiKeyHint { get; set; } = "";
        public string Source { get; set; } = "";
        public DateTimeOffset ConnectedAt { get; set; }
        public int TimeoutSec { get; set; }
        public int MaxRetryWaitSec { get; set; }
        public Uri? Proxy { get; set; }

        /// <summary>Requests left in the rate-limit window as last seen (shared by every session with this key), if the server said.</summary>
        public int? RateLimitRemaining { get; set; }

        /// <summary>When that window resets, on this computer's clock.</summary>
        public DateTimeOffset? RateLimitResetsAt { get; set; }

        public override string ToString() => BaseUri.ToString();
    }
}

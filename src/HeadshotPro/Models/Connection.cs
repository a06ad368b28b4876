using System;

namespace HeadshotPro
{
    /// <summary>What the current session is connected to. The key is shown only by its last four characters.</summary>
    public sealed class Connection
    {
        public Uri BaseUri { get; set; } = null!;
        public string ApiKeyHint { get; set; } = "";
        public string Source { get; set; } = "";
        public DateTime ConnectedAt { get; set; }
        public int TimeoutSec { get; set; }
        public int MaxRetryWaitSec { get; set; }
        public Uri? Proxy { get; set; }

        public override string ToString() => BaseUri.ToString();
    }
}

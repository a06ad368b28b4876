using System;

namespace HeadshotPro.Client
{
    /// <summary>Hears what the client does; called on worker threads, so implementations only queue what they hear.</summary>
    public interface IRequestObserver
    {
        /// <summary>One HTTP attempt ended: status is null when no answer arrived; label names what the request is for (an address), if known.</summary>
        void AttemptEnded(string method, string path, string? label, int? status, int attempt, TimeSpan elapsed, string? failure);

        /// <summary>The client is about to wait before sending (pacing, a 429, or a retry backoff).</summary>
        void Waiting(string reason, TimeSpan delay);
    }
}

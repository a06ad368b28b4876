namespace HeadshotPro.Client
{
    /// <summary>What went wrong with a request, in terms a caller can act on.</summary>
    public enum ApiErrorKind
    {
        Unauthorized,
        InvalidRequest,
        InvalidEmail,
        AlreadyExists,

        /// <summary>The address already belongs to a HeadshotPro user (400 USER_EXISTS), not to an invite of this organization.</summary>
        UserExists,
        AlreadyDeleted,
        InsufficientCredits,
        Forbidden,
        NotFound,
        RateLimitRetriesExhausted,
        InviteLimitExceeded,
        ServerError,
        ConnectionFailed,
        TimedOut,
        UnexpectedResponse,
        Redirected,
        ProxyAuthenticationRequired,
        TlsFailed,
        HostNotFound,
        EndpointNotFound,

        /// <summary>The photo host refused a link as expired or tampered with, and no fresh link could be had.</summary>
        PhotoLinkExpired,

        /// <summary>A photo download kept failing (5xx, dropped or cut connections, timeouts) or was refused for good.</summary>
        PhotoDownloadFailed,

        /// <summary>Not sent: the service has refused every connection for a few seconds (it is down, or not listening there).</summary>
        ServiceUnreachable,

        /// <summary>A photo's body was larger than the cap (-MaximumDownloadSize); nothing was kept.</summary>
        PhotoTooLarge,

        /// <summary>A photo's body was still arriving at the per-attempt deadline (-TimeoutSec); nothing was kept.</summary>
        PhotoDownloadTimedOut,

        /// <summary>A paged list's pages did not add up (an offset not honoured, a page that repeats what was read): the list ended early.</summary>
        PagingMisbehaved,
    }
}

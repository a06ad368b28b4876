namespace HeadshotPro.Client
{
    /// <summary>What went wrong with a request, in terms a caller can act on.</summary>
    public enum ApiErrorKind
    {
        Unauthorized,
        InvalidRequest,
        InvalidEmail,
        AlreadyExists,
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
    }
}

using System;

namespace HeadshotPro.Client
{
    /// <summary>A request that failed for good (after any retries). Its message never holds the API key.</summary>
    public sealed class HeadshotProApiException : Exception
    {
        public HeadshotProApiException(ApiErrorKind kind, string message, int? statusCode = null, string? code = null,
            string? serverMessage = null, Exception? inner = null)
            : base(message, inner)
        {
            Kind = kind;
            StatusCode = statusCode;
            Code = code;
            ServerMessage = serverMessage;
        }

        public ApiErrorKind Kind { get; }

        /// <summary>The HTTP status of the last answer, or null when none arrived.</summary>
        public int? StatusCode { get; }

        /// <summary>The server's machine code, e.g. <c>ALREADY_EXISTS</c>, when it sent one.</summary>
        public string? Code { get; }

        /// <summary>The server's own words (or the start of a non-JSON body).</summary>
        public string? ServerMessage { get; }

        /// <summary>True when an attempt before the last may have been processed (timeout, dropped connection, 5xx).</summary>
        public bool AfterUncertainAttempt { get; internal set; }

        /// <summary>True when any attempt, the last included, may have been processed.</summary>
        public bool MayHaveBeenProcessed { get; internal set; }

        /// <summary>True when the server may have done what was asked although this failed: the caller cannot tell.</summary>
        public bool OutcomeUnknown { get; internal set; }

        /// <summary>What the request was about (Invite, Team, Model, Member, Photo), for a not-found error's id; null is an invite.</summary>
        public string? Resource { get; private set; }

        /// <summary>This exception, marked as about <paramref name="resource"/>.</summary>
        internal HeadshotProApiException About(string resource)
        {
            Resource = resource;
            return this;
        }

        /// <summary>When the first attempt was sent (local UTC).</summary>
        internal DateTime FirstAttemptUtc { get; set; }

        internal HeadshotProApiException Rephrased(string message, bool outcomeUnknown = false) =>
            new HeadshotProApiException(Kind, message, StatusCode, Code, ServerMessage, InnerException)
            {
                AfterUncertainAttempt = AfterUncertainAttempt,
                MayHaveBeenProcessed = MayHaveBeenProcessed,
                OutcomeUnknown = outcomeUnknown || OutcomeUnknown,
                FirstAttemptUtc = FirstAttemptUtc,
                Resource = Resource,
            };
    }
}

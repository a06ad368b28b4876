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

        /// <summary>True when an earlier attempt of this request may have been processed (timeout, dropped connection, 5xx).</summary>
        public bool AfterUncertainAttempt { get; internal set; }
    }
}

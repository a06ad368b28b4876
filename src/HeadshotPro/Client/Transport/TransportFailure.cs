using System;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;

namespace HeadshotPro.Client.Transport
{
    /// <summary>
    /// What a failed connection means, read from the exception chain as either runtime builds it (.NET wraps a
    /// SocketException or AuthenticationException; .NET Framework a WebException with a status): a name that does not
    /// resolve and a certificate or TLS failure are final; a refused connection was not processed; anything else
    /// (a dropped connection) may have been.
    /// </summary>
    internal readonly struct TransportFailure
    {
        private TransportFailure(ApiErrorKind kind, bool transient, bool mayHaveBeenProcessed, string reason)
        {
            Kind = kind;
            Transient = transient;
            MayHaveBeenProcessed = mayHaveBeenProcessed;
            Reason = reason;
        }

        public ApiErrorKind Kind { get; }
        public bool Transient { get; }
        public bool MayHaveBeenProcessed { get; }
        private string Reason { get; }

        /// <summary>No connection could be made (refused: nothing listens there), so nothing reached the server.</summary>
        public bool Refused => Kind == ApiErrorKind.ConnectionFailed && !MayHaveBeenProcessed;

        public string Describe(string host) => string.Format(Reason, host);

        public static TransportFailure Classify(Exception error)
        {
            var innermost = error;
            for (var e = error; e != null; e = e.InnerException)
            {
                innermost = e;
                switch (e)
                {
                    case HttpRequestException http when StatusOf(http) == 407:
                    case WebException web when web.Status == WebExceptionStatus.ProtocolError && (web.Response as HttpWebResponse)?.StatusCode == HttpStatusCode.ProxyAuthenticationRequired:
                        return new TransportFailure(ApiErrorKind.ProxyAuthenticationRequired, false, false, "the proxy on the way to {0} wants credentials (HTTP 407)");
                    case AuthenticationException _:
                        return Tls(e.Message);
                    case WebException web when web.Status == WebExceptionStatus.TrustFailure || web.Status == WebExceptionStatus.SecureChannelFailure:
                        return Tls(web.Message);
                    case WebException web when web.Status == WebExceptionStatus.NameResolutionFailure:
                        return NotFound("{0}");
                    case WebException web when web.Status == WebExceptionStatus.ProxyNameResolutionFailure:
                        return NotFound("the proxy's host");
                    case SocketException socket when socket.SocketErrorCode == SocketError.HostNotFound || socket.SocketErrorCode == SocketError.NoData:
                        return NotFound("{0}");
                    case SocketException socket when socket.SocketErrorCode == SocketError.ConnectionRefused:
                        return new TransportFailure(ApiErrorKind.ConnectionFailed, true, false, "could not reach {0}: the connection was refused");
                    case WebException web when web.Status == WebExceptionStatus.ConnectFailure:
                        return new TransportFailure(ApiErrorKind.ConnectionFailed, true, false, "could not reach {0}: " + Escape(web.Message));
                }
            }
            return new TransportFailure(ApiErrorKind.ConnectionFailed, true, true, "the connection to {0} failed: " + Escape(innermost.Message));
        }

        /// <summary>The status a proxy refused a tunnel with: HttpRequestException.StatusCode on .NET 5+, read by reflection here.</summary>
        private static int? StatusOf(HttpRequestException error) =>
            error.GetType().GetProperty("StatusCode")?.GetValue(error) is HttpStatusCode status ? (int)status : (int?)null;

        private static TransportFailure Tls(string message) =>
            new TransportFailure(ApiErrorKind.TlsFailed, false, false,
                "the secure (TLS) connection to {0} could not be set up — its certificate is not trusted or no protocol is shared: " + Escape(message));

        private static TransportFailure NotFound(string what) =>
            new TransportFailure(ApiErrorKind.HostNotFound, false, false, $"the name {what} does not resolve (DNS)");

        private static string Escape(string text) => text.Replace("{", "{{").Replace("}", "}}");
    }
}

using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace HeadshotPro.Client.Transport
{
    /// <summary>
    /// The one request loop: pacing by the server's clock, retries, timeouts, bounded reads and error mapping.
    /// Knows nothing of endpoints. Safe for concurrent calls.
    /// </summary>
    internal sealed class ApiTransport : IDisposable
    {
        public const int MaxAttempts = 4;
        public const int MostConcurrentRequests = 32;
        /// <summary>The largest answer read; the API's biggest (a list of every invite) is far smaller.</summary>
        public const int MaxBodyBytes = 16 * 1024 * 1024;

        private static readonly TimeSpan BackoffBase = TimeSpan.FromSeconds(1);
        private static readonly TimeSpan BackoffCap = TimeSpan.FromSeconds(30);
        private static readonly TimeSpan MinimumRateLimitWait = TimeSpan.FromMilliseconds(250);

        private readonly SharedConnection _shared;
        private readonly ClientSettings _settings;
        private readonly Random _jitter = new Random();
        private int _disposed;

        public ApiTransport(ClientSettings settings)
        {
            _settings = settings;
            _shared = SharedConnection.Acquire(settings);
            var proxy = settings.Proxy ?? new SharedConnection.SystemProxyExceptLoopback(null).GetProxy(settings.BaseUri);
            _where = proxy == null ? settings.BaseUri.Host : $"{settings.BaseUri.Host}, through the proxy {BaseUriRules.Shown(proxy)}";
        }

        /// <summary>The API's host as failures name it, with the proxy when there is one: a refused connection may be the proxy's.</summary>
        private readonly string _where;

        public ServerClock Clock => _shared.Clock;
        public RateLimitPacer Pacer => _shared.Pacer;
        private HttpClient Http => _shared.Http;

        /// <summary>
        /// Which acceptance of the key (<see cref="SharedConnection.KeyAccepted"/>) this session had it rejected after, or
        /// −1: a 401 stops this session only, until a Connect anywhere has the key accepted again.
        /// </summary>
        private int _keyRejectedAt = -1;

        private bool KeyRejected => Volatile.Read(ref _keyRejectedAt) == _shared.KeyAccepted;

        /// <summary>Connect-HeadshotPro had the key accepted: a rejection that any session sharing this connection holds is cleared.</summary>
        public void AcceptKey() => _shared.AcceptKey();

        /// <summary>
        /// Sends one request with pacing and retries: 408/500/502/503/504, unreadable answers and dropped connections up to
        /// <see cref="MaxAttempts"/> attempts with full-jitter backoff (or the server's Retry-After); a 429
        /// RATE_LIMIT_EXCEEDED is waited out without using an attempt. Every wait counts against the request's
        /// <see cref="ClientSettings.MaxRetryWait"/>. A refused connection uses no attempt either: the connection's
        /// <see cref="Reachability"/> paces those tries and, once the service has refused everything for a few seconds,
        /// ends the request — as ServiceUnreachable (nothing was sent), or with its last error when an earlier attempt may
        /// have been processed. Once the key is rejected, this session sends nothing more with it.
        /// </summary>
        public async Task<JObject> SendAsync(HttpMethod method, string path, JObject? body, RequestOptions? options, CancellationToken cancellationToken)
        {
            var target = path;
            path = Shown(target);
            var observer = options?.Observer;
            var maxRetryWait = options?.MaxRetryWait ?? _settings.MaxRetryWait;
            var waitBudget = maxRetryWait;
            var attempt = 0;
            var uncertain = false;
            var gotThrough = false;
            DateTime? firstSentUtc = null;
            HeadshotProApiException? lastError = null;
            var payload = body?.ToString(Formatting.None);
            while (true)
            {
                if (KeyRejected) throw KeyRejectedEarlier(method, path);
                Reachability.Turn turn;
                try
                {
                    turn = await _shared.Reachability.EnterAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (ServiceUnreachableException e)
                {
                    throw uncertain
                        ? lastError!.Rephrased($"{lastError.Message.TrimEnd('.')}. Then HeadshotPro {e.Message}, so no more attempts were made.")
                        : new HeadshotProApiException(ApiErrorKind.ServiceUnreachable,
                            $"{method} {path} was not sent: HeadshotPro ({_where}) {e.Message}; nothing more is sent to it until it answers again.")
                        { FirstAttemptUtc = firstSentUtc ?? DateTime.UtcNow };
                }
                Answer answer;
                using (turn)
                {
                    var pass = await Pacer.AcquireAsync(waitBudget, observer, cancellationToken).ConfigureAwait(false);
                    waitBudget -= pass.Waited;
                    try
                    {
                        var vetoed = KeyRejected ? KeyRejectedEarlier(method, path) : uncertain ? null : options?.Veto?.Invoke();
                        if (vetoed != null) throw vetoed;
                        attempt++;
                        firstSentUtc ??= DateTime.UtcNow;
                        options?.Sent?.Invoke(true);
                        answer = await AttemptAsync(method, target, path, payload, pass.Ticket, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        Pacer.Release(pass.Ticket);
                    }
                    if (answer.Refused) turn.Report(refused: true);
                    else if (answer.Reached) turn.Report(refused: false);
                }
                gotThrough |= !answer.Refused;
                if (!gotThrough) options?.Sent?.Invoke(false);
                observer?.AttemptEnded(method.Method, path, options?.Label, answer.Status, attempt, answer.Elapsed, answer.Failure?.Message);

                if (answer.Json != null) return answer.Json;
                var error = answer.Failure ?? ErrorFrom(method, path, answer);
                error.AfterUncertainAttempt = uncertain;
                uncertain |= answer.MayHaveBeenProcessed;
                error.MayHaveBeenProcessed = uncertain;
                error.FirstAttemptUtc = firstSentUtc.Value;
                lastError = error;

                if (error.Kind == ApiErrorKind.Unauthorized) Volatile.Write(ref _keyRejectedAt, _shared.KeyAccepted);
                if (answer.Refused)
                {
                    attempt--; // nothing reached the server; the reachability turn paces the next try
                    continue;
                }
                if (error.Kind == ApiErrorKind.RateLimitRetriesExhausted)
                {
                    var delay = Max(answer.RetryAfter ?? UntilReset() ?? Backoff(1), MinimumRateLimitWait);
                    if (delay > waitBudget)
                        throw error.Rephrased(
                            $"{error.Message} Still rate limited after waiting {(maxRetryWait - waitBudget).TotalSeconds:0} s; the next wait ({delay.TotalSeconds:0} s) would pass -MaxRetryWaitSec ({maxRetryWait.TotalSeconds:0} s).");
                    Pacer.BlockUntil(DateTime.UtcNow + delay);
                    attempt--;
                    continue;
                }

                if (!answer.Transient || attempt >= MaxAttempts) throw error;

                var backoff = answer.RetryAfter ?? Backoff(attempt);
                if (backoff > waitBudget)
                    throw error.Rephrased(answer.RetryAfter != null
                        ? $"{error.Message} The server asked to retry after {backoff.TotalSeconds:0} s (Retry-After: {answer.RetryAfterText}), longer than the {waitBudget.TotalSeconds:0} s left of -MaxRetryWaitSec ({maxRetryWait.TotalSeconds:0} s)."
                        : $"{error.Message} A retry would pass -MaxRetryWaitSec ({maxRetryWait.TotalSeconds:0} s).");
                waitBudget -= backoff;
                observer?.Waiting($"retry {attempt + 1} of {MaxAttempts} after {Describe(answer)}", backoff);
                await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>What one attempt got: a JSON success, or the failure and how to treat it.</summary>
        private sealed class Answer
        {
            public int? Status;
            public JObject? Json;
            public string Text = "";
            public HeadshotProApiException? Failure;
            public bool Transient;
            public bool MayHaveBeenProcessed;
            public TimeSpan? RetryAfter;
            public string? RetryAfterText;
            public Uri? Location;
            public TimeSpan Elapsed;

            /// <summary>The connection was refused: nothing reached the server.</summary>
            public bool Refused;

            /// <summary>Something answered, or a connection was made: the service is there.</summary>
            public bool Reached => Status != null || (Failure != null && !Refused && (Failure.Kind == ApiErrorKind.ConnectionFailed || Failure.Kind == ApiErrorKind.TlsFailed));
        }

        private async Task<Answer> AttemptAsync(HttpMethod method, string target, string path, string? payload, long ticket, CancellationToken cancellationToken)
        {
            var answer = new Answer();
            var stopwatch = Stopwatch.StartNew();
            var sentUtc = DateTime.UtcNow;
            HttpResponseMessage? response = null;
            try
            {
                using (var request = NewRequest(method, target, payload))
                using (var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    attemptCts.CancelAfter(_settings.Timeout);
                    try
                    {
                        if (OnDotNetFramework) DotNetFramework.PrepareEndpoint(new Uri(_settings.BaseUri, target), _settings.Proxy);
                        response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptCts.Token).ConfigureAwait(false);
                        var receivedUtc = DateTime.UtcNow;
                        answer.Status = (int)response.StatusCode;
                        Clock.Observe(response.Headers.Date, sentUtc, receivedUtc);
                        Pacer.Observe(response, receivedUtc, ticket);
                        ReadRetryAfter(response, receivedUtc, answer);
                        answer.Location = response.Headers.Location;
                        var status = answer.Status.Value;
                        answer.Text = await ReadBodyAsync(response, attemptCts.Token).ConfigureAwait(false);
                        if (status >= 200 && status < 300)
                        {
                            var parsed = ParseObject(answer.Text);
                            if (parsed != null && (bool?)parsed["success"] != false) answer.Json = parsed;
                            else if (parsed == null)
                            {
                                answer.Failure = Unreadable(method, path, status, "that is not JSON: " + (Excerpt(answer.Text) ?? "an empty body"));
                                answer.Transient = answer.MayHaveBeenProcessed = true;
                            }
                            return answer;
                        }
                        answer.Transient = status == 408 || status == 500 || status == 502 || status == 503 || status == 504;
                        answer.MayHaveBeenProcessed = answer.Transient && status != 408;
                    }
                    catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
                    {
                        answer.Failure = new HeadshotProApiException(ApiErrorKind.TimedOut,
                            $"{method} {path} got no {(answer.Status == null ? "answer" : "complete answer")} within {_settings.Timeout.TotalSeconds:0} s (-TimeoutSec).", inner: e);
                        answer.Transient = answer.MayHaveBeenProcessed = true;
                    }
                    catch (BodyTooLargeException e)
                    {
                        answer.Failure = Unreadable(method, path, answer.Status!.Value, e.Message);
                        answer.MayHaveBeenProcessed = true;
                    }
                    catch (Exception e) when (e is HttpRequestException || e is IOException || e is WebException)
                    {
                        var failure = TransportFailure.Classify(e);
                        answer.Failure = new HeadshotProApiException(failure.Kind, $"{method} {path} failed: {failure.Describe(_where)}", answer.Status, inner: e);
                        answer.Transient = failure.Transient;
                        answer.MayHaveBeenProcessed = failure.MayHaveBeenProcessed || answer.Status != null;
                        answer.Refused = failure.Refused && answer.Status == null;
                    }
                }
            }
            finally
            {
                response?.Dispose();
                answer.Elapsed = stopwatch.Elapsed;
            }
            return answer;
        }

        /// <summary>
        /// A request's target as messages and verbose lines show it: a path relative to the v1 base as given
        /// (<c>organization/invite</c>), or an absolute address (a v2 request) from the API root on
        /// (<c>v2/organization/team?limit=50&amp;offset=0</c>).
        /// </summary>
        internal string Shown(string target)
        {
            if (!Uri.TryCreate(target, UriKind.Absolute, out var absolute) || absolute.Scheme == "file") return target;
            var root = _settings.ApiRoot.AbsoluteUri;
            var text = absolute.AbsoluteUri;
            return text.StartsWith(root, StringComparison.OrdinalIgnoreCase) ? text.Substring(root.Length) : absolute.PathAndQuery;
        }

        private static readonly bool OnDotNetFramework =
            RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        /// <summary>One attempt's request: a JSON body, and never <c>Expect: 100-continue</c> (.NET Framework would wait for it).</summary>
        internal static HttpRequestMessage NewRequest(HttpMethod method, string path, string? payload)
        {
            var request = new HttpRequestMessage(method, path);
            request.Headers.ExpectContinue = false;
            if (payload != null) request.Content = new StringContent(payload, Encoding.UTF8, "application/json");
            return request;
        }

        private void ReadRetryAfter(HttpResponseMessage response, DateTime receivedUtc, Answer answer)
        {
            var header = response.Headers.RetryAfter;
            if (header == null) return;
            answer.RetryAfterText = header.ToString();
            TimeSpan? delay = header.Delta;
            if (delay == null && header.Date is DateTimeOffset date)
                delay = Clock.ToLocalLatest(date.UtcDateTime) - receivedUtc;
            if (delay == null) return;
            answer.RetryAfter = delay.Value < TimeSpan.Zero ? TimeSpan.Zero : delay.Value;
        }

        /// <summary>The body as text, read up to <see cref="MaxBodyBytes"/>; an unknown charset is read as UTF-8.</summary>
        private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        {
            if (response.Content == null) return "";
            if (response.Content.Headers.ContentLength > MaxBodyBytes) throw new BodyTooLargeException(response.Content.Headers.ContentLength.Value);
            using (cancellationToken.Register(response.Dispose))
            using (var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
            using (var buffer = new MemoryStream())
            {
                var chunk = new byte[16 * 1024];
                int read;
                while ((read = await stream.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (buffer.Length + read > MaxBodyBytes) throw new BodyTooLargeException(null);
                    buffer.Write(chunk, 0, read);
                }
                return EncodingOf(response.Content.Headers.ContentType?.CharSet).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            }
        }

        internal static Encoding EncodingOf(string? charset)
        {
            if (string.IsNullOrWhiteSpace(charset)) return Encoding.UTF8;
            try
            {
                return Encoding.GetEncoding(charset!.Trim().Trim('"'));
            }
            catch (ArgumentException)
            {
                return Encoding.UTF8;
            }
        }

        private sealed class BodyTooLargeException : Exception
        {
            public BodyTooLargeException(long? length)
                : base(length is long n
                    ? $"a body of {n / (1024 * 1024)} MB, more than the {MaxBodyBytes / (1024 * 1024)} MB this module reads"
                    : $"a body larger than the {MaxBodyBytes / (1024 * 1024)} MB this module reads")
            {
            }
        }

        private static HeadshotProApiException Unreadable(HttpMethod method, string path, int status, string what) =>
            new HeadshotProApiException(ApiErrorKind.UnexpectedResponse,
                $"{method} {path} answered HTTP {status.ToString(CultureInfo.InvariantCulture)} with {what}", status);

        private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

        private static string Describe(Answer answer) =>
            answer.Failure?.Kind == ApiErrorKind.TimedOut ? "a timeout"
            : answer.Status is int s ? "HTTP " + s.ToString(CultureInfo.InvariantCulture)
            : "a connection failure";

        private TimeSpan? UntilReset()
        {
            var window = Pacer.Window;
            if (window == null) return null;
            var delay = window.Value.ResetUtc - DateTime.UtcNow;
            return delay > TimeSpan.Zero ? delay : (TimeSpan?)null;
        }

        /// <summary>Full jitter: a random wait up to min(cap, base × 2^(attempt−1)).</summary>
        private TimeSpan Backoff(int attempt)
        {
            var ceiling = Math.Min(BackoffCap.TotalMilliseconds, BackoffBase.TotalMilliseconds * Math.Pow(2, attempt - 1));
            double fraction;
            lock (_jitter) fraction = _jitter.NextDouble();
            return TimeSpan.FromMilliseconds(ceiling * fraction);
        }

        internal static JObject? ParseObject(string text)
        {
            var trimmed = text.TrimStart();
            if (!trimmed.StartsWith("{", StringComparison.Ordinal)) return null;
            try
            {
                return JObject.Parse(trimmed);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private static HeadshotProApiException KeyRejectedEarlier(HttpMethod method, string path) =>
            new HeadshotProApiException(ApiErrorKind.Unauthorized,
                $"{method} {path} was not sent: HeadshotPro rejected this API key earlier, so this connection sends nothing more with it.", 401, "UNAUTHORIZED");

        private static HeadshotProApiException ErrorFrom(HttpMethod method, string path, Answer answer)
        {
            var status = answer.Status!.Value;
            var text = answer.Text;
            var statusText = status.ToString(CultureInfo.InvariantCulture);
            if (status >= 300 && status < 400)
            {
                var where = answer.Location != null ? " to " + answer.Location : " without a Location";
                return new HeadshotProApiException(ApiErrorKind.Redirected,
                    $"{method} {path} answered HTTP {statusText}, a redirect{where}. Redirects are not followed, so the API key is never sent to another address.",
                    status, serverMessage: answer.Location?.ToString());
            }
            var json = ParseObject(text);
            var code = (string?)json?["code"];
            var serverMessage = json != null ? (string?)json["error"] ?? (string?)json["message"] : Excerpt(text);
            var kind = KindOf(status, code);
            var said = serverMessage != null ? ": " + serverMessage : (text.Length == 0 ? " with an empty body" : "");
            var message = $"{method} {path} answered HTTP {statusText}{(code != null ? " " + code : "")}{said}";
            if (status == 404 && json == null)
                return NotTheApi(new HeadshotProApiException(kind, message, status, code, serverMessage));
            return new HeadshotProApiException(kind, message, status, code, serverMessage);
        }

        /// <summary>A 404 that cannot be the API's own (not its JSON, or on a route that always exists): a wrong base URI.</summary>
        internal static HeadshotProApiException NotTheApi(HeadshotProApiException e) =>
            new HeadshotProApiException(ApiErrorKind.EndpointNotFound,
                e.Message.TrimEnd('.') + ". This address does not lead to the HeadshotPro API; the base URI ends in /api/v1/.",
                e.StatusCode, e.Code, e.ServerMessage);

        private static ApiErrorKind KindOf(int status, string? code)
        {
            switch (code)
            {
                case "ALREADY_EXISTS": return ApiErrorKind.AlreadyExists;
                case "USER_EXISTS": return ApiErrorKind.UserExists;
                case "INVALID_EMAIL": return ApiErrorKind.InvalidEmail;
                case "ALREADY_DELETED": return ApiErrorKind.AlreadyDeleted;
                case "INVITE_LIMIT_EXCEEDED": return ApiErrorKind.InviteLimitExceeded;
                case "INSUFFICIENT_CREDITS": return ApiErrorKind.InsufficientCredits;
                case "UNAUTHORIZED": return ApiErrorKind.Unauthorized;
            }
            switch (status)
            {
                case 400: case 413: return ApiErrorKind.InvalidRequest;
                case 401: return ApiErrorKind.Unauthorized;
                case 402: return ApiErrorKind.InsufficientCredits;
                case 403: return ApiErrorKind.Forbidden;
                case 404: return ApiErrorKind.NotFound;
                case 407: return ApiErrorKind.ProxyAuthenticationRequired;
                case 408: return ApiErrorKind.TimedOut;
                case 429: return ApiErrorKind.RateLimitRetriesExhausted;
                default: return status >= 500 ? ApiErrorKind.ServerError : ApiErrorKind.UnexpectedResponse;
            }
        }

        /// <summary>The first 200 characters of a non-JSON body (an HTML error page from a proxy), on one line.</summary>
        internal static string? Excerpt(string text)
        {
            var flat = System.Text.RegularExpressions.Regex.Replace(text.Length > 4096 ? text.Substring(0, 4096) : text, @"\s+", " ").Trim();
            if (flat.Length == 0) return null;
            return flat.Length <= 200 ? flat : flat.Substring(0, 200) + "…";
        }

        public void Dispose()
        {
            if (System.Threading.Interlocked.Exchange(ref _disposed, 1) == 0) _shared.Release();
        }
    }
}

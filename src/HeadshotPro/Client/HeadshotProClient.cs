using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace HeadshotPro.Client
{
    /// <summary>
    /// The HeadshotPro v1 API over HTTP: JSON, error mapping, retries and rate-limit pacing. Knows nothing of PowerShell.
    /// One instance per session; safe for concurrent calls.
    /// </summary>
    public sealed class HeadshotProClient : IDisposable
    {
        public const int MaxAttempts = 4;
        public const int MostConcurrentRequests = 32;
        private static readonly TimeSpan BackoffBase = TimeSpan.FromSeconds(1);
        private static readonly TimeSpan BackoffCap = TimeSpan.FromSeconds(30);
        private static readonly TimeSpan MinimumRateLimitWait = TimeSpan.FromMilliseconds(250);
        private static readonly HttpMethod Post = HttpMethod.Post;
        private static readonly HttpMethod Get = HttpMethod.Get;

        private readonly HttpClient _http;
        private readonly RateLimitPacer _pacer = new RateLimitPacer();
        private readonly Random _jitter = new Random();
        private volatile bool _creditsViaGet;

        public HeadshotProClient(ClientSettings settings)
        {
            Settings = settings;
            if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal))
                PrepareDotNetFramework(settings.BaseUri);

            var handler = new HttpClientHandler { AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate };
            if (settings.Proxy != null)
            {
                handler.Proxy = new WebProxy(settings.Proxy) { Credentials = settings.ProxyCredential };
                handler.UseProxy = true;
            }
            _http = new HttpClient(handler) { BaseAddress = settings.BaseUri, Timeout = Timeout.InfiniteTimeSpan };
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", settings.ApiKey);
            _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("HeadshotPro-PowerShell",
                typeof(HeadshotProClient).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"));
            _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        }

        public ClientSettings Settings { get; }

        /// <summary>When the server's current rate-limit window resets, if it told us.</summary>
        public DateTime? RateLimitResetUtc => _pacer.ResetUtc;

        // Windows PowerShell 5.1: TLS 1.2 may be off by default, and two connections per server would cap concurrency.
        private static void PrepareDotNetFramework(Uri baseUri)
        {
            ServicePointManager.SecurityProtocol |= SecurityProtocolType.Tls12;
            var servicePoint = ServicePointManager.FindServicePoint(baseUri);
            if (servicePoint.ConnectionLimit < MostConcurrentRequests) servicePoint.ConnectionLimit = MostConcurrentRequests;
        }

        public async Task<int> GetCreditsAsync(CancellationToken cancellationToken, RequestOptions? options = null)
        {
            JObject body;
            if (_creditsViaGet)
            {
                body = await SendAsync(Get, "organization/credits", null, options, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                try
                {
                    body = await SendAsync(Post, "organization/credits", null, options, cancellationToken).ConfigureAwait(false);
                }
                catch (HeadshotProApiException e) when (e.StatusCode == 404 || e.StatusCode == 405)
                {
                    // The seed documents POST, the later reference GET: use whichever this server answers, from now on.
                    _creditsViaGet = true;
                    body = await SendAsync(Get, "organization/credits", null, options, cancellationToken).ConfigureAwait(false);
                }
            }
            var credits = body["credits"];
            if (credits == null || (credits.Type != JTokenType.Integer && credits.Type != JTokenType.Float))
                throw Unexpected("The credits answer has no 'credits' number.", 200);
            return (int)credits;
        }

        public async Task<Organization> GetOrganizationAsync(CancellationToken cancellationToken, RequestOptions? options = null)
        {
            var body = await SendAsync(Get, "organization", null, options, cancellationToken).ConfigureAwait(false);
            var org = body["organization"] as JObject ?? throw Unexpected("The organization answer has no 'organization' object.", 200);
            return new Organization
            {
                Uid = (string?)org["uid"],
                Name = (string?)org["name"],
                Website = (string?)org["website"],
                Teams = (org["teams"] as JArray ?? new JArray()).OfType<JObject>()
                    .Select(t => new Team { Id = (string?)t["id"] ?? "", Name = (string?)t["name"] ?? "" })
                    .ToList(),
            };
        }

        /// <summary>
        /// Invites one address. A retried POST whose earlier attempt may have gone through and that now answers
        /// ALREADY_EXISTS is the same invite: it is looked up and returned, not reported as a duplicate.
        /// </summary>
        public async Task<Invite> CreateInviteAsync(string email, string? teamId, CancellationToken cancellationToken, RequestOptions? options = null)
        {
            var request = new JObject { ["email"] = email };
            if (teamId != null) request["teamId"] = teamId;
            JObject body;
            try
            {
                body = await SendAsync(Post, "organization/invite", request, options, cancellationToken).ConfigureAwait(false);
            }
            catch (HeadshotProApiException e) when (e.Kind == ApiErrorKind.AlreadyExists && e.AfterUncertainAttempt)
            {
                var existing = await FindLiveInviteAsync(email, cancellationToken, options?.WithoutVeto()).ConfigureAwait(false);
                if (existing == null) throw;
                return existing;
            }
            var id = (string?)body["id"] ?? throw Unexpected("The invite answer has no 'id'.", 200);
            return new Invite
            {
                Id = id,
                Email = (string?)body["input"]?["email"] ?? email,
                Status = "pending-invite",
                Link = (string?)body["link"],
                TeamId = (string?)body["teamId"] ?? teamId,
                CreatedAt = DateTime.UtcNow,
            };
        }

        /// <summary>Revokes the open invite of one address. A retry that finds nothing left to revoke after an uncertain attempt counts as done.</summary>
        public async Task RevokeInviteAsync(string email, CancellationToken cancellationToken, RequestOptions? options = null)
        {
            try
            {
                await SendAsync(Post, "organization/invite/revoke", new JObject { ["email"] = email }, options, cancellationToken).ConfigureAwait(false);
            }
            catch (HeadshotProApiException e) when (e.Kind == ApiErrorKind.NotFound && e.AfterUncertainAttempt)
            {
            }
        }

        public async Task<Invite> GetInviteAsync(string id, CancellationToken cancellationToken, RequestOptions? options = null)
        {
            var body = await SendAsync(Get, "organization/invite/id/" + Uri.EscapeDataString(id), null, options, cancellationToken).ConfigureAwait(false);
            var invite = body["invite"] as JObject ?? throw Unexpected("The invite answer has no 'invite' object.", 200);
            return new Invite { Id = id, Email = (string?)invite["email"] ?? "", Status = (string?)invite["status"] };
        }

        /// <summary>
        /// Every invite of the organization. The list carries <c>valid</c> and <c>used</c> rather than a status; where those
        /// cannot tell the status (a used, still valid invite), <see cref="Invite.Status"/> is null.
        /// </summary>
        public async Task<IReadOnlyList<Invite>> ListInvitesAsync(CancellationToken cancellationToken, RequestOptions? options = null)
        {
            var body = await SendAsync(Get, "organization/invites", null, options, cancellationToken).ConfigureAwait(false);
            var items = body["invites"] as JArray ?? throw Unexpected("The list answer has no 'invites' array.", 200);
            return items.OfType<JObject>().Select(ListedInvite).ToList();
        }

        public async Task<Invite?> FindLiveInviteAsync(string email, CancellationToken cancellationToken, RequestOptions? options = null)
        {
            var all = await ListInvitesAsync(cancellationToken, options).ConfigureAwait(false);
            return all.LastOrDefault(i => string.Equals(i.Email, email, StringComparison.OrdinalIgnoreCase) && IsLive(i.Status));
        }

        /// <summary>An invite that blocks a new one for its address: anything but revoked or deleted.</summary>
        public static bool IsLive(string? status) => status != "revoked" && status != "deleted";

        private static Invite ListedInvite(JObject item)
        {
            var valid = (bool?)item["valid"] ?? true;
            var used = (bool?)item["used"] ?? false;
            var status = (string?)item["status"] ?? (valid ? (used ? null : "pending-invite") : (used ? "deleted" : "revoked"));
            var created = item["createdAt"];
            return new Invite
            {
                Id = (string?)item["id"],
                Email = (string?)item["email"] ?? "",
                Status = status,
                Link = (string?)item["link"],
                TeamId = (string?)item["teamId"],
                CreatedAt = created?.Type == JTokenType.Date ? ((DateTime)created).ToUniversalTime()
                    : DateTime.TryParse((string?)created, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTime?)null,
            };
        }

        /// <summary>
        /// Sends one request with pacing and retries: 408/500/502/503/504 and network failures up to <see cref="MaxAttempts"/>
        /// attempts with full-jitter backoff; a 429 RATE_LIMIT_EXCEEDED is waited out without using an attempt, within
        /// <see cref="ClientSettings.MaxRetryWait"/>.
        /// </summary>
        private async Task<JObject> SendAsync(HttpMethod method, string path, JObject? body, RequestOptions? options, CancellationToken cancellationToken)
        {
            var observer = options?.Observer;
            var maxRetryWait = options?.MaxRetryWait ?? Settings.MaxRetryWait;
            var attempt = 0;
            var uncertain = false;
            var waitBudget = maxRetryWait;
            var payload = body?.ToString(Formatting.None);
            while (true)
            {
                waitBudget -= await _pacer.AcquireAsync(waitBudget, observer, cancellationToken).ConfigureAwait(false);
                var vetoed = uncertain ? null : options?.Veto?.Invoke();
                if (vetoed != null)
                {
                    _pacer.Release();
                    throw vetoed;
                }
                attempt++;
                var stopwatch = Stopwatch.StartNew();
                HttpResponseMessage? response = null;
                string text;
                Exception? failure = null;
                try
                {
                    using (var request = new HttpRequestMessage(method, path))
                    using (var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                    {
                        if (payload != null) request.Content = new StringContent(payload, Encoding.UTF8, "application/json");
                        attemptCts.CancelAfter(Settings.Timeout);
                        try
                        {
                            response = await _http.SendAsync(request, attemptCts.Token).ConfigureAwait(false);
                            text = response.Content == null ? "" : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                            _pacer.Observe(response);
                        }
                        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
                        {
                            failure = new HeadshotProApiException(ApiErrorKind.TimedOut,
                                $"{method} {path} got no answer within {Settings.Timeout.TotalSeconds:0} s (-TimeoutSec).", inner: e);
                            text = "";
                        }
                        catch (HttpRequestException e)
                        {
                            failure = new HeadshotProApiException(ApiErrorKind.ConnectionFailed,
                                $"{method} {path} failed: could not reach {Settings.BaseUri.Host}: {InnermostMessage(e)}", inner: e);
                            text = "";
                        }
                    }
                }
                finally
                {
                    _pacer.Release();
                }

                var status = response == null ? (int?)null : (int)response.StatusCode;
                observer?.AttemptEnded(method.Method, path, status, attempt, stopwatch.Elapsed, failure?.Message);

                using (response)
                {
                    if (response != null && status >= 200 && status < 300)
                    {
                        var parsed = ParseObject(text);
                        if (parsed != null && (bool?)parsed["success"] != false) return parsed;
                    }

                    var error = failure as HeadshotProApiException ?? ErrorFrom(method, path, status!.Value, text);
                    error.AfterUncertainAttempt = uncertain;

                    if (error.Kind == ApiErrorKind.RateLimitRetriesExhausted)
                    {
                        var delay = Max(RetryAfter(response!) ?? UntilReset() ?? Backoff(1), MinimumRateLimitWait);
                        if (delay > waitBudget)
                            throw new HeadshotProApiException(ApiErrorKind.RateLimitRetriesExhausted,
                                $"{error.Message} Still rate limited after waiting {(maxRetryWait - waitBudget).TotalSeconds:0} s; the next wait ({delay.TotalSeconds:0} s) would pass -MaxRetryWaitSec ({maxRetryWait.TotalSeconds:0} s).",
                                status, error.Code, error.ServerMessage) { AfterUncertainAttempt = uncertain };
                        _pacer.BlockUntil(DateTime.UtcNow + delay);
                        attempt--;
                        continue;
                    }

                    if (!IsTransient(error) || attempt >= MaxAttempts) throw error;

                    // A timeout, a dropped connection or a 5xx may have been processed; a 408 or a refused connection was not, but we cannot always tell.
                    uncertain = true;
                    var backoff = (response != null ? RetryAfter(response) : null) ?? Backoff(attempt);
                    observer?.Waiting($"retry {attempt + 1} of {MaxAttempts} after {Describe(error)}", backoff);
                    await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

        private static bool IsTransient(HeadshotProApiException e) =>
            e.Kind == ApiErrorKind.TimedOut || e.Kind == ApiErrorKind.ConnectionFailed ||
            e.StatusCode == 408 || e.StatusCode == 500 || e.StatusCode == 502 || e.StatusCode == 503 || e.StatusCode == 504;

        private static string Describe(HeadshotProApiException e) =>
            e.StatusCode is int s ? "HTTP " + s.ToString(CultureInfo.InvariantCulture) : e.Kind == ApiErrorKind.TimedOut ? "a timeout" : "a connection failure";

        private TimeSpan? UntilReset()
        {
            var reset = _pacer.ResetUtc;
            if (reset == null) return null;
            var delay = reset.Value - DateTime.UtcNow;
            return delay > TimeSpan.Zero ? delay : (TimeSpan?)null;
        }

        private static TimeSpan? RetryAfter(HttpResponseMessage response)
        {
            var header = response.Headers.RetryAfter;
            if (header == null) return null;
            var delay = header.Delta ?? (header.Date.HasValue ? header.Date.Value - DateTimeOffset.UtcNow : (TimeSpan?)null);
            return delay.HasValue && delay.Value < TimeSpan.Zero ? TimeSpan.Zero : delay;
        }

        /// <summary>Full jitter: a random wait up to min(cap, base × 2^(attempt−1)).</summary>
        private TimeSpan Backoff(int attempt)
        {
            var ceiling = Math.Min(BackoffCap.TotalMilliseconds, BackoffBase.TotalMilliseconds * Math.Pow(2, attempt - 1));
            double fraction;
            lock (_jitter) fraction = _jitter.NextDouble();
            return TimeSpan.FromMilliseconds(ceiling * fraction);
        }

        private static JObject? ParseObject(string text)
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

        private static HeadshotProApiException ErrorFrom(HttpMethod method, string path, int status, string text)
        {
            var json = ParseObject(text);
            var code = (string?)json?["code"];
            var serverMessage = json != null ? (string?)json["error"] ?? (string?)json["message"] : Excerpt(text);
            var kind = KindOf(status, code);
            var said = serverMessage != null ? ": " + serverMessage : (text.Length == 0 ? " with an empty body" : "");
            var message = $"{method} {path} answered HTTP {status.ToString(CultureInfo.InvariantCulture)}{(code != null ? " " + code : "")}{said}";
            return new HeadshotProApiException(kind, message, status, code, serverMessage);
        }

        private static ApiErrorKind KindOf(int status, string? code)
        {
            switch (code)
            {
                case "ALREADY_EXISTS": return ApiErrorKind.AlreadyExists;
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
                case 429: return ApiErrorKind.RateLimitRetriesExhausted;
                default: return status >= 500 ? ApiErrorKind.ServerError : ApiErrorKind.UnexpectedResponse;
            }
        }

        private static readonly Regex Whitespace = new Regex(@"\s+");

        /// <summary>The first 200 characters of a non-JSON body (an HTML error page from a proxy), on one line.</summary>
        private static string? Excerpt(string text)
        {
            var flat = Whitespace.Replace(text, " ").Trim();
            if (flat.Length == 0) return null;
            return flat.Length <= 200 ? flat : flat.Substring(0, 200) + "…";
        }

        private static string InnermostMessage(Exception e)
        {
            while (e.InnerException != null) e = e.InnerException;
            return e.Message;
        }

        private static HeadshotProApiException Unexpected(string message, int status) =>
            new HeadshotProApiException(ApiErrorKind.UnexpectedResponse, message, status);

        public void Dispose() => _http.Dispose();
    }
}

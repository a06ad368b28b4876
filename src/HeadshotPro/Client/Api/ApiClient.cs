using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using HeadshotPro.Client.Transport;
using Newtonsoft.Json.Linq;

namespace HeadshotPro.Client.Api
{
    /// <summary>
    /// What the per-resource clients share: the one transport (pacing, retries, error mapping all live there), v1
    /// paths relative to the v1 base, v2 paths made absolute on the v2 base, and reading JSON values.
    /// </summary>
    public abstract class ApiClient
    {
        private protected static readonly HttpMethod Get = HttpMethod.Get;
        private protected static readonly HttpMethod Post = HttpMethod.Post;
        private protected static readonly HttpMethod Put = HttpMethod.Put;
        private protected static readonly HttpMethod Delete = new HttpMethod("DELETE");

        private protected ApiClient(ApiTransport transport, ClientSettings settings)
        {
            Transport = transport;
            Settings = settings;
        }

        private protected ApiTransport Transport { get; }
        private protected ClientSettings Settings { get; }

        /// <summary>A v1 request: <paramref name="path"/> is relative to the v1 base.</summary>
        private protected Task<JObject> V1Async(HttpMethod method, string path, JObject? body, RequestOptions? options, CancellationToken cancellationToken) =>
            Transport.SendAsync(method, path, body, options, cancellationToken);

        /// <summary>A v2 request through the same transport, as an absolute address; the answer unwrapped from any <c>data</c> envelope.</summary>
        private protected async Task<JObject> V2Async(HttpMethod method, string path, JObject? body, RequestOptions? options, CancellationToken cancellationToken)
        {
            var target = new Uri(Settings.V2BaseUri, path).AbsoluteUri;
            return Envelope.Unwrap(await Transport.SendAsync(method, target, body, options, cancellationToken).ConfigureAwait(false));
        }

        /// <summary>One page of a v2 list.</summary>
        private protected async Task<Page<T>> V2PageAsync<T>(string path, string listName, Func<JObject, T> map, int offset, int limit,
            RequestOptions? options, CancellationToken cancellationToken, params (string Name, string? Value)[] query)
        {
            var pairs = query.Concat(new (string, string?)[] { ("limit", Paging.Number(limit)), ("offset", Paging.Number(offset)) }).ToArray();
            var body = await V2Async(Get, path + Paging.Query(pairs), null, options, cancellationToken).ConfigureAwait(false);
            return Paging.Read(body, listName, map, offset);
        }

        internal static string Segment(string value) => Uri.EscapeDataString(value);

        internal static string? Text(JToken? token) => token == null || token.Type == JTokenType.Null ? null : (string?)token;

        /// <summary>A time from the API as the module writes every time: a DateTimeOffset in this computer's time zone.</summary>
        internal static DateTimeOffset? DateOf(JToken? token)
        {
            if (token == null || token.Type == JTokenType.Null) return null;
            if (token.Type == JTokenType.Date) return new DateTimeOffset(((DateTime)token).ToUniversalTime()).ToLocalTime();
            return DateTimeOffset.TryParse((string?)token, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? at.ToLocalTime() : (DateTimeOffset?)null;
        }

        /// <summary>A GET of a v1 route the API always has: a 404 there means the base URI is wrong, not that something is missing.</summary>
        private protected async Task<JObject> V1AlwaysThereAsync(string path, RequestOptions? options, CancellationToken cancellationToken)
        {
            try
            {
                return await V1Async(Get, path, null, options, cancellationToken).ConfigureAwait(false);
            }
            catch (HeadshotProApiException e) when (e.Kind == ApiErrorKind.NotFound)
            {
                throw ApiTransport.NotTheApi(e);
            }
        }

        internal static HeadshotProApiException Unexpected(string message) =>
            new HeadshotProApiException(ApiErrorKind.UnexpectedResponse, message, 200);

        internal static Team TeamOf(JObject t) => new Team { Id = Text(t["id"]) ?? "", Name = Text(t["name"]) ?? "" };

        internal static Organization OrganizationOf(JObject body)
        {
            var org = body["organization"] as JObject ?? throw Unexpected("The organization answer has no 'organization' object.");
            return new Organization
            {
                Uid = Text(org["uid"]),
                Name = Text(org["name"]),
                Website = Text(org["website"]),
                Teams = (org["teams"] as JArray ?? new JArray()).OfType<JObject>().Select(TeamOf).ToList(),
            };
        }

        private protected static IReadOnlyList<T> ListOf<T>(JObject body, string name, Func<JObject, T> map) =>
            (body[name] as JArray ?? throw Unexpected($"The answer has no '{name}' array.")).OfType<JObject>().Select(map).ToList();
    }
}

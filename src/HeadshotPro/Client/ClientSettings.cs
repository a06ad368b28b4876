using System;
using System.Net;

namespace HeadshotPro.Client
{
    public sealed class ClientSettings
    {
        public static readonly Uri DefaultBaseUri = new Uri("https://server.headshotpro.com/api/v1/");

        public ClientSettings(Uri baseUri, string apiKey)
        {
            (BaseUri, V2BaseUri, ApiRoot) = Versions(baseUri);
            ApiKey = apiKey;
        }

        /// <summary>The v1 base (<c>…/api/v1/</c>): v1 paths are relative to it.</summary>
        public Uri BaseUri { get; }

        /// <summary>The v2 base (<c>…/api/v2/</c>): v2 paths (<c>organization/team</c>, …) are relative to it.</summary>
        public Uri V2BaseUri { get; }

        /// <summary>What both versions' bases share (<c>…/api/</c>), for showing a request's target.</summary>
        public Uri ApiRoot { get; }

        /// <summary>
        /// The v1 and v2 bases from what was given: a v1 base (<c>…/v1/</c>) has its v2 sibling (<c>…/v2/</c>); an API root
        /// (<c>…/api/</c>) has both below it; a v2 base (<c>…/api/v2/</c>, or its <c>organization/</c>) has its v1 sibling;
        /// any other address is taken as the v1 base, with <c>v2/</c> beside it.
        /// </summary>
        internal static (Uri V1, Uri V2, Uri Root) Versions(Uri given)
        {
            var text = given.AbsoluteUri;
            if (!text.EndsWith("/", StringComparison.Ordinal)) given = new Uri(text + "/");
            var segments = given.AbsolutePath.TrimEnd('/').Split('/');
            var last = segments[segments.Length - 1];
            if (string.Equals(last, "organization", StringComparison.OrdinalIgnoreCase) && segments.Length >= 2 &&
                string.Equals(segments[segments.Length - 2], "v2", StringComparison.OrdinalIgnoreCase))
                return Versions(new Uri(given, "../"));
            if (string.Equals(last, "v2", StringComparison.OrdinalIgnoreCase))
                return Versions(new Uri(given, "../"));
            if (string.Equals(last, "api", StringComparison.OrdinalIgnoreCase))
                return (new Uri(given, "v1/"), new Uri(given, "v2/"), given);
            var root = given.AbsolutePath == "/" ? given : new Uri(given, "../");
            return (given, new Uri(root, "v2/"), root);
        }

        /// <summary>The key. Never printed: <see cref="ToString"/> leaves it out.</summary>
        internal string ApiKey { get; }

        public string ApiKeyHint => ApiKey.Length <= 4 ? "****" : "****" + ApiKey.Substring(ApiKey.Length - 4);

        /// <summary>Per attempt, not per request: a request may make up to four attempts.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

        /// <summary>The most a single request may wait for the rate limit in all.</summary>
        public TimeSpan MaxRetryWait { get; set; } = TimeSpan.FromSeconds(300);

        /// <summary>A proxy for every request; null uses the system's (as Invoke-RestMethod does).</summary>
        public Uri? Proxy { get; set; }
        public ICredentials? ProxyCredential { get; set; }

        /// <summary>Sign in to the proxy as the current Windows user (NTLM/Kerberos).</summary>
        public bool ProxyUseDefaultCredentials { get; set; }

        public override string ToString() => BaseUri.ToString();
    }
}

using System;
using System.Net;

namespace HeadshotPro.Client
{
    public sealed class ClientSettings
    {
        public static readonly Uri DefaultBaseUri = new Uri("https://server.headshotpro.com/api/v1/");

        public ClientSettings(Uri baseUri, string apiKey)
        {
            BaseUri = baseUri;
            ApiKey = apiKey;
        }

        public Uri BaseUri { get; }

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

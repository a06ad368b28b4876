using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace HeadshotPro.Client.Transport
{
    /// <summary>
    /// The HttpClient for the photo host (the vendor's CDN), shared by every session of the process that goes through the
    /// same proxy, as <see cref="SharedConnection"/> is for the API. It has no Authorization header and no key: it is keyed
    /// by the proxy settings only, so it cannot carry the API key anywhere. Redirects are not followed by the handler (the
    /// downloader follows a few itself, never from https to http). Responses are read as sent (no automatic
    /// decompression), so a body can be checked against its Content-Length. No rate-limit pacer: the CDN has none.
    /// </summary>
    internal sealed class PhotoHostConnection
    {
        private static readonly Dictionary<string, PhotoHostConnection> Registry = new Dictionary<string, PhotoHostConnection>(StringComparer.Ordinal);

        private readonly string _registryKey;
        private int _users;

        private PhotoHostConnection(string registryKey, ClientSettings settings)
        {
            _registryKey = registryKey;
            var handler = SharedConnection.HandlerFor(settings, ServicePointManager.SecurityProtocol);
            handler.AutomaticDecompression = DecompressionMethods.None;
            handler.AllowAutoRedirect = false;
            handler.UseCookies = false;
            handler.PreAuthenticate = false;
            Http = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            Http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("HeadshotPro-PowerShell",
                typeof(PhotoHostConnection).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"));
            Http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("image/jpeg"));
            Http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("image/*", 0.8));
            Http.DefaultRequestHeaders.ExpectContinue = false;
        }

        public HttpClient Http { get; }

        /// <summary>How many photo-host connections are in use (for tests: a closed runspace leaves nothing behind).</summary>
        internal static int Count
        {
            get { lock (Registry) return Registry.Count; }
        }

        public static PhotoHostConnection Acquire(ClientSettings settings)
        {
            var key = RegistryKey(settings);
            lock (Registry)
            {
                if (!Registry.TryGetValue(key, out var shared)) Registry[key] = shared = new PhotoHostConnection(key, settings);
                shared._users++;
                return shared;
            }
        }

        public void Release()
        {
            lock (Registry)
            {
                if (--_users > 0) return;
                Registry.Remove(_registryKey);
            }
            Http.Dispose();
        }

        /// <summary>A digest of the proxy settings only: the API key and base are no part of a photo-host connection.</summary>
        private static string RegistryKey(ClientSettings settings)
        {
            var credential = settings.ProxyCredential?.GetCredential(settings.Proxy ?? settings.BaseUri, "Basic");
            var text = string.Join("\n", settings.Proxy?.AbsoluteUri ?? "", settings.ProxyUseDefaultCredentials ? "default-credentials" : "",
                credential?.Domain ?? "", credential?.UserName ?? "", credential?.Password ?? "");
            using (var sha = SHA256.Create()) return Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(text)));
        }
    }
}

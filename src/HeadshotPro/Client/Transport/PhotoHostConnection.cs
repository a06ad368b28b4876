using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;

namespace HeadshotPro.Client.Transport
{
    /// <summary>
    /// The HttpClient for the photo host (the vendor's CDN), shared by every session of the process that goes through the
    /// same proxy, as <see cref="SharedConnection"/> is for the API. It has no Authorization header and no key: it is keyed
    /// by the proxy settings only, so it cannot carry the API key anywhere. Redirects are not followed by the handler (the
    /// downloader follows a few itself, never from https to http). Responses are read as sent (no automatic
    /// decompression), so a body can be checked against its Content-Length. No rate-limit pacer: the CDN has none.
    /// </summary>
    internal sealed class PhotoHostConnection : IDisposable
    {
        private static readonly SharedRegistry<PhotoHostConnection> Registry = new SharedRegistry<PhotoHostConnection>();

        private readonly string _registryKey;

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
        internal static int Count => Registry.Count;

        /// <summary>Keyed by the proxy settings only: the API key and base are no part of a photo-host connection.</summary>
        public static PhotoHostConnection Acquire(ClientSettings settings)
        {
            var key = SharedRegistry<PhotoHostConnection>.Digest(settings);
            return Registry.Acquire(key, () => new PhotoHostConnection(key, settings));
        }

        public void Release() => Registry.Release(_registryKey);

        void IDisposable.Dispose() => Http.Dispose();
    }
}

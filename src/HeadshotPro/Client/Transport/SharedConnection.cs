using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Threading;

namespace HeadshotPro.Client.Transport
{
    /// <summary>
    /// What every session of a process with the same base URI, key and proxy shares: one HttpClient, one pacer and one
    /// view of the server's clock — so parallel runspaces spend one rate-limit budget. Counted by its users and disposed when the last one lets go. The registry is the module's only mutable
    /// static state.
    /// </summary>
    internal sealed class SharedConnection : IDisposable
    {
        private static readonly SharedRegistry<SharedConnection> Registry = new SharedRegistry<SharedConnection>();

        private readonly string _registryKey;

        private SharedConnection(string registryKey, ClientSettings settings)
        {
            _registryKey = registryKey;
            Clock = new ServerClock();
            Pacer = new RateLimitPacer(Clock);
            Http = new HttpClient(HandlerFor(settings, ServicePointManager.SecurityProtocol)) { BaseAddress = settings.BaseUri, Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", settings.ApiKey);
            Http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("HeadshotPro-PowerShell",
                typeof(SharedConnection).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"));
            Http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            Http.DefaultRequestHeaders.ExpectContinue = false;
        }

        public HttpClient Http { get; }
        public ServerClock Clock { get; }
        public RateLimitPacer Pacer { get; }

        /// <summary>Whether the service can be reached, from every session's attempts.</summary>
        public Reachability Reachability { get; } = new Reachability();

        private int _keyAccepted;

        /// <summary>
        /// How many times Connect-HeadshotPro has had the key accepted: a session that had it rejected earlier (one 401,
        /// perhaps a gateway's) sends again once this moves on.
        /// </summary>
        public int KeyAccepted => Volatile.Read(ref _keyAccepted);

        public void AcceptKey() => Interlocked.Increment(ref _keyAccepted);

        /// <summary>How many sessions use connections right now (for tests: a closed runspace leaves nothing behind).</summary>
        internal static int Count => Registry.Count;

        public static SharedConnection Acquire(ClientSettings settings)
        {
            var key = SharedRegistry<SharedConnection>.Digest(settings, settings.BaseUri.AbsoluteUri, settings.ApiKey);
            return Registry.Acquire(key, () => new SharedConnection(key, settings));
        }

        public void Release() => Registry.Release(_registryKey);

        void IDisposable.Dispose() => Http.Dispose();

        /// <summary>
        /// The handler, with every setting on it rather than on the process: redirects off, as many connections as
        /// -ThrottleLimit allows, the system proxy (never for this computer) unless one is given, and TLS 1.2 only where
        /// the process excludes it.
        /// </summary>
        internal static HttpClientHandler HandlerFor(ClientSettings settings, SecurityProtocolType processProtocols)
        {
            var handler = new HttpClientHandler
            {
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                AllowAutoRedirect = false,
                MaxConnectionsPerServer = ApiTransport.MostConcurrentRequests,
            };
            var protocols = TlsProtocolsFor(processProtocols);
            if (protocols != SslProtocols.None) handler.SslProtocols = protocols;
            if (settings.Proxy != null)
            {
                // WebProxy.UseDefaultCredentials sets Credentials: one or the other.
                handler.Proxy = settings.ProxyUseDefaultCredentials
                    ? new WebProxy(settings.Proxy) { UseDefaultCredentials = true }
                    : new WebProxy(settings.Proxy) { Credentials = settings.ProxyCredential };
                handler.UseProxy = true;
            }
            else
            {
                handler.Proxy = new SystemProxyExceptLoopback(settings.ProxyUseDefaultCredentials ? CredentialCache.DefaultCredentials : null);
            }
            return handler;
        }

        /// <summary>
        /// The system's proxy, read at each request, but never for this computer. .NET on Linux and macOS sends even
        /// loopback through HTTP_PROXY / HTTPS_PROXY / ALL_PROXY (Windows and .NET Framework bypass it), which would take
        /// a local sandbox's requests — key in clear — to another host, and fail when that proxy is gone.
        /// </summary>
        internal sealed class SystemProxyExceptLoopback : IWebProxy
        {
            private readonly ICredentials? _credentials;

            public SystemProxyExceptLoopback(ICredentials? credentials) => _credentials = credentials;

            public ICredentials? Credentials
            {
                get => _credentials ?? WebRequest.DefaultWebProxy?.Credentials;
                set => throw new NotSupportedException();
            }

            public Uri? GetProxy(Uri destination) => IsBypassed(destination) ? null : WebRequest.DefaultWebProxy?.GetProxy(destination);

            public bool IsBypassed(Uri host) => host.IsLoopback || WebRequest.DefaultWebProxy == null || WebRequest.DefaultWebProxy.IsBypassed(host);
        }

        /// <summary>
        /// The TLS versions to ask of this handler, or None to leave the choice to the process and the OS. Only a process
        /// that lists its versions explicitly and leaves TLS 1.2 out (old .NET Framework defaults: Ssl3 | Tls) gets TLS
        /// 1.2 added for this handler; SystemDefault, and any list that has TLS 1.2, are left alone.
        /// </summary>
        internal static SslProtocols TlsProtocolsFor(SecurityProtocolType processProtocols)
        {
            if (processProtocols == 0 || (processProtocols & SecurityProtocolType.Tls12) != 0) return SslProtocols.None;
            return SslProtocols.Tls12;
        }
    }
}

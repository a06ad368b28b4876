using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HeadshotPro.Client.Api;
using HeadshotPro.Client.Transport;

namespace HeadshotPro.Client
{
    /// <summary>
    /// One session's way to the HeadshotPro API: one transport (one key, one pacer shared per base, key and proxy, one
    /// rate-limit budget for v1 and v2) and the per-resource clients on it. Knows nothing of PowerShell. Safe for
    /// concurrent calls. The v1 methods here are kept for the invite cmdlets; they are the <see cref="Invites"/> and
    /// <see cref="Organization"/> clients' own.
    /// </summary>
    public sealed class HeadshotProClient : IDisposable
    {
        public const int MaxAttempts = ApiTransport.MaxAttempts;
        public const int MostConcurrentRequests = ApiTransport.MostConcurrentRequests;

        private readonly ApiTransport _transport;
        private readonly object _downloadsGate = new object();
        private PhotoHostConnection? _photoHost;
        private PhotoDownloader? _downloads;
        private bool _disposed;

        public HeadshotProClient(ClientSettings settings)
        {
            Settings = settings;
            _transport = new ApiTransport(settings);
            Invites = new InvitesClient(_transport, settings);
            Organization = new OrganizationClient(_transport, settings);
            Members = new MembersClient(_transport, settings);
            Models = new ModelsClient(_transport, settings);
            Photos = new PhotosClient(_transport, settings);
        }

        public ClientSettings Settings { get; }

        public InvitesClient Invites { get; }

        /// <summary>The organization, credits and teams.</summary>
        public OrganizationClient Organization { get; }
        public MembersClient Members { get; }
        public ModelsClient Models { get; }
        public PhotosClient Photos { get; }

        /// <summary>
        /// Saves photos to files through the photo-host connection (made on first use, shared per proxy, never with the
        /// API key); expired links are refreshed through <see cref="Photos"/>.
        /// </summary>
        public PhotoDownloader Downloads
        {
            get
            {
                lock (_downloadsGate)
                {
                    if (_disposed) throw new ObjectDisposedException(nameof(HeadshotProClient));
                    if (_downloads == null)
                    {
                        _photoHost = PhotoHostConnection.Acquire(Settings);
                        _downloads = new PhotoDownloader(_photoHost, Photos, Settings.Timeout);
                    }
                    return _downloads;
                }
            }
        }

        /// <summary>The rate-limit window as last seen: requests left and when it resets (local UTC), if the server said.</summary>
        public (int Remaining, DateTime ResetUtc)? RateLimitWindow => _transport.Pacer.Window;

        /// <summary>How well the server's clock is known: the width of the bound on its offset from ours.</summary>
        internal TimeSpan? ServerClockUncertainty => _transport.Clock.Uncertainty;

        /// <summary>
        /// Checks the key by reading the organization it belongs to, as Connect-HeadshotPro does; once it is accepted, a
        /// rejection that any session sharing this connection holds (one 401, perhaps a gateway's) is cleared.
        /// </summary>
        public async Task<Organization> ConnectAsync(CancellationToken cancellationToken, RequestOptions? options = null)
        {
            var organization = await Organization.GetAsync(cancellationToken, options).ConfigureAwait(false);
            _transport.AcceptKey();
            return organization;
        }

        public Task<decimal> GetCreditsAsync(CancellationToken cancellationToken, RequestOptions? options = null) =>
            Organization.GetCreditsAsync(cancellationToken, options);

        public Task<Organization> GetOrganizationAsync(CancellationToken cancellationToken, RequestOptions? options = null) =>
            Organization.GetAsync(cancellationToken, options);

        /// <inheritdoc cref="InvitesClient.CreateAsync"/>
        public Task<Invite> CreateInviteAsync(string email, string? teamId, CancellationToken cancellationToken, RequestOptions? options = null) =>
            Invites.CreateAsync(email, teamId, cancellationToken, options);

        /// <inheritdoc cref="InvitesClient.RevokeAsync"/>
        public Task RevokeInviteAsync(string email, CancellationToken cancellationToken, RequestOptions? options = null) =>
            Invites.RevokeAsync(email, cancellationToken, options);

        /// <inheritdoc cref="InvitesClient.ListAsync"/>
        public Task<IReadOnlyList<Invite>> ListInvitesAsync(CancellationToken cancellationToken, RequestOptions? options = null) =>
            Invites.ListAsync(cancellationToken, options);

        public Task<Invite?> FindLiveInviteAsync(string email, CancellationToken cancellationToken, RequestOptions? options = null) =>
            Invites.FindLiveAsync(email, cancellationToken, options);


        public void Dispose()
        {
            lock (_downloadsGate)
            {
                if (_disposed) return;
                _disposed = true;
                _photoHost?.Release();
            }
            _transport.Dispose();
        }
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using HeadshotPro.Client.Transport;
using Newtonsoft.Json.Linq;

namespace HeadshotPro.Client
{
    /// <summary>
    /// The HeadshotPro v1 API: paths and JSON onto models, and what a retried request means for an invite.
    /// Knows nothing of PowerShell. One instance per session; safe for concurrent calls.
    /// </summary>
    public sealed class HeadshotProClient : IDisposable
    {
        public const int MaxAttempts = ApiTransport.MaxAttempts;
        public const int MostConcurrentRequests = ApiTransport.MostConcurrentRequests;
        /// <summary>Slack for the server's rounding when deciding whether an invite was made after a request was sent.</summary>
        private static readonly TimeSpan CreatedAtSlack = TimeSpan.FromSeconds(1);
        private static readonly HttpMethod Post = HttpMethod.Post;
        private static readonly HttpMethod Get = HttpMethod.Get;

        private readonly ApiTransport _transport;
        private volatile bool _creditsViaGet;

        public HeadshotProClient(ClientSettings settings)
        {
            Settings = settings;
            _transport = new ApiTransport(settings);
        }

        public ClientSettings Settings { get; }

        /// <summary>The rate-limit window as last seen: requests left and when it resets (local UTC), if the server said.</summary>
        public (int Remaining, DateTime ResetUtc)? RateLimitWindow => _transport.Pacer.Window;

        public async Task<int> GetCreditsAsync(CancellationToken cancellationToken, RequestOptions? options = null)
        {
            JObject body;
            if (_creditsViaGet)
            {
                body = await _transport.SendAsync(Get, "organization/credits", null, options, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                try
                {
                    body = await _transport.SendAsync(Post, "organization/credits", null, options, cancellationToken).ConfigureAwait(false);
                }
                catch (HeadshotProApiException e) when (e.StatusCode == 405 || e.Kind == ApiErrorKind.NotFound)
                {
                    // The seed documents POST, the later reference GET: use whichever this server answers, from now on.
                    try
                    {
                        body = await _transport.SendAsync(Get, "organization/credits", null, options, cancellationToken).ConfigureAwait(false);
                    }
                    catch (HeadshotProApiException missing) when (missing.Kind == ApiErrorKind.NotFound)
                    {
                        throw ApiTransport.NotTheApi(missing);
                    }
                    _creditsViaGet = true;
                }
            }
            var credits = body["credits"];
            if (credits == null || (credits.Type != JTokenType.Integer && credits.Type != JTokenType.Float))
                throw Unexpected("The credits answer has no 'credits' number.");
            return (int)credits;
        }

        public async Task<Organization> GetOrganizationAsync(CancellationToken cancellationToken, RequestOptions? options = null)
        {
            var body = await AlwaysThereAsync("organization", options, cancellationToken).ConfigureAwait(false);
            var org = body["organization"] as JObject ?? throw Unexpected("The organization answer has no 'organization' object.");
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
        /// Invites one address. When an attempt may have gone through unseen (a timeout, a dropped connection, a 5xx),
        /// the outcome is settled by looking the address up: an invite made after the first attempt (by the server's
        /// clock) is this request's; an older one is <see cref="ApiErrorKind.AlreadyExists"/>; a look-up that fails too
        /// leaves the outcome unknown, and the error says so.
        /// </summary>
        public async Task<Invite> CreateInviteAsync(string email, string? teamId, CancellationToken cancellationToken, RequestOptions? options = null)
        {
            var request = new JObject { ["email"] = email };
            if (teamId != null) request["teamId"] = teamId;
            JObject body;
            try
            {
                body = await _transport.SendAsync(Post, "organization/invite", request, options, cancellationToken).ConfigureAwait(false);
            }
            catch (HeadshotProApiException e) when (e.Kind == ApiErrorKind.AlreadyExists && e.AfterUncertainAttempt || e.MayHaveBeenProcessed && e.Kind != ApiErrorKind.AlreadyExists)
            {
                var since = _transport.Clock.ToServerEarliest(e.FirstAttemptUtc) - CreatedAtSlack;
                var (found, live) = await SettleAsync(email, e, "may have been invited; run again with -SkipExisting to reconcile", cancellationToken, options).ConfigureAwait(false);
                if (found != null && found.CreatedAt?.UtcDateTime >= since) return found;
                if (live == null) throw;
                throw e.Kind == ApiErrorKind.AlreadyExists ? e : AlreadyInvited(email, live);
            }
            var id = (string?)body["id"] ?? throw Unexpected("The invite answer has no 'id'.");
            return new Invite
            {
                Id = id,
                Email = (string?)body["input"]?["email"] ?? email,
                Status = "pending-invite",
                Link = (string?)body["link"],
                TeamId = (string?)body["teamId"] ?? teamId,
                CreatedAt = DateTimeOffset.Now,
            };
        }

        /// <summary>
        /// Revokes the open invite of one address. After an attempt that may have gone through unseen, no live invite
        /// left means it is done; a look-up that fails too leaves the outcome unknown, and the error says so.
        /// </summary>
        public async Task RevokeInviteAsync(string email, CancellationToken cancellationToken, RequestOptions? options = null)
        {
            try
            {
                await _transport.SendAsync(Post, "organization/invite/revoke", new JObject { ["email"] = email }, options, cancellationToken).ConfigureAwait(false);
            }
            catch (HeadshotProApiException e) when (e.Kind == ApiErrorKind.NotFound && e.AfterUncertainAttempt)
            {
            }
            catch (HeadshotProApiException e) when (e.MayHaveBeenProcessed && e.Kind != ApiErrorKind.NotFound)
            {
                var (_, live) = await SettleAsync(email, e, "may have been revoked; Get-HeadshotInvite shows its status", cancellationToken, options).ConfigureAwait(false);
                if (live != null) throw;
            }
        }

        /// <summary>
        /// One look-up of an address after an uncertain request, given its own full set of attempts twice over:
        /// the newest invite of the address, and the live one if any. A rejected key or a stop is passed on as it is.
        /// </summary>
        private async Task<(Invite? Newest, Invite? Live)> SettleAsync(string email, HeadshotProApiException uncertain, string unknownOutcome,
            CancellationToken cancellationToken, RequestOptions? options)
        {
            var lookup = options?.WithoutVeto();
            for (var round = 1; ; round++)
            {
                try
                {
                    var all = await ListInvitesAsync(cancellationToken, lookup).ConfigureAwait(false);
                    var mine = all.Where(i => string.Equals(i.Email, email, StringComparison.OrdinalIgnoreCase)).ToList();
                    return (mine.LastOrDefault(), mine.LastOrDefault(i => IsLive(i.Status)));
                }
                catch (HeadshotProApiException e) when (e.Kind != ApiErrorKind.Unauthorized)
                {
                    if (round < 2 && e.MayHaveBeenProcessed) continue;
                    throw uncertain.Rephrased($"{uncertain.Message} Looking the address up afterwards failed too ({e.Message}), so {email} {unknownOutcome}.", outcomeUnknown: true);
                }
            }
        }

        private static HeadshotProApiException AlreadyInvited(string email, Invite existing) =>
            new HeadshotProApiException(ApiErrorKind.AlreadyExists,
                $"{email} already had an invite{(existing.CreatedAt is DateTimeOffset at ? " made " + at.ToString("u", CultureInfo.InvariantCulture) : "")} (id {existing.Id}), before this request.",
                400, "ALREADY_EXISTS");

        public async Task<Invite> GetInviteAsync(string id, CancellationToken cancellationToken, RequestOptions? options = null)
        {
            var body = await _transport.SendAsync(Get, "organization/invite/id/" + Uri.EscapeDataString(id), null, options, cancellationToken).ConfigureAwait(false);
            var invite = body["invite"] as JObject ?? throw Unexpected("The invite answer has no 'invite' object.");
            return new Invite { Id = id, Email = (string?)invite["email"] ?? "", Status = (string?)invite["status"] };
        }

        /// <summary>
        /// Every invite of the organization, in the server's order. The list carries <c>valid</c> and <c>used</c> rather
        /// than a status; where those cannot tell the status (a used, still valid invite), <see cref="Invite.Status"/> is null.
        /// </summary>
        public async Task<IReadOnlyList<Invite>> ListInvitesAsync(CancellationToken cancellationToken, RequestOptions? options = null)
        {
            var body = await AlwaysThereAsync("organization/invites", options, cancellationToken).ConfigureAwait(false);
            var items = body["invites"] as JArray ?? throw Unexpected("The list answer has no 'invites' array.");
            return items.OfType<JObject>().Select(ListedInvite).ToList();
        }

        public async Task<Invite?> FindLiveInviteAsync(string email, CancellationToken cancellationToken, RequestOptions? options = null)
        {
            var all = await ListInvitesAsync(cancellationToken, options).ConfigureAwait(false);
            return all.LastOrDefault(i => string.Equals(i.Email, email, StringComparison.OrdinalIgnoreCase) && IsLive(i.Status));
        }

        /// <summary>An invite that blocks a new one for its address: anything but revoked or deleted.</summary>
        public static bool IsLive(string? status) => status != "revoked" && status != "deleted";

        /// <summary>Whether the person has used the invite: then the API gives their active address rather than the invited one.</summary>
        public static bool IsUsed(string? status) => status != "pending-invite" && status != "revoked";

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
                CreatedAt = created?.Type == JTokenType.Date ? new DateTimeOffset(((DateTime)created).ToUniversalTime()).ToLocalTime()
                    : DateTimeOffset.TryParse((string?)created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at.ToLocalTime() : (DateTimeOffset?)null,
            };
        }

        /// <summary>A GET of a route the API always has: a 404 there means the base URI is wrong, not that something is missing.</summary>
        private async Task<JObject> AlwaysThereAsync(string path, RequestOptions? options, CancellationToken cancellationToken)
        {
            try
            {
                return await _transport.SendAsync(Get, path, null, options, cancellationToken).ConfigureAwait(false);
            }
            catch (HeadshotProApiException e) when (e.Kind == ApiErrorKind.NotFound)
            {
                throw ApiTransport.NotTheApi(e);
            }
        }

        private static HeadshotProApiException Unexpected(string message) =>
            new HeadshotProApiException(ApiErrorKind.UnexpectedResponse, message, 200);

        public void Dispose() => _transport.Dispose();
    }
}

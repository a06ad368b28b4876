using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HeadshotPro.Client.Transport;
using Newtonsoft.Json.Linq;

namespace HeadshotPro.Client.Api
{
    /// <summary>Invites (API v1, and v2's list): paths and JSON onto <see cref="Invite"/>, and what a retried request means for an invite.</summary>
    public sealed class InvitesClient : ApiClient
    {
        /// <summary>"Invite links expire after 30 days" (the vendor's invites page): an invite's expiry when the API does not say.</summary>
        public static readonly TimeSpan LinkLifetime = TimeSpan.FromDays(30);

        /// <summary>Slack for the server's rounding when deciding whether an invite was made after a request was sent.</summary>
        private static readonly TimeSpan CreatedAtSlack = TimeSpan.FromSeconds(1);

        internal InvitesClient(ApiTransport transport, ClientSettings settings) : base(transport, settings) { }

        /// <summary>
        /// Invites one address. When an attempt may have gone through unseen (a timeout, a dropped connection, a 5xx),
        /// the outcome is settled by looking the address up: an invite made after the first attempt (by the server's
        /// clock) is this request's; an older one is <see cref="ApiErrorKind.AlreadyExists"/>; a look-up that fails too
        /// leaves the outcome unknown, and the error says so.
        /// </summary>
        public async Task<Invite> CreateAsync(string email, string? teamId, CancellationToken cancellationToken, RequestOptions? options = null)
        {
            var request = new JObject { ["email"] = email };
            if (teamId != null) request["teamId"] = teamId;
            JObject body;
            try
            {
                body = await V1Async(Post, "organization/invite", request, options, cancellationToken).ConfigureAwait(false);
            }
            catch (HeadshotProApiException e) when (e.Kind == ApiErrorKind.AlreadyExists && e.AfterUncertainAttempt || e.MayHaveBeenProcessed && e.Kind != ApiErrorKind.AlreadyExists)
            {
                var since = Transport.Clock.ToServerEarliest(e.FirstAttemptUtc) - CreatedAtSlack;
                var (found, live) = await SettleAsync(email, e, "may have been invited; run again with -SkipExisting to reconcile", cancellationToken, options).ConfigureAwait(false);
                if (found != null && found.CreatedAt?.UtcDateTime >= since) return found;
                if (live == null) throw;
                throw e.Kind == ApiErrorKind.AlreadyExists ? e : AlreadyInvited(email, live);
            }
            var id = (string?)body["id"] ?? throw Unexpected("The invite answer has no 'id'.");
            var now = DateTimeOffset.Now;
            return new Invite
            {
                Id = id,
                Email = (string?)body["input"]?["email"] ?? email,
                Status = InviteStatus.Pending,
                Link = (string?)body["link"],
                TeamId = (string?)body["teamId"] ?? teamId,
                CreatedAt = now,
                ExpiresAt = ExpiresAtOf(body, now),
            };
        }

        /// <summary>
        /// Revokes the open invite of one address. After an attempt that may have gone through unseen, no live invite
        /// left means it is done; a look-up that fails too leaves the outcome unknown, and the error says so.
        /// </summary>
        public async Task RevokeAsync(string email, CancellationToken cancellationToken, RequestOptions? options = null)
        {
            try
            {
                await V1Async(Post, "organization/invite/revoke", new JObject { ["email"] = email }, options, cancellationToken).ConfigureAwait(false);
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
        /// the newest invite of the address, and the newest live one if any, by <c>createdAt</c> (lists come in no
        /// promised order). A rejected key or a stop is passed on as it is.
        /// </summary>
        private async Task<(Invite? Newest, Invite? Live)> SettleAsync(string email, HeadshotProApiException uncertain, string unknownOutcome,
            CancellationToken cancellationToken, RequestOptions? options)
        {
            var lookup = options?.WithoutVeto();
            for (var round = 1; ; round++)
            {
                try
                {
                    var all = await ListAsync(cancellationToken, lookup).ConfigureAwait(false);
                    var mine = all.Where(i => string.Equals(i.Email, email, StringComparison.OrdinalIgnoreCase)).ToList();
                    return (InviteJoin.Newest(mine), InviteJoin.Newest(mine.Where(i => InviteStatus.IsLive(i.Status))));
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

        public async Task<Invite> GetAsync(string id, CancellationToken cancellationToken, RequestOptions? options = null)
        {
            var body = await V1Async(Get, "organization/invite/id/" + Segment(id), null, options, cancellationToken).ConfigureAwait(false);
            var invite = body["invite"] as JObject ?? throw Unexpected("The invite answer has no 'invite' object.");
            return new Invite { Id = id, Email = (string?)invite["email"] ?? "", Status = InviteStatus.Normalize((string?)invite["status"]) };
        }

        /// <summary>
        /// Every invite of the organization as v2 lists them (not paginated): the invited address, the v2 status, the
        /// person's model once they have one, the team's name — and no id. In the server's order.
        /// </summary>
        public async Task<IReadOnlyList<Invite>> ListV2Async(CancellationToken cancellationToken, RequestOptions? options = null) =>
            ListOf(await V2Async(Get, "organization/invites", null, options, cancellationToken).ConfigureAwait(false), "invites", V2Invite);

        private static Invite V2Invite(JObject item)
        {
            var createdAt = DateOf(item["createdAt"]);
            return new Invite
            {
                Id = Text(item["id"]),
                Email = Text(item["email"]) ?? "",
                Status = InviteStatus.Normalize(Text(item["status"])),
                ModelId = Text(item["modelId"]),
                TeamId = Text(item["teamId"]),
                TeamName = Text(item["teamName"]),
                CreatedAt = createdAt,
                ExpiresAt = ExpiresAtOf(item, createdAt),
            };
        }

        /// <summary>When an invite's link expires: as the API says (<c>expiresAt</c>, or the webhook's name <c>inviteExpiresAt</c>), else <see cref="LinkLifetime"/> after it was sent.</summary>
        private static DateTimeOffset? ExpiresAtOf(JObject item, DateTimeOffset? createdAt) =>
            DateOf(item["expiresAt"]) ?? DateOf(item["inviteExpiresAt"]) ?? createdAt + LinkLifetime;

        /// <summary>
        /// Every invite of the organization, in the server's order. The list carries <c>valid</c> and <c>used</c> rather
        /// than a status; where those cannot tell the status (a used, still valid invite), <see cref="Invite.Status"/> is null.
        /// </summary>
        public async Task<IReadOnlyList<Invite>> ListAsync(CancellationToken cancellationToken, RequestOptions? options = null)
        {
            var body = await V1AlwaysThereAsync("organization/invites", options, cancellationToken).ConfigureAwait(false);
            var items = body["invites"] as JArray ?? throw Unexpected("The list answer has no 'invites' array.");
            return items.OfType<JObject>().Select(Listed).ToList();
        }

        /// <summary>The newest live invite of an address by <c>createdAt</c>, or null.</summary>
        public async Task<Invite?> FindLiveAsync(string email, CancellationToken cancellationToken, RequestOptions? options = null)
        {
            var all = await ListAsync(cancellationToken, options).ConfigureAwait(false);
            return InviteJoin.Newest(all.Where(i => string.Equals(i.Email, email, StringComparison.OrdinalIgnoreCase) && InviteStatus.IsLive(i.Status)));
        }


        private static Invite Listed(JObject item)
        {
            var valid = (bool?)item["valid"] ?? true;
            var used = (bool?)item["used"] ?? false;
            var status = InviteStatus.Normalize((string?)item["status"]) ?? (valid ? (used ? null : InviteStatus.Pending) : (used ? InviteStatus.Deleted : InviteStatus.Revoked));
            var createdAt = DateOf(item["createdAt"]);
            return new Invite
            {
                Id = (string?)item["id"],
                Email = (string?)item["email"] ?? "",
                Status = status,
                Link = (string?)item["link"],
                TeamId = (string?)item["teamId"],
                CreatedAt = createdAt,
                ExpiresAt = ExpiresAtOf(item, createdAt),
            };
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HeadshotPro.Client.Transport;
using Newtonsoft.Json.Linq;

namespace HeadshotPro.Client.Api
{
    /// <summary>The organization, its credits (API v1) and its teams (API v2).</summary>
    public sealed class OrganizationClient : ApiClient
    {
        private volatile bool _creditsViaGet;

        internal OrganizationClient(ApiTransport transport, ClientSettings settings) : base(transport, settings) { }

        /// <summary>The balance available to reserve, as the server sends it: it may be fractional (12.75), and is never rounded.</summary>
        public async Task<decimal> GetCreditsAsync(CancellationToken cancellationToken, RequestOptions? options = null)
        {
            JObject body;
            if (_creditsViaGet)
            {
                body = await V1Async(Get, "organization/credits", null, options, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                try
                {
                    body = await V1Async(Post, "organization/credits", null, options, cancellationToken).ConfigureAwait(false);
                }
                catch (HeadshotProApiException e) when (e.StatusCode == 405 || e.Kind == ApiErrorKind.NotFound)
                {
                    // The seed documents POST, the later reference GET: use whichever this server answers, from now on.
                    body = await V1AlwaysThereAsync("organization/credits", options, cancellationToken).ConfigureAwait(false);
                    _creditsViaGet = true;
                }
            }
            var credits = body["credits"];
            if (credits == null || (credits.Type != JTokenType.Integer && credits.Type != JTokenType.Float))
                throw Unexpected("The credits answer has no 'credits' number.");
            return (decimal)credits;
        }

        public async Task<Organization> GetAsync(CancellationToken cancellationToken, RequestOptions? options = null) =>
            OrganizationOf(await V1AlwaysThereAsync("organization", options, cancellationToken).ConfigureAwait(false));

        /// <summary>The organization's teams (v2 <c>GET organization/teams</c>).</summary>
        public async Task<IReadOnlyList<Team>> ListTeamsAsync(CancellationToken cancellationToken, RequestOptions? options = null) =>
            ListOf(await V2Async(Get, "organization/teams", null, options, cancellationToken).ConfigureAwait(false), "teams", TeamOf);

        /// <summary>
        /// Creates a team; answers the organization as it now is. Names are unique: a taken one is 400
        /// <c>INVALID_REQUEST</c>. If an attempt may have gone through unseen and the retry finds the name taken, the
        /// teams are read: a team of that name now is this request's.
        /// </summary>
        public async Task<Organization> CreateTeamAsync(string name, CancellationToken cancellationToken, RequestOptions? options = null)
        {
            try
            {
                return OrganizationOf(await V2Async(Post, "organization/teams", new JObject { ["name"] = name }, options, cancellationToken).ConfigureAwait(false));
            }
            catch (HeadshotProApiException e) when (e.Kind == ApiErrorKind.InvalidRequest && e.AfterUncertainAttempt || e.MayHaveBeenProcessed && e.Kind != ApiErrorKind.InvalidRequest)
            {
                var organization = await SettleAsync(e, $"the team '{name}' may have been created", options, cancellationToken).ConfigureAwait(false);
                if (organization.Teams.Any(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))) return organization;
                throw;
            }
        }

        /// <summary>Renames a team; answers the organization as it now is. An unseen earlier attempt that did it counts as done.</summary>
        public async Task<Organization> RenameTeamAsync(string teamId, string name, CancellationToken cancellationToken, RequestOptions? options = null)
        {
            try
            {
                return OrganizationOf(await V2Async(Put, "organization/teams/" + Segment(teamId), new JObject { ["name"] = name }, options, cancellationToken).ConfigureAwait(false));
            }
            catch (HeadshotProApiException e) when (e.Kind == ApiErrorKind.NotFound && !e.AfterUncertainAttempt)
            {
                throw e.About("Team");
            }
            catch (HeadshotProApiException e) when (e.MayHaveBeenProcessed)
            {
                var organization = await SettleAsync(e, $"the team may have been renamed to '{name}'", options, cancellationToken).ConfigureAwait(false);
                if (organization.Teams.Any(t => t.Id == teamId && t.Name == name)) return organization;
                e.About("Team");
                throw;
            }
        }

        /// <summary>Deletes a team; answers the organization as it now is. A 404 after an unseen earlier attempt means it is gone: done.</summary>
        public async Task<Organization> DeleteTeamAsync(string teamId, CancellationToken cancellationToken, RequestOptions? options = null)
        {
            try
            {
                return OrganizationOf(await V2Async(Delete, "organization/teams/" + Segment(teamId), null, options, cancellationToken).ConfigureAwait(false));
            }
            catch (HeadshotProApiException e) when (e.Kind == ApiErrorKind.NotFound && !e.AfterUncertainAttempt)
            {
                throw e.About("Team");
            }
            catch (HeadshotProApiException e) when (e.MayHaveBeenProcessed)
            {
                var organization = await SettleAsync(e, "the team may have been deleted", options, cancellationToken).ConfigureAwait(false);
                if (organization.Teams.All(t => t.Id != teamId)) return organization;
                e.About("Team");
                throw;
            }
        }

        /// <summary>Puts existing members into a team (v2 <c>POST organization/teams/{id}/members</c> with <c>emails</c>); answers the server's message.</summary>
        public async Task<string?> AssignMembersAsync(string teamId, IEnumerable<string> emails, CancellationToken cancellationToken, RequestOptions? options = null)
        {
            try
            {
                var body = await V2Async(Post, "organization/teams/" + Segment(teamId) + "/members", new JObject { ["emails"] = new JArray(emails.ToArray()) }, options, cancellationToken).ConfigureAwait(false);
                return Text(body["message"]);
            }
            catch (HeadshotProApiException e) when (e.Kind == ApiErrorKind.NotFound)
            {
                throw e.About("Team");
            }
        }

        /// <summary>Reads the organization after an uncertain team change; a failed read leaves the outcome unknown, and the error says so.</summary>
        private async Task<Organization> SettleAsync(HeadshotProApiException uncertain, string unknownOutcome, RequestOptions? options, CancellationToken cancellationToken)
        {
            try
            {
                return await GetAsync(cancellationToken, options?.WithoutVeto()).ConfigureAwait(false);
            }
            catch (HeadshotProApiException e) when (e.Kind != ApiErrorKind.Unauthorized)
            {
                throw uncertain.Rephrased($"{uncertain.Message} Reading the teams afterwards failed too ({e.Message}), so {unknownOutcome}; Get-HeadshotTeam shows them.", outcomeUnknown: true);
            }
        }
    }
}

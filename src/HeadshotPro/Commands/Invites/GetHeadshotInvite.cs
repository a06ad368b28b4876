using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using HeadshotPro.Client;

namespace HeadshotPro.Commands
{
    /// <summary>
    /// Invites by id, or the organization's invites filtered by address and status. A value given by position that is
    /// neither an address nor a wildcard pattern is an id (as Get-ADUser takes an identity by position). An exact
    /// address that matches no invite is InviteNotFound; a wildcard that matches nothing writes nothing.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "HeadshotInvite", DefaultParameterSetName = ListSet)]
    [OutputType(typeof(Invite))]
    public sealed class GetHeadshotInvite : HeadshotProPipelineCmdlet
    {
        private const string ListSet = "List";
        private const string ByIdSet = "ById";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("InviteId")]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; } = null!;

        /// <summary>Only invites whose address matches (wildcards allowed).</summary>
        [Parameter(Position = 0, ParameterSetName = ListSet)]
        [SupportsWildcards]
        public string? Email { get; set; }

        /// <summary>Only invites in these statuses: pending, accepted, uploading, generating, completed, revoked, deleted (v1's names are accepted too).</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateInviteStatus]
        [ArgumentCompleter(typeof(InviteStatusCompleter))]
        public string[]? Status { get; set; }

        protected override string Activity => "Reading HeadshotPro invites";

        protected override string Describe(object target) => "Reading invite " + target;

        protected override System.Collections.ICollection? GivenItems => ParameterSetName == ByIdSet ? Id : null;

        private InviteList _listed = null!;

        /// <summary>"7a5e68fd…" given where an address goes: no @, no wildcard.</summary>
        private bool EmailIsAnId => ParameterSetName == ListSet && Email != null && Email.IndexOf('@') < 0 && !WildcardPattern.ContainsWildcardCharacters(Email);

        protected override void BeginInput() => _listed = new InviteList(Session.Client);

        protected override void ProcessInput()
        {
            if (ParameterSetName != ByIdSet && !EmailIsAnId) return;
            var client = Session.Client;
            var listed = _listed;
            foreach (var given in ParameterSetName == ByIdSet ? Id : new[] { Email! })
            {
                var id = given.Trim();
                Submit(id, async (options, ct) =>
                {
                    var invite = await client.GetInviteAsync(id, ct, options).ConfigureAwait(false);
                    if (!InviteStatus.IsUsed(invite.Status)) return invite;
                    // Once used, the API gives the person's active address; the invited one, and the rest, are in the list.
                    var found = (await listed.GetAsync(options, ct).ConfigureAwait(false)).FirstOrDefault(i => i.Id == id);
                    if (found == null) return invite;
                    found.ActiveEmail = string.Equals(invite.Email, found.Email, StringComparison.OrdinalIgnoreCase) ? null : invite.Email;
                    found.Status = invite.Status;
                    return found;
                });
            }
        }

        protected override void EndInput()
        {
            if (ParameterSetName == ListSet && !EmailIsAnId) List();
        }

        /// <summary>One exact address, by v2's look-up: the invite (in -Status, if given), or InviteNotFound.</summary>
        private void LookUpAddress(HeadshotProClient client, string email, HashSet<string>? wanted)
        {
            Invite? invite;
            try
            {
                invite = Call(ct => client.Invites.GetByEmailAsync(email.Trim(), ct, Requests));
            }
            catch (HeadshotProApiException e)
            {
                WriteItemError(e, email, "Looking up the invite of " + email);
                return;
            }
            if (invite == null)
            {
                var message = $"No invite has the address {email}.";
                WriteError(ErrorRecords.Make(new ItemNotFoundException(message), "InviteNotFound", ErrorCategory.ObjectNotFound, email, message,
                    "Check the address; Get-HeadshotInvite without -Email lists every invite, and wildcards (*@corp.example) match parts."));
                return;
            }
            if (wanted == null || (invite.Status != null && wanted.Contains(invite.Status))) WriteObject(invite);
        }

        /// <summary>
        /// Writes the list in the server's order. A used invite's stage is looked up only when it could change what is
        /// written (no -Status, or a -Status that a used invite can have); a failed look-up writes the invite with an
        /// unknown status and an error.
        /// </summary>
        private void List()
        {
            var client = Session.Client;
            var wanted = Status == null ? null : new HashSet<string>(Status.Select(st => InviteStatus.Normalize(st)!), StringComparer.OrdinalIgnoreCase);
            if (!string.IsNullOrEmpty(Email) && !WildcardPattern.ContainsWildcardCharacters(Email))
            {
                LookUpAddress(client, Email!, wanted);
                return;
            }
            IReadOnlyList<Invite> invites;
            try
            {
                invites = Call(ct => client.ListInvitesAsync(ct, Requests));
            }
            catch (HeadshotProApiException e)
            {
                WriteItemError(e, Email, "Listing invites");
                return;
            }
            var pattern = string.IsNullOrEmpty(Email) ? null : new WildcardPattern(Email, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
            var matching = invites.Where(i => pattern == null || pattern.IsMatch(i.Email)).ToList();
            var lookUp = wanted == null || wanted.Overlaps(InviteStatus.UsedAndValid);
            var failures = new Dictionary<Invite, Exception>();
            var toLookUp = matching.Where(i => i.Status == null && i.Id != null && lookUp).ToList();
            if (toLookUp.Count > 0)
            {
                var options = Requests;
                var throttle = ThrottleLimit;
                Call(async ct =>
                {
                    using (var slots = new SemaphoreSlim(throttle))
                    {
                        await Task.WhenAll(toLookUp.Select(async invite =>
                        {
                            await slots.WaitAsync(ct).ConfigureAwait(false);
                            try
                            {
                                invite.Status = (await client.GetInviteAsync(invite.Id!, ct, options).ConfigureAwait(false)).Status;
                            }
                            catch (HeadshotProApiException e)
                            {
                                lock (failures) failures[invite] = e;
                            }
                            finally
                            {
                                slots.Release();
                            }
                        })).ConfigureAwait(false);
                    }
                    return true;
                });
            }
            var teams = matching.Any(i => i.TeamId != null) ? Session.Teams ?? ReadOrganization()?.Teams : null;
            foreach (var invite in matching) invite.TeamName = teams?.FirstOrDefault(t => t.Id == invite.TeamId)?.Name;
            foreach (var invite in matching)
            {
                if (failures.TryGetValue(invite, out var failure))
                {
                    WriteObject(invite);
                    WriteItemError(failure, invite.Id, $"Reading the status of {invite.Email}'s invite");
                    continue;
                }
                if (wanted == null || (invite.Status != null && wanted.Contains(invite.Status))) WriteObject(invite);
            }
        }

    }
}

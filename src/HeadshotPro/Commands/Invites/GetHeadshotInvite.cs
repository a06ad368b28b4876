using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using HeadshotPro.Client;
using HeadshotPro.Client.Api;

namespace HeadshotPro.Commands
{
    /// <summary>
    /// The organization's invites, from the two list calls joined (v1's ids and links, v2's statuses, models and team
    /// names) plus the models' sign-up addresses: a few requests whatever the count. By id; by exact address (the
    /// person's current invite); by wildcard; for people and teams piped in; or all. A value given by position that is
    /// neither an address nor a wildcard pattern is an id (as Get-ADUser takes an identity by position).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "HeadshotInvite", DefaultParameterSetName = ListSet)]
    [OutputType(typeof(Invite))]
    public sealed class GetHeadshotInvite : HeadshotProPipelineCmdlet
    {
        private const string ListSet = "List";
        private const string ByIdSet = "ById";

        [Parameter(Mandatory = true, ParameterSetName = ByIdSet)]
        [Alias("InviteId")]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; } = null!;

        /// <summary>Addresses (wildcards allowed), ids, people (invites, members, models, AD or Entra ID users, CSV rows) or teams.</summary>
        [Parameter(Position = 0, ParameterSetName = ListSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Mail", "EmailAddress", "PrimarySmtpAddress", "UserPrincipalName")]
        [SupportsWildcards]
        public object[]? Email { get; set; }

        /// <summary>Only invites in these statuses: pending, accepted, uploading, generating, completed, revoked, deleted (v1's names are accepted too).</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateInviteStatus]
        [ArgumentCompleter(typeof(InviteStatusCompleter))]
        public string[]? Status { get; set; }

        /// <summary>Only invites still pending (never used) whose link has expired: to revoke and send again.</summary>
        [Parameter(ParameterSetName = ListSet)]
        public SwitchParameter Expired { get; set; }

        protected override string Activity => "Reading HeadshotPro invites";

        protected override string Describe(object target) =>
            target == null ? "Listing invites"
            : target is Team team ? "Listing the invites of team " + team.Name
            : target is string text && WildcardPattern.ContainsWildcardCharacters(text) ? "Listing the invites matching " + text
            : "Reading the invite of " + target;

        protected override System.Collections.ICollection? GivenItems => ParameterSetName == ByIdSet ? Id : Email;

        private People _people = null!;
        private HeadshotProClient _client = null!;
        private Func<Invite, bool> _wanted = null!;
        private IReadOnlyList<Team>? _teams;

        protected override void BeginInput()
        {
            _client = Session.Client;
            _people = new People(_client);
            var statuses = Status == null ? null : new HashSet<string>(Status.Select(st => InviteStatus.Normalize(st)!), StringComparer.OrdinalIgnoreCase);
            var expired = Expired.IsPresent;
            _wanted = i => (statuses == null || i.Status != null && statuses.Contains(i.Status)) && (!expired || i.IsExpired);
            _teams = Session.Teams;
        }

        protected override void ProcessInput()
        {
            if (ParameterSetName == ByIdSet)
            {
                foreach (var id in Id) ById(id.Trim(), id);
                return;
            }
            if (Email == null) return;
            foreach (var input in Email)
            {
                var text = (input is PSObject ps ? ps.BaseObject : input) as string;
                if (text != null && WildcardPattern.ContainsWildcardCharacters(text.Trim()))
                {
                    var pattern = new WildcardPattern(text.Trim(), WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
                    Write(text.Trim(), all => all.Where(i => pattern.IsMatch(i.Email)));
                    continue;
                }
                if (text != null && text.Trim().Length > 0 && text.IndexOf('@') < 0)
                {
                    ById(text.Trim(), text);
                    continue;
                }
                var person = AcceptPerson(input, "its invite is written once");
                if (person == null) continue;
                if (person.Team is Team team) Write(team, all => all.Where(i => i.TeamId == team.Id));
                else Person(person);
            }
        }

        protected override void EndInput()
        {
            if (ParameterSetName == ListSet && Email == null && !Piped) Write(null, all => all);
        }

        private void ById(string id, object target)
        {
            var people = _people;
            Submit(target, async (options, ct) =>
            {
                var invite = await people.InviteByIdAsync(id, options, ct).ConfigureAwait(false) ?? throw People.NoInvite(id);
                return await FinishedAsync(new[] { invite }, options, ct).ConfigureAwait(false);
            }, label: id);
        }

        /// <summary>A person's invite: that invite (an invite or an InviteId), the one that links their model, else their current one by address.</summary>
        private void Person(PersonInput person)
        {
            var people = _people;
            var wanted = _wanted;
            Submit(person.Target, async (options, ct) =>
            {
                var all = await people.InvitesAsync(options, ct).ConfigureAwait(false);
                IEnumerable<Invite> theirs;
                if (person.InviteId != null) theirs = new[] { all.FirstOrDefault(i => i.Id == person.InviteId) ?? await MadeSinceAsync(person, options, ct).ConfigureAwait(false) };
                else if (person.ModelId != null) theirs = all.Where(i => i.ModelId == person.ModelId);
                else theirs = all.Where(i => string.Equals(i.Email, person.Address, StringComparison.OrdinalIgnoreCase));
                var found = theirs.ToList();
                if (found.Count == 0)
                    throw new HeadshotProApiException(ApiErrorKind.NotFound, $"No invite has the address {person.Label}.", null, "NOT_FOUND");
                var current = InviteJoin.Current(found.Where(wanted));
                return current == null ? null : await FinishedAsync(new[] { current }, options, ct).ConfigureAwait(false);
            }, label: person.Label);
        }

        /// <summary>
        /// An invite that the invites read for this command do not have: one made since (piped straight from
        /// New-HeadshotInvite), read by its id, with what that answer lacks from the invite piped in; else InviteNotFound.
        /// </summary>
        private async Task<Invite> MadeSinceAsync(PersonInput person, RequestOptions options, CancellationToken ct)
        {
            var id = person.InviteId!;
            Invite found;
            try
            {
                found = await _client.Invites.GetAsync(id, ct, options).ConfigureAwait(false);
            }
            catch (HeadshotProApiException e) when (e.Kind == ApiErrorKind.NotFound)
            {
                throw People.NoInvite(id);
            }
            var piped = (person.Input is PSObject wrapped ? wrapped.BaseObject : person.Input) as Invite;
            return new Invite
            {
                Id = id, Email = piped?.Email ?? found.Email, Status = found.Status, Link = piped?.Link, TeamId = piped?.TeamId,
                TeamName = piped?.TeamName, CreatedAt = piped?.CreatedAt,
            };
        }

        /// <summary>The invites <paramref name="choose"/> takes from all of them, in -Status (and -Expired), in the server's order.</summary>
        private void Write(object? target, Func<IEnumerable<Invite>, IEnumerable<Invite>> choose)
        {
            var people = _people;
            Submit(target!, async (options, ct) =>
                await FinishedAsync(choose(await people.InvitesAsync(options, ct).ConfigureAwait(false)).ToList(), options, ct).ConfigureAwait(false),
                label: Describe(target!));
        }

        /// <summary>Copies of <paramref name="invites"/> (those in -Status and -Expired) with the sign-up addresses of their models and their teams' names.</summary>
        private async Task<object?> FinishedAsync(IReadOnlyList<Invite> invites, RequestOptions options, CancellationToken ct)
        {
            var kept = invites.Where(_wanted).ToList();
            var signUp = await _people.SignUpAddressesAsync(kept.Where(i => i.ModelId != null).Select(i => i.ModelId!).Distinct().ToList(), options, ct).ConfigureAwait(false);
            var teams = _teams;
            return new Results(kept.Select(i => new Invite
            {
                Id = i.Id, Email = i.Email, Status = i.Status, Link = i.Link, TeamId = i.TeamId, ModelId = i.ModelId, CreatedAt = i.CreatedAt, ExpiresAt = i.ExpiresAt,
                TeamName = i.TeamName ?? teams?.FirstOrDefault(t => t.Id == i.TeamId)?.Name,
                SignUpEmail = i.ModelId != null && signUp.TryGetValue(i.ModelId, out var address) && !string.Equals(address, i.Email, StringComparison.OrdinalIgnoreCase)
                    ? address : i.SignUpEmail,
            }).ToList());
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using HeadshotPro.Client;

namespace HeadshotPro.Commands
{
    /// <summary>
    /// The organization's teams: by name (wildcards) or id, or the team of each input piped in — a team, a team's name, or
    /// a person (their TeamId, else their current invite's team).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "HeadshotTeam", DefaultParameterSetName = ByNameSet)]
    [OutputType(typeof(Team))]
    public sealed class GetHeadshotTeam : HeadshotProCmdlet
    {
        private const string ByNameSet = "ByName";
        private const string ByIdSet = "ById";
        private const string ByInputSet = "ByInput";

        /// <summary>Team names; wildcards allowed. Each team is written once, and a name without wildcards that no team has is TeamNotFound.</summary>
        [Parameter(Position = 0, ParameterSetName = ByNameSet)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(TeamNameCompleter))]
        public string[]? Name { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ByIdSet)]
        [ArgumentCompleter(typeof(TeamIdCompleter))]
        public string[] Id { get; set; } = null!;

        /// <summary>Teams, team names or ids, or people (members, models, invites, photos, addresses, directory users, CSV rows).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByInputSet, ValueFromPipeline = true)]
        public object[] InputObject { get; set; } = null!;

        private readonly List<object> _inputs = new List<object>();

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ByInputSet) _inputs.AddRange(InputObject.Where(i => i != null));
        }

        protected override void EndProcessing()
        {
            if (ParameterSetName == ByNameSet && Piped) return;
            var organization = ReadOrganization();
            if (organization == null) return;
            if (ParameterSetName == ByInputSet)
            {
                var people = new People(Session.Client);
                foreach (var input in _inputs) TeamOf(input, organization, people);
                return;
            }
            if (ParameterSetName == ByIdSet)
            {
                foreach (var id in Id)
                {
                    var team = organization.Teams.FirstOrDefault(t => t.Id == id);
                    if (team != null) WriteObject(team);
                    else WriteError(TeamNotFound(id, organization));
                }
                return;
            }
            var names = (Name ?? new string[0]).Where(n => !string.IsNullOrEmpty(n)).ToList();
            // A name matches as a pattern and as itself: the team named 'R[&]D' is found by that name.
            var patterns = names.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant)).ToList();
            bool Matches(Team team, int i) => patterns[i].IsMatch(team.Name) || string.Equals(team.Name, names[i], StringComparison.OrdinalIgnoreCase);
            foreach (var missing in names.Where((n, i) => !WildcardPattern.ContainsWildcardCharacters(n) && !organization.Teams.Any(t => Matches(t, i))))
                WriteError(TeamNotFound(missing, organization));
            WriteObject(organization.Teams.Where(t => names.Count == 0 || names.Select((_, i) => i).Any(i => Matches(t, i))), enumerateCollection: true);
        }

        /// <summary>Writes the team one input names, or one error.</summary>
        private void TeamOf(object input, Organization organization, People people)
        {
            var value = input is PSObject ps ? ps.BaseObject : input;
            if (value is string text && text.IndexOf('@') < 0)
            {
                var named = FindTeam(organization.Teams, text.Trim());
                if (named != null) WriteObject(named);
                else WriteError(TeamNotFound(text, organization));
                return;
            }
            var person = PersonInput.Read(input, out var invalid, out var warning);
            if (person == null)
            {
                WriteError(invalid!);
                return;
            }
            if (warning != null) WriteWarning(warning);
            var teamId = person.Team?.Id ?? person.TeamId;
            if (teamId == null && person.Address != null)
            {
                var options = Requests;
                try
                {
                    teamId = Call(ct => people.CurrentInviteAsync(person.Address, options, ct))?.TeamId;
                }
                catch (HeadshotProApiException e)
                {
                    WriteItemError(e, person.Target, "Finding the team of " + person.Label);
                    return;
                }
            }
            var team = teamId == null ? null : organization.Teams.FirstOrDefault(t => t.Id == teamId);
            if (team != null) WriteObject(team);
            else if (teamId != null) WriteError(TeamNotFound(teamId, organization));
            else
            {
                var message = $"{person.Label} is in no team (or has no invite).";
                WriteError(ErrorRecords.Make(new ItemNotFoundException(message), "TeamNotFound", ErrorCategory.ObjectNotFound, person.Target, message,
                    "Put them into one with Add-HeadshotTeamMember; Get-HeadshotInvite shows their invite."));
            }
        }
    }
}

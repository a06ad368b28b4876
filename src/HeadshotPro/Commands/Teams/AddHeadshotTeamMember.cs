using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using HeadshotPro.Client;

namespace HeadshotPro.Commands
{
    /// <summary>
    /// Puts members into a team (API v2). Each input names a person (an invited address, a member, an invite, an AD or
    /// Entra ID user, a CSV row); the person is found as a member through the invite that links their model — the
    /// members and the invites read once — and sent by the member's own address, the one the API assigns by, in batches
    /// of up to <see cref="BatchSize"/> in its <c>emails</c> list.
    /// </summary>
    [Cmdlet(VerbsCommon.Add, "HeadshotTeamMember", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(TeamAssignment))]
    public sealed class AddHeadshotTeamMember : HeadshotProCmdlet
    {
        /// <summary>The most addresses in one request (the contract gives no limit; this keeps a body small).</summary>
        internal const int BatchSize = 100;

        /// <summary>The team: a name or an id.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ArgumentCompleter(typeof(TeamNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string Team { get; set; } = null!;

        /// <summary>People: invited addresses, or objects naming a person (members, invites, models, AD or Entra ID users, CSV rows).</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Mail", "EmailAddress", "PrimarySmtpAddress", "UserPrincipalName")]
        public object[] Email { get; set; } = null!;

        /// <summary>Write one object per person put into the team.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private Team? _team;
        private HeadshotProApiException? _unreadable;
        private People? _people;
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly List<(Member Member, object Target)> _batch = new List<(Member, object)>();

        protected override void BeginProcessing()
        {
            var organization = TryReadOrganization(out _unreadable);
            if (organization == null) return; // every input gets the read's error
            _team = FindTeam(organization.Teams, Team.Trim());
            if (_team == null) ThrowTerminatingError(TeamNotFound(Team, organization));
            _people = new People(Session.Client);
        }

        protected override void ProcessRecord()
        {
            foreach (var input in Email)
            {
                var person = PersonInput.Read(input, out var invalid, out var warning);
                if (person == null)
                {
                    WriteError(invalid!);
                    continue;
                }
                if (_team == null)
                {
                    WriteItemError(_unreadable!, person.Target, $"Putting {person.Label} into the team '{Team}'");
                    continue;
                }
                if (person.Team != null)
                {
                    WriteError(ErrorRecords.NotAPerson(input, person.Team, "no one was put into a team", "Pipe the team's members: Get-HeadshotMember -Team <team> | Add-HeadshotTeamMember -Team <other team>."));
                    continue;
                }
                if (!_seen.Add(person.Key))
                {
                    Duplicate(person.Target, person.Label);
                    continue;
                }
                if (warning != null) WriteWarning(warning);
                if (!ShouldProcess(person.Label, $"Put into the HeadshotPro team '{_team.Name}' ({_team.Id})")) continue;
                var member = MemberOf(person);
                if (member == null) continue;
                if (!_seen.Add("member:" + member.Id))
                {
                    Duplicate(person.Target, person.Label);
                    continue;
                }
                _batch.Add((member, person.Target));
                if (_batch.Count >= BatchSize) Send();
            }
        }

        protected override void EndProcessing()
        {
            if (_team != null && _batch.Count > 0) Send();
        }

        private void Duplicate(object target, string label)
        {
            var message = $"{label} appears more than once in the input; they are put into the team once.";
            WriteError(ErrorRecords.Make(new ArgumentException(message), "DuplicateInput", ErrorCategory.InvalidArgument, target, message,
                "Nothing to do; remove the repeat from the input to silence this error."));
        }

        /// <summary>The member a person is (the API assigns only members); null after writing MemberNotFound, or the read's error.</summary>
        private Member? MemberOf(PersonInput person)
        {
            var people = _people!;
            var options = Requests;
            try
            {
                return Call(ct => people.MemberOfAsync(person, options, ct));
            }
            catch (HeadshotProApiException e)
            {
                WriteItemError(e, person.Target, $"Putting {person.Label} into the team '{_team!.Name}'");
                return null;
            }
        }

        private void Send()
        {
            var team = _team!;
            var batch = _batch.ToList();
            _batch.Clear();
            var client = Session.Client;
            var options = Requests;
            try
            {
                Call(ct => client.Organization.AssignMembersAsync(team.Id, batch.Select(b => b.Member.SignUpEmail ?? b.Member.Email), ct, options));
            }
            catch (HeadshotProApiException e)
            {
                foreach (var (member, target) in batch) WriteItemError(e, target, $"Putting {member.Email} into the team '{team.Name}'");
                return;
            }
            if (PassThru)
                foreach (var (member, _) in batch)
                    WriteObject(new TeamAssignment { Email = member.Email, SignUpEmail = member.SignUpEmail, TeamId = team.Id, TeamName = team.Name });
        }
    }
}

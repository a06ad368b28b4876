using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using HeadshotPro.Client;
using HeadshotPro.Client.Transport;

namespace HeadshotPro.Commands
{
    /// <summary>
    /// Puts members into a team (API v2). Addresses from the pipeline are checked against the organization's members
    /// (read once), then sent in batches of up to <see cref="BatchSize"/> in the API's <c>emails</c> list.
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

        /// <summary>Addresses, or objects carrying one (members, AD or Entra ID users, CSV rows).</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Mail", "EmailAddress", "PrimarySmtpAddress", "UserPrincipalName")]
        public object[] Email { get; set; } = null!;

        /// <summary>Write one object per address put into the team.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private Team? _team;
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly List<string> _batch = new List<string>();
        private HashSet<string>? _members;

        protected override void BeginProcessing()
        {
            var organization = ReadOrganization();
            if (organization == null) return;
            _team = FindTeam(organization.Teams, Team.Trim());
            if (_team == null) ThrowTerminatingError(TeamNotFound(Team, organization));
        }

        protected override void ProcessRecord()
        {
            if (_team == null) return;
            foreach (var input in Email)
            {
                var address = InputAddress.Resolve(input, out var invalid, out var warning);
                if (address == null)
                {
                    WriteError(invalid!);
                    continue;
                }
                if (!_seen.Add(address))
                {
                    var message = $"{address} appears more than once in the input; it is put into the team once.";
                    WriteError(ErrorRecords.Make(new ArgumentException(message), "DuplicateInput", ErrorCategory.InvalidArgument, address, message,
                        "Nothing to do; remove the repeat from the input to silence this error."));
                    continue;
                }
                if (warning != null) WriteWarning(warning);
                if (!ShouldProcess(address, $"Put into the HeadshotPro team '{_team.Name}' ({_team.Id})")) continue;
                if (!IsMember(address)) continue;
                _batch.Add(address);
                if (_batch.Count >= BatchSize) Send();
            }
        }

        protected override void EndProcessing()
        {
            if (_team != null && _batch.Count > 0) Send();
        }

        /// <summary>Whether the address is a member (the API assigns only members); writes MemberNotFound, or the read's error, if not.</summary>
        private bool IsMember(string address)
        {
            if (_members == null)
            {
                var client = Session.Client;
                var options = Requests;
                try
                {
                    var all = Call(ct => client.Members.Reader(null, options, pageSize: Paging.MaxLimit).RestAsync(ct));
                    _members = new HashSet<string>(all.Select(m => m.Email), StringComparer.OrdinalIgnoreCase);
                }
                catch (HeadshotProApiException e)
                {
                    WriteItemError(e, address, "Reading the members to put " + address + " into a team");
                    return false;
                }
            }
            if (_members.Contains(address)) return true;
            var message = $"{address} is not a member of the organization: only people who accepted their invite can be put into a team.";
            WriteItemError(new HeadshotProApiException(ApiErrorKind.NotFound, message, null, "NOT_FOUND").About("Member"), address, $"Putting {address} into the team '{_team!.Name}'");
            return false;
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
                Call(ct => client.Organization.AssignMembersAsync(team.Id, batch, ct, options));
            }
            catch (HeadshotProApiException e)
            {
                foreach (var address in batch) WriteItemError(e, address, $"Putting {address} into the team '{team.Name}'");
                return;
            }
            if (PassThru) foreach (var address in batch) WriteObject(new TeamAssignment { Email = address, TeamId = team.Id, TeamName = team.Name });
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using HeadshotPro.Client;

namespace HeadshotPro.Commands
{
    [Cmdlet(VerbsCommon.New, "HeadshotInvite", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByTeamIdSet)]
    [OutputType(typeof(Invite))]
    public sealed class NewHeadshotInvite : HeadshotProPipelineCmdlet
    {
        private const string ByTeamIdSet = "ByTeamId";
        private const string ByTeamNameSet = "ByTeamName";

        private Dictionary<string, Invite>? _existing;
        private volatile bool _outOfCredits;
        private int _created;
        private RequestOptions _inviteRequests = null!;
        private Team? _team;
        private string? _teamId;
        private bool _skipExisting;
        private int? _projectedCredits;

        /// <summary>Addresses, or objects carrying one (Email, Mail, EmailAddress, PrimarySmtpAddress or UserPrincipalName).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Mail", "EmailAddress", "PrimarySmtpAddress", "UserPrincipalName")]
        public object[] Email { get; set; } = null!;

        [Parameter(ParameterSetName = ByTeamIdSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(TeamIdCompleter))]
        public string? TeamId { get; set; }

        /// <summary>The team by name, resolved through the organization.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByTeamNameSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(TeamNameCompleter))]
        public string Team { get; set; } = null!;

        /// <summary>An address that already has an invite is no error: the existing invite is written instead.</summary>
        [Parameter]
        public SwitchParameter SkipExisting { get; set; }

        protected override string Activity => "Inviting people to HeadshotPro";

        protected override string Describe(object target) => "Inviting " + target;

        protected override System.Collections.ICollection? GivenItems => Email;

        protected override (string Done, string MaybeDone)? StoppedRunWording =>
            ("Invited", "may have been invited; run again with -SkipExisting to reconcile");

        protected override void BeginInput()
        {
            _inviteRequests = Requests.WithVeto(() => _outOfCredits ? OutOfCredits() : null);
            if (ParameterSetName == ByTeamNameSet || TeamId != null) ResolveTeam();
            _teamId = _team?.Id;
            _skipExisting = SkipExisting;
            _projectedCredits = Session.LastKnownCredits;
        }

        /// <summary>-Team or -TeamId checked against the organization once, before anything is sent.</summary>
        private void ResolveTeam()
        {
            var wanted = ParameterSetName == ByTeamNameSet ? Team : TeamId!;
            var organization = ReadOrganization();
            if (organization == null) ThrowTerminatingError(ErrorRecords.Make(new InvalidOperationException("The organization could not be read to find team " + wanted),
                "TeamNotFound", ErrorCategory.ObjectNotFound, wanted, $"Could not read the organization to find team '{wanted}'.", "Run the command again."));
            _team = ParameterSetName == ByTeamNameSet
                ? organization!.Teams.FirstOrDefault(t => string.Equals(t.Name, wanted, StringComparison.OrdinalIgnoreCase)) ?? organization.Teams.FirstOrDefault(t => t.Id == wanted)
                : organization!.Teams.FirstOrDefault(t => t.Id == wanted);
            if (_team == null) ThrowTerminatingError(TeamNotFound(wanted, organization!));
        }

        /// <summary>"Invite ann@corp.example to team Marketing (reserves 1 credit; 42 available)", from what is known without asking.</summary>
        private string DescribeInvite(string address)
        {
            var team = _team == null ? "" : " to team " + _team.Name;
            var balance = _projectedCredits is int credits ? $"; {credits} available" : "";
            return $"Invite {address}{team} (reserves 1 credit{balance})";
        }

        protected override void ProcessInput()
        {
            var client = Session.Client;
            foreach (var input in Email)
            {
                var address = AcceptAddress(input, "it was sent once");
                if (address == null) continue;
                if (_skipExisting && ExistingInvites().TryGetValue(address, out var existing))
                {
                    CountLocal(true);
                    WriteObject(existing);
                    continue;
                }
                var description = DescribeInvite(address);
                if (_projectedCredits > 0) _projectedCredits--;
                if (!ShouldProcess(description, description + "?", "Invite to HeadshotPro")) continue;
                if (_outOfCredits)
                {
                    CountLocal(false);
                    WriteItemError(OutOfCredits(), address, Describe(address));
                    continue;
                }
                Submit(address, (options, ct) => InviteAsync(client, address, options, ct), _inviteRequests);
            }
        }

        protected override void Finished() =>
            Session.LastKnownCredits = _outOfCredits ? 0 : Session.LastKnownCredits - _created;

        private async Task<object?> InviteAsync(HeadshotProClient client, string address, RequestOptions options, CancellationToken ct)
        {
            if (_outOfCredits) throw OutOfCredits();
            try
            {
                var invite = await client.CreateInviteAsync(address, _teamId, ct, options).ConfigureAwait(false);
                Interlocked.Increment(ref _created);
                return invite;
            }
            catch (HeadshotProApiException e) when (e.Kind == ApiErrorKind.InsufficientCredits)
            {
                _outOfCredits = true;
                throw;
            }
            catch (HeadshotProApiException e) when (e.Kind == ApiErrorKind.AlreadyExists && _skipExisting)
            {
                // Invited by someone else since the list was read.
                return await client.FindLiveInviteAsync(address, ct, options.WithoutVeto()).ConfigureAwait(false) ?? throw e;
            }
        }

        private static HeadshotProApiException OutOfCredits() =>
            new HeadshotProApiException(ApiErrorKind.InsufficientCredits,
                "Not sent: the organization ran out of credits earlier in this run.", 402, "INSUFFICIENT_CREDITS");

        /// <summary>The organization's live invites by address, read once per run.</summary>
        private Dictionary<string, Invite> ExistingInvites()
        {
            if (_existing != null) return _existing;
            var client = Session.Client;
            IReadOnlyList<Invite> all;
            try
            {
                all = Call(ct => client.ListInvitesAsync(ct, Requests));
            }
            catch (HeadshotProApiException e)
            {
                ThrowTerminatingError(ErrorRecords.For(e, null, "Reading the existing invites for -SkipExisting"));
                throw;
            }
            _existing = new Dictionary<string, Invite>(StringComparer.OrdinalIgnoreCase);
            foreach (var invite in all)
                if (HeadshotProClient.IsLive(invite.Status)) _existing[invite.Email] = invite;
            return _existing;
        }
    }
}

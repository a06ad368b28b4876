using System;
using System.Collections.Generic;
using System.Globalization;
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
        private CreditLedger? _credits;
        private People? _people;
        private readonly HashSet<object> _moving = new HashSet<object>();
        private RequestOptions _inviteRequests = null!;
        private Team? _team;
        private bool _skipExisting;
        private DryRun? _dryRun;

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

        /// <summary>
        /// As -SkipExisting, and someone already invited into another team (or none) who has signed up is moved into
        /// -Team (written with Outcome Moved). A pending invite cannot be moved: a warning says how.
        /// </summary>
        [Parameter]
        public SwitchParameter MoveExisting { get; set; }

        protected override string Activity => "Inviting people to HeadshotPro";

        protected override string Describe(object target) => _moving.Contains(target) ? $"Moving {target} into team {_team?.Name}" : "Inviting " + target;

        protected override System.Collections.ICollection? GivenItems => Email;

        protected override (string Done, string MaybeDone)? StoppedRunWording =>
            ("Invited", "may have been invited; run again with -SkipExisting to reconcile");

        /// <summary>What a -WhatIf run learned at its start, and what it has told so far.</summary>
        private sealed class DryRun
        {
            public decimal? Credits;
            public int ToInvite;
            public int AlreadyInvited;
            public int CreditsShort;
        }

        protected override void BeginInput()
        {
            _inviteRequests = Requests.WithVeto(() => _credits!.Refused ? OutOfCredits() : null);
            if (ParameterSetName == ByTeamNameSet || TeamId != null) ResolveTeam();
            _skipExisting = SkipExisting || MoveExisting;
            if (MoveExisting) _people = new People(Session.Client);
            if (WhatIfInEffect) StartDryRun();
        }

        /// <summary>The balance now, or null after a warning when it cannot be read (a rejected key stops the command).</summary>
        private decimal? ReadBalance()
        {
            var client = Session.Client;
            try
            {
                return Call(ct => client.GetCreditsAsync(ct, Requests));
            }
            catch (HeadshotProApiException e)
            {
                if (e.Kind == ApiErrorKind.Unauthorized) WriteItemError(e, Session.Connection.BaseUri, "Reading the balance");
                WriteWarning($"Could not read the balance ({e.Message}); invites go one at a time, so that if credits run short the addresses earliest in the input get them.");
                return null;
            }
        }

        /// <summary>
        /// One whole credit for the next address in input order (<see cref="CreditLedger"/>, from the balance read when the
        /// first address needs one): waits for requests in flight when none is left, reads the balance once more when none
        /// are; false when there is no credit for it.
        /// </summary>
        private bool TakeCredit()
        {
            _credits ??= new CreditLedger(ReadBalance());
            while (true)
            {
                switch (_credits.Reserve(RequestsInFlight > 0))
                {
                    case CreditLedger.Step.Reserved:
                        return true;
                    case CreditLedger.Step.Short:
                        return false;
                    case CreditLedger.Step.Wait:
                        AwaitOneResult();
                        break;
                    case CreditLedger.Step.ReadBalance:
                        _credits.Read(ReadBalance());
                        break;
                }
            }
        }

        /// <summary>A dry run reads the balance and the invites once, so what it says per person is what a real run would do.</summary>
        private void StartDryRun()
        {
            _dryRun = new DryRun();
            var client = Session.Client;
            try
            {
                _dryRun.Credits = Call(ct => client.GetCreditsAsync(ct, Requests));
                ExistingInvites();
            }
            catch (HeadshotProApiException e) when (e.Kind != ApiErrorKind.Unauthorized)
            {
                WriteWarning($"The dry run could not read the balance and the invites ({e.Message}); it cannot say who is already invited or who would run short of credits.");
                _existing ??= new Dictionary<string, Invite>(StringComparer.OrdinalIgnoreCase);
            }
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

        protected override void ProcessInput()
        {
            var client = Session.Client;
            foreach (var input in Email)
            {
                var address = AcceptAddress(input, "it was sent once");
                if (address == null) continue;
                Invite? existing = null;
                if (_skipExisting) ExistingInvites().TryGetValue(address, out existing);
                else _existing?.TryGetValue(address, out existing); // what a dry run read at its start
                if (existing != null)
                {
                    if (_dryRun != null) _dryRun.AlreadyInvited++;
                    if (_skipExisting)
                    {
                        existing.Outcome = "Existing";
                        if (_team != null && existing.TeamId != _team.Id && Moving(client, address, existing, _team)) continue;
                        CountLocal(true);
                        WriteObject(existing);
                    }
                    else
                    {
                        var since = existing.CreatedAt is DateTimeOffset at ? " since " + at.ToString("d", CultureInfo.CurrentCulture) : "";
                        ShouldProcess($"{address} is already invited ({existing.Status ?? "used"}{since}): a real run would fail with InviteAlreadyExists; -SkipExisting passes it through.", null, null);
                    }
                    continue;
                }
                var announce = Announce(address);
                if (!ShouldProcess(announce, announce + "?", "Invite to HeadshotPro")) continue;
                if (!TakeCredit())
                {
                    CountLocal(false);
                    WriteItemError(OutOfCredits(), address, Describe(address));
                    continue;
                }
                var team = _team;
                Submit(address, (options, ct) => InviteAsync(client, address, team, options, ct), _inviteRequests);
            }
        }

        /// <summary>
        /// Someone already invited into a team other than <paramref name="team"/>: never passed through silently. Whether
        /// a request to move them was queued (-MoveExisting, a member, confirmed); if not, a warning says where they are
        /// and what moves them. The API moves members only (people who signed up); a pending invite keeps its team until
        /// it is revoked and sent again, which sends a new link — left to the admin, not done by a daily run.
        /// </summary>
        private bool Moving(HeadshotProClient client, string address, Invite existing, Team team)
        {
            var from = existing.TeamId == null ? "no team" : "team " + (existing.TeamName ?? existing.TeamId);
            if (existing.Status == InviteStatus.Pending)
            {
                WriteWarning($"{address} is already invited in {from}, not {team.Name}, and has not signed up yet: only members can be moved to another team. " +
                    $"To move them now, revoke the invite and invite them again, which sends a new link: Revoke-HeadshotInvite '{address}' -Force; " +
                    $"New-HeadshotInvite '{address}' -Team '{team.Name}'. Or run with -MoveExisting once they have signed up.");
                return false;
            }
            if (!MoveExisting)
            {
                WriteWarning($"{address} is already invited in {from}, not {team.Name}; passed through as Existing. Add -MoveExisting to move them into {team.Name}.");
                return false;
            }
            if (!ShouldProcess(address, $"Move from {from} to team {team.Name}")) return false;
            var people = _people!;
            _moving.Add(address);
            Submit(address, async (options, ct) =>
            {
                var member = await people.MemberOfAsync(PersonInput.Read(existing, out _, out _)!, options, ct).ConfigureAwait(false);
                await client.Organization.AssignMembersAsync(team.Id, new[] { member.SignUpEmail ?? member.Email }, ct, options).ConfigureAwait(false);
                existing.TeamId = team.Id;
                existing.TeamName = team.Name;
                existing.Outcome = "Moved";
                return existing;
            });
            return true;
        }

        /// <summary>
        /// "Invite ann@corp.example to team Marketing (1 credit; 41 left)" — in a dry run from the balance read at its
        /// start, counting down, and "would fail" once it is spent.
        /// </summary>
        private string Announce(string address)
        {
            var team = _team == null ? "" : " to team " + _team.Name;
            if (_dryRun?.Credits is decimal credits)
            {
                if (credits < 1) // an invite reserves one whole credit
                {
                    _dryRun.CreditsShort++;
                    return $"Would fail for {address}: no credit left (InsufficientCredits).";
                }
                _dryRun.Credits = credits - 1;
                _dryRun.ToInvite++;
                return $"Invite {address}{team} (1 credit; {credits - 1} left)";
            }
            if (_dryRun != null) _dryRun.ToInvite++;
            return $"Invite {address}{team} (reserves 1 credit)";
        }

        protected override void EndInput()
        {
            if (_dryRun == null) return;
            var summary = $"{_dryRun.ToInvite} to invite, {_dryRun.AlreadyInvited} already invited";
            if (_dryRun.Credits != null) summary += $", {_dryRun.CreditsShort} credit{(_dryRun.CreditsShort == 1 ? "" : "s")} short";
            ShouldProcess(summary + ".", null, null);
        }

        /// <summary>One invite, with the credit reserved for it; tells the ledger whether the credit was spent.</summary>
        private async Task<object?> InviteAsync(HeadshotProClient client, string address, Team? team, RequestOptions options, CancellationToken ct)
        {
            var credits = _credits!;
            var credit = CreditLedger.Outcome.NotSpent;
            try
            {
                if (credits.Refused) throw OutOfCredits();
                var invite = await client.CreateInviteAsync(address, team?.Id, ct, options).ConfigureAwait(false);
                credit = CreditLedger.Outcome.Spent;
                invite.TeamName = team?.Name;
                invite.Outcome = "Created";
                return invite;
            }
            catch (HeadshotProApiException e) when (e.Kind == ApiErrorKind.InsufficientCredits && e.StatusCode == 402)
            {
                credit = CreditLedger.Outcome.Refused;
                if (!(credits.StartBalance is decimal start)) throw;
                throw e.Rephrased($"{e.Message.TrimEnd('.')}. HeadshotPro had fewer credits than the balance read at the start of this run ({start}): " +
                                  "something else used credits meanwhile, so invites already sent took the last of them in the order the server took them; nothing more is sent.");
            }
            catch (HeadshotProApiException e) when (e.Kind == ApiErrorKind.AlreadyExists && _skipExisting)
            {
                // Invited by someone else since the list was read.
                var existing = await client.FindLiveInviteAsync(address, ct, options.WithoutVeto()).ConfigureAwait(false) ?? throw e;
                existing.Outcome = "Existing";
                return existing;
            }
            catch (HeadshotProApiException e) when (e.OutcomeUnknown)
            {
                credit = CreditLedger.Outcome.Spent; // it may have been invited
                throw;
            }
            finally
            {
                credits.Ended(credit);
            }
        }

        /// <summary>InsufficientCredits for an address that is not sent: no whole credit is left for it, or the server said none is.</summary>
        private HeadshotProApiException OutOfCredits() =>
            new HeadshotProApiException(ApiErrorKind.InsufficientCredits, _credits!.Refused || !(_credits.StartBalance is decimal start)
                ? "Not sent: HeadshotPro answered earlier in this run that no credit is left."
                : $"Not sent: no whole credit is left for it. Each invite reserves one whole credit, in input order, from the balance ({start} at the start of this run).",
                null, "INSUFFICIENT_CREDITS");

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
            var teams = all.Any(i => i.TeamId != null) ? Session.Teams ?? ReadOrganization()?.Teams : null;
            _existing = new Dictionary<string, Invite>(StringComparer.OrdinalIgnoreCase);
            foreach (var mine in all.Where(i => InviteStatus.IsLive(i.Status)).GroupBy(i => i.Email, StringComparer.OrdinalIgnoreCase))
            {
                var invite = Client.Api.InviteJoin.Newest(mine)!;
                invite.TeamName = teams?.FirstOrDefault(t => t.Id == invite.TeamId)?.Name;
                _existing[mine.Key] = invite;
            }
            return _existing;
        }
    }
}

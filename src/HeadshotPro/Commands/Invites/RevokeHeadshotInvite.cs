using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using HeadshotPro.Client;
using HeadshotPro.Client.Api;

namespace HeadshotPro.Commands
{
    /// <summary>
    /// Revokes invites: an address's open invite; an invite (piped, or by -Id) itself or nothing — a stale or revoked one
    /// is an error and the person's current invite is left alone; a member's or a model's invite through the model it links.
    /// </summary>
    [Cmdlet(VerbsSecurity.Revoke, "HeadshotInvite", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ByEmailSet)]
    [OutputType(typeof(Invite))]
    public sealed class RevokeHeadshotInvite : HeadshotProPipelineCmdlet
    {
        private const string ByEmailSet = "ByEmail";
        private const string ByIdSet = "ById";
        private const string Action = "Revoke the HeadshotPro invite (frees its credit if unused)";

        private People _people = null!;
        private HeadshotProClient _client = null!;
        private bool _passThru;
        private bool _skipMissing;
        private DryRun? _dryRun;

        /// <summary>Addresses, or objects naming a person (invites by their Id, members and models by their ModelId, AD or Entra ID users, CSV rows).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByEmailSet)]
        [Alias("Mail", "EmailAddress", "PrimarySmtpAddress", "UserPrincipalName")]
        public object[] Email { get; set; } = null!;

        /// <summary>Invite ids, as Get-HeadshotInvite shows them.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByIdSet)]
        [Alias("InviteId")]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; } = null!;

        /// <summary>Nothing to revoke (no invite, or one already revoked or used) is done, not an error; -Verbose says so.</summary>
        [Parameter]
        public SwitchParameter SkipMissing { get; set; }

        /// <summary>Revoke without asking for confirmation.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write the revoked invite.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override string Activity => "Revoking HeadshotPro invites";

        protected override string Describe(object target) => "Revoking the invite of " + target;

        protected override System.Collections.ICollection? GivenItems => ParameterSetName == ByIdSet ? (System.Collections.ICollection)Id : Email;

        protected override (string Done, string MaybeDone)? StoppedRunWording =>
            ("Revoked", "may have been revoked; Get-HeadshotInvite shows their status");

        /// <summary>What a -WhatIf run read at its start (null when the invites could not be read), and what it has told so far.</summary>
        private sealed class DryRun
        {
            public IReadOnlyList<Invite>? Invites;
            public int ToRevoke;
            public int CreditsFreed;
            public int NothingToRevoke;
            public int NotChecked;
        }

        /// <summary>What revoking finds for one input: the open invite it revokes, or why there is none (and the person's current invite, left alone).</summary>
        private sealed class Found
        {
            public Found(Invite open) => Open = open;

            public Found(string why, Invite? current = null)
            {
                Why = why;
                Current = current;
            }

            public Invite? Open { get; }
            public string? Why { get; }
            public Invite? Current { get; }
        }

        protected override void BeginInput()
        {
            _client = Session.Client;
            _people = new People(_client);
            _passThru = PassThru;
            _skipMissing = SkipMissing;
            if (WhatIfInEffect) StartDryRun();
        }

        /// <summary>A dry run reads the invites once, so what it says per input is what a real run would do.</summary>
        private void StartDryRun()
        {
            _dryRun = new DryRun();
            var people = _people;
            var options = Requests;
            try
            {
                _dryRun.Invites = Call(ct => people.InvitesAsync(options, ct));
            }
            catch (HeadshotProApiException e)
            {
                if (e.Kind == ApiErrorKind.Unauthorized) WriteItemError(e, Session.Connection.BaseUri, "Reading the invites for the dry run");
                WriteWarning($"The dry run could not read the invites ({e.Message}); it cannot say who has an invite to revoke.");
            }
        }

        protected override void ProcessInput()
        {
            if (ParameterSetName == ByIdSet)
            {
                foreach (var given in Id)
                {
                    var id = given.Trim();
                    if (ShouldRevoke("invite " + id, id, all => ById(id, all))) Submit(id, (options, ct) => ByIdAsync(id, id, options, ct), label: id);
                }
                return;
            }
            foreach (var input in Email)
            {
                var person = AcceptPerson(input, "its invite was revoked once");
                if (person == null) continue;
                if (person.Team != null)
                {
                    CountLocal(false);
                    WriteError(ErrorRecords.NotAPerson(input, person.Team, "nothing was revoked",
                        $"To revoke the team's pending invites: Get-HeadshotInvite -Status pending | Where-Object TeamId -eq '{person.Team.Id}' | Revoke-HeadshotInvite"));
                    continue;
                }
                if (person.InviteId is string id)
                {
                    if (ShouldRevoke($"invite {id}{(person.Address != null ? " of " + person.Address : "")}", person.Label, all => ById(id, all)))
                        Submit(person.Target, (options, ct) => ByIdAsync(id, person.Label, options, ct), label: person.Label);
                }
                else if (person.ModelId is string modelId)
                {
                    if (ShouldRevoke(person.Address ?? person.Label, person.Label, all => ByModel(modelId, all)))
                        Submit(person.Target, (options, ct) => ByModelAsync(modelId, person.Label, options, ct), label: person.Label);
                }
                else
                {
                    var address = person.Address!;
                    if (ShouldRevoke(address, address, all => ByAddress(address, all)))
                        Submit(address, (options, ct) => ByAddressAsync(address, options, ct), label: address);
                }
            }
        }

        /// <summary>
        /// Whether to send one revoke: the confirmation as usual (-Force skips only the prompt), or in a dry run never,
        /// after saying what a real run would do with the invites read at the start (<paramref name="find"/>).
        /// </summary>
        private bool ShouldRevoke(string target, string label, Func<IReadOnlyList<Invite>, Found> find)
        {
            if (_dryRun == null) return ShouldChange(target, Action, Force);
            if (_dryRun.Invites == null)
            {
                _dryRun.NotChecked++;
                ShouldProcess($"Revoke the invite of {label}, if there is one (not checked).", null, null);
                return false;
            }
            var found = find(_dryRun.Invites);
            if (found.Open is Invite open)
            {
                _dryRun.ToRevoke++;
                var pending = open.Status == InviteStatus.Pending;
                if (pending) _dryRun.CreditsFreed++;
                var invited = open.CreatedAt is DateTimeOffset at ? at.ToString("d", CultureInfo.CurrentCulture) : null;
                var detail = pending
                    ? (invited != null ? $"pending since {invited}; " : "pending; ") + "frees 1 credit"
                    : $"{open.Status ?? "used"}{(invited != null ? ", invited " + invited : "")}; its credit is not freed";
                ShouldProcess($"Revoke {(open.Id != null ? "invite " + open.Id : "the invite")} of {open.Email} ({detail})", null, null);
                return false;
            }
            _dryRun.NothingToRevoke++;
            var leftAlone = found.Current != null ? $"; their current invite {found.Current.Id} ({found.Current.Status}) would be left alone" : "";
            ShouldProcess(_skipMissing
                ? $"Nothing to revoke for {label}: {found.Why}{leftAlone} (-SkipMissing passes it)."
                : $"Would fail for {label}: {found.Why}, nothing to revoke (InviteNotFound){leftAlone}.", null, null);
            return false;
        }

        protected override void EndInput()
        {
            if (_dryRun == null) return;
            var freed = _dryRun.CreditsFreed == 0 ? "" : $" (frees {_dryRun.CreditsFreed} credit{(_dryRun.CreditsFreed == 1 ? "" : "s")})";
            var notChecked = _dryRun.NotChecked == 0 ? "" : $", {_dryRun.NotChecked} not checked";
            ShouldProcess($"{_dryRun.ToRevoke} to revoke{freed}, {_dryRun.NothingToRevoke} with nothing to revoke{notChecked}.", null, null);
        }

        /// <summary>An invite by id, if it is still open; else why not, and the person's current invite that is left alone.</summary>
        private static Found ById(string id, IReadOnlyList<Invite> all)
        {
            var invite = all.FirstOrDefault(i => i.Id == id);
            if (invite == null) return new Found($"no invite has the id '{id}'");
            if (InviteStatus.IsLive(invite.Status)) return new Found(invite);
            var current = InviteJoin.Current(all.Where(i => string.Equals(i.Email, invite.Email, StringComparison.OrdinalIgnoreCase)));
            return new Found($"the invite {id} of {invite.Email} is already {invite.Status}",
                current != null && current.Id != id && InviteStatus.IsLive(current.Status) ? current : null);
        }

        /// <summary>The open invite that links a member's or a model's person (v2's invites carry the modelId), else why not.</summary>
        private static Found ByModel(string modelId, IReadOnlyList<Invite> all)
        {
            var invite = InviteJoin.Newest(all.Where(i => i.ModelId == modelId));
            if (invite == null) return new Found($"no invite links model {modelId}");
            return InviteStatus.IsLive(invite.Status) ? new Found(invite) : new Found($"the invite {invite.Id} of {invite.Email} is already {invite.Status}");
        }

        /// <summary>An address's open invite (the newest live one by createdAt), else why not.</summary>
        private static Found ByAddress(string address, IReadOnlyList<Invite> all)
        {
            var mine = all.Where(i => string.Equals(i.Email, address, StringComparison.OrdinalIgnoreCase)).ToList();
            if (InviteJoin.Newest(mine.Where(i => InviteStatus.IsLive(i.Status))) is Invite open) return new Found(open);
            var newest = InviteJoin.Newest(mine);
            return new Found(newest == null ? "not invited" : $"their invite{(newest.Id != null ? " " + newest.Id : "")} is already {newest.Status}");
        }

        /// <summary>That invite, if it is still open; otherwise nothing (an error, or a verbose line with -SkipMissing).</summary>
        private async Task<object?> ByIdAsync(string id, string target, RequestOptions options, CancellationToken ct) =>
            await RevokeFoundAsync(ById(id, await _people.InvitesAsync(options, ct).ConfigureAwait(false)), target, options, ct).ConfigureAwait(false);

        private async Task<object?> ByModelAsync(string modelId, string target, RequestOptions options, CancellationToken ct) =>
            await RevokeFoundAsync(ByModel(modelId, await _people.InvitesAsync(options, ct).ConfigureAwait(false)), target, options, ct).ConfigureAwait(false);

        private async Task<object?> RevokeFoundAsync(Found found, string target, RequestOptions options, CancellationToken ct)
        {
            if (found.Open is Invite open) return await RevokeAsync(open.Email, open, options, ct).ConfigureAwait(false);
            var leftAlone = found.Current != null
                ? $"; their current invite {found.Current.Id} ({found.Current.Status}) was left alone — pipe that one, or give the address, to revoke it" : "";
            return Missing(target, $"{char.ToUpperInvariant(found.Why![0])}{found.Why.Substring(1)}, so nothing was revoked{leftAlone}.");
        }

        /// <summary>
        /// An address's open invite, revoked by the address (the server finds it); with -PassThru, the one that was open
        /// is written, so the invites are read first.
        /// </summary>
        private async Task<object?> ByAddressAsync(string address, RequestOptions options, CancellationToken ct)
        {
            var open = _passThru ? ByAddress(address, await _people.InvitesAsync(options, ct).ConfigureAwait(false)).Open : null;
            return await RevokeAsync(address, open ?? new Invite { Email = address }, options, ct).ConfigureAwait(false);
        }

        private async Task<object?> RevokeAsync(string address, Invite invite, RequestOptions options, CancellationToken ct)
        {
            try
            {
                await _client.RevokeInviteAsync(address, ct, options).ConfigureAwait(false);
            }
            catch (HeadshotProApiException e) when (e.Kind == ApiErrorKind.NotFound && _skipMissing)
            {
                return Missing(address, $"{address} has no open invite.");
            }
            if (!_passThru) return null;
            var signUp = invite.ModelId == null ? null
                : (await _people.SignUpAddressesAsync(new[] { invite.ModelId }, options, ct).ConfigureAwait(false)).TryGetValue(invite.ModelId, out var a) ? a : null;
            return new Invite
            {
                Id = invite.Id, Email = invite.Email, Status = InviteStatus.Revoked, Link = invite.Link, TeamId = invite.TeamId, TeamName = invite.TeamName,
                ModelId = invite.ModelId, CreatedAt = invite.CreatedAt, ExpiresAt = invite.ExpiresAt, Outcome = "Revoked",
                SignUpEmail = signUp != null && !string.Equals(signUp, invite.Email, StringComparison.OrdinalIgnoreCase) ? signUp : null,
            };
        }

        /// <summary>Nothing to revoke: with -SkipMissing that is done (a verbose line says so); otherwise InviteNotFound.</summary>
        private object? Missing(string target, string why)
        {
            if (!_skipMissing)
                throw new HeadshotProApiException(ApiErrorKind.NotFound, why, 404, "NOT_FOUND");
            QueueVerbose($"Nothing to revoke for {target}: {why}");
            return null;
        }
    }
}

using System;
using System.Linq;
using System.Management.Automation;
using HeadshotPro.Client;

namespace HeadshotPro.Commands
{
    [Cmdlet(VerbsSecurity.Revoke, "HeadshotInvite", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ByEmailSet)]
    [OutputType(typeof(Invite))]
    public sealed class RevokeHeadshotInvite : HeadshotProPipelineCmdlet
    {
        private const string ByEmailSet = "ByEmail";
        private const string ByIdSet = "ById";

        private InviteList _invites = null!;
        private bool _passThru;
        private bool _skipMissing;
        private System.Collections.Generic.IReadOnlyList<Team>? _teams;

        /// <summary>Addresses, or objects carrying one (invites, AD or Entra ID users, CSV rows).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByEmailSet)]
        [Alias("Mail", "EmailAddress", "PrimarySmtpAddress", "UserPrincipalName")]
        public object[] Email { get; set; } = null!;

        /// <summary>Invite ids, as Get-HeadshotInvite shows them.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByIdSet)]
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

        protected override void BeginInput()
        {
            _invites = new InviteList(Session.Client);
            _passThru = PassThru;
            _skipMissing = SkipMissing;
            _teams = Session.Teams;
        }

        protected override void ProcessInput()
        {
            if (ParameterSetName == ByIdSet)
            {
                foreach (var given in Id) RevokeById(given.Trim());
                return;
            }
            foreach (var input in Email)
            {
                var address = AcceptAddress(input, "its invite was revoked once");
                if (address == null) continue;
                if (!ShouldChange(address, "Revoke the HeadshotPro invite (frees its credit if unused)", Force)) continue;
                var given = (input is PSObject wrapped ? wrapped.BaseObject : input) as Invite;
                Revoke(address, address, given);
            }
        }

        private void RevokeById(string id)
        {
            if (!ShouldChange("invite " + id, "Revoke the HeadshotPro invite (frees its credit if unused)", Force)) return;
            var client = Session.Client;
            var invites = _invites;
            var skipMissing = _skipMissing;
            var passThru = _passThru;
            Submit(id, async (options, ct) =>
            {
                var invite = (await invites.GetAsync(options, ct).ConfigureAwait(false)).FirstOrDefault(i => i.Id == id);
                if (invite == null) return Missing(id, $"No invite has the id '{id}'.");
                if (!InviteStatus.IsLive(invite.Status)) return Missing(id, $"The invite {id} of {invite.Email} is already {invite.Status}.");
                return await RevokedAsync(client, invite.Email, invite, options, ct, skipMissing, passThru).ConfigureAwait(false);
            });
        }

        private void Revoke(string target, string address, Invite? given)
        {
            var client = Session.Client;
            var skipMissing = _skipMissing;
            var passThru = _passThru;
            Submit(target, (options, ct) => RevokedAsync(client, address, given, options, ct, skipMissing, passThru));
        }

        private async System.Threading.Tasks.Task<object?> RevokedAsync(HeadshotProClient client, string address, Invite? known, RequestOptions options,
            System.Threading.CancellationToken ct, bool skipMissing, bool passThru)
        {
            try
            {
                await client.RevokeInviteAsync(address, ct, options).ConfigureAwait(false);
            }
            catch (HeadshotProApiException e) when (e.Kind == ApiErrorKind.NotFound && skipMissing)
            {
                return Missing(address, $"{address} has no open invite.");
            }
            if (!passThru) return null;
            var invite = known?.Id != null ? known
                : (await _invites.GetAsync(options, ct).ConfigureAwait(false)).LastOrDefault(i => string.Equals(i.Email, address, StringComparison.OrdinalIgnoreCase))
                  ?? new Invite { Email = address };
            return new Invite
            {
                Id = invite.Id, Email = invite.Email, Status = "revoked", Link = invite.Link, TeamId = invite.TeamId,
                TeamName = invite.TeamName ?? _teams?.FirstOrDefault(t => t.Id == invite.TeamId)?.Name,
                CreatedAt = invite.CreatedAt, Outcome = "Revoked",
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

using System;
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

        protected override void BeginInput()
        {
            _client = Session.Client;
            _people = new People(_client);
            _passThru = PassThru;
            _skipMissing = SkipMissing;
        }

        protected override void ProcessInput()
        {
            if (ParameterSetName == ByIdSet)
            {
                foreach (var given in Id)
                {
                    var id = given.Trim();
                    if (ShouldChange("invite " + id, Action, Force)) Submit(id, (options, ct) => ByIdAsync(id, id, options, ct), label: id);
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
                    if (ShouldChange($"invite {id}{(person.Address != null ? " of " + person.Address : "")}", Action, Force))
                        Submit(person.Target, (options, ct) => ByIdAsync(id, person.Label, options, ct), label: person.Label);
                }
                else if (person.ModelId is string modelId)
                {
                    if (ShouldChange(person.Address ?? person.Label, Action, Force))
                        Submit(person.Target, (options, ct) => ByModelAsync(modelId, person.Label, options, ct), label: person.Label);
                }
                else if (ShouldChange(person.Address!, Action, Force))
                {
                    var address = person.Address!;
                    Submit(address, (options, ct) => ByAddressAsync(address, options, ct), label: address);
                }
            }
        }

        /// <summary>That invite, if it is still open; otherwise nothing (an error, or a verbose line with -SkipMissing).</summary>
        private async Task<object?> ByIdAsync(string id, string target, RequestOptions options, CancellationToken ct)
        {
            var all = await _people.InvitesAsync(options, ct).ConfigureAwait(false);
            var invite = all.FirstOrDefault(i => i.Id == id);
            if (invite == null) return Missing(target, $"No invite has the id '{id}'.");
            if (!InviteStatus.IsLive(invite.Status))
            {
                var current = InviteJoin.Current(all.Where(i => string.Equals(i.Email, invite.Email, StringComparison.OrdinalIgnoreCase)));
                var untouched = current != null && current.Id != id && InviteStatus.IsLive(current.Status)
                    ? $"; their current invite {current.Id} ({current.Status}) was left alone — pipe that one, or give the address, to revoke it" : "";
                return Missing(target, $"The invite {id} of {invite.Email} is already {invite.Status}, so nothing was revoked{untouched}.");
            }
            return await RevokeAsync(invite.Email, invite, options, ct).ConfigureAwait(false);
        }

        /// <summary>The open invite that links a member's or a model's person (v2's invites carry the modelId).</summary>
        private async Task<object?> ByModelAsync(string modelId, string target, RequestOptions options, CancellationToken ct)
        {
            var invite = InviteJoin.Newest((await _people.InvitesAsync(options, ct).ConfigureAwait(false)).Where(i => i.ModelId == modelId));
            if (invite == null) return Missing(target, $"No invite links model {modelId}.");
            if (!InviteStatus.IsLive(invite.Status)) return Missing(target, $"The invite {invite.Id} of {invite.Email} is already {invite.Status}.");
            return await RevokeAsync(invite.Email, invite, options, ct).ConfigureAwait(false);
        }

        /// <summary>An address's open invite; with -PassThru, the one that was open (the newest live one by createdAt) is written.</summary>
        private async Task<object?> ByAddressAsync(string address, RequestOptions options, CancellationToken ct)
        {
            Invite? open = null;
            if (_passThru)
                open = InviteJoin.Newest((await _people.InvitesAsync(options, ct).ConfigureAwait(false))
                    .Where(i => string.Equals(i.Email, address, StringComparison.OrdinalIgnoreCase) && InviteStatus.IsLive(i.Status)));
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

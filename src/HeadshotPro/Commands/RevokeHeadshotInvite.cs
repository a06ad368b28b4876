using System;
using System.Management.Automation;
using HeadshotPro.Client;

namespace HeadshotPro.Commands
{
    [Cmdlet(VerbsSecurity.Revoke, "HeadshotInvite", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(Invite))]
    public sealed class RevokeHeadshotInvite : HeadshotProPipelineCmdlet
    {
        /// <summary>Addresses, or objects carrying one (invites, AD or Entra ID users, CSV rows).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Mail", "EmailAddress", "PrimarySmtpAddress", "UserPrincipalName")]
        public object[] Email { get; set; } = null!;

        /// <summary>Revoke without asking for confirmation.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write the revoked invite.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private bool _passThru;

        protected override string Activity => "Revoking HeadshotPro invites";

        protected override string Describe(object target) => "Revoking the invite of " + target;

        protected override System.Collections.ICollection? GivenItems => Email;

        protected override (string Done, string MaybeDone)? StoppedRunWording =>
            ("Revoked", "may have been revoked; Get-HeadshotInvite shows their status");

        protected override void BeginInput() => _passThru = PassThru;

        protected override void ProcessInput()
        {
            var client = Session.Client;
            foreach (var input in Email)
            {
                var address = AcceptAddress(input, "its invite was revoked once");
                if (address == null) continue;
                if (!ShouldChange(address, "Revoke the HeadshotPro invite (frees its credit if unused)", Force)) continue;
                var invite = (input is PSObject wrapped ? wrapped.BaseObject : input) as Invite;
                var passThru = _passThru;
                Submit(address, async (options, ct) =>
                {
                    await client.RevokeInviteAsync(address, ct, options).ConfigureAwait(false);
                    if (!passThru) return null;
                    return new Invite { Id = invite?.Id, Email = address, Status = "revoked", Link = invite?.Link, TeamId = invite?.TeamId, CreatedAt = invite?.CreatedAt };
                });
            }
        }

        protected override void Finished() => Session.LastKnownCredits = null; // a revoked invite frees its credit only if it was still pending
    }
}

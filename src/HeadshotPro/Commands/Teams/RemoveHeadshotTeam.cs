using System.Management.Automation;

namespace HeadshotPro.Commands
{
    /// <summary>Deletes teams (API v2). High impact: asks unless -Force or -Confirm:$false.</summary>
    [Cmdlet(VerbsCommon.Remove, "HeadshotTeam", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveHeadshotTeam : TeamCmdlet
    {
        /// <summary>Teams: names, ids, or teams from Get-HeadshotTeam.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ArgumentCompleter(typeof(TeamNameCompleter))]
        [ValidateNotNull]
        public object[] Team { get; set; } = null!;

        /// <summary>Delete without the confirmation prompt (-WhatIf, $WhatIfPreference and -Confirm still apply).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var input in Team)
            {
                if (!Readable(input, $"Deleting the team '{Given(input)}'")) continue;
                var team = TeamOf(input);
                if (team == null) continue;
                if (!ShouldChange($"team '{team.Name}' ({team.Id})", "Delete the HeadshotPro team", Force)) continue;
                var client = Session.Client;
                var options = Requests;
                var id = team.Id;
                Change((_, ct) => client.Organization.DeleteTeamAsync(id, ct, options), team, $"Deleting the team '{team.Name}'");
            }
        }
    }
}

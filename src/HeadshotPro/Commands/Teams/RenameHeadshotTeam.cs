using System.Management.Automation;

namespace HeadshotPro.Commands
{
    /// <summary>Renames a team (API v2).</summary>
    [Cmdlet(VerbsCommon.Rename, "HeadshotTeam", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(Team))]
    public sealed class RenameHeadshotTeam : TeamCmdlet
    {
        /// <summary>The team: a name, an id, or a team from Get-HeadshotTeam.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ArgumentCompleter(typeof(TeamNameCompleter))]
        [ValidateNotNull]
        public object Team { get; set; } = null!;

        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string NewName { get; set; } = null!;

        /// <summary>Write the renamed team.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (!Readable(Team, $"Renaming the team '{Given(Team)}'")) return;
            var team = TeamOf(Team);
            if (team == null) return;
            var name = NewName.Trim();
            var holder = Holder(name, team.Id);
            if (holder != null)
            {
                WriteError(NameTaken(name, holder));
                return;
            }
            if (!ShouldProcess($"team '{team.Name}' ({team.Id})", $"Rename the HeadshotPro team to '{name}'")) return;
            var client = Session.Client;
            var options = Requests;
            var id = team.Id;
            var after = Change((_, ct) => client.Organization.RenameTeamAsync(id, name, ct, options), team, $"Renaming the team '{team.Name}'", name);
            if (after != null && PassThru) WriteObject(FindTeam(after.Teams, id) ?? new Team { Id = id, Name = name });
        }
    }
}

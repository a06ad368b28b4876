using System.Management.Automation;

namespace HeadshotPro.Commands
{
    /// <summary>Creates teams (API v2); team names are unique in the organization.</summary>
    [Cmdlet(VerbsCommon.New, "HeadshotTeam", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(Team))]
    public sealed class NewHeadshotTeam : TeamCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; } = null!;

        protected override void ProcessRecord()
        {
            foreach (var given in Name)
            {
                var name = given.Trim();
                if (!Readable(name, $"Creating the team '{name}'")) continue;
                var holder = Holder(name);
                if (holder != null)
                {
                    WriteError(NameTaken(name, holder));
                    continue;
                }
                if (!ShouldProcess($"team '{name}'", "Create the HeadshotPro team")) continue;
                var client = Session.Client;
                var options = Requests;
                var after = Change((_, ct) => client.Organization.CreateTeamAsync(name, ct, options), name, $"Creating the team '{name}'", name);
                var made = after == null ? null : FindTeam(after.Teams, name);
                if (made != null) WriteObject(made);
                else if (after != null) WriteItemError(ApiNoTeam(name), name, $"Creating the team '{name}'");
            }
        }

        private static Client.HeadshotProApiException ApiNoTeam(string name) =>
            new Client.HeadshotProApiException(Client.ApiErrorKind.UnexpectedResponse, $"The server answered success, but its organization has no team named '{name}'.", 200);
    }
}

using System.Management.Automation;

namespace HeadshotPro.Commands
{
    /// <summary>The organization's team members (API v2), read lazily page by page.</summary>
    [Cmdlet(VerbsCommon.Get, "HeadshotMember", SupportsPaging = true)]
    [OutputType(typeof(Member))]
    public sealed class GetHeadshotMember : HeadshotProCmdlet
    {
        /// <summary>Only members at this stage: accepted (nothing uploaded), pending (uploading or generating) or finished.</summary>
        [Parameter(Position = 0)]
        [ValidateSet("accepted", "pending", "finished")]
        public string? Status { get; set; }

        /// <summary>Only members of this team (name or id).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(TeamNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string? Team { get; set; }

        protected override void EndProcessing()
        {
            var client = Session.Client;
            string? teamId = null;
            if (Team != null)
            {
                var team = ResolveTeam(Team);
                if (team == null) return;
                teamId = team.Id;
            }
            var status = Status;
            var options = Requests;
            // The members list takes no team filter: with -Team it is filtered here, and -Skip/-First count what is kept.
            WritePaged((offset, most) => client.Members.Reader(status, options, offset, most),
                teamId == null ? null : new System.Func<Member, bool>(m => m.TeamId == teamId), Status, "Listing members");
        }
    }
}

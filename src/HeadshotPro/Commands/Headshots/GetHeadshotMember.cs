using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using HeadshotPro.Client.Transport;

namespace HeadshotPro.Commands
{
    /// <summary>
    /// The organization's team members (API v2): the list, read lazily page by page, or the member each person (or the
    /// members of each team) piped in. Each names the person by the invited address.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "HeadshotMember", DefaultParameterSetName = ListSet, SupportsPaging = true)]
    [OutputType(typeof(Member))]
    public sealed class GetHeadshotMember : HeadshotProPipelineCmdlet
    {
        private const string ListSet = "List";
        private const string ByEmailSet = "ByEmail";

        /// <summary>Only members at these stages: accepted (nothing uploaded), pending (uploading or generating), finished.</summary>
        [Parameter(Position = 0)]
        [ValidateSet("accepted", "pending", "finished")]
        public string[]? Status { get; set; }

        /// <summary>Only members of these teams (names or ids).</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ArgumentCompleter(typeof(TeamNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Team { get; set; }

        /// <summary>People (addresses, invites, models, AD or Entra ID users, CSV rows) or teams.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByEmailSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Mail", "EmailAddress", "PrimarySmtpAddress", "UserPrincipalName")]
        public object[] Email { get; set; } = null!;

        private People _people = null!;

        protected override string Activity => "Reading HeadshotPro members";

        protected override string Describe(object target) => "Reading the member record of " + target;

        protected override System.Collections.ICollection? GivenItems => ParameterSetName == ByEmailSet ? Email : null;

        protected override void BeginInput() => _people = new People(Session.Client);

        protected override void ProcessInput()
        {
            if (ParameterSetName != ByEmailSet) return;
            var people = _people;
            var keep = FilterHere<Member>(null, null, Status, null, m => m.TeamId, m => m.Status);
            foreach (var input in Email)
            {
                var person = AcceptPerson(input, "its member record is written once");
                if (person == null) continue;
                if (person.Team is Team team)
                    Submit(person.Target, async (options, ct) =>
                        new Results((await people.MembersAsync(options, ct).ConfigureAwait(false)).Where(m => m.TeamId == team.Id && (keep == null || keep(m))).ToList()),
                        label: team.Name);
                else
                    Submit(person.Target, async (options, ct) =>
                    {
                        var member = await people.MemberOfAsync(person, options, ct).ConfigureAwait(false);
                        return keep == null || keep(member) ? member : null;
                    }, label: person.Label);
            }
        }

        protected override void EndInput()
        {
            if (ParameterSetName != ListSet || Piped) return;
            var client = Session.Client;
            HashSet<string>? teamIds = null;
            if (Team != null && (teamIds = ResolveTeams(Team)) == null) return;
            // The members list takes one status and no team.
            var status = OnlyOne(Status);
            var options = Requests;
            var named = _people.Named<Member>((o, l, ct) => client.Members.ListPageAsync(status, o, l, ct, options), (names, m) => names.Name(m), options);
            WritePaged((offset, most) => new PageReader<Member>(named, offset, Paging.DefaultLimit, most),
                FilterHere<Member>(teamIds, null, Status, status, m => m.TeamId, m => m.Status), Status, "Listing members");
        }
    }
}

using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using HeadshotPro.Client;
using HeadshotPro.Client.Transport;

namespace HeadshotPro.Commands
{
    /// <summary>
    /// Headshot models (API v2): by id, the model of each person (or team) piped in, or the organization's list, paged.
    /// Each names its person by the invited address.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "HeadshotModel", DefaultParameterSetName = ListSet, SupportsPaging = true)]
    [OutputType(typeof(Model))]
    public sealed class GetHeadshotModel : HeadshotProPipelineCmdlet
    {
        private const string ListSet = "List";
        private const string ByIdSet = "ById";
        private const string ByEmailSet = "ByEmail";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet)]
        [Alias("ModelId")]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; } = null!;

        /// <summary>People (addresses, members, models, invites, photos, webhook events, AD or Entra ID users, CSV rows) or teams.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByEmailSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Mail", "EmailAddress", "PrimarySmtpAddress", "UserPrincipalName")]
        public object[] Email { get; set; } = null!;

        /// <summary>Only models at these stages.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateSet("onboarding", "waiting", "pending", "generatingHeadshots", "active", "failed", "deleted")]
        public string[]? Status { get; set; }

        /// <summary>Only models of these teams (names or ids).</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ArgumentCompleter(typeof(TeamNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Team { get; set; }

        private People _people = null!;

        protected override string Activity => "Reading HeadshotPro models";

        protected override string Describe(object target) => "Reading the model of " + target;

        protected override System.Collections.ICollection? GivenItems => ParameterSetName == ByIdSet ? Id : ParameterSetName == ByEmailSet ? Email : null;

        protected override void BeginInput() => _people = new People(Session.Client);

        protected override void ProcessInput()
        {
            var people = _people;
            if (ParameterSetName == ByIdSet)
            {
                foreach (var given in Id)
                {
                    var id = given.Trim();
                    Submit(id, async (options, ct) => await people.ModelAsync(id, options, ct).ConfigureAwait(false));
                }
                return;
            }
            if (ParameterSetName != ByEmailSet) return;
            var client = Session.Client;
            foreach (var input in Email)
            {
                var person = AcceptPerson(input, "its model is written once");
                if (person == null) continue;
                if (person.Team is Team team)
                    Submit(person.Target, async (options, ct) =>
                    {
                        var names = await people.NamesAsync(options, ct).ConfigureAwait(false);
                        var models = await client.Models.Reader(null, team.Id, options, pageSize: Paging.MaxLimit).RestAsync(ct).ConfigureAwait(false);
                        return new Results(models.Select(m => { names.Name(m); return m; }).ToList());
                    }, label: team.Name);
                else Submit(person.Target, async (options, ct) => await people.ModelOfAsync(person, reread: true, options, ct).ConfigureAwait(false), label: person.Label);
            }
        }

        protected override void EndInput()
        {
            if (ParameterSetName != ListSet || Piped) return;
            HashSet<string>? teamIds = null;
            if (Team != null && (teamIds = ResolveTeams(Team)) == null) return;
            // The models list takes one status and one team.
            var teamId = OnlyOne(teamIds);
            var status = OnlyOne(Status);
            var client = Session.Client;
            var options = Requests;
            var named = _people.Named<Model>((o, l, ct) => client.Models.ListPageAsync(status, teamId, o, l, ct, options), (names, m) => names.Name(m), options);
            WritePaged((offset, most) => new PageReader<Model>(named, offset, Paging.DefaultLimit, most),
                FilterHere<Model>(teamIds, teamId, Status, status, m => m.TeamId, m => m.Status), Status, "Listing models");
        }
    }
}

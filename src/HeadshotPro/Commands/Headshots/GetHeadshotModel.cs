using System.Management.Automation;
using HeadshotPro.Client.Api;

namespace HeadshotPro.Commands
{
    /// <summary>Headshot models (API v2): by id, the model of each person piped in, or the organization's list, paged.</summary>
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

        /// <summary>Addresses, or objects carrying one (members, models, invites, AD or Entra ID users, CSV rows); webhook events by their ModelId.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByEmailSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Mail", "EmailAddress", "PrimarySmtpAddress", "UserPrincipalName")]
        public object[] Email { get; set; } = null!;

        [Parameter(ParameterSetName = ListSet)]
        [ValidateSet("onboarding", "waiting", "pending", "generatingHeadshots", "active", "failed", "deleted")]
        public string? Status { get; set; }

        /// <summary>Only models of this team (name or id).</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ArgumentCompleter(typeof(TeamNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string? Team { get; set; }

        private ModelLookup? _lookup;

        protected override string Activity => "Reading HeadshotPro models";

        protected override string Describe(object target) => "Reading the model of " + target;

        protected override System.Collections.ICollection? GivenItems => ParameterSetName == ByIdSet ? Id : ParameterSetName == ByEmailSet ? Email : null;

        protected override void BeginInput() => _lookup = new ModelLookup(Session.Client);

        protected override void ProcessInput()
        {
            var client = Session.Client;
            if (ParameterSetName == ByIdSet)
            {
                foreach (var given in Id)
                {
                    var id = given.Trim();
                    Submit(id, async (options, ct) => await client.Models.GetAsync(id, ct, options).ConfigureAwait(false));
                }
            }
            else if (ParameterSetName == ByEmailSet)
            {
                var lookup = _lookup!;
                foreach (var input in Email)
                {
                    if (ModelLookup.EventModelId(input) is string eventModel)
                    {
                        Submit(input, async (options, ct) => await lookup.FromEventAsync(input, eventModel, options, ct).ConfigureAwait(false));
                        continue;
                    }
                    var address = AcceptAddress(input, "its model is written once");
                    if (address == null) continue;
                    Submit(address, async (options, ct) => await lookup.FindAsync(address, input, reread: true, options, ct).ConfigureAwait(false));
                }
            }
        }

        protected override void EndInput()
        {
            if (ParameterSetName != ListSet) return;
            string? teamId = null;
            if (Team != null)
            {
                var team = ResolveTeam(Team);
                if (team == null) return;
                teamId = team.Id;
            }
            var client = Session.Client;
            var status = Status;
            var options = Requests;
            WritePaged((offset, most) => client.Models.Reader(status, teamId, options, offset, most), null, Status, "Listing models");
        }
    }
}

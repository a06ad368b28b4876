using System.Linq;
using System.Management.Automation;

namespace HeadshotPro.Commands
{
    /// <summary>The organization's teams, by name (wildcards) or id.</summary>
    [Cmdlet(VerbsCommon.Get, "HeadshotTeam", DefaultParameterSetName = ByNameSet)]
    [OutputType(typeof(Team))]
    public sealed class GetHeadshotTeam : HeadshotProCmdlet
    {
        private const string ByNameSet = "ByName";
        private const string ByIdSet = "ById";

        [Parameter(Position = 0, ParameterSetName = ByNameSet)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(TeamNameCompleter))]
        public string? Name { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ByIdSet)]
        [ArgumentCompleter(typeof(TeamIdCompleter))]
        public string[] Id { get; set; } = null!;

        protected override void EndProcessing()
        {
            var organization = ReadOrganization();
            if (organization == null) return;
            if (ParameterSetName == ByIdSet)
            {
                foreach (var id in Id)
                {
                    var team = organization.Teams.FirstOrDefault(t => t.Id == id);
                    if (team != null) WriteObject(team);
                    else WriteError(TeamNotFound(id, organization));
                }
                return;
            }
            var pattern = string.IsNullOrEmpty(Name) ? null : new WildcardPattern(Name, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
            var found = organization.Teams.Where(t => pattern == null || pattern.IsMatch(t.Name)).ToList();
            if (found.Count == 0 && Name != null && !WildcardPattern.ContainsWildcardCharacters(Name)) WriteError(TeamNotFound(Name, organization));
            WriteObject(found, enumerateCollection: true);
        }
    }
}

using System.Management.Automation;
using HeadshotPro.Client;

namespace HeadshotPro.Commands
{
    /// <summary>The organization the key belongs to, with its teams.</summary>
    [Cmdlet(VerbsCommon.Get, "HeadshotOrganization")]
    [OutputType(typeof(Organization))]
    public sealed class GetHeadshotOrganization : HeadshotProCmdlet
    {
        protected override void EndProcessing()
        {
            var organization = ReadOrganization();
            if (organization != null) WriteObject(organization);
        }
    }
}

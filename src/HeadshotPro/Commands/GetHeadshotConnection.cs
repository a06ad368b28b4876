using System.Management.Automation;

namespace HeadshotPro.Commands
{
    /// <summary>The current connection (from Connect-HeadshotPro or the environment variables); the key appears only as its last four characters.</summary>
    [Cmdlet(VerbsCommon.Get, "HeadshotConnection")]
    [OutputType(typeof(Connection))]
    public sealed class GetHeadshotConnection : HeadshotProCmdlet
    {
        protected override void EndProcessing() => WriteObject(Session.Connection);
    }
}

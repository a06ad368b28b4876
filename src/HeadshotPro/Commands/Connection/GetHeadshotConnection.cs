using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace HeadshotPro.Commands
{
    /// <summary>
    /// The current connection (from Connect-HeadshotPro or the environment variables); the key appears only as its last
    /// four characters. Without one it writes a NotConnected error that -ErrorAction SilentlyContinue can silence, so
    /// a script can test for a connection.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "HeadshotConnection")]
    [OutputType(typeof(Connection))]
    public sealed class GetHeadshotConnection : HeadshotProCmdlet
    {
        protected override void EndProcessing()
        {
            if (!IsConnected(Runspace.DefaultRunspace))
            {
                WriteError(NotConnected());
                return;
            }
            WriteObject(Session.Current());
        }
    }
}

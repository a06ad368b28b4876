using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace HeadshotPro.Commands
{
    /// <summary>Forgets this runspace's connection and closes its HTTP connections.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "HeadshotPro")]
    [OutputType(typeof(void))]
    public sealed class DisconnectHeadshotPro : PSCmdlet
    {
        protected override void EndProcessing()
        {
            var runspace = Runspace.DefaultRunspace;
            if (SessionStore.Get(runspace) == null)
            {
                WriteVerbose("Not connected; nothing to do.");
                return;
            }
            SessionStore.Set(runspace, null);
            WriteVerbose("Disconnected from HeadshotPro.");
        }
    }
}

using System;
using System.Management.Automation;
using HeadshotPro.Client;

namespace HeadshotPro.Commands
{
    [Cmdlet(VerbsCommon.Get, "HeadshotCredits")]
    [Alias("Get-HeadshotCredit")]
    [OutputType(CreditBalance.TypeName)]
    public sealed class GetHeadshotCredits : HeadshotProCmdlet
    {
        protected override void EndProcessing()
        {
            var client = Session.Client;
            decimal credits;
            try
            {
                credits = Call(ct => client.GetCreditsAsync(ct, Requests));
            }
            catch (HeadshotProApiException e)
            {
                WriteItemError(e, Session.Connection.BaseUri, "Reading the credit balance");
                return;
            }
            var output = PSObject.AsPSObject(new CreditBalance(credits, DateTimeOffset.Now));
            output.TypeNames.Insert(0, CreditBalance.TypeName);
            WriteObject(output);
        }
    }
}

using System;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.InteropServices;
using System.Security;
using HeadshotPro.Client;

namespace HeadshotPro.Commands
{
    [Cmdlet(VerbsCommunications.Connect, "HeadshotPro", DefaultParameterSetName = ApiKeySet)]
    [OutputType(typeof(Connection))]
    public sealed class ConnectHeadshotPro : HeadshotProCmdlet
    {
        private const string ApiKeySet = "ApiKey";
        private const string CredentialSet = "Credential";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ApiKeySet)]
        public SecureString ApiKey { get; set; } = null!;

        /// <summary>The key as the password (the user name is ignored), e.g. from Get-AutomationPSCredential.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
        [Credential]
        public PSCredential Credential { get; set; } = null!;

        [Parameter]
        public Uri? BaseUri { get; set; }

        [Parameter]
        public Uri? Proxy { get; set; }

        [Parameter]
        [Credential]
        public PSCredential? ProxyCredential { get; set; }

        /// <summary>Seconds to wait for each attempt of a request.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = 100;

        /// <summary>Seconds a request may wait for the rate limit in all before it fails with RateLimitRetriesExhausted.</summary>
        [Parameter]
        [ValidateRange(0, 86400)]
        public int MaxRetryWaitSec { get; set; } = 300;

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            var requested = BaseUri ?? ClientSettings.DefaultBaseUri;
            var baseUri = BaseUriRules.Check(requested, out var problem);
            if (baseUri == null)
                ThrowTerminatingError(ErrorRecords.Make(new ArgumentException(problem), "InvalidBaseUri", ErrorCategory.InvalidArgument, requested, problem!,
                    "Leave -BaseUri out for HeadshotPro itself, or give the sandbox's http://127.0.0.1:PORT/api/v1/."));

            var key = PlainText(ParameterSetName == CredentialSet ? Credential.Password : ApiKey).Trim();
            if (key.Length == 0)
                ThrowTerminatingError(ErrorRecords.Make(new ArgumentException("The API key is empty."), "ApiKeyMissing", ErrorCategory.InvalidArgument, null,
                    "The API key is empty.", "Give the key from www.headshotpro.com/app/admin/api."));

            var settings = new ClientSettings(baseUri!, key)
            {
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
                MaxRetryWait = TimeSpan.FromSeconds(MaxRetryWaitSec),
                Proxy = Proxy,
                ProxyCredential = ProxyCredential?.GetNetworkCredential(),
            };
            var client = new HeadshotProClient(settings);
            int credits;
            try
            {
                credits = Call(ct => client.GetCreditsAsync(ct, Requests));
            }
            catch (HeadshotProApiException e)
            {
                client.Dispose();
                ThrowTerminatingError(ErrorRecords.For(e, baseUri, "Connecting to " + baseUri));
                throw;
            }
            catch
            {
                client.Dispose();
                throw;
            }

            var session = new HeadshotProSession(client, "Connect-HeadshotPro") { LastKnownCredits = credits };
            SessionStore.Set(Runspace.DefaultRunspace, session);
            WriteVerbose($"Connected to {baseUri} as key {settings.ApiKeyHint}; {credits} credits available.");
            if (PassThru) WriteObject(session.Connection);
        }

        /// <summary>Reads a SecureString through a BSTR, zeroed right after.</summary>
        private static string PlainText(SecureString secure)
        {
            var bstr = IntPtr.Zero;
            try
            {
                bstr = Marshal.SecureStringToBSTR(secure);
                return Marshal.PtrToStringBSTR(bstr);
            }
            finally
            {
                if (bstr != IntPtr.Zero) Marshal.ZeroFreeBSTR(bstr);
            }
        }
    }
}

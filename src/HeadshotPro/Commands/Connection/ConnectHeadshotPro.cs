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
        [SecretArgument("-ApiKey takes the API key as a SecureString only, so it is never kept as plain text. Pass it as -ApiKey (Read-Host -AsSecureString 'API key'), " +
            "or as the password of -Credential (Get-Credential; Get-AutomationPSCredential in Azure Automation), " +
            "or set $env:HEADSHOTPRO_API_KEY and leave Connect-HeadshotPro out.")]
        public SecureString ApiKey { get; set; } = null!;

        /// <summary>The key as the password (the user name is ignored), e.g. from Get-AutomationPSCredential.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
        [Credential]
        public PSCredential Credential { get; set; } = null!;

        [Parameter]
        public Uri? BaseUri { get; set; }

        [Parameter]
        public Uri? Proxy { get; set; }

        /// <summary>Credentials for -Proxy.</summary>
        [Parameter]
        [Credential]
        public PSCredential? ProxyCredential { get; set; }

        /// <summary>Sign in to the proxy (given, or the system's) as the current Windows user: NTLM or Kerberos.</summary>
        [Parameter]
        public SwitchParameter ProxyUseDefaultCredentials { get; set; }

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
            // A new connection replaces the current one, and a failed one leaves none: a script looping over
            // organizations must never go on with the previous organization's key.
            SessionStore.Set(Runspace.DefaultRunspace, null);
            var requested = BaseUri ?? EnvironmentBaseUri() ?? ClientSettings.DefaultBaseUri;
            var baseUri = BaseUriRules.Check(requested, out var problem);
            if (baseUri == null)
                ThrowTerminatingError(ErrorRecords.Make(new ArgumentException(problem), "InvalidBaseUri", ErrorCategory.InvalidArgument, BaseUriRules.Shown(requested), problem!,
                    "Leave -BaseUri out for HeadshotPro itself, or give the sandbox's http://127.0.0.1:PORT/api/v1/."));
            CheckProxy(baseUri!);

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
                ProxyUseDefaultCredentials = ProxyUseDefaultCredentials,
            };
            var client = new HeadshotProClient(settings);
            Organization organization;
            try
            {
                organization = Call(ct => client.ConnectAsync(ct, Requests));
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

            var session = new HeadshotProSession(client, "Connect-HeadshotPro");
            session.Remember(organization);
            SessionStore.Set(Runspace.DefaultRunspace, session);
            WriteVerbose($"Connected to {organization.Name ?? organization.Uid} at {baseUri} as key {settings.ApiKeyHint}.");
            if (PassThru) WriteObject(session.Current());
        }

        /// <summary>$env:HEADSHOTPRO_BASE_URI, as the other cmdlets read it when there is no Connect.</summary>
        private Uri? EnvironmentBaseUri()
        {
            var text = Environment.GetEnvironmentVariable(EnvBaseUri)?.Trim();
            if (string.IsNullOrEmpty(text)) return null;
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri)) return uri;
            var message = $"$env:{EnvBaseUri} is not an absolute URI.";
            ThrowTerminatingError(ErrorRecords.Make(new ArgumentException(message), "InvalidBaseUri", ErrorCategory.InvalidArgument, null, message,
                $"Set it to the API's base, like {ClientSettings.DefaultBaseUri}, remove it, or give -BaseUri."));
            return null;
        }

        private void CheckProxy(Uri baseUri)
        {
            string? problem = null;
            if (Proxy != null) problem = BaseUriRules.CheckProxy(Proxy, baseUri);
            else if (ProxyCredential != null) problem = "-ProxyCredential needs -Proxy: the system's proxy is used with -ProxyUseDefaultCredentials, or give the proxy's address.";
            if (problem == null && ProxyCredential != null && ProxyUseDefaultCredentials)
                problem = "Give either -ProxyCredential or -ProxyUseDefaultCredentials, not both.";
            if (problem != null)
                ThrowTerminatingError(ErrorRecords.Make(new ArgumentException(problem), "InvalidProxy", ErrorCategory.InvalidArgument,
                    Proxy == null ? null : BaseUriRules.Shown(Proxy), problem, "Correct the proxy options and connect again."));
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

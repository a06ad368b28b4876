using System;
using System.Collections;
using System.Collections.Specialized;
using System.Linq;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;
using System.Threading;
using HeadshotPro.Client.Webhooks;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace HeadshotPro.Commands
{
    /// <summary>
    /// Verifies a HeadshotPro webhook delivery — Azure Automation's $WebhookData, or a body and its headers — and only
    /// then reads it into a <see cref="WebhookEvent"/>. Every refusal is a terminating error with its own ErrorId and
    /// nothing of the delivery in it; the secret appears nowhere.
    /// </summary>
    [Cmdlet(VerbsData.ConvertFrom, "HeadshotWebhook", DefaultParameterSetName = WebhookDataSet)]
    [OutputType(typeof(WebhookEvent))]
    public sealed class ConvertFromHeadshotWebhook : PSCmdlet, IDisposable
    {
        internal const string EnvSecret = "HEADSHOTPRO_WEBHOOK_SECRET";
        private const string WebhookDataSet = "WebhookData";
        private const string WebhookDataCredentialSet = "WebhookDataCredential";
        private const string BodySet = "Body";
        private const string BodyCredentialSet = "BodyCredential";

        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();

        /// <summary>Azure Automation's $WebhookData: WebhookName, RequestBody (the body text) and RequestHeader (the headers).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = WebhookDataSet)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = WebhookDataCredentialSet)]
        [AllowNull]
        [AllowEmptyString]
        public PSObject? WebhookData { get; set; }

        /// <summary>The body exactly as received.</summary>
        [Parameter(Mandatory = true, ParameterSetName = BodySet)]
        [Parameter(Mandatory = true, ParameterSetName = BodyCredentialSet)]
        [AllowEmptyString]
        public string Body { get; set; } = null!;

        /// <summary>The request's headers: a hashtable or dictionary, a NameValueCollection (HttpListenerRequest.Headers), or an object with one property per header.</summary>
        [Parameter(Mandatory = true, ParameterSetName = BodySet)]
        [Parameter(Mandatory = true, ParameterSetName = BodyCredentialSet)]
        public object Headers { get; set; } = null!;

        /// <summary>The webhook secret; without it (and without -Credential), $env:HEADSHOTPRO_WEBHOOK_SECRET.</summary>
        [Parameter(ParameterSetName = WebhookDataSet)]
        [Parameter(ParameterSetName = BodySet)]
        [SecretArgument("-Secret takes the webhook secret as a SecureString only, so it is never kept as plain text. Pass it as -Secret (Read-Host -AsSecureString 'Webhook secret'), " +
            "or as the password of -Credential (Get-AutomationPSCredential -Name HeadshotProWebhook in Azure Automation), " +
            "or set $env:HEADSHOTPRO_WEBHOOK_SECRET and leave -Secret out.")]
        public SecureString? Secret { get; set; }

        /// <summary>The webhook secret as a credential's password (the user name is ignored), e.g. Get-AutomationPSCredential.</summary>
        [Parameter(Mandatory = true, ParameterSetName = WebhookDataCredentialSet)]
        [Parameter(Mandatory = true, ParameterSetName = BodyCredentialSet)]
        [Credential]
        public PSCredential Credential { get; set; } = null!;

        /// <summary>Most seconds the signed time may be from this computer's clock, either way.</summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public int ToleranceSec { get; set; } = 300;

        /// <summary>A file of the event ids already accepted: a delivery seen before within the tolerance is refused (WebhookReplayed).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SeenEventStore { get; set; }

        /// <summary>Pass an event the module does not know on (with a warning) instead of refusing it with WebhookEventUnknown.</summary>
        [Parameter]
        public SwitchParameter AllowUnknownEvent { get; set; }

        protected override void StopProcessing() => _stopping.Cancel();

        public void Dispose() => _stopping.Dispose();

        protected override void ProcessRecord()
        {
            string? webhookName = null;
            string body;
            object? headers;
            try
            {
                if (ParameterSetName == BodySet || ParameterSetName == BodyCredentialSet)
                {
                    body = Body ?? "";
                    headers = Headers;
                }
                else
                {
                    (webhookName, body, headers) = ReadWebhookData(WebhookData);
                }
            }
            catch (WebhookVerificationException e)
            {
                ThrowTerminatingError(Refused(e, webhookName));
                return;
            }

            var key = ReadSecret();
            try
            {
                var signedUnix = WebhookVerifier.Verify(key, Header(headers, WebhookVerifier.TimestampHeader), Header(headers, WebhookVerifier.SignatureHeader),
                    body, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ToleranceSec);
                Array.Clear(key, 0, key.Length);
                var (webhookEvent, root) = WebhookVerifier.Parse(body);
                webhookEvent.SignedAt = DateTimeOffset.FromUnixTimeSeconds(signedUnix).ToLocalTime();
                webhookEvent.WebhookName = webhookName;
                webhookEvent.Object = root["object"] is JToken model ? ToPowerShell(model) : null;
                if (!webhookEvent.IsKnownEvent)
                {
                    if (!AllowUnknownEvent)
                        throw new WebhookVerificationException(WebhookFailure.EventUnknown,
                            $"The delivery is genuine, but its event '{webhookEvent.Event}' ({webhookEvent.EventId}) is not one the module knows ({string.Join(", ", WebhookVerifier.KnownEvents)}).");
                    WriteWarning($"Event {webhookEvent.EventId} is '{webhookEvent.Event}', which the module does not know; it is passed on as sent (its object is in the Object property).");
                }
                if (SeenEventStore != null)
                {
                    var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(SeenEventStore);
                    var keepUntil = signedUnix + ToleranceSec;
                    if (Client.Webhooks.SeenEventStore.CheckAndRecord(path, webhookEvent.EventId, keepUntil, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), _stopping.Token))
                        throw new WebhookVerificationException(WebhookFailure.Replayed,
                            $"Event {webhookEvent.EventId} ({webhookEvent.Event}) was accepted before: this delivery is a replay (or a second delivery of the same event) within the {ToleranceSec} s window.");
                    WriteVerbose($"Event {webhookEvent.EventId} recorded in the seen-event store until {DateTimeOffset.FromUnixTimeSeconds(keepUntil).ToLocalTime():o}.");
                }
                WriteVerbose($"Verified {webhookEvent.Event} {webhookEvent.EventId}, signed at {webhookEvent.SignedAt:o}.");
                WriteObject(webhookEvent);
            }
            catch (WebhookVerificationException e)
            {
                ThrowTerminatingError(Refused(e, webhookName));
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            finally
            {
                Array.Clear(key, 0, key.Length);
            }
        }

        /// <summary>The secret's UTF-8 bytes, from -Secret, -Credential or the environment; zeroed by the caller.</summary>
        private byte[] ReadSecret()
        {
            var secure = ParameterSetName == WebhookDataCredentialSet || ParameterSetName == BodyCredentialSet ? Credential.Password : Secret;
            byte[] key;
            if (secure != null)
            {
                key = Utf8Trimmed(secure);
            }
            else
            {
                var text = Environment.GetEnvironmentVariable(EnvSecret);
                key = Encoding.UTF8.GetBytes((text ?? "").Trim());
            }
            if (key.Length > 0) return key;
            var given = secure != null ? "The webhook secret given is empty." : $"No webhook secret: give -Secret or -Credential, or set $env:{EnvSecret}.";
            ThrowTerminatingError(Make(new WebhookVerificationException(WebhookFailure.SecretMissing, given), "WebhookSecretMissing", ErrorCategory.InvalidArgument, null, given,
                "Give the webhook secret shown when the HeadshotPro webhook was set up: -Credential (Get-AutomationPSCredential -Name 'HeadshotProWebhook') in Azure Automation."));
            return key;
        }

        /// <summary>Reads a SecureString into UTF-8 bytes through a zeroed BSTR and char buffer, never a string.</summary>
        private static byte[] Utf8Trimmed(SecureString secure)
        {
            var bstr = IntPtr.Zero;
            var chars = new char[secure.Length];
            try
            {
                bstr = Marshal.SecureStringToBSTR(secure);
                Marshal.Copy(bstr, chars, 0, chars.Length);
                int start = 0, end = chars.Length;
                while (start < end && char.IsWhiteSpace(chars[start])) start++;
                while (end > start && char.IsWhiteSpace(chars[end - 1])) end--;
                return Encoding.UTF8.GetBytes(chars, start, end - start);
            }
            finally
            {
                Array.Clear(chars, 0, chars.Length);
                if (bstr != IntPtr.Zero) Marshal.ZeroFreeBSTR(bstr);
            }
        }

        /// <summary>
        /// $WebhookData as Azure Automation passes it: an object (PowerShell 5.1 runbooks; RequestHeader a PSCustomObject or
        /// hashtable), or its JSON text (some PowerShell 7 runtimes), whose RequestBody string is then the body as sent.
        /// </summary>
        private (string? Name, string Body, object? Headers) ReadWebhookData(PSObject? data)
        {
            object? value = data?.BaseObject is PSCustomObject ? data : data?.BaseObject;
            if (value == null || value is string text && text.Trim().Length == 0)
                throw Invalid("No $WebhookData: the runbook was not started by a webhook (a test run or a schedule passes none).", null);
            if (value is string json)
            {
                try
                {
                    using (var reader = new JsonTextReader(new System.IO.StringReader(json)) { DateParseHandling = DateParseHandling.None })
                        value = JToken.ReadFrom(reader);
                }
                catch (JsonException)
                {
                    throw Invalid("$WebhookData is text that is not JSON. Pass the runbook's $WebhookData parameter as Azure Automation gives it.", null);
                }
                if (!(value is JObject))
                    throw Invalid("$WebhookData is JSON but not an object with WebhookName, RequestBody and RequestHeader.", null);
            }
            var name = Property(value, "WebhookName") is object n ? Convert.ToString(Unwrap(n), System.Globalization.CultureInfo.InvariantCulture) : null;
            if (!HasProperty(value, "RequestBody") || !HasProperty(value, "RequestHeader"))
                throw Invalid("$WebhookData has no RequestBody or RequestHeader: it is not what an Azure Automation webhook passes.", name);
            var body = Unwrap(Property(value, "RequestBody"));
            if (body != null && !(body is string))
                throw Invalid("$WebhookData.RequestBody must be the body text as received, not an object made from it (do not ConvertFrom-Json it first).", name);
            return (name, (string?)body ?? "", Unwrap(Property(value, "RequestHeader")));
        }

        private static object? Unwrap(object? value) => value is PSObject ps ? ps.BaseObject is PSCustomObject ? ps : ps.BaseObject : value is JValue j ? j.Value : value;

        private static bool HasProperty(object container, string name) => Find(container, name, out _);

        private static object? Property(object container, string name) => Find(container, name, out var value) ? value : null;

        /// <summary>A property, key or header by name, without regard to case, of a dictionary, a NameValueCollection, JSON, or any object.</summary>
        private static bool Find(object? container, string name, out object? value)
        {
            value = null;
            switch (container is PSObject wrapped && !(wrapped.BaseObject is PSCustomObject) ? wrapped.BaseObject : container)
            {
                case null:
                    return false;
                case JObject json:
                    var token = json.Properties().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
                    if (token == null) return false;
                    value = token.Value is JValue v ? v.Value : token.Value is JArray a ? a.Select(x => (object?)(x as JValue)?.Value).ToArray() : (object)token.Value;
                    return true;
                case IDictionary dictionary:
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        if (!string.Equals(Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture), name, StringComparison.OrdinalIgnoreCase)) continue;
                        value = entry.Value;
                        return true;
                    }
                    return false;
                case NameValueCollection collection:
                    foreach (string? key in collection.AllKeys)
                    {
                        if (!string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) continue;
                        value = collection.GetValues(key);
                        return true;
                    }
                    return false;
                case string _:
                    return false;
                default:
                    var property = PSObject.AsPSObject(container).Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
                    if (property == null) return false;
                    value = property.Value;
                    return true;
            }
        }

        /// <summary>One header's value: a string, or a collection of exactly one (two values of a signature header are no signature).</summary>
        private static string? Header(object? headers, string name)
        {
            if (!Find(headers, name, out var value)) return null;
            value = value is PSObject ps ? ps.BaseObject : value;
            if (value is string text) return text;
            if (value is IEnumerable many)
            {
                var items = many.Cast<object?>().Select(i => i is PSObject p ? p.BaseObject : i).ToList();
                return items.Count == 1 && items[0] is string single ? single : items.Count == 0 ? null : "(several values)";
            }
            return value == null ? null : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
        }

        /// <summary>The event's object as PowerShell objects: JSON objects as PSCustomObjects, arrays as arrays, dates as their text.</summary>
        internal static object? ToPowerShell(JToken token)
        {
            switch (token)
            {
                case JObject json:
                    var result = new PSObject();
                    foreach (var p in json.Properties()) result.Properties.Add(new PSNoteProperty(p.Name, ToPowerShell(p.Value)));
                    return result;
                case JArray array:
                    return array.Select(ToPowerShell).ToArray();
                case JValue value:
                    return value.Value;
                default:
                    return null;
            }
        }

        private static WebhookVerificationException Invalid(string message, string? webhookName) =>
            new WebhookVerificationException(WebhookFailure.DataInvalid, message) { Data = { ["WebhookName"] = webhookName } };

        /// <summary>The refusal as an error record: the ErrorId for its reason, the webhook's name (or the verified event's id) as target.</summary>
        private ErrorRecord Refused(WebhookVerificationException e, string? webhookName)
        {
            var (id, category, next) = Describe(e.Failure);
            object? target = webhookName ?? e.Data["WebhookName"];
            return Make(e, id, category, target, e.Message, next);
        }

        private static (string Id, ErrorCategory Category, string Next) Describe(WebhookFailure failure)
        {
            switch (failure)
            {
                case WebhookFailure.DataInvalid:
                    return ("WebhookDataInvalid", ErrorCategory.InvalidArgument, "Pass the runbook's $WebhookData parameter as it came, or -Body with -Headers.");
                case WebhookFailure.HeaderMissing:
                    return ("WebhookHeaderMissing", ErrorCategory.SecurityError, "Ignore the delivery. If real deliveries lack the headers, check that the HeadshotPro webhook has a secret and posts straight to this URL.");
                case WebhookFailure.SignatureMalformed:
                    return ("WebhookSignatureMalformed", ErrorCategory.SecurityError, "Ignore the delivery: HeadshotPro signs with sha256= and 64 lowercase hexadecimal characters.");
                case WebhookFailure.TimestampMalformed:
                    return ("WebhookTimestampMalformed", ErrorCategory.SecurityError, "Ignore the delivery: HeadshotPro sends the time it signed as Unix seconds.");
                case WebhookFailure.SignatureInvalid:
                    return ("WebhookSignatureInvalid", ErrorCategory.SecurityError, "Ignore the delivery. If every delivery fails so, the secret is not the webhook's: copy it again into the credential (or -Secret).");
                case WebhookFailure.TimestampOutOfRange:
                    return ("WebhookTimestampOutOfRange", ErrorCategory.SecurityError, "Ignore the delivery. If every delivery fails so, check this computer's clock, or raise -ToleranceSec.");
                case WebhookFailure.BodyNotJson:
                    return ("WebhookBodyNotJson", ErrorCategory.InvalidData, "Pass the body exactly as received (RequestBody, or -Body), not a changed or converted copy.");
                case WebhookFailure.EventUnknown:
                    return ("WebhookEventUnknown", ErrorCategory.InvalidData, "Update the module, or add -AllowUnknownEvent and act on the Event name yourself.");
                case WebhookFailure.Replayed:
                    return ("WebhookReplayed", ErrorCategory.SecurityError, "Nothing to do: the event was handled when it first came.");
                case WebhookFailure.StoreUnavailable:
                    return ("WebhookEventStoreUnavailable", ErrorCategory.ResourceUnavailable, "Check -SeenEventStore: a folder that exists and that the runbook may write; run the job again.");
                default:
                    return ("WebhookSecretMissing", ErrorCategory.InvalidArgument, "Give the webhook secret: -Secret, -Credential or $env:" + EnvSecret + ".");
            }
        }

        private static ErrorRecord Make(Exception exception, string errorId, ErrorCategory category, object? target, string message, string? next) =>
            ErrorRecords.Make(exception, errorId, category, target, message, next);
    }
}

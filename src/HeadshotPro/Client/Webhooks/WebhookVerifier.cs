using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using HeadshotPro.Client.Api;

namespace HeadshotPro.Client.Webhooks
{
    /// <summary>Why a delivery was refused; each has its own ErrorId in the cmdlet.</summary>
    internal enum WebhookFailure
    {
        DataInvalid,
        SecretMissing,
        HeaderMissing,
        SignatureMalformed,
        TimestampMalformed,
        SignatureInvalid,
        TimestampOutOfRange,
        BodyNotJson,
        EventUnknown,
        Replayed,
        StoreUnavailable,
    }

    /// <summary>A refused delivery. Its message never holds the secret, the expected signature, or anything of an unverified body.</summary>
    internal sealed class WebhookVerificationException : Exception
    {
        public WebhookVerificationException(WebhookFailure failure, string message, Exception? inner = null) : base(message, inner) => Failure = failure;

        public WebhookFailure Failure { get; }
    }

    /// <summary>
    /// HeadshotPro's webhook signature: <c>X-HeadshotPro-Signature: sha256=&lt;hex&gt;</c>, the lowercase hex HMAC-SHA256 of
    /// <c>"{X-HeadshotPro-Timestamp}.{raw body}"</c> keyed with the webhook secret's UTF-8 text (the 64 hex characters as
    /// shown, not the bytes they spell), over the body's exact UTF-8 bytes. Checked before anything of the body is read.
    /// </summary>
    internal static class WebhookVerifier
    {
        public const string SignatureHeader = "X-HeadshotPro-Signature";
        public const string TimestampHeader = "X-HeadshotPro-Timestamp";
        private const string Prefix = "sha256=";

        public static readonly string[] KnownEvents =
            { "model.created", "model.status.updated", "model.photos_ready", "model.favorite_selected", "model.deleted" };

        /// <summary>
        /// Checks the headers' form, the signature (in constant time) and then the timestamp's distance from
        /// <paramref name="nowUnix"/>; answers the signed time. Throws <see cref="WebhookVerificationException"/> otherwise.
        /// </summary>
        public static long Verify(byte[] key, string? timestamp, string? signature, string body, long nowUnix, int toleranceSec)
        {
            if (signature == null) throw Fail(WebhookFailure.HeaderMissing, $"The delivery has no {SignatureHeader} header: it is not signed, so it is not from HeadshotPro (or not from one configured with a secret).");
            if (timestamp == null) throw Fail(WebhookFailure.HeaderMissing, $"The delivery has no {TimestampHeader} header, which the signature covers.");
            var given = ParseSignature(signature);
            if (given == null)
                throw Fail(WebhookFailure.SignatureMalformed, $"The {SignatureHeader} header is not 'sha256=' followed by 64 lowercase hexadecimal characters.");
            if (!IsUnixSeconds(timestamp, out var signedUnix))
                throw Fail(WebhookFailure.TimestampMalformed, $"The {TimestampHeader} header is not a Unix time in seconds.");

            var expected = Compute(key, timestamp, body);
            var match = FixedTimeEquals(expected, given);
            Array.Clear(expected, 0, expected.Length);
            if (!match)
                throw Fail(WebhookFailure.SignatureInvalid,
                    $"The {SignatureHeader} does not match the body and timestamp for this secret: the delivery was changed on the way, or signed with another secret.");

            var off = nowUnix - signedUnix;
            if (Math.Abs(off) > toleranceSec)
            {
                var when = off > 0 ? $"{off} s ago" : $"{-off} s in the future";
                throw Fail(WebhookFailure.TimestampOutOfRange,
                    $"The delivery was signed {when}, more than {toleranceSec} s from this computer's clock: a late replay of a captured delivery, or a clock that is off.");
            }
            return signedUnix;
        }

        /// <summary>The lowercase hex signature HeadshotPro sends for this timestamp and body (for the sandbox and tests).</summary>
        public static string Sign(byte[] key, string timestamp, string body)
        {
            var mac = Compute(key, timestamp, body);
            var hex = new StringBuilder(Prefix.Length + 64).Append(Prefix);
            foreach (var b in mac) hex.Append(b.ToString("x2", CultureInfo.InvariantCulture));
            return hex.ToString();
        }

        private static byte[] Compute(byte[] key, string timestamp, string body)
        {
            var utf8 = new UTF8Encoding(false);
            var signed = utf8.GetBytes(timestamp + "." + body);
            using (var hmac = new HMACSHA256(key))
                return hmac.ComputeHash(signed);
        }

        /// <summary>The 32 bytes of a well-formed signature header, or null.</summary>
        internal static byte[]? ParseSignature(string header)
        {
            if (header.Length != Prefix.Length + 64 || !header.StartsWith(Prefix, StringComparison.Ordinal)) return null;
            var bytes = new byte[32];
            for (var i = 0; i < 32; i++)
            {
                var hi = Nibble(header[Prefix.Length + 2 * i]);
                var lo = Nibble(header[Prefix.Length + 2 * i + 1]);
                if (hi < 0 || lo < 0) return null;
                bytes[i] = (byte)(hi << 4 | lo);
            }
            return bytes;
        }

        private static int Nibble(char c) => c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;

        private static bool IsUnixSeconds(string text, out long value)
        {
            value = 0;
            if (text.Length == 0 || text.Length > 18) return false;
            foreach (var c in text) if (c < '0' || c > '9') return false;
            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        }

        /// <summary>
        /// Compares two byte arrays in time that depends only on their length, never on where they first differ, so a
        /// sender cannot learn the expected signature byte by byte from how long a refusal takes.
        /// (CryptographicOperations.FixedTimeEquals is not in netstandard2.0.)
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining | System.Runtime.CompilerServices.MethodImplOptions.NoOptimization)]
        internal static bool FixedTimeEquals(byte[] left, byte[] right)
        {
            if (left.Length != right.Length) return false;
            var difference = 0;
            for (var i = 0; i < left.Length; i++) difference |= left[i] ^ right[i];
            return difference == 0;
        }

        /// <summary>Reads a verified body into an event; the body must be a JSON object with a string id and event.</summary>
        public static (WebhookEvent Event, JObject Root) Parse(string body)
        {
            JToken root;
            try
            {
                using (var reader = new JsonTextReader(new System.IO.StringReader(body)) { DateParseHandling = DateParseHandling.None, MaxDepth = 64 })
                {
                    root = JToken.ReadFrom(reader);
                    while (reader.Read())
                        if (reader.TokenType != JsonToken.Comment) throw new JsonReaderException("Additional text after the JSON value.");
                }
            }
            catch (JsonException e)
            {
                throw Fail(WebhookFailure.BodyNotJson, "The delivery is signed, but its body is not JSON: " + e.Message.Split('\n')[0].Trim(), e);
            }
            if (!(root is JObject json) || !(json["id"] is JValue { Type: JTokenType.String } id) || !(json["event"] is JValue { Type: JTokenType.String } name))
                throw Fail(WebhookFailure.BodyNotJson, "The delivery is signed, but its body is not a HeadshotPro event (a JSON object with an id and an event).");
            var model = json["object"] as JObject;
            var e2 = new WebhookEvent
            {
                EventId = (string)id!,
                Event = (string)name!,
                CreatedAt = ApiClient.DateOf(json["createdAt"]),
                ObjectType = Text(json["objectType"]),
                ModelId = Text(model?["_id"]),
                ModelUid = Text(model?["uid"]),
                ModelStatus = Text(model?["status"]),
                Title = Text(model?["title"]),
                Trigger = Text(model?["trigger"]),
                IsDevelopment = model?["isDevelopment"] is JValue { Type: JTokenType.Boolean } dev ? (bool)dev : (bool?)null,
                FinishedAt = ApiClient.DateOf(model?["finishedAt"]),
                DeletedAt = ApiClient.DateOf(model?["deletedAt"]),
                InviteExpiresAt = ApiClient.DateOf(model?["inviteExpiresAt"]),
                ModelCreatedAt = ApiClient.DateOf(model?["createdAt"]),
                Organization = Text(model?["organization"]),
            };
            e2.IsKnownEvent = Array.IndexOf(KnownEvents, e2.Event) >= 0;
            return (e2, json);
        }

        /// <summary>A string or number as text; objects and arrays are left to the raw object.</summary>
        private static string? Text(JToken? token) =>
            token is JValue value && value.Type != JTokenType.Null ? Convert.ToString(value.Value, CultureInfo.InvariantCulture) : null;

        private static WebhookVerificationException Fail(WebhookFailure failure, string message, Exception? inner = null) =>
            new WebhookVerificationException(failure, message, inner);
    }
}

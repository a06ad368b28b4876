using System.Collections;
using System.Security;
using System.Management.Automation;
using System.Reflection;
using System.Text;
using HeadshotPro.Client.Webhooks;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>
/// ConvertFrom-HeadshotWebhook's rules, in a hosted runspace: deliveries signed by the sandbox's own signer (so the
/// module and the sandbox are checked to agree), good and bad, in every shape Azure Automation and listeners pass.
/// </summary>
public class WebhookVerificationTests
{
    private const string Secret = SandboxOptions.DefaultWebhookSecret;
    private const string OtherSecret = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

    internal static string Body(string eventName = "model.photos_ready", string id = "evt_0001", string title = "Ann Lee") =>
        "{\"id\":\"" + id + "\",\"event\":\"" + eventName + "\",\"createdAt\":\"2024-01-15T10:30:00.000Z\",\"objectType\":\"model\"," +
        "\"object\":{\"_id\":\"65a1b2c3d4e5f60718293a4b\",\"uid\":\"u12345\",\"title\":\"" + title + "\",\"trigger\":\"invite\",\"status\":\"active\"," +
        "\"isDevelopment\":false,\"finishedAt\":\"2024-01-15T10:29:00.000Z\",\"deletedAt\":null,\"inviteExpiresAt\":\"2024-02-14T10:00:00.000Z\"," +
        "\"createdAt\":\"2024-01-14T09:00:00.000Z\",\"organization\":\"org_sandbox\",\"extra\":{\"n\":[1,2]}}}";

    internal static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    internal static string Sign(string body, long timestamp, string secret = Secret) =>
        SandboxState.Sign(Encoding.UTF8.GetBytes(secret), timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), body);

    internal static Hashtable Headers(string body, long? timestamp = null, string secret = Secret)
    {
        var ts = timestamp ?? Now;
        return new Hashtable { ["X-HeadshotPro-Timestamp"] = ts.ToString(System.Globalization.CultureInfo.InvariantCulture), ["X-HeadshotPro-Signature"] = Sign(body, ts, secret) };
    }

    private static PowerShellHost.Result Convert(PowerShellHost host, string body, object headers, string extra = "") =>
        host.Run($"ConvertFrom-HeadshotWebhook -Body $body -Headers $headers -Secret (ConvertTo-SecureString $secret -AsPlainText -Force) {extra}",
            ("body", body), ("headers", headers), ("secret", Secret));

    private static string? Refusal(PowerShellHost.Result r) => r.Terminating?.FullyQualifiedErrorId.Split(',')[0];

    [Fact(Timeout = Limits.Test)]
    public async Task A_good_delivery_becomes_a_typed_event_with_local_times_and_the_raw_object()
    {
        await Task.Yield();
        using var host = new PowerShellHost();
        var body = Body();
        var signed = Now;
        var result = Convert(host, body, Headers(body, signed));
        Assert.Null(result.Terminating);
        var e = Assert.IsType<WebhookEvent>(Assert.Single(result.Output).BaseObject);
        Assert.Equal(("evt_0001", "model.photos_ready", "model", "65a1b2c3d4e5f60718293a4b", "u12345", "active", "Ann Lee", "invite"),
            (e.EventId, e.Event, e.ObjectType, e.ModelId, e.ModelUid, e.ModelStatus, e.Title, e.Trigger));
        Assert.Equal(DateTimeOffset.Parse("2024-01-15T10:30:00Z"), e.CreatedAt);
        Assert.Equal(TimeZoneInfo.Local.GetUtcOffset(e.CreatedAt!.Value.UtcDateTime), e.CreatedAt.Value.Offset);
        Assert.Equal(DateTimeOffset.Parse("2024-01-15T10:29:00Z"), e.FinishedAt);
        Assert.Null(e.DeletedAt);
        Assert.False(e.IsDevelopment);
        Assert.True(e.IsKnownEvent);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(signed), e.SignedAt);
        // The raw object keeps every field, known or not.
        var text = host.Run("$o = $args0.Object; '{0}|{1}|{2}' -f $o._id, ($o.extra.n -join '+'), $o.organization", ("args0", e)).Output.Single().ToString();
        Assert.Equal("65a1b2c3d4e5f60718293a4b|1+2|org_sandbox", text);
        // The format view shows it in a table that fits 80 columns.
        var table = host.Run("$args0 | Out-String -Width 80", ("args0", e)).Output.Single().ToString();
        Assert.Contains("model.photos_ready", table);
        NonEmpty.All(table.Split('\n'), line => Assert.True(line.TrimEnd().Length <= 80, line));
    }

    public static IEnumerable<object[]> Shapes()
    {
        // Azure Automation's $WebhookData: RequestHeader as a PSCustomObject (5.1 runbooks), a hashtable, or all of it as JSON text (some 7.x runtimes).
        yield return new object[] { "PSCustomObject header", "[pscustomobject]@{ WebhookName = 'hp'; RequestBody = $body; RequestHeader = [pscustomobject]@{ 'Content-Type' = 'application/json'; 'x-headshotpro-timestamp' = $ts; 'X-HEADSHOTPRO-SIGNATURE' = $sig } } | ConvertFrom-HeadshotWebhook -Secret $secure" };
        yield return new object[] { "hashtable header", "ConvertFrom-HeadshotWebhook -WebhookData @{ WebhookName = 'hp'; RequestBody = $body; RequestHeader = @{ 'X-HeadshotPro-Timestamp' = $ts; 'x-headshotpro-signature' = $sig } } -Secret $secure" };
        yield return new object[] { "JSON text", "[pscustomobject]@{ WebhookName = 'hp'; RequestBody = $body; RequestHeader = @{ 'X-HeadshotPro-Timestamp' = $ts; 'X-HeadshotPro-Signature' = $sig } } | ConvertTo-Json -Compress | ConvertFrom-HeadshotWebhook -Secret $secure" };
        yield return new object[] { "deserialized", "$d = [pscustomobject]@{ WebhookName = 'hp'; RequestBody = $body; RequestHeader = [pscustomobject]@{ 'X-HeadshotPro-Timestamp' = $ts; 'X-HeadshotPro-Signature' = $sig } }; [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($d)) | ConvertFrom-HeadshotWebhook -Secret $secure" };
        // A raw body with headers: any case, a case-sensitive dictionary, a NameValueCollection (HttpListenerRequest.Headers), one-item arrays.
        yield return new object[] { "Body and hashtable", "ConvertFrom-HeadshotWebhook -Body $body -Headers @{ 'X-HEADSHOTPRO-TIMESTAMP' = $ts; 'x-HeadshotPro-signature' = $sig } -Secret $secure" };
        yield return new object[] { "case-sensitive dictionary", "$h = [System.Collections.Generic.Dictionary[string,string]]::new([StringComparer]::Ordinal); $h['x-headshotpro-timestamp'] = $ts; $h['x-headshotpro-signature'] = $sig; ConvertFrom-HeadshotWebhook -Body $body -Headers $h -Secret $secure" };
        yield return new object[] { "NameValueCollection", "$h = [System.Net.WebHeaderCollection]::new(); $h.Add('X-HeadshotPro-Timestamp', $ts); $h.Add('X-HeadshotPro-Signature', $sig); ConvertFrom-HeadshotWebhook -Body $body -Headers $h -Secret $secure" };
        yield return new object[] { "one-item arrays", "ConvertFrom-HeadshotWebhook -Body $body -Headers @{ 'X-HeadshotPro-Timestamp' = @($ts); 'X-HeadshotPro-Signature' = [string[]]@($sig) } -Secret $secure" };
    }

    [Theory(Timeout = Limits.Test)]
    [MemberData(nameof(Shapes))]
    public async Task Every_shape_of_a_delivery_is_read_and_header_names_ignore_case(string shape, string script)
    {
        await Task.Yield();
        using var host = new PowerShellHost();
        var body = Body();
        var ts = Now;
        var result = host.Run(script, ("body", body), ("ts", ts.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("sig", Sign(body, ts)),
            ("secure", ToSecure(Secret)));
        Assert.True(result.Terminating is null, shape + ": " + result.Terminating);
        var e = Assert.IsType<WebhookEvent>(Assert.Single(result.Output).BaseObject);
        Assert.Equal("evt_0001", e.EventId);
        Assert.Equal(shape.StartsWith("Body", StringComparison.Ordinal) || shape is "case-sensitive dictionary" or "NameValueCollection" or "one-item arrays" ? null : "hp", e.WebhookName);
    }

    /// <summary>Bad deliveries: a name, the body sent, its headers made from the time of the run, and the ErrorId expected.</summary>
    public static IEnumerable<object?[]> Refusals()
    {
        var body = Body();
        static string T(long t) => t.ToString(System.Globalization.CultureInfo.InvariantCulture);
        static Hashtable H(string? ts, string? sig)
        {
            var h = new Hashtable();
            if (ts != null) h["X-HeadshotPro-Timestamp"] = ts;
            if (sig != null) h["X-HeadshotPro-Signature"] = sig;
            return h;
        }
        object?[] Case(string name, string sent, Func<long, Hashtable> headers, string errorId) => new object?[] { name, sent, headers, errorId };
        string Good(long now) => Sign(body, now);
        yield return Case("unsigned", body, now => H(T(now), null), "WebhookHeaderMissing");
        yield return Case("no timestamp", body, now => H(null, Good(now)), "WebhookHeaderMissing");
        yield return Case("no headers at all", body, _ => new Hashtable(), "WebhookHeaderMissing");
        yield return Case("uppercase hex", body, now => H(T(now), "sha256=" + Good(now)[7..].ToUpperInvariant()), "WebhookSignatureMalformed");
        yield return Case("another algorithm", body, now => H(T(now), "sha1=" + Good(now)[7..]), "WebhookSignatureMalformed");
        yield return Case("bare hex", body, now => H(T(now), Good(now)[7..]), "WebhookSignatureMalformed");
        yield return Case("short", body, now => H(T(now), Good(now)[..^2]), "WebhookSignatureMalformed");
        yield return Case("two signatures", body, now => new Hashtable { ["X-HeadshotPro-Timestamp"] = T(now), ["X-HeadshotPro-Signature"] = new[] { Good(now), Good(now) } }, "WebhookSignatureMalformed");
        yield return Case("timestamp not a number", body, now => H("soon", Good(now)), "WebhookTimestampMalformed");
        yield return Case("timestamp in milliseconds, signed so", body, now => H(T(now * 1000), Sign(body, now * 1000)), "WebhookTimestampOutOfRange");
        yield return Case("another secret", body, now => H(T(now), Sign(body, now, OtherSecret)), "WebhookSignatureInvalid");
        yield return Case("hex-decoded secret as the key", body, now => H(T(now), SandboxState.Sign(System.Convert.FromHexString(Secret), T(now), body)), "WebhookSignatureInvalid");
        yield return Case("first character off", body, now => H(T(now), "sha256=" + (Good(now)[7] == '0' ? '1' : '0') + Good(now)[8..]), "WebhookSignatureInvalid");
        yield return Case("last character off", body, now => H(T(now), Good(now)[..^1] + (Good(now)[^1] == '0' ? '1' : '0')), "WebhookSignatureInvalid");
        yield return Case("a space added to the body", body + " ", now => H(T(now), Good(now)), "WebhookSignatureInvalid");
        yield return Case("body re-serialized", body.Replace("\":", "\": "), now => H(T(now), Good(now)), "WebhookSignatureInvalid");
        yield return Case("body changed", body.Replace("Ann Lee", "Mallory"), now => H(T(now), Good(now)), "WebhookSignatureInvalid");
        yield return Case("timestamp changed", body, now => H(T(now - 1), Good(now)), "WebhookSignatureInvalid");
        yield return Case("stale by 301 s", body, now => H(T(now - 301), Sign(body, now - 301)), "WebhookTimestampOutOfRange");
        // Seconds pass between signing and checking on a loaded machine (10 s were seen): a minute past the 5-minute tolerance.
        yield return Case("future by 360 s", body, now => H(T(now + 360), Sign(body, now + 360)), "WebhookTimestampOutOfRange");
        yield return Case("stale and tampered", body + " ", now => H(T(now - 3600), Sign(body, now - 3600)), "WebhookSignatureInvalid");
        yield return Case("signed text that is not JSON", "not json", now => H(T(now), Sign("not json", now)), "WebhookBodyNotJson");
        yield return Case("signed JSON array", "[1,2]", now => H(T(now), Sign("[1,2]", now)), "WebhookBodyNotJson");
        yield return Case("signed JSON without an id", "{\"event\":\"model.created\"}", now => H(T(now), Sign("{\"event\":\"model.created\"}", now)), "WebhookBodyNotJson");
        yield return Case("signed JSON and trailing text", body + "x", now => H(T(now), Sign(body + "x", now)), "WebhookBodyNotJson");
        var unknown = Body("model.archived");
        yield return Case("an event the module does not know", unknown, now => H(T(now), Sign(unknown, now)), "WebhookEventUnknown");
    }

    [Theory(Timeout = Limits.Test)]
    [MemberData(nameof(Refusals), DisableDiscoveryEnumeration = true)]
    public async Task Each_bad_delivery_is_refused_with_its_ErrorId_and_nothing_of_it_and_no_secret_shown(string name, string body, Func<long, Hashtable> makeHeaders, string errorId)
    {
        await Task.Yield();
        using var host = new PowerShellHost();
        var headers = makeHeaders(Now);
        var result = host.Run("ConvertFrom-HeadshotWebhook -Body $body -Headers $headers -Credential ([pscredential]::new('webhook', (ConvertTo-SecureString $secret -AsPlainText -Force))) -Verbose",
            ("body", body), ("headers", headers), ("secret", Secret));
        Assert.True(errorId == Refusal(result), $"{name}: {Refusal(result)} {result.Terminating}");
        Assert.Empty(result.Output);
        var text = result.AllText() + host.ErrorVariableText();
        Assert.DoesNotContain(Secret, text, StringComparison.OrdinalIgnoreCase);
        // A bad signature never reveals the one expected.
        var ts = headers["X-HeadshotPro-Timestamp"] as string;
        if (ts != null) Assert.DoesNotContain(Sign(body, long.TryParse(ts, out var t) ? t : 0)[7..], text);
        if (errorId is not ("WebhookBodyNotJson" or "WebhookEventUnknown")) Assert.DoesNotContain("Ann Lee", text);
        Assert.NotNull(result.Terminating!.ErrorDetails?.RecommendedAction);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task The_tolerance_holds_both_ways_and_can_be_narrowed()
    {
        await Task.Yield();
        using var host = new PowerShellHost();
        var body = Body();
        Assert.Null(Convert(host, body, Headers(body, Now - 290)).Terminating);
        Assert.Null(Convert(host, body, Headers(body, Now + 290)).Terminating);
        Assert.Equal("WebhookTimestampOutOfRange", Refusal(Convert(host, body, Headers(body, Now - 20), "-ToleranceSec 10")));
        Assert.Equal("WebhookTimestampOutOfRange", Refusal(Convert(host, body, Headers(body, Now + 20), "-ToleranceSec 10")));
        Assert.Null(Convert(host, body, Headers(body, Now - 3000), "-ToleranceSec 3600").Terminating);
        var future = Convert(host, body, Headers(body, Now + 400));
        Assert.Contains("in the future", future.Terminating!.ErrorDetails!.Message);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task The_body_is_verified_byte_for_byte_as_UTF8_never_re_serialized()
    {
        await Task.Yield();
        using var host = new PowerShellHost();
        // Non-ASCII text, a JSON escape and the line separators that some serializers rewrite.
        var body = Body(title: "Zoë \\u00e9 Łukasz\u2028 — 山田").Replace("{\"id\"", "{ \"id\"");
        var result = Convert(host, body, Headers(body));
        Assert.Null(result.Terminating);
        Assert.Equal("Zoë é Łukasz\u2028 — 山田", ((WebhookEvent)result.Output.Single().BaseObject).Title);
        // The same event once PowerShell has parsed and re-written it no longer verifies.
        var rewritten = host.Run("$body | ConvertFrom-Json | ConvertTo-Json -Compress -Depth 5", ("body", body)).Output.Single().ToString();
        Assert.Equal("WebhookSignatureInvalid", Refusal(Convert(host, rewritten, Headers(body))));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task WebhookData_that_is_not_a_delivery_is_refused()
    {
        await Task.Yield();
        using var host = new PowerShellHost();
        foreach (var script in new[]
        {
            "ConvertFrom-HeadshotWebhook -WebhookData $null -Secret $secure",
            "'' | ConvertFrom-HeadshotWebhook -Secret $secure",
            "'{not json' | ConvertFrom-HeadshotWebhook -Secret $secure",
            "[pscustomobject]@{ WebhookName = 'hp' } | ConvertFrom-HeadshotWebhook -Secret $secure",
            "[pscustomobject]@{ WebhookName = 'hp'; RequestBody = [pscustomobject]@{ id = 'evt_1' }; RequestHeader = @{} } | ConvertFrom-HeadshotWebhook -Secret $secure",
        })
        {
            var result = host.Run(script, ("secure", ToSecure(Secret)));
            Assert.True(Refusal(result) == "WebhookDataInvalid", script + ": " + result.Terminating);
            Assert.Empty(result.Output);
        }
    }

    [Fact(Timeout = Limits.Test)]
    public async Task An_unknown_event_passes_with_a_warning_only_when_allowed()
    {
        await Task.Yield();
        using var host = new PowerShellHost();
        var body = Body("model.archived");
        var result = Convert(host, body, Headers(body), "-AllowUnknownEvent");
        Assert.Null(result.Terminating);
        var e = (WebhookEvent)result.Output.Single().BaseObject;
        Assert.False(e.IsKnownEvent);
        Assert.Equal("model.archived", e.Event);
        Assert.Contains(result.Warnings, w => w.Contains("model.archived", StringComparison.Ordinal));
    }

    [Fact(Timeout = Limits.Test)]
    public Task The_signature_is_compared_in_constant_time() => Task.Run(() =>
    {
        // Verify hands the two MACs to FixedTimeEquals and compares them no other way.
        var verify = typeof(WebhookVerifier).GetMethod(nameof(WebhookVerifier.Verify), BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)!;
        var il = verify.GetMethodBody()!.GetILAsByteArray()!;
        var called = new List<MethodBase>();
        for (var i = 0; i + 4 < il.Length; i++)
        {
            if (il[i] is not (0x28 or 0x6F)) continue; // call, callvirt
            try { if (verify.Module.ResolveMethod(BitConverter.ToInt32(il, i + 1)) is { } m) called.Add(m); }
            catch (ArgumentException) { }
        }
        Assert.Contains(called, m => m.Name == nameof(WebhookVerifier.FixedTimeEquals) && m.DeclaringType == typeof(WebhookVerifier));
        Assert.DoesNotContain(called, m => m.Name is "SequenceEqual" or "Equals" or "op_Equality" or "CompareOrdinal" or "Compare");
        Assert.True(verify.DeclaringType!.GetMethod(nameof(WebhookVerifier.FixedTimeEquals), BindingFlags.Static | BindingFlags.NonPublic)!
            .MethodImplementationFlags.HasFlag(MethodImplAttributes.NoOptimization));

        // It looks at every byte: equal only when all are.
        var a = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        Assert.True(WebhookVerifier.FixedTimeEquals(a, a.ToArray()));
        for (var i = 0; i < 32; i++)
        {
            var b = a.ToArray();
            b[i] ^= 0x80;
            Assert.False(WebhookVerifier.FixedTimeEquals(a, b));
        }
        Assert.False(WebhookVerifier.FixedTimeEquals(a, a[..31]));
    });

    internal static SecureString ToSecure(string text)
    {
        var s = new System.Security.SecureString();
        foreach (var c in text) s.AppendChar(c);
        s.MakeReadOnly();
        return s;
    }

    /// <summary>The secret from the environment: a variable of the whole process, so this runs alone.</summary>
    [Collection(nameof(ProcessWide))]
    public class FromTheEnvironment
    {
        [Fact(Timeout = Limits.Test)]
        public async Task The_secret_comes_from_a_SecureString_a_credential_or_the_environment_and_is_required()
        {
            await Task.Yield();
            using var host = new PowerShellHost();
            var body = Body();
            var headers = Headers(body);
            var previous = Environment.GetEnvironmentVariable("HEADSHOTPRO_WEBHOOK_SECRET");
            try
            {
                Environment.SetEnvironmentVariable("HEADSHOTPRO_WEBHOOK_SECRET", null);
                var none = host.Run("ConvertFrom-HeadshotWebhook -Body $body -Headers $headers", ("body", body), ("headers", headers));
                Assert.Equal("WebhookSecretMissing", Refusal(none));
                var empty = host.Run("ConvertFrom-HeadshotWebhook -Body $body -Headers $headers -Secret (New-Object System.Security.SecureString)", ("body", body), ("headers", headers));
                Assert.Equal("WebhookSecretMissing", Refusal(empty));

                Environment.SetEnvironmentVariable("HEADSHOTPRO_WEBHOOK_SECRET", " " + Secret + "\n");
                Assert.Null(host.Run("ConvertFrom-HeadshotWebhook -Body $body -Headers $headers", ("body", body), ("headers", headers)).Terminating);
                // An explicit secret wins over the environment.
                var wrong = host.Run("ConvertFrom-HeadshotWebhook -Body $body -Headers $headers -Secret (ConvertTo-SecureString $s -AsPlainText -Force)",
                    ("body", body), ("headers", headers), ("s", OtherSecret));
                Assert.Equal("WebhookSignatureInvalid", Refusal(wrong));
                Environment.SetEnvironmentVariable("HEADSHOTPRO_WEBHOOK_SECRET", null);

                var credential = host.Run("ConvertFrom-HeadshotWebhook -Body $body -Headers $headers -Credential ([pscredential]::new('any', (ConvertTo-SecureString $s -AsPlainText -Force)))",
                    ("body", body), ("headers", headers), ("s", Secret));
                Assert.Null(credential.Terminating);
                Assert.Single(credential.Output);
            }
            finally
            {
                Environment.SetEnvironmentVariable("HEADSHOTPRO_WEBHOOK_SECRET", previous);
            }
        }
    }
}

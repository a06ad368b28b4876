using System.Collections;
using System.Text.Json.Nodes;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>The seen-event store against replays, in one runspace and across two.</summary>
public class WebhookReplayTests
{
    private const string Secret = SandboxOptions.DefaultWebhookSecret;

    private static PowerShellHost.Result Accept(PowerShellHost host, string body, Hashtable headers, string store) =>
        host.Run("ConvertFrom-HeadshotWebhook -Body $body -Headers $headers -Secret $secure -SeenEventStore $store",
            ("body", body), ("headers", headers), ("secure", WebhookVerificationTests.ToSecure(Secret)), ("store", store));

    private static string? Refusal(PowerShellHost.Result r) => r.Terminating?.FullyQualifiedErrorId.Split(',')[0];

    [Fact(Timeout = Limits.Test)]
    public async Task A_delivery_seen_before_is_refused_and_the_store_forgets_what_can_no_longer_pass()
    {
        await Task.Yield();
        using var folder = new TempFolder();
        var store = Path.Combine(folder.Path, "seen.txt");
        var now = WebhookVerificationTests.Now;
        File.WriteAllText(store, $"{now - 10} evt_expired\n{now + 100} evt_kept\ngarbage line\n");
        using var host = new PowerShellHost();
        var body = WebhookVerificationTests.Body(id: "evt_first");
        var headers = WebhookVerificationTests.Headers(body);

        var first = Accept(host, body, headers, store);
        Assert.Null(first.Terminating);
        Assert.Single(first.Output);
        var replay = Accept(host, body, headers, store);
        Assert.Equal("WebhookReplayed", Refusal(replay));
        Assert.Empty(replay.Output);
        Assert.Contains("evt_first", replay.Terminating!.ErrorDetails!.Message);
        // A retry of the same event, signed afresh, is the same event: refused too.
        Assert.Equal("WebhookReplayed", Refusal(Accept(host, body, WebhookVerificationTests.Headers(body, now + 1), store)));
        Assert.Equal("WebhookReplayed", Refusal(Accept(host, WebhookVerificationTests.Body(id: "evt_kept"), WebhookVerificationTests.Headers(WebhookVerificationTests.Body(id: "evt_kept")), store)));
        Assert.Null(Accept(host, WebhookVerificationTests.Body(id: "evt_expired"), WebhookVerificationTests.Headers(WebhookVerificationTests.Body(id: "evt_expired")), store).Terminating);

        var lines = File.ReadAllLines(store);
        Assert.DoesNotContain(lines, l => l.Contains("garbage", StringComparison.Ordinal));
        Assert.Equal(new[] { "evt_kept", "evt_first", "evt_expired" }, lines.Select(l => l.Split(' ')[1]));
        // Each is kept until its signed time + the tolerance, the last moment a replay could pass the timestamp check.
        Assert.InRange(long.Parse(lines[1].Split(' ')[0]), now + 300, now + 305);
        // A refused (tampered) delivery is never recorded.
        var forged = WebhookVerificationTests.Body(id: "evt_forged");
        Assert.Equal("WebhookSignatureInvalid", Refusal(Accept(host, forged, WebhookVerificationTests.Headers(body), store)));
        Assert.DoesNotContain("evt_forged", File.ReadAllText(store));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Two_runspaces_sharing_a_store_accept_one_delivery_once_and_lose_no_id()
    {
        await Task.Yield();
        using var folder = new TempFolder();
        var store = Path.Combine(folder.Path, "seen.txt");
        using var a = new PowerShellHost();
        using var b = new PowerShellHost();
        var bodies = Enumerable.Range(0, 15).Select(i => WebhookVerificationTests.Body(id: $"evt_{i:00}")).ToList();
        // Each runspace takes every delivery (the same events, as if each were delivered twice), at the same time.
        const string script = """
            foreach ($i in 0..($bodies.Count - 1)) {
                try { $null = ConvertFrom-HeadshotWebhook -Body $bodies[$i] -Headers $headers[$i] -Secret $secure -SeenEventStore $store; "ok $i" }
                catch { "$($_.FullyQualifiedErrorId.Split(',')[0]) $i" }
            }
            """;
        var headers = bodies.Select(x => WebhookVerificationTests.Headers(x)).ToList();
        (string, object?)[] Vars() => new (string, object?)[] { ("bodies", bodies), ("headers", headers), ("secure", WebhookVerificationTests.ToSecure(Secret)), ("store", store) };
        var runs = await Task.WhenAll(Task.Run(() => a.Run(script, Vars())), Task.Run(() => b.Run(script, Vars())));
        var lines = runs.SelectMany(r => r.Output.Select(o => o.ToString())).ToList();
        Assert.Equal(30, lines.Count);
        for (var i = 0; i < bodies.Count; i++)
        {
            Assert.Single(lines, l => l == $"ok {i}");
            Assert.Single(lines, l => l == $"WebhookReplayed {i}");
        }
        Assert.Equal(15, File.ReadAllLines(store).Length);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_store_held_by_another_job_is_waited_for_and_one_that_cannot_be_opened_fails_closed()
    {
        await Task.Yield();
        using var folder = new TempFolder();
        var store = Path.Combine(folder.Path, "seen.txt");
        using var host = new PowerShellHost();
        var body = WebhookVerificationTests.Body();
        var holder = new FileStream(store, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        var release = Task.Run(async () => { await Task.Delay(400); holder.Dispose(); });
        var started = DateTime.UtcNow;
        var waited = Accept(host, body, WebhookVerificationTests.Headers(body), store);
        await release;
        Assert.Null(waited.Terminating);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(350), "it did not wait for the lock");

        var missing = Accept(host, body, WebhookVerificationTests.Headers(body), Path.Combine(folder.Path, "no-such-folder", "seen.txt"));
        Assert.Equal("WebhookEventStoreUnavailable", Refusal(missing));
        Assert.Empty(missing.Output);
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hsp-webhooks-" + Guid.NewGuid().ToString("n"))).FullName;
        public void Dispose() => Directory.Delete(Path, true);
    }
}

/// <summary>The sandbox's webhooks: signed deliveries on the people lifecycle, retries, the tamper control, and the reaction pipeline.</summary>
public class WebhookDeliveryTests
{
    private static SandboxOptions With(WebhookReceiver receiver, string schedule = "0,0.2,0.4") =>
        new() { WebhookUrl = receiver.Url.AbsoluteUri, WebhookRetrySchedule = schedule };

    private static object WebhookData(WebhookReceiver.Delivery d) => PSObjectOf(new Hashtable
    {
        ["WebhookName"] = "HeadshotPro",
        ["RequestBody"] = d.Text,
        ["RequestHeader"] = System.Management.Automation.PSObject.AsPSObject(new Hashtable(d.Headers.ToDictionary(h => h.Key, h => (object)h.Value))),
    });

    private static System.Management.Automation.PSObject PSObjectOf(Hashtable h)
    {
        var o = new System.Management.Automation.PSObject();
        foreach (DictionaryEntry e in h) o.Properties.Add(new System.Management.Automation.PSNoteProperty((string)e.Key, e.Value));
        return o;
    }

    private static async Task<JsonArray> DeliveriesAsync(TestSandbox sandbox) => JsonNode.Parse(await sandbox.Control.GetStringAsync("webhooks"))!["deliveries"]!.AsArray();

    [Fact(Timeout = Limits.Test)]
    public async Task The_lifecycle_sends_signed_events_in_order_that_verify_and_lead_to_the_model_and_its_favorite()
    {
        await using var receiver = new WebhookReceiver();
        await using var sandbox = await TestSandbox.StartAsync(With(receiver));
        using var host = new PowerShellHost();
        host.Connect(sandbox);
        Assert.Equal(200, (await sandbox.InviteAsync("ann.lee@corp.example")).Status);
        Assert.Empty(receiver.Drain()); // an invite has no model yet
        await sandbox.AdvanceAsync("ann.lee@corp.example", "completed", favorite: true);
        var received = await receiver.TakeAsync(5);
        var events = received.Select(d => (string)JsonNode.Parse(d.Text)!["event"]!).ToList();
        Assert.Equal(new[] { "model.created", "model.status.updated", "model.status.updated", "model.photos_ready", "model.favorite_selected" }, events);
        // The receiver has them before the sandbox reads their 200s: wait for the journal to say so.
        var journal = await DeliveredAsync(sandbox, 5);
        for (var i = 0; i < received.Count; i++)
        {
            var d = received[i];
            Assert.Equal((string)journal[i]!["body"]!, d.Text); // the bytes signed are the bytes sent
            Assert.Equal("application/json; charset=utf-8", d.Header("Content-Type"));
            Assert.Matches("^sha256=[0-9a-f]{64}$", d.Header("X-HeadshotPro-Signature")!);
            var json = JsonNode.Parse(d.Text)!;
            Assert.StartsWith("evt_", (string)json["id"]!);
            Assert.Equal("model", (string)json["objectType"]!);
            Assert.Equal(new[] { "_id", "uid", "title", "trigger", "status", "isDevelopment", "finishedAt", "deletedAt", "inviteExpiresAt", "createdAt", "organization" },
                json["object"]!.AsObject().Select(p => p.Key));
            Assert.DoesNotContain("ann.lee", d.Text); // no address: a receiver asks the API whose model it is
        }

        // The favorite_selected event, as Azure Automation passes it, verified and piped into the v2 cmdlets.
        var result = host.Run("""
            $hook = $data | ConvertFrom-HeadshotWebhook -Secret $secure
            $hook
            $model = $hook | Get-HeadshotModel
            $model
            $model | Get-HeadshotPhoto -Favorite
            $hook | Get-HeadshotPhoto -Favorite
            """, ("data", WebhookData(received[4])), ("secure", WebhookVerificationTests.ToSecure(SandboxOptions.DefaultWebhookSecret)));
        Assert.True(result.Terminating is null && result.Errors.Count == 0, result.Terminating + string.Join("\n", result.Errors));
        var hook = Assert.IsType<WebhookEvent>(result.Output[0].BaseObject);
        var model = Assert.IsType<Model>(result.Output[1].BaseObject);
        Assert.Equal(("model.favorite_selected", "active"), (hook.Event, hook.ModelStatus));
        Assert.Equal(hook.ModelId, model.Id);
        Assert.Equal("ann.lee@corp.example", model.Email);
        var photos = result.Output.Skip(2).Select(o => Assert.IsType<Photo>(o.BaseObject)).ToList();
        Assert.Equal(2, photos.Count);
        NonEmpty.All(photos, p => Assert.Equal(("ann.lee@corp.example", hook.ModelId), (p.Email, p.ModelId)));
        Assert.Equal(photos[0].PhotoId, photos[1].PhotoId);

        // Deleting the person: one model.deleted with its deletedAt.
        await sandbox.AdvanceAsync("ann.lee@corp.example", "deleted");
        var deleted = JsonNode.Parse((await receiver.NextAsync()).Text)!;
        Assert.Equal(("model.deleted", "deleted"), ((string)deleted["event"]!, (string)deleted["object"]!["status"]!));
        Assert.NotNull((string?)deleted["object"]!["deletedAt"]);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_delivery_without_a_2xx_is_retried_on_the_schedule_each_attempt_signed_afresh_then_given_up()
    {
        await using var receiver = new WebhookReceiver();
        await using var sandbox = await TestSandbox.StartAsync(With(receiver, "0,0.3,0.6"));
        receiver.Answers.Enqueue(500);
        receiver.Answers.Enqueue(503);
        receiver.Answers.Enqueue(404);
        await sandbox.InviteAsync("bo@corp.example");
        await sandbox.AdvanceAsync("bo@corp.example", "accepted");
        var attempts = await receiver.TakeAsync(4);
        Assert.Single(attempts.Select(a => (string)JsonNode.Parse(a.Text)!["id"]!).Distinct()); // one event
        Assert.Single(attempts.Select(a => a.Text).Distinct());
        Assert.True(attempts[2].At - attempts[1].At >= TimeSpan.FromMilliseconds(250), "the second retry came before its delay");
        Assert.True(attempts[3].At - attempts[2].At >= TimeSpan.FromMilliseconds(550), "the third retry came before its delay");
        var delivery = (await DeliveredAsync(sandbox, 1)).Single();
        Assert.Equal(new[] { 500, 503, 404, 200 }, delivery!["attempts"]!.AsArray().Select(a => (int)a!["status"]!));
        Assert.Equal("0,0.3,0.6", (string)(await sandbox.StateAsync())["settings"]!["webhookRetrySchedule"]!);

        // Always failing: the first attempt and every retry, then it is given up. A URL that refuses connections too.
        await sandbox.SettingsAsync(new { webhookRetrySchedule = "0,0.1" });
        for (var i = 0; i < 3; i++) receiver.Answers.Enqueue(500);
        await sandbox.AdvanceAsync("bo@corp.example", "uploading", null);
        await sandbox.AdvanceAsync("bo@corp.example", "generating");
        Assert.Equal(3, (await receiver.TakeAsync(3)).Count);
        var failed = await WaitForAsync(sandbox, d => (string?)d["state"] == "failed");
        Assert.Equal(3, failed["attempts"]!.AsArray().Count);

        var dead = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        dead.Start();
        var port = ((System.Net.IPEndPoint)dead.LocalEndpoint).Port;
        dead.Stop();
        await sandbox.SettingsAsync(new { webhookUrl = $"http://127.0.0.1:{port}/nobody", webhookRetrySchedule = "0" });
        await sandbox.AdvanceAsync("bo@corp.example", "completed");
        var refused = await WaitForAsync(sandbox, d => (string?)d["url"] == $"http://127.0.0.1:{port}/nobody" && (string?)d["state"] == "failed");
        NonEmpty.All(refused["attempts"]!.AsArray(), a => { Assert.Equal(0, (int)a!["status"]!); Assert.NotNull((string?)a["error"]); });
    }

    private static async Task<JsonNode> WaitForAsync(TestSandbox sandbox, Func<JsonNode, bool> until)
    {
        var deadline = DateTime.UtcNow + Limits.Wait;
        while (true)
        {
            var found = (await DeliveriesAsync(sandbox)).FirstOrDefault(d => until(d!));
            if (found is not null || DateTime.UtcNow > deadline) return found ?? throw new TimeoutException("no such delivery");
            await Task.Delay(20);
        }
    }

    /// <summary>The delivery journal once it holds <paramref name="count"/> deliveries, every one delivered (bounded).</summary>
    private static async Task<JsonArray> DeliveredAsync(TestSandbox sandbox, int count)
    {
        var deadline = DateTime.UtcNow + Limits.Wait;
        while (true)
        {
            var journal = await DeliveriesAsync(sandbox);
            if (journal.Count == count && journal.All(d => (string?)d!["state"] == "delivered")) return journal;
            if (DateTime.UtcNow > deadline) Assert.Fail($"the sandbox did not record {count} deliveries as delivered: {journal.ToJsonString()}");
            await Task.Delay(20);
        }
    }

    [Fact(Timeout = Limits.Test)]
    public async Task The_send_control_delivers_true_and_tampered_events_that_the_cmdlet_tells_apart()
    {
        await using var receiver = new WebhookReceiver();
        await using var sandbox = await TestSandbox.StartAsync(With(receiver, ""));
        using var host = new PowerShellHost();
        await sandbox.InviteAsync("cy@corp.example");
        await sandbox.AdvanceAsync("cy@corp.example", "completed", favorite: true);
        await receiver.TakeAsync(5);
        var modelId = await sandbox.ModelIdAsync("cy@corp.example");
        // A future timestamp a minute past the 5-minute tolerance: seconds pass between signing and checking on a loaded machine.
        var cases = new (object Body, string? Expected)[]
        {
            (new { @event = "model.photos_ready", email = "cy@corp.example" }, null),
            (new { @event = "model.photos_ready", modelId }, null),
            (new { @event = "model.photos_ready", email = "cy@corp.example", tamper = "signature" }, "WebhookSignatureInvalid"),
            (new { @event = "model.photos_ready", email = "cy@corp.example", tamper = "body" }, "WebhookSignatureInvalid"),
            (new { @event = "model.photos_ready", email = "cy@corp.example", tamper = "stale" }, "WebhookTimestampOutOfRange"),
            (new { @event = "model.photos_ready", email = "cy@corp.example", tamper = "future", seconds = 360 }, "WebhookTimestampOutOfRange"),
            (new { @event = "model.photos_ready", email = "cy@corp.example", tamper = "unsigned" }, "WebhookHeaderMissing"),
            (new { @event = "model.archived", email = "cy@corp.example" }, "WebhookEventUnknown"),
        };
        foreach (var (body, expected) in cases)
        {
            var (status, answer, _) = await sandbox.SendAsync(HttpMethod.Post, "../../sandbox/webhooks/send", body, sandbox.Control);
            Assert.True(status == 200, answer?.ToJsonString());
            var delivery = await receiver.NextAsync();
            Assert.Equal((string)answer!["delivery"]!["eventId"]!, (string)JsonNode.Parse(delivery.Text)!["id"]!);
            var result = host.Run("$data | ConvertFrom-HeadshotWebhook -Secret $secure", ("data", WebhookData(delivery)),
                ("secure", WebhookVerificationTests.ToSecure(SandboxOptions.DefaultWebhookSecret)));
            Assert.True(expected == result.Terminating?.FullyQualifiedErrorId.Split(',')[0], $"{System.Text.Json.JsonSerializer.Serialize(body)}: {result.Terminating}");
            if (expected is null) Assert.Equal(modelId, ((WebhookEvent)result.Output.Single().BaseObject).ModelId);
        }

        Assert.Equal(400, (await sandbox.SendAsync(HttpMethod.Post, "../../sandbox/webhooks/send", new { @event = "model.photos_ready", email = "cy@corp.example", tamper = "nice" }, sandbox.Control)).Status);
        Assert.Equal(404, (await sandbox.SendAsync(HttpMethod.Post, "../../sandbox/webhooks/send", new { @event = "model.photos_ready", email = "nobody@corp.example" }, sandbox.Control)).Status);
        await sandbox.SettingsAsync(new { webhookUrl = (string?)null });
        Assert.Equal(409, (await sandbox.SendAsync(HttpMethod.Post, "../../sandbox/webhooks/send", new { @event = "model.photos_ready", email = "cy@corp.example" }, sandbox.Control)).Status);
        Assert.Equal(400, (await sandbox.SendAsync(HttpMethod.Post, "../../sandbox/settings", new { webhookSecret = "short" }, sandbox.Control)).Status);
        Assert.Equal(400, (await sandbox.SendAsync(HttpMethod.Post, "../../sandbox/settings", new { webhookRetrySchedule = "soon" }, sandbox.Control)).Status);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Another_secret_set_on_the_sandbox_is_the_one_the_cmdlet_needs()
    {
        await using var receiver = new WebhookReceiver();
        const string secret = "aa11bb22cc33dd44ee55ff6600778899aa11bb22cc33dd44ee55ff6600778899";
        await using var sandbox = await TestSandbox.StartAsync(With(receiver) with { WebhookSecret = secret });
        using var host = new PowerShellHost();
        await sandbox.InviteAsync("di@corp.example");
        await sandbox.AdvanceAsync("di@corp.example", "accepted");
        var data = WebhookData(await receiver.NextAsync());
        Assert.Equal("WebhookSignatureInvalid", host.Run("$data | ConvertFrom-HeadshotWebhook -Secret $secure", ("data", data),
            ("secure", WebhookVerificationTests.ToSecure(SandboxOptions.DefaultWebhookSecret))).Terminating?.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Null(host.Run("$data | ConvertFrom-HeadshotWebhook -Secret $secure", ("data", data), ("secure", WebhookVerificationTests.ToSecure(secret))).Terminating);
    }

    [Theory(Timeout = Limits.Test)]
    [InlineData("--webhook-url", "ftp://x")]
    [InlineData("--webhook-secret", "0123")]
    [InlineData("--webhook-secret", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeZ")]
    [InlineData("--webhook-retry-schedule", "0,-1")]
    [InlineData("--webhook-retry-schedule", "0,0,0,0,0,0,0,0,0,0,0")]
    public Task Bad_webhook_options_are_refused(string option, string value) => Task.Run(() =>
        Assert.Throws<ArgumentException>(() => SandboxOptions.Parse(new[] { option, value })));

    [Fact(Timeout = Limits.Test)]
    public Task Webhook_options_are_read() => Task.Run(() =>
    {
        var o = SandboxOptions.Parse(new[] { "--webhook-url", "http://127.0.0.1:9/x", "--webhook-secret", new string('f', 64), "--webhook-retry-schedule", "0, 0.2,0.4" });
        Assert.Equal(("http://127.0.0.1:9/x", new string('f', 64)), (o.WebhookUrl, o.WebhookSecret));
        Assert.Equal("0,0.2,0.4", o.WebhookRetrySchedule);
        Assert.Equal(new[] { 0, 0.2, 0.4 }, WebhookRules.Schedule("x", o.WebhookRetrySchedule));
        Assert.Equal(new double[] { 0, 300, 900, 3600 }, WebhookRules.Schedule("x", new SandboxOptions().WebhookRetrySchedule));
        Assert.Equal(SandboxOptions.Parse(new[] { "--webhook-retry-schedule", "0,0.2,0.4" }), new SandboxOptions { WebhookRetrySchedule = "0,0.2,0.4" });
    });
}

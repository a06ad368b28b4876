using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

public class SandboxControlTests
{
    [Fact(Timeout = Limits.Test)]
    public async Task Injected_429_and_503_are_not_processed()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.Retry429, FaultKind.Html503 } });

        var (status, body, response) = await sandbox.InviteAsync("ann@corp.example");
        SandboxApiTests.AssertError(429, "RATE_LIMIT_EXCEEDED", status, body);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter!.Delta);

        (status, body, response) = await sandbox.InviteAsync("ann@corp.example");
        Assert.Equal(503, status);
        Assert.Null(body);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<html>", await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("X-RateLimit-", StringComparison.OrdinalIgnoreCase));

        Assert.Empty(sandbox.Server.State.ListInvites());
        Assert.Equal(200, (await sandbox.InviteAsync("ann@corp.example")).Status);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_connection_dropped_before_processing_leaves_nothing_and_after_processing_leaves_the_invite()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.DropBeforeProcessing, FaultKind.DropAfterProcessing } });

        await Assert.ThrowsAsync<HttpRequestException>(() => sandbox.InviteAsync("ann@corp.example"));
        Assert.Empty(sandbox.Server.State.ListInvites());

        await Assert.ThrowsAsync<HttpRequestException>(() => sandbox.InviteAsync("ann@corp.example"));
        Assert.Equal("ann@corp.example", sandbox.Server.State.ListInvites().Single().Email);
        Assert.Equal(99, sandbox.Server.State.Credits);

        var faults = (await sandbox.StateAsync())["counters"]!["faults"]!;
        Assert.Equal(1, (long)faults[FaultKind.DropBeforeProcessing]!);
        Assert.Equal(1, (long)faults[FaultKind.DropAfterProcessing]!);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_none_in_nextFaults_passes_over_a_request_and_is_not_counted_as_a_fault()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.None, FaultKind.Retry429 } });
        Assert.Equal(200, (await sandbox.InviteAsync("ann@corp.example")).Status);
        Assert.Equal(429, (await sandbox.InviteAsync("bob@corp.example")).Status);
        var faults = (await sandbox.StateAsync())["counters"]!["faults"]!.AsObject();
        Assert.Equal(1, faults.Sum(f => (long)f.Value!));
        Assert.False(faults.ContainsKey(FaultKind.None));
        Assert.Equal(400, (int)(await sandbox.Control.PostAsync("settings", TestSandbox.JsonBody(new { nextFaults = new[] { "nothing" } }))).StatusCode);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task With_a_latency_jitter_requests_that_arrive_one_after_another_are_processed_in_an_order_of_their_own()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { RateLimit = 0, LatencyJitterMs = 2000 });
        Assert.Equal(2000, (int)(await sandbox.StateAsync())["settings"]!["latencyJitterMs"]!);
        var sent = Enumerable.Range(1, 12).Select(i => $"user{i:00}@corp.example").ToList();
        var requests = new List<Task<(int Status, JsonNode? Body, HttpResponseMessage Response)>>();
        foreach (var email in sent)
        {
            // Each arrives (and is counted) before the next is sent, then waits out its own draw of up to 2 s.
            requests.Add(sandbox.InviteAsync(email));
            var arrived = await sandbox.WaitForStateAsync(st => TestSandbox.Counter(st, "requests") == requests.Count, TimeSpan.FromSeconds(20));
            Assert.Equal(requests.Count, TestSandbox.Counter(arrived, "requests"));
        }
        NonEmpty.All(await Task.WhenAll(requests), r => Assert.Equal(200, r.Status));
        var processed = sandbox.Server.State.ListInvites().Select(i => i.Email).ToList(); // oldest first: in the order they were made
        Assert.Equal(sent.Order(), processed.Order());
        Assert.NotEqual(sent, processed);

        Assert.Equal(400, (int)(await sandbox.Control.PostAsync("settings", TestSandbox.JsonBody(new { latencyJitterMs = -1 }))).StatusCode);
        Assert.Equal(250, SandboxOptions.Parse(new[] { "--latency-jitter-ms", "250" }).LatencyJitterMs);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Seeded_faults_repeat_run_after_run_and_draw_only_the_transient_kinds()
    {
        // The sequence as a client sees it, one request at a time, each on a new connection (HttpClient silently
        // resends a request whose pooled connection was dropped, which would add draws).
        async Task<(string Seen, string[] Drawn)> RunAsync()
        {
            await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { FaultRate = 0.5, FaultSeed = 7, RateLimit = 0 });
            using var http = new HttpClient { BaseAddress = sandbox.ApiBaseUri };
            http.DefaultRequestHeaders.Authorization = new("Bearer", TestSandbox.Key);
            http.DefaultRequestHeaders.ConnectionClose = true;
            var seen = new List<string>();
            for (var i = 0; i < 200; i++)
            {
                var email = $"user{i}@corp.example";
                try
                {
                    var (status, body, _) = await sandbox.SendAsync(HttpMethod.Post, "organization/invite", new { email }, http);
                    seen.Add(status == 200 ? "-" : $"{status}:{(string?)body?["code"]}");
                }
                catch (HttpRequestException)
                {
                    seen.Add(sandbox.Server.State.ListInvites().Any(x => x.Email == email) ? "dropped-processed" : "dropped");
                }
            }
            var drawn = (await sandbox.JournalAsync()).Select(e => (string?)e!["fault"]).OfType<string>().ToArray();
            return (string.Join(",", seen), drawn);
        }

        var first = await RunAsync();
        var second = await RunAsync();
        Assert.Equal(first.Seen, second.Seen);
        Assert.Equal(first.Drawn, second.Drawn);
        Assert.Equal(FaultKind.Transient.Order(), first.Drawn.Distinct().Order());
        Assert.Contains("-", first.Seen);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Invites_move_through_their_lifecycle_and_report_the_active_address_once_used()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var id = (string)(await sandbox.InviteAsync("ann@corp.example")).Body!["id"]!;

        foreach (var status in new[] { InviteStatus.WaitingForUpload, InviteStatus.GeneratingHeadshots, InviteStatus.Active })
        {
            var response = await sandbox.Control.PostAsync($"invites/{id}/status",
                TestSandbox.JsonBody(new { status, activeEmail = "ann.private@mail.example" }));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var (_, body, _) = await sandbox.SendAsync(HttpMethod.Get, "organization/invite/id/" + id);
            Assert.Equal(status, (string?)body!["invite"]!["status"]);
            Assert.Equal("ann.private@mail.example", (string?)body["invite"]!["email"]);
        }
        var listed = (await sandbox.SendAsync(HttpMethod.Get, "organization/invites")).Body!["invites"]![0]!;
        Assert.True((bool)listed["used"]!);
        Assert.True((bool)listed["valid"]!);

        await sandbox.Control.PostAsync($"invites/{id}/status", TestSandbox.JsonBody(new { status = InviteStatus.Deleted }));
        listed = (await sandbox.SendAsync(HttpMethod.Get, "organization/invites")).Body!["invites"]![0]!;
        Assert.False((bool)listed["valid"]!);
        Assert.Equal(200, (await sandbox.InviteAsync("ann@corp.example")).Status);

        var bad = await sandbox.Control.PostAsync($"invites/{id}/status", TestSandbox.JsonBody(new { status = "lost" }));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Controls_need_the_key_and_set_credits_settings_and_reset()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Credits = 10 });
        using var anonymous = new HttpClient { BaseAddress = new Uri(sandbox.Server.RootUri, "sandbox/") };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("state")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("reset", null)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await sandbox.Control.PostAsync("credits", TestSandbox.JsonBody(new { credits = 3 }))).StatusCode);
        Assert.Equal(3, (int)(await sandbox.SendAsync(HttpMethod.Get, "organization/credits")).Body!["credits"]!);

        await sandbox.SettingsAsync(new { latencyMs = 5, rateLimit = 50, rateWindowSeconds = 10, faultRate = 0.0, inviteLimit = 7 });
        var settings = (await sandbox.StateAsync())["settings"]!;
        Assert.Equal(5, (int)settings["latencyMs"]!);
        Assert.Equal(50, (int)settings["rateLimit"]!);
        Assert.Equal(7, (int)settings["inviteLimit"]!);
        var (_, _, response) = await sandbox.SendAsync(HttpMethod.Get, "organization");
        Assert.Equal("50", response.Headers.GetValues("X-RateLimit-Limit").Single());

        var unknown = await sandbox.Control.PostAsync("settings", TestSandbox.JsonBody(new { speed = 11 }));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);

        await sandbox.InviteAsync("ann@corp.example");
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Control.PostAsync("reset", null)).StatusCode);
        var state = await sandbox.StateAsync();
        Assert.Equal(10, (int)state["credits"]!);
        Assert.Empty(state["invites"]!.AsArray());
        Assert.Equal(0, (long)state["counters"]!["requests"]!);
        Assert.Equal(300, (int)state["settings"]!["rateLimit"]!);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task The_journal_records_requests_and_says_only_whether_a_key_was_sent()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.InviteAsync("ann@corp.example");
        using var anonymous = new HttpClient { BaseAddress = sandbox.ApiBaseUri };
        await anonymous.GetAsync("organization/credits");

        var journal = await sandbox.JournalAsync();
        Assert.Equal(2, journal.Count);
        Assert.Equal("POST", (string?)journal[0]!["method"]);
        Assert.Equal("/api/v1/organization/invite", (string?)journal[0]!["path"]);
        Assert.Equal(200, (int)journal[0]!["status"]!);
        Assert.Equal("present", (string?)journal[0]!["authorization"]);
        Assert.Equal(401, (int)journal[1]!["status"]!);
        Assert.Equal("absent", (string?)journal[1]!["authorization"]);
        Assert.DoesNotContain(TestSandbox.Key, journal.ToJsonString());
        Assert.DoesNotContain(TestSandbox.Key, (await sandbox.StateAsync()).ToJsonString());
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Fifty_concurrent_clients_never_make_two_live_invites_lose_one_or_overspend()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Credits = 150, RateLimit = 0 });
        var addresses = Enumerable.Range(0, 200).Select(i => $"user{i}@corp.example").ToArray();
        var created = new System.Collections.Concurrent.ConcurrentBag<string>();
        var other = new System.Collections.Concurrent.ConcurrentBag<int>();
        using var start = new ManualResetEventSlim();
        var clients = Enumerable.Range(0, 50).Select(c => Task.Run(async () =>
        {
            using var http = new HttpClient { BaseAddress = sandbox.ApiBaseUri };
            http.DefaultRequestHeaders.Authorization = new("Bearer", TestSandbox.Key);
            start.Wait();
            var random = new Random(c);
            for (var i = 0; i < 20; i++)
            {
                var address = addresses[random.Next(addresses.Length)];
                if (i % 2 == 0) address = address.ToUpperInvariant();
                var (status, body, _) = await sandbox.SendAsync(HttpMethod.Post, "organization/invite", new { email = address }, http);
                if (status == 200) created.Add(address.ToLowerInvariant());
                else other.Add(status);
            }
        })).ToArray();
        start.Set();
        await Task.WhenAll(clients);

        var live = sandbox.Server.State.ListInvites().Where(i => i.Valid).ToList();
        Assert.Equal(live.Count, live.Select(i => i.Email.ToLowerInvariant()).Distinct().Count());
        Assert.Equal(created.Count, created.Distinct().Count());
        Assert.Equal(created.OrderBy(a => a), live.Select(i => i.Email.ToLowerInvariant()).OrderBy(a => a));
        Assert.Equal(150 - live.Count, sandbox.Server.State.Credits);
        Assert.True(sandbox.Server.State.Credits >= 0);
        Assert.Equal(1000, created.Count + other.Count);
        NonEmpty.All(other, s => Assert.True(s is 400 or 402, $"unexpected status {s}"));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task The_command_line_prints_where_it_listens_and_rejects_bad_options_with_exit_code_2()
    {
        var dll = Path.Combine(RepoPaths.SandboxBin, "HeadshotPro.Sandbox.dll");
        var (code, stdout, stderr) = await RunAsync(dll, "--credits", "lots");
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains("--credits", stderr);

        (code, _, stderr) = await RunAsync(dll, "--colour", "blue");
        Assert.Equal(2, code);
        Assert.Contains("unknown option", stderr);

        (code, _, stderr) = await RunAsync(dll, "--reset-header-format", "sometimes");
        Assert.Equal(2, code);
        Assert.Contains("--reset-header-format", stderr);

        using var process = Process.Start(new ProcessStartInfo("dotnet") { ArgumentList = { dll, "--urls", "http://127.0.0.1:0", "--credits", "7" }, RedirectStandardOutput = true })!;
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Matches(@"^HeadshotPro sandbox listening on http://127\.0\.0\.1:\d+/api/v1/$", line);
            using var http = new HttpClient { BaseAddress = new Uri(line!.Split(' ').Last()) };
            http.DefaultRequestHeaders.Authorization = new("Bearer", TestSandbox.Key);
            Assert.Equal("""{"success":true,"credits":7}""", await http.GetStringAsync("organization/credits"));
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string dll, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout, await stderr);
    }
}

internal static class RepoPaths
{
    /// <summary>The repository root, found from the test assembly's folder.</summary>
    public static readonly string Root = FindRoot();

    /// <summary>The same configuration as these tests (Debug or Release).</summary>
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string SandboxBin => Path.Combine(Root, "src", "HeadshotPro.Sandbox", "bin", Configuration, "net10.0");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "HeadshotPro.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("HeadshotPro.sln not found above " + AppContext.BaseDirectory);
    }
}

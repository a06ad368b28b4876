using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

public class SandboxRealismTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static DateTime ParseIso(string text) =>
        DateTime.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    /// <summary>The response head exactly as it crossed the wire.</summary>
    private static async Task<string[]> RawHeadAsync(TestSandbox sandbox, string path)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(sandbox.Server.RootUri.Host, sandbox.Server.RootUri.Port);
        await using var stream = tcp.GetStream();
        var request = $"GET {path} HTTP/1.1\r\nHost: {sandbox.Server.RootUri.Authority}\r\nAuthorization: Bearer {TestSandbox.Key}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var text = await reader.ReadToEndAsync();
        return text[..text.IndexOf("\r\n\r\n", StringComparison.Ordinal)].Split("\r\n");
    }

    [Theory(Timeout = Limits.Test)]
    [InlineData(3600)]
    [InlineData(-86400)]
    public async Task The_Date_header_on_the_wire_is_the_sandbox_clock(int skew)
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { ClockSkewSeconds = skew });
        foreach (var path in new[] { "/api/v1/organization/credits", "/sandbox/state", "/nowhere" })
        {
            var head = await RawHeadAsync(sandbox, path);
            var date = Assert.Single(head, l => l.StartsWith("Date:", StringComparison.OrdinalIgnoreCase));
            var sent = DateTime.ParseExact(date["Date:".Length..].Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
            Assert.InRange((sent - DateTime.UtcNow).TotalSeconds, skew - 2, skew + 2);
        }
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Clock_skew_shifts_the_reset_header_and_createdAt_but_not_the_window_length()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { RateLimit = 1, RateWindowSeconds = 30 });
        await sandbox.SettingsAsync(new { clockSkewSeconds = -7200 });
        Assert.Equal(-7200, (int)(await sandbox.StateAsync())["settings"]!["clockSkewSeconds"]!);

        var (status, _, response) = await sandbox.InviteAsync("ann@corp.example");
        Assert.Equal(200, status);
        var reset = ParseIso(response.Headers.GetValues("X-RateLimit-Reset").Single());
        Assert.InRange((reset - DateTime.UtcNow).TotalSeconds, -7200 + 30 - 2, -7200 + 30 + 2);
        Assert.InRange((response.Headers.Date!.Value.UtcDateTime - DateTime.UtcNow).TotalSeconds, -7202, -7198);

        (status, _, response) = await sandbox.SendAsync(HttpMethod.Get, "organization/invites");
        Assert.Equal(429, status);
        Assert.InRange(response.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 30);
        var createdAt = ParseIso(sandbox.Server.State.ListInvites().Single().CreatedAt);
        Assert.InRange((createdAt - DateTime.UtcNow).TotalSeconds, -7202, -7198);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Clock_skew_is_bounded_to_a_day()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var response = await sandbox.Control.PostAsync("settings", TestSandbox.JsonBody(new { clockSkewSeconds = 86_401 }));
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Throws<ArgumentException>(() => SandboxOptions.Parse(new[] { "--clock-skew-seconds", "-86401" }));
        Assert.Equal(-86_400, SandboxOptions.Parse(new[] { "--clock-skew-seconds", "-86400" }).ClockSkewSeconds);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_request_whose_client_hung_up_during_the_latency_is_still_processed()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { LatencyMs = 5000 });
        using var cts = new CancellationTokenSource();
        var call = sandbox.Http.PostAsync("organization/invite", TestSandbox.JsonBody(new { email = "ann@corp.example" }), cts.Token);
        var state = await sandbox.WaitForStateAsync(s => (int)s["counters"]!["inFlight"]! == 1, Bound);
        Assert.Equal(1, (int)state["counters"]!["inFlight"]!);
        Assert.Empty(state["invites"]!.AsArray());
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        state = await sandbox.WaitForStateAsync(s => (int)s["counters"]!["inFlight"]! == 0, Bound);
        Assert.Equal("ann@corp.example", (string?)state["invites"]!.AsArray().Single()!["email"]);
        Assert.Equal(99, (int)state["credits"]!);
        var entry = (await sandbox.JournalAsync()).Single()!;
        Assert.Equal(200, (int)entry["status"]!);
        Assert.True((bool)entry["clientGone"]!);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task With_cancelOnDisconnect_a_request_whose_client_hung_up_is_dropped_unprocessed()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { LatencyMs = 60_000 });
        await sandbox.SettingsAsync(new { cancelOnDisconnect = true });
        Assert.True((bool)(await sandbox.StateAsync())["settings"]!["cancelOnDisconnect"]!);
        using var cts = new CancellationTokenSource();
        var call = sandbox.Http.PostAsync("organization/invite", TestSandbox.JsonBody(new { email = "ann@corp.example" }), cts.Token);
        Assert.Equal(1, (int)(await sandbox.WaitForStateAsync(s => (int)s["counters"]!["inFlight"]! == 1, Bound))["counters"]!["inFlight"]!);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        var state = await sandbox.WaitForStateAsync(s => (int)s["counters"]!["inFlight"]! == 0, Bound);
        Assert.Equal(0, (int)state["counters"]!["inFlight"]!);
        Assert.Empty(state["invites"]!.AsArray());
        Assert.Equal(100, (int)state["credits"]!);
        var entry = (await sandbox.JournalAsync()).Single()!;
        Assert.Equal(0, (int)entry["status"]!);
        Assert.True((bool)entry["clientGone"]!);
        Assert.True(SandboxOptions.Parse(new[] { "--cancel-on-disconnect" }).CancelOnDisconnect);
        Assert.False(SandboxOptions.Parse(new[] { "--cancel-on-disconnect=false" }).CancelOnDisconnect);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Requests_held_by_a_long_latency_end_when_it_is_lowered_to_what_they_have_waited()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { LatencyMs = 600_000 });
        var held = new[] { "ann", "bob" }.Select(n => sandbox.Http.PostAsync("organization/invite", TestSandbox.JsonBody(new { email = n + "@corp.example" }))).ToList();
        await sandbox.WaitForInFlightAsync(2);
        await sandbox.SettingsAsync(new { latencyMs = 300_000 });
        Assert.Equal(2, TestSandbox.Counter(await sandbox.StateAsync(), "inFlight"));

        // Lowered to 0 from ten minutes: both are answered now (the bound guards a hang, far below the ten minutes).
        await sandbox.SettingsAsync(new { latencyMs = 0 });
        var answers = await Task.WhenAll(held).WaitAsync(TimeSpan.FromSeconds(60));
        NonEmpty.All(answers, a => Assert.Equal(System.Net.HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(2, (await sandbox.StateAsync())["invites"]!.AsArray().Count);
    }

    [Theory(Timeout = Limits.Test)]
    [InlineData(ResetFormat.Huge, "1e300")]
    [InlineData(ResetFormat.Infinity, "Infinity")]
    [InlineData(ResetFormat.Garbage, "soon")]
    [InlineData(ResetFormat.Negative, "-5")]
    public async Task Odd_reset_headers_are_sent_verbatim(string format, string expected)
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { ResetHeaderFormat = format });
        var (status, _, response) = await sandbox.SendAsync(HttpMethod.Get, "organization/credits");
        Assert.Equal(200, status);
        Assert.Equal(expected, response.Headers.GetValues("X-RateLimit-Reset").Single());
        Assert.Equal("299", response.Headers.GetValues("X-RateLimit-Remaining").Single());
    }

    [Theory(Timeout = Limits.Test)]
    [InlineData(0)]
    [InlineData(3600)]
    public async Task Numeric_reset_headers_name_the_end_of_the_window_on_the_sandbox_clock(int skew)
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { RateWindowSeconds = 60, ClockSkewSeconds = skew });
        async Task<string[]> ResetAsync(string format)
        {
            await sandbox.SettingsAsync(new { resetHeaderFormat = format });
            var (_, _, response) = await sandbox.SendAsync(HttpMethod.Get, "organization/credits");
            return response.Headers.GetValues("X-RateLimit-Reset").ToArray();
        }
        double SecondsAhead(DateTime utc) => (utc - DateTime.UtcNow).TotalSeconds;
        var expected = skew + 60;

        Assert.InRange(SecondsAhead(ParseIso((await ResetAsync(ResetFormat.Iso)).Single())), expected - 2, expected + 1);
        var unix = long.Parse((await ResetAsync(ResetFormat.UnixSeconds)).Single(), CultureInfo.InvariantCulture);
        Assert.InRange(SecondsAhead(DateTimeOffset.FromUnixTimeSeconds(unix).UtcDateTime), expected - 2, expected + 1);
        var unixMs = long.Parse((await ResetAsync(ResetFormat.UnixMs)).Single(), CultureInfo.InvariantCulture);
        Assert.InRange(SecondsAhead(DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime), expected - 2, expected + 1);
        Assert.InRange(int.Parse((await ResetAsync(ResetFormat.DeltaSeconds)).Single(), CultureInfo.InvariantCulture), 58, 60);

        var twice = await ResetAsync(ResetFormat.Multiple);
        Assert.Equal(2, twice.Length);
        Assert.Equal(twice[0], twice[1]);
        Assert.InRange(SecondsAhead(ParseIso(twice[0])), expected - 2, expected + 1);
        Assert.Equal(ResetFormat.Multiple, (string?)(await sandbox.StateAsync())["settings"]!["resetHeaderFormat"]);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Unknown_reset_formats_are_refused()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var response = await sandbox.Control.PostAsync("settings", TestSandbox.JsonBody(new { resetHeaderFormat = "sometimes" }));
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal(ResetFormat.Iso, (string?)(await sandbox.StateAsync())["settings"]!["resetHeaderFormat"]);
        Assert.Throws<ArgumentException>(() => SandboxOptions.Parse(new[] { "--reset-header-format", "sometimes" }));
        Assert.Equal(ResetFormat.UnixMs, SandboxOptions.Parse(new[] { "--reset-header-format=unix-ms" }).ResetHeaderFormat);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task The_journal_records_the_Expect_header_and_the_content_type()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using (var request = new HttpRequestMessage(HttpMethod.Post, "organization/invite") { Content = TestSandbox.JsonBody(new { email = "ann@corp.example" }) })
        {
            request.Headers.ExpectContinue = true;
            Assert.Equal(200, (int)(await sandbox.Http.SendAsync(request)).StatusCode);
        }
        await sandbox.InviteAsync("bob@corp.example");
        await sandbox.SendAsync(HttpMethod.Get, "organization/invites");

        var journal = await sandbox.JournalAsync();
        Assert.Equal("100-continue", (string?)journal[0]!["expect"]);
        Assert.Null((string?)journal[1]!["expect"]);
        Assert.Equal("application/json; charset=utf-8", (string?)journal[1]!["contentType"]);
        Assert.Null((string?)journal[2]!["contentType"]);
        NonEmpty.All(journal, e => Assert.False((bool)e!["clientGone"]!));
    }
}

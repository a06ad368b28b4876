using System.Diagnostics;
using HeadshotPro.Client;
using HeadshotPro.Client.Transport;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

public class ClientTests
{
    private static HeadshotProClient ClientFor(TestSandbox sandbox, Action<ClientSettings>? configure = null)
    {
        var settings = new ClientSettings(sandbox.ApiBaseUri, TestSandbox.Key);
        configure?.Invoke(settings);
        return new HeadshotProClient(settings);
    }

    [Fact]
    public async Task Reads_credits_by_POST_and_falls_back_to_GET_for_good_when_POST_is_refused()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Credits = 12 });
        using var client = ClientFor(sandbox);
        Assert.Equal(12, await client.GetCreditsAsync(default));
        await sandbox.SettingsAsync(new { creditsMethods = "GET" });
        Assert.Equal(12, await client.GetCreditsAsync(default));
        Assert.Equal(12, await client.GetCreditsAsync(default));
        var methods = (await sandbox.JournalAsync()).Select(e => $"{e!["method"]} {e["status"]}");
        Assert.Equal(new[] { "POST 200", "POST 405", "GET 200", "GET 200" }, methods);
    }

    [Fact]
    public async Task Creates_gets_lists_and_revokes_invites()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var client = ClientFor(sandbox);
        var invite = await client.CreateInviteAsync("jürgen@bücher.example", "team_engineering", default);
        Assert.Equal("jürgen@bücher.example", invite.Email);
        Assert.Equal("pending-invite", invite.Status);
        Assert.Equal("team_engineering", invite.TeamId);
        Assert.EndsWith(invite.Id!, invite.Link);
        Assert.Equal("jürgen@bücher.example", sandbox.Server.State.ListInvites().Single().Email);

        var fetched = await client.GetInviteAsync(invite.Id!, default);
        Assert.Equal(("jürgen@bücher.example", "pending-invite"), (fetched.Email, fetched.Status));

        var listed = Assert.Single(await client.ListInvitesAsync(default));
        Assert.Equal((invite.Id, "pending-invite", "team_engineering"), (listed.Id, listed.Status, listed.TeamId));
        Assert.NotNull(listed.CreatedAt);

        await client.RevokeInviteAsync("JÜRGEN@bücher.example", default);
        Assert.Equal("revoked", Assert.Single(await client.ListInvitesAsync(default)).Status);
        var missing = await Assert.ThrowsAsync<HeadshotProApiException>(() => client.RevokeInviteAsync("nobody@corp.example", default));
        Assert.Equal((ApiErrorKind.NotFound, 404, "NOT_FOUND"), (missing.Kind, missing.StatusCode, missing.Code));
    }

    [Fact]
    public async Task Retries_503_pages_and_dropped_connections_and_sends_the_invite_once()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var client = ClientFor(sandbox);
        await sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.Html503, FaultKind.DropBeforeProcessing } });
        var invite = await client.CreateInviteAsync("ann@corp.example", null, default);
        Assert.Equal(invite.Id, sandbox.Server.State.ListInvites().Single().Id);
        Assert.Equal(3, (await sandbox.JournalAsync()).Count);
    }

    [Fact]
    public async Task A_retried_invite_whose_first_attempt_went_through_is_found_not_reported_as_a_duplicate()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var client = ClientFor(sandbox);
        await sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.DropAfterProcessing } });
        var invite = await client.CreateInviteAsync("ann@corp.example", null, default);
        var stored = sandbox.Server.State.ListInvites().Single();
        Assert.Equal(stored.Id, invite.Id);
        Assert.Equal(99, sandbox.Server.State.Credits);
        var paths = (await sandbox.JournalAsync()).Select(e => $"{e!["method"]} {e["path"]} {e["status"]}");
        Assert.Equal(new[] { "POST /api/v1/organization/invite 0", "POST /api/v1/organization/invite 400", "GET /api/v1/organization/invites 200" }, paths);
    }

    [Fact]
    public async Task An_existing_invite_on_the_first_attempt_stays_ALREADY_EXISTS()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var client = ClientFor(sandbox);
        await client.CreateInviteAsync("ann@corp.example", null, default);
        var e = await Assert.ThrowsAsync<HeadshotProApiException>(() => client.CreateInviteAsync("ANN@corp.example", null, default));
        Assert.Equal(ApiErrorKind.AlreadyExists, e.Kind);
        Assert.False(e.AfterUncertainAttempt);
    }

    [Fact]
    public async Task Gives_up_after_four_attempts_with_the_status_and_the_start_of_the_HTML_page()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var client = ClientFor(sandbox);
        await sandbox.SettingsAsync(new { nextFaults = Enumerable.Repeat(FaultKind.Html503, 4) });
        var e = await Assert.ThrowsAsync<HeadshotProApiException>(() => client.GetCreditsAsync(default));
        Assert.Equal((ApiErrorKind.ServerError, 503), (e.Kind, e.StatusCode));
        Assert.StartsWith("<html><head><title>503 Service Temporarily Unavailable", e.ServerMessage);
        Assert.True(e.ServerMessage!.Length <= 201);
        Assert.Contains("HTTP 503", e.Message);
        Assert.Equal(4, (await sandbox.JournalAsync()).Count);
    }

    [Fact]
    public async Task A_429_is_waited_out_without_using_up_attempts()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var client = ClientFor(sandbox);
        await sandbox.SettingsAsync(new { nextFaults = Enumerable.Repeat(FaultKind.Retry429, HeadshotProClient.MaxAttempts + 1) });
        var watch = Stopwatch.StartNew();
        Assert.Equal(100, await client.GetCreditsAsync(default));
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(4.5), $"took {watch.Elapsed}: Retry-After: 1 was not honoured");
        Assert.Equal(HeadshotProClient.MaxAttempts + 2, (await sandbox.JournalAsync()).Count);
    }

    [Fact]
    public async Task A_429_past_the_wait_cap_is_RateLimitRetriesExhausted()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { RateLimit = 1, RateWindowSeconds = 60 });
        using var client = ClientFor(sandbox, s => s.MaxRetryWait = TimeSpan.FromSeconds(2));
        await client.GetCreditsAsync(default);
        var watch = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<HeadshotProApiException>(() => client.GetCreditsAsync(default));
        Assert.Equal(ApiErrorKind.RateLimitRetriesExhausted, e.Kind);
        Assert.Contains("MaxRetryWaitSec", e.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "it should fail at once rather than wait a minute");
    }

    [Fact]
    public async Task INVITE_LIMIT_EXCEEDED_is_not_retried()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { InviteLimit = 0 });
        using var client = ClientFor(sandbox);
        var e = await Assert.ThrowsAsync<HeadshotProApiException>(() => client.CreateInviteAsync("ann@corp.example", null, default));
        Assert.Equal((ApiErrorKind.InviteLimitExceeded, 429), (e.Kind, e.StatusCode));
        Assert.Single(await sandbox.JournalAsync());
    }

    [Fact]
    public async Task Paces_to_the_servers_window_instead_of_collecting_429s()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { RateLimit = 10, RateWindowSeconds = 2 });
        using var client = ClientFor(sandbox);
        var watch = Stopwatch.StartNew();
        var work = Enumerable.Range(0, 25).Select(i => client.CreateInviteAsync($"user{i}@corp.example", null, default));
        await Task.WhenAll(work);
        Assert.Equal(25, sandbox.Server.State.ListInvites().Count);
        Assert.Equal(0, (long)(await sandbox.StateAsync())["counters"]!["rateLimited"]!);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(3.5), $"25 requests at 10 per 2 s took only {watch.Elapsed}");
    }

    [Fact]
    public async Task A_slow_answer_times_out_per_attempt_and_is_reported_as_a_timeout()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { LatencyMs = 5000 });
        using var client = ClientFor(sandbox, s => s.Timeout = TimeSpan.FromMilliseconds(200));
        var e = await Assert.ThrowsAsync<HeadshotProApiException>(() => client.GetCreditsAsync(default));
        Assert.Equal(ApiErrorKind.TimedOut, e.Kind);
        Assert.Null(e.StatusCode);
    }

    [Fact]
    public async Task Cancelling_stops_a_request_the_server_never_answers_within_a_second()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { LatencyMs = 600_000 });
        using var client = ClientFor(sandbox);
        using var cts = new CancellationTokenSource();
        var call = client.GetCreditsAsync(cts.Token);
        await Task.Delay(100);
        var watch = Stopwatch.StartNew();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"stopped after {watch.Elapsed}");
    }

    [Fact]
    public async Task A_refused_connection_is_ConnectionFailed_after_four_attempts()
    {
        var port = System.Net.Sockets.TcpListener.Create(0);
        port.Start();
        var uri = new Uri($"http://127.0.0.1:{((System.Net.IPEndPoint)port.LocalEndpoint).Port}/api/v1/");
        port.Stop();
        using var client = new HeadshotProClient(new ClientSettings(uri, TestSandbox.Key));
        var e = await Assert.ThrowsAsync<HeadshotProApiException>(() => client.GetCreditsAsync(default));
        Assert.Equal(ApiErrorKind.ConnectionFailed, e.Kind);
        Assert.DoesNotContain(TestSandbox.Key, e.ToString());
    }

    [Fact]
    public void Reset_headers_are_read_as_ISO_8601_Unix_seconds_or_milliseconds_or_seconds_from_the_answer_and_never_throw()
    {
        var received = new DateTime(2026, 11, 28, 10, 29, 0, DateTimeKind.Utc);
        DateTime? Parse(string value) => RateLimitPacer.ParseReset(value, received);
        Assert.Equal(new DateTime(2026, 11, 28, 10, 30, 0, 500, DateTimeKind.Utc), Parse("2026-11-28T10:30:00.500Z"));
        Assert.Equal(new DateTime(2026, 11, 28, 10, 30, 0, DateTimeKind.Utc), Parse("1795861800"));
        Assert.Equal(new DateTime(2026, 11, 28, 10, 30, 0, 250, DateTimeKind.Utc), Parse("1795861800250"));
        Assert.Equal(received.AddSeconds(30), Parse("30"));
        Assert.Equal(new DateTime(2026, 11, 28, 10, 30, 0, DateTimeKind.Utc), Parse("2026-11-28T10:29:30Z, 2026-11-28T10:30:00Z"));
        foreach (var odd in new[] { "soon", "", "1e300", "-1e300", "Infinity", "-Infinity", "NaN", "-5", "99999999999999999999", "1e12345", ",", "0x10" })
            Assert.Null(Parse(odd));
    }

    [Fact]
    public void Server_times_become_local_instants_through_the_Date_header_bounds()
    {
        var clock = new ServerClock();
        var sent = new DateTime(2026, 11, 28, 10, 0, 0, DateTimeKind.Utc);
        // The server is 90 s ahead; its Date has whole seconds and the answer took 200 ms.
        clock.Observe(new DateTimeOffset(sent.AddSeconds(90.1), TimeSpan.Zero).AddTicks(-(sent.AddSeconds(90.1).Ticks % TimeSpan.TicksPerSecond)), sent, sent.AddMilliseconds(200));
        var reset = sent.AddSeconds(90 + 4);
        var local = clock.ToLocalLatest(reset);
        Assert.InRange(local - sent.AddSeconds(4), TimeSpan.Zero, TimeSpan.FromSeconds(1.3));
        Assert.InRange(clock.ToServerEarliest(sent) - sent, TimeSpan.FromSeconds(88.7), TimeSpan.FromSeconds(90));
        // A later answer whose Date ticked over just before it was stamped narrows the bounds.
        clock.Observe(new DateTimeOffset(sent.AddSeconds(92), TimeSpan.Zero), sent.AddSeconds(2), sent.AddSeconds(2.01));
        Assert.InRange(clock.ToLocalLatest(reset) - sent.AddSeconds(4), TimeSpan.Zero, TimeSpan.FromSeconds(0.05));
        // The server's clock was set back: the bounds start over from the newest answer.
        clock.Observe(new DateTimeOffset(sent.AddSeconds(3), TimeSpan.Zero), sent.AddSeconds(3), sent.AddSeconds(3.01));
        Assert.InRange(clock.ToServerEarliest(sent.AddSeconds(3)) - sent.AddSeconds(3), TimeSpan.FromSeconds(-0.02), TimeSpan.Zero);
    }

    [Theory]
    [InlineData("https://server.headshotpro.com/api/v1", "https://server.headshotpro.com/api/v1/")]
    [InlineData("http://127.0.0.1:5080/api/v1/", "http://127.0.0.1:5080/api/v1/")]
    [InlineData("http://localhost:5080/api/v1", "http://localhost:5080/api/v1/")]
    [InlineData("http://server.headshotpro.com/api/v1/", null)]
    [InlineData("ftp://server.headshotpro.com/api/v1/", null)]
    [InlineData("https://server.headshotpro.com/api/v1/?x=1", null)]
    public void Base_URIs_are_https_or_loopback_http(string given, string? expected)
    {
        var checkedUri = BaseUriRules.Check(new Uri(given), out var problem);
        Assert.Equal(expected, checkedUri?.ToString());
        Assert.Equal(expected == null, problem != null);
    }

    [Theory]
    [InlineData("ann@corp.example", true)]
    [InlineData("ann.lee+onboarding@corp.example", true)]
    [InlineData("jürgen@bücher.example", true)]
    [InlineData("用户@例子.广告", true)]
    [InlineData("ann", false)]
    [InlineData("ann@corp", false)]
    [InlineData("ann@@corp.example", false)]
    [InlineData("ann smith@corp.example", false)]
    [InlineData(".ann@corp.example", false)]
    [InlineData("ann@corp..example", false)]
    public void Addresses_are_checked_before_sending(string address, bool valid) =>
        Assert.Equal(valid, EmailAddress.IsValid(address));
}

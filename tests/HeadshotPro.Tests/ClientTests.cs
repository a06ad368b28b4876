using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
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

    [Fact(Timeout = Limits.Test)]
    public async Task Reads_credits_by_POST_and_falls_back_to_GET_for_good_when_POST_is_refused()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Credits = 12 });
        using var client = ClientFor(sandbox);
        Assert.Equal(12, await client.GetCreditsAsync(default));
        await sandbox.SettingsAsync(new { creditsMethods = "GET" });
        Assert.Equal(12, await client.GetCreditsAsync(default));
        Assert.Equal(12, await client.GetCreditsAsync(default));
        // How a server refuses POST (404 or 405) is not in the contract; that it was refused once, and GET used from then on, is.
        var journal = await sandbox.JournalAsync();
        Assert.Equal(new[] { "POST", "POST", "GET", "GET" }, journal.Select(e => (string?)e!["method"]));
        Assert.Equal(new[] { 200, 200, 200 }, journal.Where((_, i) => i != 1).Select(e => (int)e!["status"]!));
        Assert.InRange((int)journal[1]!["status"]!, 400, 499);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Creates_gets_lists_and_revokes_invites()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var client = ClientFor(sandbox);
        var invite = await client.CreateInviteAsync("jürgen@bücher.example", "team_engineering", default);
        Assert.Equal("jürgen@bücher.example", invite.Email);
        Assert.Equal("pending", invite.Status);
        Assert.Equal("team_engineering", invite.TeamId);
        Assert.EndsWith(invite.Id!, invite.Link);
        Assert.Equal("jürgen@bücher.example", sandbox.Server.State.ListInvites().Single().Email);

        var fetched = await client.Invites.GetAsync(invite.Id!, default);
        Assert.Equal(("jürgen@bücher.example", "pending"), (fetched.Email, fetched.Status));

        var listed = Assert.Single(await client.ListInvitesAsync(default));
        Assert.Equal((invite.Id, "pending", "team_engineering"), (listed.Id, listed.Status, listed.TeamId));
        Assert.NotNull(listed.CreatedAt);

        await client.RevokeInviteAsync("JÜRGEN@bücher.example", default);
        Assert.Equal("revoked", Assert.Single(await client.ListInvitesAsync(default)).Status);
        var missing = await Assert.ThrowsAsync<HeadshotProApiException>(() => client.RevokeInviteAsync("nobody@corp.example", default));
        Assert.Equal((ApiErrorKind.NotFound, 404, "NOT_FOUND"), (missing.Kind, missing.StatusCode, missing.Code));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Retries_503_pages_and_dropped_connections_and_sends_the_invite_once()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var client = ClientFor(sandbox);
        await sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.Html503, FaultKind.DropBeforeProcessing } });
        var invite = await client.CreateInviteAsync("ann@corp.example", null, default);
        Assert.Equal(invite.Id, sandbox.Server.State.ListInvites().Single().Id);
        Assert.Equal(3, (await sandbox.JournalAsync()).Count);
    }

    [Fact(Timeout = Limits.Test)]
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

    [Fact(Timeout = Limits.Test)]
    public async Task An_existing_invite_on_the_first_attempt_stays_ALREADY_EXISTS()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var client = ClientFor(sandbox);
        await client.CreateInviteAsync("ann@corp.example", null, default);
        var e = await Assert.ThrowsAsync<HeadshotProApiException>(() => client.CreateInviteAsync("ANN@corp.example", null, default));
        Assert.Equal(ApiErrorKind.AlreadyExists, e.Kind);
        Assert.False(e.AfterUncertainAttempt);
        Assert.Single(sandbox.Server.State.ListInvites());
        Assert.Equal(99, sandbox.Server.State.Credits); // the refused second invite spent nothing
    }

    [Fact(Timeout = Limits.Test)]
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

    [Fact(Timeout = Limits.Test)]
    public async Task A_429_is_waited_out_without_using_up_attempts()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var client = ClientFor(sandbox);
        await sandbox.SettingsAsync(new { nextFaults = Enumerable.Repeat(FaultKind.Retry429, HeadshotProClient.MaxAttempts + 1) });
        Assert.Equal(100, await client.GetCreditsAsync(default));
        var journal = await sandbox.JournalAsync();
        Assert.Equal(Enumerable.Repeat(429, HeadshotProClient.MaxAttempts + 1).Append(200), journal.Select(e => (int)e!["status"]!));
        // Retry-After: 1 on each 429: the server saw every next attempt at least about a second later.
        NonEmpty.All(Gaps(journal), gap => Assert.True(gap >= TimeSpan.FromSeconds(0.9), $"a retry came {gap.TotalMilliseconds:0} ms after a 429 with Retry-After: 1"));
    }

    [Fact(Timeout = Limits.Test)]
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

    [Fact(Timeout = Limits.Test)]
    public async Task INVITE_LIMIT_EXCEEDED_is_not_retried()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { InviteLimit = 0 });
        using var client = ClientFor(sandbox);
        var e = await Assert.ThrowsAsync<HeadshotProApiException>(() => client.CreateInviteAsync("ann@corp.example", null, default));
        Assert.Equal((ApiErrorKind.InviteLimitExceeded, 429), (e.Kind, e.StatusCode));
        Assert.Single(await sandbox.JournalAsync());
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Paces_to_the_servers_window_instead_of_collecting_429s()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { RateLimit = 10, RateWindowSeconds = 2 });
        using var client = ClientFor(sandbox);
        var watch = Stopwatch.StartNew();
        var work = Enumerable.Range(0, 25).Select(i => client.CreateInviteAsync($"user{i}@corp.example", null, default));
        await Task.WhenAll(work);
        Assert.Equal(25, sandbox.Server.State.ListInvites().Count);
        // Collecting 429s would be one for each request over a window's 10; a loaded machine may blur an edge for one or two.
        Assert.InRange((long)(await sandbox.StateAsync())["counters"]!["rateLimited"]!, 0, 2);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(3.5), $"25 requests at 10 per 2 s took only {watch.Elapsed}");
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_slow_answer_times_out_per_attempt_and_is_reported_as_a_timeout()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { LatencyMs = 5000 });
        using var client = ClientFor(sandbox, s => s.Timeout = TimeSpan.FromMilliseconds(200));
        var e = await Assert.ThrowsAsync<HeadshotProApiException>(() => client.GetCreditsAsync(default));
        Assert.Equal(ApiErrorKind.TimedOut, e.Kind);
        Assert.Null(e.StatusCode);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Cancelling_stops_a_request_the_server_never_answers()
    {
        // The server would answer in ten minutes, the attempt time out in 100 s; the test's own limit is 60 s. So a
        // cancellation that ends the call is the only way this passes (a timeout would be an API error, not a cancellation).
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { LatencyMs = 600_000 });
        using var client = ClientFor(sandbox);
        using var cts = new CancellationTokenSource();
        var call = client.GetCreditsAsync(cts.Token);
        await sandbox.WaitForInFlightAsync(1);
        Assert.False(call.IsCompleted);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Refused_connections_are_tried_for_a_few_seconds_then_the_request_is_ServiceUnreachable_not_sent()
    {
        var port = System.Net.Sockets.TcpListener.Create(0);
        port.Start();
        var uri = new Uri($"http://127.0.0.1:{((System.Net.IPEndPoint)port.LocalEndpoint).Port}/api/v1/");
        port.Stop();
        using var client = new HeadshotProClient(new ClientSettings(uri, TestSandbox.Key));
        var e = await Assert.ThrowsAsync<HeadshotProApiException>(() => client.GetCreditsAsync(default));
        Assert.Equal((ApiErrorKind.ServiceUnreachable, false), (e.Kind, e.MayHaveBeenProcessed));
        Assert.Contains("was not sent", e.Message);
        Assert.DoesNotContain(TestSandbox.Key, e.ToString());
    }

    /// <summary>The time between each journal entry and the next, on the sandbox's clock.</summary>
    private static IEnumerable<TimeSpan> Gaps(JsonArray journal)
    {
        var times = journal.Select(e => DateTime.Parse((string)e!["time"]!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal)).ToList();
        return times.Zip(times.Skip(1), (a, b) => b - a);
    }

    private static IEnumerable<string> Requests(JsonArray journal) => journal.Select(e => $"{e!["method"]} {e["path"]} {e["status"]}");

    /// <summary>What the sandbox answers for <paramref name="kind"/>: its status and its JSON error or message text, read once by plain HTTP.</summary>
    private static async Task<(int Status, string? Said)> AnswerOfAsync(TestSandbox sandbox, string kind)
    {
        await sandbox.SettingsAsync(new { nextFaults = new[] { kind } });
        var (status, body, _) = await sandbox.SendAsync(HttpMethod.Post, "organization/credits");
        await sandbox.Control.PostAsync("reset", null);
        return (status, (string?)body?["error"] ?? (string?)body?["message"]);
    }

    [Theory(Timeout = Limits.Test)]
    [InlineData(FaultKind.Http408, ApiErrorKind.TimedOut, "REQUEST_TIMEOUT")]
    [InlineData(FaultKind.Http500, ApiErrorKind.ServerError, null)]
    [InlineData(FaultKind.Http502, ApiErrorKind.ServerError, null)]
    [InlineData(FaultKind.Http504, ApiErrorKind.ServerError, null)]
    [InlineData(FaultKind.MessageNotError, ApiErrorKind.ServerError, null)]
    [InlineData(FaultKind.NoCode, ApiErrorKind.ServerError, null)]
    [InlineData(FaultKind.Empty503, ApiErrorKind.ServerError, null)]
    public async Task A_retryable_error_is_tried_four_times_then_reported_with_the_servers_status_code_and_words(string kind, ApiErrorKind expectedKind, string? expectedCode)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var (status, said) = await AnswerOfAsync(sandbox, kind);
        using var client = ClientFor(sandbox);
        await sandbox.SettingsAsync(new { nextFaults = Enumerable.Repeat(kind, HeadshotProClient.MaxAttempts) });

        var e = await Assert.ThrowsAsync<HeadshotProApiException>(() => client.GetCreditsAsync(default));
        Assert.Equal((expectedKind, (int?)status, expectedCode, said), (e.Kind, e.StatusCode, e.Code, e.ServerMessage));
        Assert.Contains($"HTTP {status}", e.Message);
        if (said is null) Assert.Contains("empty body", e.Message);
        else Assert.Contains(said, e.Message);
        var journal = await sandbox.JournalAsync();
        Assert.Equal(Enumerable.Repeat($"POST /api/v1/organization/credits {status}", HeadshotProClient.MaxAttempts), Requests(journal));
        NonEmpty.All(journal, entry => Assert.Equal(kind, (string?)entry!["fault"]));
    }

    [Theory(Timeout = Limits.Test)]
    [InlineData(FaultKind.Http408)]
    [InlineData(FaultKind.Http500)]
    [InlineData(FaultKind.Http502)]
    [InlineData(FaultKind.Http504)]
    [InlineData(FaultKind.MessageNotError)]
    [InlineData(FaultKind.NoCode)]
    [InlineData(FaultKind.Empty503)]
    public async Task After_one_retryable_error_the_invite_is_made_once_and_returned(string kind)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var client = ClientFor(sandbox);
        await sandbox.SettingsAsync(new { nextFaults = new[] { kind } });
        var invite = await client.CreateInviteAsync("ann@corp.example", null, default);
        var stored = Assert.Single(sandbox.Server.State.ListInvites());
        Assert.Equal((stored.Id, stored.Email), (invite.Id, invite.Email));
        Assert.Equal(99, sandbox.Server.State.Credits);
        var journal = await sandbox.JournalAsync();
        Assert.Equal("POST /api/v1/organization/invite 200", Requests(journal).Last());
        Assert.Equal(kind, (string?)journal[0]!["fault"]);
        // These faults are not processed, so the retry is the only invite: no look-up, no ALREADY_EXISTS.
        Assert.DoesNotContain(Requests(journal), r => r.Contains(" 400") || r.StartsWith("GET", StringComparison.Ordinal));
    }

    [Theory(Timeout = Limits.Test)]
    [InlineData(FaultKind.Truncated200)]
    [InlineData(FaultKind.Garbled200)]
    public async Task An_unreadable_200_is_retried_as_uncertain_and_the_invite_it_made_is_returned_once(string kind)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var client = ClientFor(sandbox);
        await sandbox.SettingsAsync(new { nextFaults = new[] { kind } });
        var invite = await client.CreateInviteAsync("ann@corp.example", null, default);
        var stored = Assert.Single(sandbox.Server.State.ListInvites());
        Assert.Equal((stored.Id, stored.Email), (invite.Id, invite.Email));
        Assert.Equal(99, sandbox.Server.State.Credits);
        var journal = await sandbox.JournalAsync();
        Assert.Equal(new[]
        {
            "POST /api/v1/organization/invite 200", "POST /api/v1/organization/invite 400", "GET /api/v1/organization/invites 200",
        }, Requests(journal));
        Assert.Equal(kind, (string?)journal[0]!["fault"]);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Retry_After_in_seconds_is_waited_before_the_retry()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var client = ClientFor(sandbox);
        await sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.RetryAfterSeconds } });
        Assert.Equal(100, await client.GetCreditsAsync(default));
        var journal = await sandbox.JournalAsync();
        Assert.Equal(new[] { 503, 200 }, journal.Select(e => (int)e!["status"]!));
        Assert.InRange(Gaps(journal).Single(), TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(15));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Retry_After_zero_retries_at_once()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var client = ClientFor(sandbox);
        await sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.RetryAfterZero, FaultKind.RetryAfterZero, FaultKind.RetryAfterZero } });
        Assert.Equal(100, await client.GetCreditsAsync(default));
        var journal = await sandbox.JournalAsync();
        Assert.Equal(new[] { 503, 503, 503, 200 }, journal.Select(e => (int)e!["status"]!));
        // Backoff would wait up to 1, 2 and 4 s; Retry-After: 0 wins over it. A loose bound: three retries within 2 s in all.
        Assert.True(Gaps(journal).Aggregate(TimeSpan.Zero, (a, b) => a + b) < TimeSpan.FromSeconds(2), string.Join(", ", Gaps(journal)));
    }

    [Theory(Timeout = Limits.Test)]
    [InlineData(0)]
    [InlineData(-7200)]
    [InlineData(7200)]
    public async Task Retry_After_as_an_HTTP_date_is_read_on_the_servers_clock(int skew)
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { ClockSkewSeconds = skew });
        using var client = ClientFor(sandbox);
        await sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.RetryAfterDate } });
        // The date is 2 s ahead on the server's clock, in whole seconds: the retry comes 1 to 3 s later, whatever the skew.
        Assert.Equal(100, await client.GetCreditsAsync(default));
        var journal = await sandbox.JournalAsync();
        Assert.Equal(new[] { 503, 200 }, journal.Select(e => (int)e!["status"]!));
        Assert.InRange(Gaps(journal).Single(), TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(15));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Retry_After_beyond_MaxRetryWait_fails_at_once_quoting_the_header()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var client = ClientFor(sandbox);
        await sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.RetryAfterLong } });
        var e = await Assert.ThrowsAsync<HeadshotProApiException>(() => client.GetCreditsAsync(default));
        Assert.Equal((ApiErrorKind.ServerError, (int?)503, "The service is temporarily unavailable."), (e.Kind, e.StatusCode, e.ServerMessage));
        Assert.Contains("Retry-After: 86400", e.Message);
        Assert.Contains("-MaxRetryWaitSec", e.Message);
        Assert.Single(await sandbox.JournalAsync());
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_redirect_is_not_followed_and_is_reported_with_its_location()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var client = ClientFor(sandbox);
        await sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.Redirect } });
        var e = await Assert.ThrowsAsync<HeadshotProApiException>(() => client.CreateInviteAsync("ann@corp.example", null, default));
        Assert.Equal((ApiErrorKind.Redirected, (int?)307, "https://login.example.net/api/v1/organization/invite"), (e.Kind, e.StatusCode, e.ServerMessage));
        Assert.Contains("https://login.example.net/api/v1/organization/invite", e.Message);
        Assert.Equal(new[] { "POST /api/v1/organization/invite 307" }, Requests(await sandbox.JournalAsync()));
        Assert.Empty(sandbox.Server.State.ListInvites());
    }

    [Fact(Timeout = Limits.Test)]
    public async Task An_HTML_503_without_rate_limit_headers_does_not_stop_the_pacing()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { RateLimit = 5, RateWindowSeconds = 4 });
        using var client = ClientFor(sandbox);
        await client.GetCreditsAsync(default);
        await sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.Html503 } });
        await client.GetCreditsAsync(default);
        // Three requests of the window are spent and two are left; six more at once: two go, four wait for the reset.
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.GetCreditsAsync(default)));

        var journal = await sandbox.JournalAsync();
        Assert.Equal(new[] { 200, 503 }.Concat(Enumerable.Repeat(200, 7)), journal.Select(e => (int)e!["status"]!));
        Assert.Equal(FaultKind.Html503, (string?)journal[1]!["fault"]);
        Assert.Equal(0, TestSandbox.Counter(await sandbox.StateAsync(), "rateLimited"));
    }

    [Fact(Timeout = Limits.Test)]
    public Task Reset_headers_are_read_as_ISO_8601_Unix_seconds_or_milliseconds_or_seconds_from_the_answer_and_never_throw() => Task.Run(() =>
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
    });

    [Fact(Timeout = Limits.Test)]
    public Task Server_times_become_local_instants_through_the_Date_header_bounds() => Task.Run(() =>
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
    });

    [Theory(Timeout = Limits.Test)]
    [InlineData("https://server.headshotpro.com/api/v1", "https://server.headshotpro.com/api/v1/")]
    [InlineData("http://127.0.0.1:5080/api/v1/", "http://127.0.0.1:5080/api/v1/")]
    [InlineData("http://localhost:5080/api/v1", "http://localhost:5080/api/v1/")]
    [InlineData("http://server.headshotpro.com/api/v1/", null)]
    [InlineData("ftp://server.headshotpro.com/api/v1/", null)]
    [InlineData("https://server.headshotpro.com/api/v1/?x=1", null)]
    public Task Base_URIs_are_https_or_loopback_http(string given, string? expected) => Task.Run(() =>
    {
        var checkedUri = BaseUriRules.Check(new Uri(given), out var problem);
        Assert.Equal(expected, checkedUri?.ToString());
        Assert.Equal(expected == null, problem != null);
    });

    [Theory(Timeout = Limits.Test)]
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
    public Task Addresses_are_checked_before_sending(string address, bool valid) => Task.Run(() =>
        Assert.Equal(valid, EmailAddress.IsValid(address)));
}

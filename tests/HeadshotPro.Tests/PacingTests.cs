using System.Diagnostics;
using HeadshotPro.Client;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>
/// The pacer follows the server's window wherever it goes — back (a clock set back, a window that shrank) or nowhere (one
/// answer that says otherwise) — without collecting 429s, and it learns the server's clock well enough to open each
/// window on time. Time bounds are loose guards (a run that waits for a window the server no longer has takes minutes);
/// the figures are in bench/6-pacing.ps1.
/// </summary>
public class PacingTests
{
    private const string Hundred = "1..100 | ForEach-Object { \"user$_@corp.example\" } | New-HeadshotInvite";

    /// <summary>Starts <paramref name="script"/>, waits until <paramref name="invites"/> invites exist, applies <paramref name="change"/>, and waits for the run.</summary>
    private static async Task<(PowerShellHost.Result Result, TimeSpan Elapsed)> ChangedMidRunAsync(TestSandbox sandbox, PowerShellHost host, string script, int invites, object change)
    {
        var watch = Stopwatch.StartNew();
        var (shell, pending) = host.Begin(script);
        using var _ = shell;
        await sandbox.WaitForStateAsync(s => s["invites"]!.AsArray().Count >= invites);
        await sandbox.SettingsAsync(change);
        var output = await Task.Factory.FromAsync(pending, shell.EndInvoke);
        watch.Stop();
        return (PowerShellHost.Ended(shell, output), watch.Elapsed);
    }

    private static async Task<long> ServedRateLimitedAsync(TestSandbox sandbox) => TestSandbox.Counter(await sandbox.StateAsync(), "rateLimited");

    [Fact(Timeout = Limits.Bulk)]
    public async Task A_window_that_shrinks_mid_run_is_followed_without_429s()
    {
        // A ten-minute window shrinks to 3 s: a pacer that kept waiting for the window it knew would stall for minutes.
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { RateLimit = 30, RateWindowSeconds = 600, LatencyMs = 100, Credits = 1000 });
        using var host = new PowerShellHost();
        host.Connect(sandbox);
        var (result, elapsed) = await ChangedMidRunAsync(sandbox, host, Hundred, 10, new { shrinkWindowSeconds = 3 });
        Assert.Empty(result.Errors);
        Assert.Equal(100, result.Output.Count);
        Assert.True(await ServedRateLimitedAsync(sandbox) <= 2, $"{await ServedRateLimitedAsync(sandbox)} 429s");
        Assert.True(elapsed < TimeSpan.FromSeconds(240), $"took {elapsed}: the run waited for the ten-minute window the server no longer had");
    }

    [Fact(Timeout = Limits.Bulk)]
    public async Task A_server_clock_set_back_mid_run_is_followed_without_429s()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { RateLimit = 30, RateWindowSeconds = 5, LatencyMs = 100, Credits = 1000 });
        using var host = new PowerShellHost();
        host.Connect(sandbox);
        var (result, _) = await ChangedMidRunAsync(sandbox, host, Hundred, 10, new { clockSkewSeconds = -120 });
        Assert.Empty(result.Errors);
        Assert.Equal(100, result.Output.Count);
        Assert.True(await ServedRateLimitedAsync(sandbox) <= 2, $"{await ServedRateLimitedAsync(sandbox)} 429s");
    }

    [Fact(Timeout = Limits.Bulk)]
    public async Task One_answer_with_another_window_neither_stalls_nor_fails_the_run()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { RateLimit = 30, RateWindowSeconds = 5, LatencyMs = 100, Credits = 1000 });
        using var host = new PowerShellHost();
        host.Connect(sandbox);
        var (result, elapsed) = await ChangedMidRunAsync(sandbox, host, Hundred, 10, new { nextFaults = new[] { FaultKind.RateLimitOutlier } });
        Assert.Empty(result.Errors);
        Assert.Equal(100, result.Output.Count);
        Assert.Equal(1, (long)(await sandbox.StateAsync())["counters"]!["faults"]![FaultKind.RateLimitOutlier]!);
        Assert.True(await ServedRateLimitedAsync(sandbox) <= 2, $"{await ServedRateLimitedAsync(sandbox)} 429s");
        Assert.True(elapsed < TimeSpan.FromSeconds(240), $"took {elapsed}: it waited for the outlier's window, half an hour away");
    }

    private static readonly DateTime Noon = new(2026, 11, 30, 12, 0, 0, DateTimeKind.Utc);

    private static DateTimeOffset Date(DateTime serverUtc) => new(serverUtc.AddTicks(-(serverUtc.Ticks % TimeSpan.TicksPerSecond)));

    [Fact(Timeout = Limits.Test)]
    public Task A_late_answer_from_before_the_servers_clock_was_set_back_does_not_undo_it() => Task.Run(() =>
    {
        var clock = new HeadshotPro.Client.Transport.ServerClock();
        clock.Observe(Date(Noon.AddMilliseconds(300)), Noon.AddMilliseconds(300), Noon.AddMilliseconds(310));
        // The server's clock is set back two minutes; an answer sent after that says so...
        clock.Observe(Date(Noon.AddSeconds(2 - 120)), Noon.AddSeconds(2), Noon.AddSeconds(2.01));
        // ...and one sent before it, arriving late, still carries the old time.
        clock.Observe(Date(Noon.AddSeconds(1)), Noon.AddSeconds(1), Noon.AddSeconds(2.5));
        var serverNow = clock.ToServerEarliest(Noon.AddSeconds(3));
        Assert.InRange((Noon.AddSeconds(3 - 120) - serverNow).TotalSeconds, 0, 1.01);
    });

    [Fact(Timeout = Limits.Test)]
    public Task Asking_at_the_servers_next_tick_halves_what_is_known_of_its_clock() => Task.Run(() =>
    {
        var clock = new HeadshotPro.Client.Transport.ServerClock();
        var offset = TimeSpan.FromMilliseconds(-5_370); // the server is 5.37 s behind
        var now = Noon.AddMilliseconds(120);
        clock.Observe(Date(now + offset), now, now.AddMilliseconds(2));
        for (var probe = 0; probe < 6; probe++)
        {
            var before = clock.Uncertainty!.Value;
            now = clock.NextTick(now.AddMilliseconds(5))!.Value;
            clock.Observe(Date(now.AddMilliseconds(1) + offset), now, now.AddMilliseconds(2));
            Assert.True(clock.Uncertainty!.Value.TotalMilliseconds <= before.TotalMilliseconds / 2 + 3, $"{before} -> {clock.Uncertainty}");
        }
        Assert.True(clock.Uncertainty < TimeSpan.FromMilliseconds(50));
        // Never early: the latest local instant for a server time is at or after the true one.
        Assert.True(clock.ToLocalLatest(Noon) >= Noon - offset);
    });

    [Fact(Timeout = Limits.Bulk)]
    public async Task The_windows_last_requests_pin_the_servers_clock_so_each_window_opens_on_time()
    {
        // Three windows of 50 per 5 s. A Date header has whole seconds: answers spread over one burst leave the
        // offset known only within up to a second, paid at every window; the answer that sees Date tick over pins it.
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { RateLimit = 50, RateWindowSeconds = 5, Credits = 1000 });
        using var client = new HeadshotProClient(new ClientSettings(sandbox.ApiBaseUri, TestSandbox.Key));
        using var slots = new SemaphoreSlim(5);
        var invites = Enumerable.Range(1, 149).Select(async i =>
        {
            await slots.WaitAsync();
            try { return await client.CreateInviteAsync($"user{i}@corp.example", null, default); }
            finally { slots.Release(); }
        }).ToList();
        await Task.WhenAll(invites);
        Assert.Equal(149, sandbox.Server.State.ListInvites().Count);
        Assert.Equal(0, await ServedRateLimitedAsync(sandbox));
        var uncertainty = client.ServerClockUncertainty;
        // Unpinned, a whole-second Date leaves up to a second (plus a round trip); pinned, about a round trip, which a loaded
        // machine stretches: the bound sits between.
        Assert.True(uncertainty < TimeSpan.FromMilliseconds(700), $"the server's clock is known only within {uncertainty?.TotalMilliseconds:0} ms");
    }
}

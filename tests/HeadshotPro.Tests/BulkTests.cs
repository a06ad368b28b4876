using System.Diagnostics;
using System.Management.Automation;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>
/// Bulk runs against the sandbox's faults, rate limits and latency. Time bounds here are loose guards; figures live in bench/.
/// They run alone, so the other tests do not take their CPU.
/// </summary>
public class BulkTests
{
    private const string ThreeHundred = "1..300 | ForEach-Object { \"user$_@corp.example\" }";

    [Fact(Timeout = Limits.Bulk)]
    public async Task Twenty_percent_faults_lose_nobody_and_invent_nothing()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { FaultRate = 0.2, FaultSeed = 42, RateLimit = 0, Credits = 1000 });
        using var host = new PowerShellHost();
        await sandbox.SettingsAsync(new { faultRate = 0.0 });
        host.Connect(sandbox);
        await sandbox.SettingsAsync(new { faultRate = 0.2 });

        var result = host.Run(ThreeHundred + " | New-HeadshotInvite");
        Assert.Equal(300, result.Output.Count + result.Errors.Count);
        var reported = result.Output.Select(o => ((Invite)o.BaseObject).Email).ToList();
        Assert.Equal(reported.Count, reported.Distinct().Count());
        var onServer = sandbox.Server.State.ListInvites().Select(i => i.Email).Order().ToList();
        Assert.Equal(onServer, reported.Order().ToList());
        Assert.True(result.Errors.Count <= 3, string.Join("\n", result.Errors.Select(e => e.ErrorDetails?.Message)));
        var faults = (await sandbox.StateAsync())["counters"]!["faults"]!.AsObject().Sum(f => (long)f.Value!);
        Assert.True(faults >= 30, $"only {faults} faults were injected");
    }

    [Fact(Timeout = Limits.Bulk)]
    public async Task A_rate_limited_run_spends_each_window_and_waits_for_the_reset()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { RateLimit = 60, RateWindowSeconds = 5, Credits = 1000 });
        using var host = new PowerShellHost();
        host.Connect(sandbox);
        var watch = Stopwatch.StartNew();
        var result = host.Run("1..200 | ForEach-Object { \"user$_@corp.example\" } | New-HeadshotInvite");
        watch.Stop();
        Assert.Empty(result.Errors);
        Assert.Equal(200, result.Output.Count);
        // 201 requests (with Connect's) at 60 per 5 s: four windows, the last opening 15 s after the first.
        Assert.InRange(watch.Elapsed.TotalSeconds, 13, 240); // waited for the windows; the upper end only guards against a stall
        Assert.True((long)(await sandbox.StateAsync())["counters"]!["rateLimited"]! <= 4);
    }

    /// <summary>
    /// Runs <paramref name="script"/> while the server holds each request until <paramref name="inFlight"/> are held at once
    /// (a signal, not a clock), then answers the rest without delay.
    /// </summary>
    private static async Task<PowerShellHost.Result> HeldUntilInFlightAsync(TestSandbox sandbox, PowerShellHost host, string script, int inFlight)
    {
        await sandbox.SettingsAsync(new { latencyMs = 5000 });
        var (shell, pending) = host.Begin(script);
        using var _ = shell;
        await sandbox.WaitForInFlightAsync(inFlight);
        await sandbox.SettingsAsync(new { latencyMs = 0 });
        return PowerShellHost.Ended(shell, await Task.Factory.FromAsync(pending, shell.EndInvoke));
    }

    [Fact(Timeout = Limits.Bulk)]
    public async Task Requests_overlap_up_to_the_throttle_limit()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { RateLimit = 0 });
        using var host = new PowerShellHost();
        host.Connect(sandbox);
        // The server counted the default -ThrottleLimit (5) at once: the requests overlapped, and never more.
        var result = await HeldUntilInFlightAsync(sandbox, host, "1..100 | ForEach-Object { \"user$_@corp.example\" } | New-HeadshotInvite", 5);
        Assert.Empty(result.Errors);
        Assert.Equal(100, result.Output.Count);
        Assert.Equal(5, TestSandbox.Counter(await sandbox.StateAsync(), "mostInFlight"));

        // Revokes at -ThrottleLimit 20, of invites made one at a time, counted from a reset; reading them back by id first
        // costs the two list calls, not one request each.
        await sandbox.Control.PostAsync("reset", null);
        var ids = host.Run("(1..100 | ForEach-Object { \"user$_@corp.example\" } | New-HeadshotInvite -ThrottleLimit 1).Id").Output.Select(o => (string)o.BaseObject).ToList();
        Assert.Equal(100, ids.Count);
        Assert.Equal(1, TestSandbox.Counter(await sandbox.StateAsync(), "mostInFlight"));
        var before = (await sandbox.JournalAsync()).Count;
        result = host.Run("Get-HeadshotInvite -Id $ids", ("ids", ids.ToArray()));
        Assert.Empty(result.Errors);
        Assert.Equal(ids.Order(), result.Output.Select(o => ((Invite)o.BaseObject).Id!).Order());
        Assert.Equal(2, (await sandbox.JournalAsync()).Count - before);
        result = await HeldUntilInFlightAsync(sandbox, host, "1..100 | ForEach-Object { \"user$_@corp.example\" } | Revoke-HeadshotInvite -Force -ThrottleLimit 20", 20);
        Assert.Empty(result.Errors);
        Assert.Equal(20, TestSandbox.Counter(await sandbox.StateAsync(), "mostInFlight"));
    }

    [Fact(Timeout = Limits.Bulk)]
    public async Task An_interactive_host_sees_progress_with_a_percentage_and_the_rate_limit_wait_and_others_see_none()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { RateLimit = 5, RateWindowSeconds = 2 });
        const string Run = "New-HeadshotInvite -Email (1..12 | ForEach-Object { \"user$_@corp.example\" })";

        var console = new RecordingHost("ConsoleHost");
        using (var host = new PowerShellHost(console))
        {
            host.Connect(sandbox);
            Assert.Equal(12, host.Run(Run).Output.Count);
        }
        var progress = console.Progress;
        Assert.Contains(progress, p => System.Text.RegularExpressions.Regex.IsMatch(p.StatusDescription, @"^\d+ of 12 done \(\d+ %\), \d+ in flight, \d+ failed"));
        Assert.Contains(progress, p => p.StatusDescription.Contains("waiting for the rate limit (") && p.StatusDescription.Contains(" s left)"));
        Assert.Contains(progress, p => p.PercentComplete is > 0 and <= 100);
        Assert.Equal(ProgressRecordType.Completed, progress[^1].RecordType);

        await sandbox.Control.PostAsync("reset", null);
        var automation = new RecordingHost("Default Host");
        using (var host = new PowerShellHost(automation))
        {
            host.Connect(sandbox);
            Assert.Equal(12, host.Run(Run).Output.Count);
        }
        Assert.Empty(automation.Progress);
    }
}

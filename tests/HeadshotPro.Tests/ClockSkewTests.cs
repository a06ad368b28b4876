using System.Diagnostics;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>
/// The server's reset times are read on the server's clock: a skew of five minutes either way neither stalls a run nor
/// draws 429s. Time bounds are loose guards (a run paced by a misread clock took 188 s); figures are in bench/.
/// </summary>
public class ClockSkewTests
{
    [Theory(Timeout = Limits.Bulk)]
    [InlineData(-300)]
    [InlineData(90)]
    [InlineData(300)]
    public async Task A_skewed_server_clock_neither_stalls_the_run_nor_draws_429s(int skewSeconds)
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { RateLimit = 40, RateWindowSeconds = 4, ClockSkewSeconds = skewSeconds, LatencyMs = 50 });
        using var host = new PowerShellHost();
        host.Connect(sandbox);
        var watch = Stopwatch.StartNew();
        var result = host.Run("1..100 | ForEach-Object { \"user$_@corp.example\" } | New-HeadshotInvite -ThrottleLimit 10");
        watch.Stop();
        Assert.Empty(result.Errors);
        Assert.Equal(100, result.Output.Count);
        // About 8 s when the server's clock is read right; misread, a run waits minutes for windows (188 s was seen).
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(150), $"100 invites at 40 per 4 s took {watch.Elapsed} with the server {skewSeconds} s off");
        Assert.True((long)(await sandbox.StateAsync())["counters"]!["rateLimited"]! <= 2, "the run collected 429s");
        Assert.True((long)(await sandbox.StateAsync())["counters"]!["mostInFlight"]! > 1, "the pacer fell back to one request at a time");
    }

    [Fact(Timeout = Limits.Test)]
    public async Task An_HTTP_date_Retry_After_is_read_on_the_servers_clock()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { ClockSkewSeconds = 300 });
        using var client = new HeadshotPro.Client.HeadshotProClient(new HeadshotPro.Client.ClientSettings(sandbox.ApiBaseUri, TestSandbox.Key));
        await client.GetCreditsAsync(default);
        await sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.RetryAfterDate } });
        var watch = Stopwatch.StartNew();
        Assert.Equal(100, await client.GetCreditsAsync(default));
        // One to two seconds on the server's clock; read on ours it would be five minutes more, past -MaxRetryWaitSec
        // (the call would fail). The upper end only guards against a stall.
        Assert.InRange(watch.Elapsed.TotalSeconds, 0.5, 60);
    }
}

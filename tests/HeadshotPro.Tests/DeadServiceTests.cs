using System.Diagnostics;
using System.Management.Automation;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>
/// A service that goes away (the sandbox stops listening: connections refused) is given up on in seconds:
/// nothing new is sent, every remaining input gets one ServiceUnreachable record (not sent), those that may have been
/// sent are named as before, and a blip of a couple of seconds fails nothing. Time bounds are loose guards (a service
/// gone after 20 of 200 invites kept a run busy for 140 s); the figure is in bench/7-dead-service.ps1.
/// </summary>
public class DeadServiceTests
{
    private static string Addresses(int count) => $"1..{count} | ForEach-Object {{ \"user$_@corp.example\" }}";

    /// <summary>
    /// Runs <paramref name="script"/>; a run still going <paramref name="guard"/> after the outage began (or four minutes
    /// after it started) is stopped, and fails the test.
    /// </summary>
    private static async Task<PowerShellHost.Result> RunAsync(TestSandbox sandbox, PowerShellHost host, string script, TimeSpan guard)
    {
        var (shell, pending) = host.Begin(script);
        using var _ = shell;
        var ended = Task.Factory.FromAsync(pending, shell.EndInvoke);
        var latest = DateTime.UtcNow.AddMinutes(4);
        while (!ended.IsCompleted)
        {
            var until = sandbox.Server.OutageStartedUtc is DateTime began && began + guard < latest ? began + guard : latest;
            if (DateTime.UtcNow >= until)
            {
                shell.Stop();
                Assert.Fail($"the run was still going {guard.TotalSeconds:0} s after the service went away ({sandbox.Server.OutageStartedUtc:HH:mm:ss})");
            }
            await Task.WhenAny(ended, Task.Delay(TimeSpan.FromMilliseconds(200)));
        }
        return PowerShellHost.Ended(shell, await ended);
    }

    [Fact(Timeout = Limits.Bulk)]
    public async Task A_service_gone_mid_run_is_given_up_on_in_seconds_and_every_address_is_accounted_for_once()
    {
        // Connect's request, the run's balance read and 100 invites are answered; then nothing listens any more.
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { RateLimit = 0, Credits = 2000, OutageAfterRequests = 102 });
        using var host = new PowerShellHost();
        host.Connect(sandbox);
        var result = await RunAsync(sandbox, host, Addresses(1000) + " | New-HeadshotInvite", TimeSpan.FromSeconds(120));
        var returned = DateTime.UtcNow;

        var invited = result.Output.Select(o => ((Invite)o.BaseObject).Email).ToList();
        var failed = result.Errors.Select(e => (string)e.TargetObject).ToList();
        Assert.Equal(1000, invited.Concat(failed).Distinct().Count());
        Assert.Equal(1000, invited.Count + failed.Count);
        Assert.True(invited.Count >= 95, $"{invited.Count} invited before the outage");

        var notSent = result.Errors.Where(e => e.FullyQualifiedErrorId.StartsWith("ServiceUnreachable")).ToList();
        Assert.True(notSent.Count >= 850, $"{notSent.Count} ServiceUnreachable of {failed.Count} errors: " + string.Join(", ", result.ErrorIds.Distinct()));
        NonEmpty.All(notSent, e =>
        {
            Assert.Equal(ErrorCategory.ConnectionError, e.CategoryInfo.Category);
            Assert.Contains("was not sent", e.ErrorDetails.Message);
        });
        // "Not sent" is true: none of them reached the server. The others may have (cut mid-request) and say so.
        var onServer = sandbox.Server.State.ListInvites().Select(i => i.Email).ToHashSet();
        Assert.DoesNotContain(notSent, e => onServer.Contains((string)e.TargetObject));
        foreach (var e in result.Errors.Except(notSent)) Assert.Contains("may have been invited", e.ErrorDetails.Message); // none, if no request was cut
        Assert.True(returned - sandbox.Server.OutageStartedUtc!.Value < TimeSpan.FromSeconds(90),
            $"returned {(returned - sandbox.Server.OutageStartedUtc!.Value).TotalSeconds:0} s after the service went away");
    }

    [Fact(Timeout = Limits.Bulk)]
    public async Task A_blip_of_two_seconds_fails_nothing()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { RateLimit = 0, Credits = 1000, LatencyMs = 20, OutageAfterRequests = 52, OutageSeconds = 2 });
        using var host = new PowerShellHost();
        host.Connect(sandbox);
        var result = await RunAsync(sandbox, host, Addresses(300) + " | New-HeadshotInvite", TimeSpan.FromSeconds(120));
        Assert.NotNull(sandbox.Server.OutageStartedUtc);
        Assert.Empty(result.Errors.Select(e => e.ErrorDetails?.Message ?? e.ToString()));
        Assert.Equal(300, result.Output.Count);
        Assert.Equal(300, sandbox.Server.State.ListInvites().Count);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_run_stopped_while_every_connection_is_refused_names_those_requests_as_not_sent()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var answering = new AnsweringHost();
        using var host = new PowerShellHost(answering);
        host.Connect(sandbox);
        await sandbox.SettingsAsync(new { outageAfterRequests = 1 }); // gone once the run has read the balance

        var (shell, _) = host.Begin("'ann@corp.example', 'bob@corp.example' | New-HeadshotInvite -Verbose");
        using var __ = shell;
        // Both requests went out and found nothing listening (their verbose lines say so); the service is not given up on yet.
        bool Refused(string who) => shell.Streams.Verbose.ToList().Any(v => v.Message.Contains($"for {who} -> no answer"));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!(Refused("ann@corp.example") && Refused("bob@corp.example")) && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.True(Refused("ann@corp.example") && Refused("bob@corp.example"), "no refused attempt was reported");
        shell.Stop();

        // Nothing reached the server, so neither "may have been invited": not sent, or (past the few seconds the service
        // is given) failed as ServiceUnreachable.
        var warning = Assert.Single(answering.HostWarnings);
        Assert.DoesNotContain("may have been invited", warning);
        Assert.Matches(@"(Taken but not sent|Failed with ServiceUnreachable): (ann|bob)@corp\.example", warning);
        Assert.Contains("ann@corp.example", warning);
        Assert.Contains("bob@corp.example", warning);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_command_against_a_service_that_is_gone_ends_in_seconds_as_not_sent_and_the_next_at_once()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var host = new PowerShellHost();
        host.Connect(sandbox);
        await sandbox.Server.OutageAsync(null);

        var watch = Stopwatch.StartNew();
        var result = host.Run("Get-HeadshotCredits");
        var first = watch.Elapsed;
        Assert.Equal("ServiceUnreachable", Assert.Single(result.ErrorIds));
        Assert.Contains("refused every connection since", result.Errors[0].ErrorDetails.Message);
        watch.Restart();
        result = host.Run("'ann@corp.example', 'bob@corp.example' | New-HeadshotInvite");
        Assert.Equal(new[] { "ServiceUnreachable", "ServiceUnreachable" }, result.ErrorIds);
        Assert.True(first < TimeSpan.FromSeconds(60), $"the first command took {first}");
        Assert.True(watch.Elapsed < first, $"the second command took {watch.Elapsed}, the first {first}");
    }
}

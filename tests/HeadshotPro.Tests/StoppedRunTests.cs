using System.Management.Automation;
using System.Text.RegularExpressions;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>
/// A run that ends early stops taking input at once, and every address whose request was sent ends up in the output,
/// in an error record or named in a warning. The sandbox, like a real server, finishes requests whose client left.
/// </summary>
[Collection(nameof(ProcessWide))]
public class StoppedRunTests
{
    private const string Fifty = "1..50 | ForEach-Object { \"user$_@corp.example\" }";

    private static readonly Regex Address = new(@"user\d+@corp\.example");

    private static HashSet<string> Named(IEnumerable<string> warnings) =>
        warnings.SelectMany(w => Address.Matches(w).Select(m => m.Value)).ToHashSet();

    private static async Task<HashSet<string>> OnServerAsync(TestSandbox sandbox, int atLeast)
    {
        // The server finishes what was sent even after the client left; give it the latency to do so.
        await sandbox.WaitForInFlightAsync(0);
        var invites = sandbox.Server.State.ListInvites().Select(i => i.Email).ToHashSet();
        Assert.True(invites.Count >= atLeast, $"only {invites.Count} invites reached the server");
        return invites;
    }

    private static void AssertAccountedFor(HashSet<string> onServer, PowerShellHost.Result result, IEnumerable<string> hostWarnings)
    {
        var reported = result.Output.Select(o => ((Invite)o.BaseObject).Email)
            .Concat(result.Errors.Select(e => e.TargetObject as string ?? ""))
            .Concat(Named(result.Warnings)).Concat(Named(hostWarnings))
            .ToHashSet();
        var silent = onServer.Except(reported).ToList();
        Assert.True(silent.Count == 0, "invited but never reported: " + string.Join(", ", silent));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task ErrorAction_Stop_reports_the_requests_already_sent()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { LatencyMs = 400, RateLimit = 0 });
        using var host = new PowerShellHost();
        host.Connect(sandbox);
        var result = host.Run("$(1..8 | ForEach-Object { \"user$_@corp.example\" }; 'not-an-address'; 9..50 | ForEach-Object { \"user$_@corp.example\" }) | New-HeadshotInvite -ErrorAction Stop");
        Assert.NotNull(result.Terminating);
        Assert.Equal("InvalidEmailAddress", result.Terminating!.FullyQualifiedErrorId.Split(',')[0]);
        var onServer = await OnServerAsync(sandbox, 1);
        Assert.True(onServer.Count <= 8, $"{onServer.Count} invites: input was taken after the error");
        Assert.Contains(result.Warnings, w => w.StartsWith("The run stopped early."));
        AssertAccountedFor(onServer, result, Array.Empty<string>());
    }

    [Theory(Timeout = Limits.Test)]
    [InlineData("'user1@corp.example', 'user2@corp.example', 'user3@corp.example', $null, 'user4@corp.example' | New-HeadshotInvite -ErrorAction Stop")]
    [InlineData("$(1..3 | ForEach-Object { \"user$_@corp.example\" }; ,@(); 'user4@corp.example') | New-HeadshotInvite -ErrorAction Stop")]
    public async Task A_binding_error_under_ErrorAction_Stop_still_names_the_requests_already_sent(string script)
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { LatencyMs = 1000, RateLimit = 0 });
        using var host = new PowerShellHost();
        host.Connect(sandbox);
        var result = host.Run(script);
        Assert.IsType<ParameterBindingException>(result.Terminating?.Exception, exactMatch: false);
        var warning = Assert.Single(result.Warnings, w => w.StartsWith("The run stopped early."));
        // The three taken before the binding failure are named — sent (and maybe invited) or, on a slow machine, not sent yet.
        Assert.Equal(new[] { "user1@corp.example", "user2@corp.example", "user3@corp.example" }, Named(new[] { warning }).Order());
        var onServer = await OnServerAsync(sandbox, 0);
        Assert.DoesNotContain("user4@corp.example", onServer);
        AssertAccountedFor(onServer, result, Array.Empty<string>());
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_throwing_downstream_command_still_leaves_every_sent_request_reported()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { LatencyMs = 300, RateLimit = 0 });
        using var host = new PowerShellHost();
        host.Connect(sandbox);
        var result = host.Run(Fifty + " | New-HeadshotInvite | ForEach-Object { $_; throw 'downstream failed' }");
        Assert.NotNull(result.Terminating);
        var onServer = await OnServerAsync(sandbox, 2);
        Assert.True(onServer.Count <= 10, $"{onServer.Count} invites: input was taken after the failure");
        AssertAccountedFor(onServer, result, Array.Empty<string>());
        Assert.Contains(result.Warnings, w => w.Contains("not written to the output") || w.Contains("may have been invited"));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Select_First_stops_the_run_and_names_the_invites_it_did_not_take()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { LatencyMs = 300, RateLimit = 0 });
        using var host = new PowerShellHost();
        host.Connect(sandbox);
        var result = host.Run(Fifty + " | New-HeadshotInvite | Select-Object -First 2");
        Assert.Null(result.Terminating);
        Assert.Equal(2, result.Output.Count);
        var onServer = await OnServerAsync(sandbox, 2);
        Assert.True(onServer.Count <= 10, $"{onServer.Count} invites: input was taken after Select-Object had enough");
        AssertAccountedFor(onServer, result, Array.Empty<string>());
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Ctrl_C_returns_before_the_requests_in_flight_are_answered_and_names_the_addresses_that_may_have_been_invited()
    {
        // The server holds each request of the run 10 s (Stop() takes its half-second grace, and up to 3 s were seen on a
        // loaded machine); the run is stopped while the server holds the first five.
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { RateLimit = 0 });
        var answering = new AnsweringHost();
        using var host = new PowerShellHost(answering);
        host.Connect(sandbox);
        await sandbox.SettingsAsync(new { latencyMs = 10_000 });
        var (shell, pending) = host.Begin(Fifty + " | New-HeadshotInvite");
        using var _ = shell;
        await sandbox.WaitForInFlightAsync(5);
        Assert.False(pending.IsCompleted);

        shell.Stop();
        Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
        // Stop() came back while the server still held all five: it did not wait for their answers.
        Assert.Equal(5, TestSandbox.Counter(await sandbox.StateAsync(), "inFlight"));

        var warning = Assert.Single(answering.HostWarnings);
        Assert.Contains("may have been invited; run again with -SkipExisting to reconcile", warning);
        var named = Named(answering.HostWarnings);
        Assert.Equal(5, named.Count);
        // The server finishes the five after the client has gone, as a real one does (released now): exactly the ones named.
        await sandbox.SettingsAsync(new { latencyMs = 0 });
        var onServer = await OnServerAsync(sandbox, 5);
        Assert.Equal(named.Order(), onServer.Order());
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_revoke_stopped_with_Ctrl_C_names_what_may_have_been_revoked()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { RateLimit = 0 });
        for (var i = 1; i <= 10; i++) Assert.Equal(200, (await sandbox.InviteAsync($"user{i}@corp.example")).Status);
        var answering = new AnsweringHost();
        using var host = new PowerShellHost(answering);
        host.Connect(sandbox);
        await sandbox.SettingsAsync(new { latencyMs = 3000 });
        var (shell, _) = host.Begin("1..10 | ForEach-Object { \"user$_@corp.example\" } | Revoke-HeadshotInvite -Force -ThrottleLimit 3");
        using var __ = shell;
        await sandbox.WaitForInFlightAsync(3);
        shell.Stop();
        var warning = Assert.Single(answering.HostWarnings);
        Assert.Contains("may have been revoked", warning);
        Assert.Equal(3, Named(answering.HostWarnings).Count);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task After_a_rejected_key_nothing_more_is_sent_with_it()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { LatencyMs = 200, RateLimit = 0 });
        using var host = new PowerShellHost();
        Environment.SetEnvironmentVariable("HEADSHOTPRO_API_KEY", "hsp_wrong");
        Environment.SetEnvironmentVariable("HEADSHOTPRO_BASE_URI", sandbox.ApiBaseUri.ToString());
        try
        {
            var result = host.Run(Fifty + " | New-HeadshotInvite -ThrottleLimit 4; Get-HeadshotCredits");
            Assert.Equal("ApiKeyRejected", result.Terminating?.FullyQualifiedErrorId.Split(',')[0]);
            await sandbox.WaitForInFlightAsync(0);
            var sent = (await sandbox.JournalAsync()).Count;
            Assert.InRange(sent, 1, 4);
            host.Run("Get-HeadshotCredits; Get-HeadshotInvite");
            Assert.Equal(sent, (await sandbox.JournalAsync()).Count);
        }
        finally
        {
            Environment.SetEnvironmentVariable("HEADSHOTPRO_API_KEY", null);
            Environment.SetEnvironmentVariable("HEADSHOTPRO_BASE_URI", null);
        }
    }
}

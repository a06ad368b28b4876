using System.Net;
using HeadshotPro.Client;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>
/// The balance can be fractional (the vendor's Lite package charges 0.25 credits a submission): it is read as a decimal
/// and never rounded, and an invite needs one whole credit available — in a dry run as in a real one.
/// </summary>
public class CreditsTests
{
    [Fact(Timeout = Limits.Test)]
    public async Task The_sandbox_holds_a_fractional_balance_and_refuses_an_invite_below_one_whole_credit()
    {
        Assert.Equal(12.75m, SandboxOptions.Parse(new[] { "--credits", "12.75" }).Credits);
        Assert.Throws<ArgumentException>(() => SandboxOptions.Parse(new[] { "--credits", "-1" }));
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Credits = 1.5m });
        Assert.Equal(200, (await sandbox.InviteAsync("ann@corp.example")).Status);
        Assert.Equal(0.5m, (decimal)(await sandbox.SendAsync(HttpMethod.Get, "organization/credits")).Body!["credits"]!);
        Assert.Equal(402, (await sandbox.InviteAsync("bob@corp.example")).Status);
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Control.PostAsync("credits", TestSandbox.JsonBody(new { credits = 2.25 }))).StatusCode);
        Assert.Equal(2.25m, sandbox.Server.State.Credits);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_fractional_balance_is_read_as_it_is_never_rounded()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Credits = 12.75m });
        using (var client = new HeadshotProClient(new ClientSettings(sandbox.ApiBaseUri, TestSandbox.Key)))
            Assert.Equal(12.75m, await client.GetCreditsAsync(default));

        using var host = new PowerShellHost();
        host.Connect(sandbox);
        var credits = Assert.Single(host.Run("Get-HeadshotCredits").Output);
        Assert.Equal(12.75m, credits.Properties["Credits"].Value);
        Assert.Equal("12.75", credits.ToString());
    }

    [Fact(Timeout = Limits.Test)]
    public async Task The_dry_run_and_the_real_run_agree_when_the_balance_has_a_fraction()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Credits = 2.75m });
        var console = new RecordingHost("Default Host");
        using var host = new PowerShellHost(console);
        host.Connect(sandbox);
        const string people = "'ann@corp.example', 'bob@corp.example', 'cy@corp.example' | New-HeadshotInvite -ThrottleLimit 1";

        var dryRun = host.Run(people + " -WhatIf");
        Assert.Empty(dryRun.Errors);
        Assert.Contains("What if: Invite ann@corp.example (1 credit; 1.75 left)", console.Lines);
        Assert.Contains("What if: Invite bob@corp.example (1 credit; 0.75 left)", console.Lines);
        Assert.Contains(console.Lines, l => l.StartsWith("What if: Would fail for cy@corp.example: no credit left"));
        Assert.Contains("What if: 2 to invite, 0 already invited, 1 credit short.", console.Lines);

        var real = host.Run(people);
        Assert.Equal(new[] { "ann@corp.example", "bob@corp.example" }, real.Output.Select(o => ((Invite)o.BaseObject).Email));
        var error = Assert.Single(real.Errors);
        Assert.Equal(("InsufficientCredits", (object)"cy@corp.example"), (error.FullyQualifiedErrorId.Split(',')[0], error.TargetObject));
        Assert.Equal(0.75m, sandbox.Server.State.Credits);
    }

    private static readonly string[] Six = Enumerable.Range(1, 6).Select(i => $"user{i}@corp.example").ToArray();

    private static string Invite(IEnumerable<string> people, string options = "") =>
        string.Join(", ", people.Select(p => $"'{p}'")) + " | New-HeadshotInvite -ThrottleLimit 6 " + options;

    private static IEnumerable<string> Invited(PowerShellHost.Result result) => result.Output.Select(o => ((Invite)o.BaseObject).Email).Order();

    private static IEnumerable<string> Short(PowerShellHost.Result result) =>
        result.Errors.Where(e => e.FullyQualifiedErrorId.StartsWith("InsufficientCredits")).Select(e => (string)e.TargetObject).Order();

    /// <summary>What a dry run's lines say would be invited (its own lines only: those after <paramref name="skip"/>).</summary>
    private static IEnumerable<string> WouldInvite(RecordingHost console, int skip) =>
        console.Lines.Skip(skip).Where(l => l.StartsWith("What if: Invite ")).Select(l => l.Split(' ')[3]).Order();

    [Theory(Timeout = Limits.Bulk)]
    [InlineData(2.0, 0.0)]
    [InlineData(2.5, 0.0)]
    [InlineData(3.75, 0.25)]
    public async Task When_credits_run_short_the_addresses_earliest_in_the_input_get_them_as_the_dry_run_said(double balance, double faultRate)
    {
        // Answer times vary (a jitter of up to 300 ms), so the server takes concurrent requests in an order of its own.
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { RateLimit = 0, LatencyMs = 20, LatencyJitterMs = 300, FaultRate = faultRate });
        var console = new RecordingHost("Default Host");
        using var host = new PowerShellHost(console);
        host.Connect(sandbox);
        var credits = (decimal)balance;
        var whole = (int)Math.Floor(credits);
        for (var round = 1; round <= 3; round++)
        {
            await sandbox.Control.PostAsync("reset", null);
            await sandbox.SettingsAsync(new { faultSeed = round });
            sandbox.Server.State.SetCredits(credits);
            var seen = console.Lines.Count;
            var dryRun = host.Run(Invite(Six, "-WhatIf"));
            Assert.Empty(dryRun.Errors);
            Assert.Equal(Six.Take(whole), WouldInvite(console, seen));

            var real = host.Run(Invite(Six));
            Assert.Equal(Six.Take(whole), Invited(real));
            Assert.Equal(Six.Skip(whole), Short(real));
            Assert.Equal(Six.Length - whole, real.Errors.Count);
            Assert.Equal(credits - whole, sandbox.Server.State.Credits);
        }
    }

    [Fact(Timeout = Limits.Test)]
    public async Task The_credit_of_an_address_the_server_refuses_goes_to_the_next_one_in_the_input()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { RateLimit = 0, LatencyMs = 20, LatencyJitterMs = 300, Credits = 3 });
        var console = new RecordingHost("Default Host");
        using var host = new PowerShellHost(console);
        host.Connect(sandbox);
        Assert.Equal(200, (await sandbox.InviteAsync(Six[0])).Status); // the first is invited already: its request takes no credit
        var dryRun = host.Run(Invite(Six, "-WhatIf"));
        Assert.Equal(Six.Skip(1).Take(2), WouldInvite(console, 0));

        var real = host.Run(Invite(Six));
        Assert.Equal(Six.Skip(1).Take(2), Invited(real));
        Assert.Equal("InviteAlreadyExists", real.Errors.Single(e => (string)e.TargetObject == Six[0]).FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(Six.Skip(3), Short(real));
        Assert.Equal(0m, sandbox.Server.State.Credits);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task When_the_balance_cannot_be_read_invites_go_one_at_a_time_so_the_earliest_still_get_the_credits()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { RateLimit = 0, LatencyMs = 20, LatencyJitterMs = 300, Credits = 2 });
        using var host = new PowerShellHost();
        host.Connect(sandbox);
        await sandbox.Control.PostAsync("reset", null);
        sandbox.Server.State.SetCredits(2);
        await sandbox.SettingsAsync(new { nextFaults = new[] { "redirect" } }); // the balance read at the start fails, and is not retried
        var real = host.Run(Invite(Six));
        Assert.Contains(real.Warnings, w => w.StartsWith("Could not read the balance"));
        Assert.Equal(Six.Take(2), Invited(real));
        Assert.Equal(Six.Skip(2), Short(real));
        Assert.Equal(1, TestSandbox.Counter(await sandbox.StateAsync(), "mostInFlight"));
        // After the server's 402 nothing more is sent.
        Assert.Equal(3, (await sandbox.JournalAsync()).Count(e => (string?)e!["method"] == "POST" && (string?)e["path"] == "/api/v1/organization/invite"));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_balance_spent_elsewhere_mid_run_is_said_in_the_errors_and_nothing_more_is_sent()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { RateLimit = 0, LatencyMs = 1000, Credits = 6 });
        using var host = new PowerShellHost();
        host.Connect(sandbox);
        var eight = Enumerable.Range(1, 8).Select(i => $"user{i}@corp.example").ToArray();
        var (shell, pending) = host.Begin(string.Join(", ", eight.Select(p => $"'{p}'")) + " | New-HeadshotInvite -ThrottleLimit 4");
        using var _ = shell;
        // Four invites wait at the server; meanwhile another run spends all but one of the six credits read at the start.
        await sandbox.WaitForInFlightAsync(4);
        sandbox.Server.State.SetCredits(1);
        var result = PowerShellHost.Ended(shell, await Task.Factory.FromAsync(pending, shell.EndInvoke));

        var invited = result.Output.Select(o => ((Invite)o.BaseObject).Email).ToList();
        Assert.Single(invited);
        Assert.Equal(eight.Except(invited).Order(), result.Errors.Select(e => (string)e.TargetObject).Order());
        NonEmpty.All(result.Errors, e => Assert.StartsWith("InsufficientCredits", e.FullyQualifiedErrorId));
        // The three held with the one invited are refused; the address sent when the invited one's answer freed its slot
        // may be too, when it left before the refusals came back (the four answers come together). Every invite sent was
        // invited or refused: after a refusal, nothing more is sent.
        var refused = result.Errors.Where(e => e.ErrorDetails.Message.Contains("402")).ToList();
        Assert.InRange(refused.Count, 3, 4);
        NonEmpty.All(refused, e => Assert.Contains("fewer credits than the balance read at the start of this run (6)", e.ErrorDetails.Message));
        Assert.Equal(1 + refused.Count, (await sandbox.JournalAsync()).Count(e => (string?)e!["method"] == "POST" && (string?)e["path"] == "/api/v1/organization/invite"));
    }
}

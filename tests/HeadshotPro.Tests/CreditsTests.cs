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
}

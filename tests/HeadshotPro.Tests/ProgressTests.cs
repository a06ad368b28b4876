using System.Management.Automation;
using System.Text.RegularExpressions;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>Progress says how far whenever the total is known (issue 20).</summary>
public class ProgressTests
{
    private static List<ProgressRecord> Shown(RecordingHost console) =>
        console.Progress.Where(p => p.RecordType == ProgressRecordType.Processing).ToList();

    [Fact(Timeout = Limits.Bulk)]
    public async Task Items_given_as_a_parameter_show_how_many_of_how_many_and_the_percentage()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { RateLimit = 0, LatencyMs = 50 });
        var console = new RecordingHost("ConsoleHost");
        using var host = new PowerShellHost(console);
        host.Connect(sandbox);

        Assert.Equal(12, host.Run("New-HeadshotInvite -Email (1..12 | ForEach-Object { \"user$_@corp.example\" }) -ThrottleLimit 2").Output.Count);
        var shown = Shown(console);
        Assert.NotEmpty(shown);
        foreach (var record in shown)
        {
            var match = Regex.Match(record.StatusDescription, @"^(\d+) of 12 done \((\d+) %\), \d+ in flight, \d+ failed");
            Assert.True(match.Success, record.StatusDescription);
            Assert.Equal(int.Parse(match.Groups[1].Value) * 100 / 12, int.Parse(match.Groups[2].Value));
            Assert.Equal(int.Parse(match.Groups[2].Value), record.PercentComplete);
        }
        Assert.Equal(ProgressRecordType.Completed, console.Progress[^1].RecordType);

        // Piped, the total is not known: no "of", no percentage.
        var piped = new RecordingHost("ConsoleHost");
        using var pipedHost = new PowerShellHost(piped);
        pipedHost.Connect(sandbox);
        Assert.Equal(12, pipedHost.Run("1..12 | ForEach-Object { \"other$_@corp.example\" } | New-HeadshotInvite -ThrottleLimit 2").Output.Count);
        Assert.NotEmpty(Shown(piped));
        NonEmpty.All(Shown(piped), p => Assert.Matches(@"^\d+ done, \d+ in flight, \d+ failed", p.StatusDescription));
        NonEmpty.All(Shown(piped), p => Assert.Equal(-1, p.PercentComplete));
    }

    [Fact(Timeout = Limits.Bulk)]
    public async Task A_paged_listing_shows_how_many_of_the_server_s_total_it_has_read()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { RateLimit = 0, Credits = 500 });
        await sandbox.PeopleAsync(V2Seed.Addresses("p", 120), "accepted");
        var console = new RecordingHost("ConsoleHost");
        using var host = new PowerShellHost(console);
        host.Connect(sandbox);

        Assert.Equal(120, host.Run("Get-HeadshotMember").Output.Count);
        var shown = Shown(console).Select(p => (p.StatusDescription, p.PercentComplete)).ToList();
        Assert.Contains(("50 of 120 read (41 %)", 41), shown);
        Assert.Contains(("100 of 120 read (83 %)", 83), shown);
        Assert.Equal(ProgressRecordType.Completed, console.Progress[^1].RecordType);

        // -Skip and -First: the total is what is wanted of it.
        var first = new RecordingHost("ConsoleHost");
        using var firstHost = new PowerShellHost(first);
        firstHost.Connect(sandbox);
        Assert.Equal(60, firstHost.Run("Get-HeadshotMember -Skip 10 -First 60").Output.Count);
        Assert.Contains(("50 of 60 read (83 %)", 83), Shown(first).Select(p => (p.StatusDescription, p.PercentComplete)));

        // A host without a user sees none.
        var automation = new RecordingHost("Default Host");
        using var automationHost = new PowerShellHost(automation);
        automationHost.Connect(sandbox);
        Assert.Equal(120, automationHost.Run("Get-HeadshotMember").Output.Count);
        Assert.Empty(automation.Progress);
    }
}

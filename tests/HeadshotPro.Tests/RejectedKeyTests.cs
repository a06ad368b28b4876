using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>
/// A 401 (the API's, or a gateway's or firewall's in front of it) stops the connection that got it: nothing more is sent
/// with that connection. Other runspaces using the same key go on, and a successful Connect-HeadshotPro — in any runspace
/// — clears it everywhere.
/// </summary>
public class RejectedKeyTests
{
    private static async Task<int> SentAsync(TestSandbox sandbox) => (await sandbox.JournalAsync()).Count;

    private static string? ErrorId(PowerShellHost.Result result) => result.Terminating?.FullyQualifiedErrorId.Split(',')[0];

    [Fact(Timeout = Limits.Test)]
    public async Task One_401_stops_only_the_runspace_that_got_it_and_Connect_there_clears_it()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var first = new PowerShellHost();
        using var second = new PowerShellHost();
        first.Connect(sandbox);
        second.Connect(sandbox);

        await sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.Gateway401 } });
        Assert.Equal("ApiKeyRejected", ErrorId(first.Run("Get-HeadshotCredits")));
        var sent = await SentAsync(sandbox);
        Assert.Equal("ApiKeyRejected", ErrorId(first.Run("Get-HeadshotCredits")));
        Assert.Equal(sent, await SentAsync(sandbox));

        var other = second.Run("Get-HeadshotCredits");
        Assert.Null(other.Terminating);
        Assert.Equal(100m, Assert.Single(other.Output).Properties["Credits"].Value);

        first.Connect(sandbox);
        Assert.Null(first.Run("Get-HeadshotCredits").Terminating);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_successful_Connect_in_another_runspace_clears_a_rejection_everywhere()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var rejected = new PowerShellHost();
        using var other = new PowerShellHost();
        rejected.Connect(sandbox);
        other.Connect(sandbox);
        await sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.Gateway401 } });
        Assert.Equal("ApiKeyRejected", ErrorId(rejected.Run("'ann@corp.example' | New-HeadshotInvite")));

        other.Connect(sandbox);
        var sent = await SentAsync(sandbox);
        var result = rejected.Run("'ann@corp.example' | New-HeadshotInvite");
        Assert.Null(result.Terminating);
        Assert.Equal("ann@corp.example", ((Invite)Assert.Single(result.Output).BaseObject).Email);
        Assert.Equal(sent + 2, await SentAsync(sandbox)); // the balance read before the first invite, and the invite
    }
}

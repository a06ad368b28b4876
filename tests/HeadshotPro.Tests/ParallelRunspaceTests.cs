using HeadshotPro.Client.Transport;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>Runspaces of one process that use the same key spend one rate-limit budget, and leave nothing behind when they close.</summary>
[Collection(nameof(ProcessWide))]
public class ParallelRunspaceTests
{
    [Fact(Timeout = Limits.Bulk)]
    public async Task ForEach_Object_Parallel_runspaces_share_one_budget_and_close_without_a_trace()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { RateLimit = 40, RateWindowSeconds = 4, Credits = 1000 });
        var before = SharedConnection.Count;
        using (var host = new PowerShellHost())
        {
            var result = host.Run("""
                1..4 | ForEach-Object -ThrottleLimit 4 -Parallel {
                    Import-Module $using:module
                    Connect-HeadshotPro -ApiKey (ConvertTo-SecureString $using:key -AsPlainText -Force) -BaseUri $using:uri
                    $batch = $_
                    1..30 | ForEach-Object { "r$batch-$_@corp.example" } | New-HeadshotInvite
                }
                """, ("module", typeof(Invite).Assembly.Location), ("key", TestSandbox.Key), ("uri", sandbox.ApiBaseUri));
            Assert.Null(result.Terminating);
            Assert.Empty(result.Errors);
            Assert.Equal(120, result.Output.Count);
        }
        var state = await sandbox.StateAsync();
        Assert.True((long)state["counters"]!["rateLimited"]! <= 3, $"{state["counters"]!["rateLimited"]} 429s: the runspaces did not share the budget");
        Assert.Equal(before, SharedConnection.Count);
    }
}

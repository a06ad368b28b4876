using System.Management.Automation;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>Connect-HeadshotPro explains itself: how to pass a key, and what it connected to (issue 20).</summary>
public class ConnectGuidanceTests
{
    private const string PlainKey = "hsp_plain_text_key_0123456789";

    [Theory(Timeout = Limits.Test)]
    [InlineData("Connect-HeadshotPro -ApiKey $plain -BaseUri $uri")]
    [InlineData("Connect-HeadshotPro $plain -BaseUri $uri")]
    public async Task A_key_given_as_plain_text_is_refused_with_the_ways_to_pass_one_and_shown_nowhere(string command)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var console = new RecordingHost("Default Host");
        using var host = new PowerShellHost(console);
        var result = host.Run(command, ("plain", PlainKey), ("uri", sandbox.ApiBaseUri));

        var error = result.Terminating;
        Assert.NotNull(error);
        Assert.Equal(ErrorCategory.InvalidData, error!.CategoryInfo.Category);
        var message = error.Exception.Message;
        Assert.Contains("SecureString", message);
        Assert.Contains("Read-Host -AsSecureString", message);
        Assert.Contains("-Credential", message);
        Assert.Contains("$env:HEADSHOTPRO_API_KEY", message);
        Assert.DoesNotContain("Cannot convert", message);
        Assert.Empty(await sandbox.JournalAsync());

        Assert.DoesNotContain(PlainKey, string.Join("\n", PowerShellHost.Result.Describe(error)));
        Assert.DoesNotContain(PlainKey, string.Join("\n", console.Lines));
        Assert.DoesNotContain(PlainKey, string.Join("\n", host.Run("$Error | Format-List * -Force | Out-String; [System.Management.Automation.PSSerializer]::Serialize($Error, 5)").Output));
    }

    [Fact(Timeout = Limits.Test)]
    public Task A_webhook_secret_given_as_plain_text_is_refused_the_same_way() => Task.Run(() =>
    {
        using var host = new PowerShellHost();
        var result = host.Run("ConvertFrom-HeadshotWebhook -Body '{}' -Headers @{} -Secret $plain", ("plain", PlainKey));
        var message = result.Terminating?.Exception.Message ?? "";
        Assert.Contains("Read-Host -AsSecureString", message);
        Assert.Contains("$env:HEADSHOTPRO_WEBHOOK_SECRET", message);
        Assert.DoesNotContain(PlainKey, string.Join("\n", PowerShellHost.Result.Describe(result.Terminating!)));
    });

    [Fact(Timeout = Limits.Test)]
    public async Task PassThru_shows_the_organization_and_the_requests_left_after_Connect_s_own_requests()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { RateLimit = 300 });
        using var host = new PowerShellHost();
        var result = host.Run("Connect-HeadshotPro -ApiKey (ConvertTo-SecureString $key -AsPlainText -Force) -BaseUri $uri -PassThru",
            ("key", TestSandbox.Key), ("uri", sandbox.ApiBaseUri));
        Assert.Null(result.Terminating);
        var connection = Assert.Single(result.Output);
        var requests = (await sandbox.JournalAsync()).Count;
        Assert.True(requests > 0);
        Assert.Equal(300 - requests, connection.Properties["RateLimitRemaining"].Value);
        Assert.NotNull(connection.Properties["RateLimitResetsAt"].Value);
        Assert.Equal(("Sandbox Corp", "org_sandbox"), (connection.Properties["Organization"]?.Value, connection.Properties["OrganizationId"]?.Value));

        // Get-HeadshotConnection shows the same (its default view, a list as Get-MgContext's, is rendered in the Pester tests).
        var again = Assert.Single(host.Run("Get-HeadshotConnection").Output);
        Assert.Equal("Sandbox Corp", again.Properties["Organization"].Value);
        Assert.Equal(300 - requests, again.Properties["RateLimitRemaining"].Value);
    }
}

using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

public class SecretTests
{
    [Fact(Timeout = Limits.Test)]
    public async Task A_rejected_key_appears_in_no_stream_error_or_serialized_record()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var host = new PowerShellHost();
        const string wrongKey = "hsp_live_WRONG_secret_value_5678";
        var result = host.Run("""
            $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'
            Connect-HeadshotPro -ApiKey (ConvertTo-SecureString $key -AsPlainText -Force) -BaseUri $uri -Verbose -Debug
            """, ("key", wrongKey), ("uri", sandbox.ApiBaseUri));
        Assert.NotNull(result.Terminating);
        Assert.DoesNotContain(wrongKey, result.AllText());
        Assert.DoesNotContain(wrongKey, ErrorVariableText(host));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task The_key_appears_nowhere_in_a_run_full_of_failures()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Credits = 1 });
        using var host = new PowerShellHost();
        host.Connect(sandbox, "-TimeoutSec 1");
        await sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.Html503, FaultKind.DropAfterProcessing, FaultKind.DropBeforeProcessing } });
        var result = host.Run("""
            $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'
            'a@corp.example', 'bad address', 'b@corp.example', [pscustomobject]@{ Name = 'x' } | New-HeadshotInvite -Verbose -Debug -ThrottleLimit 1
            'nobody@corp.example' | Revoke-HeadshotInvite -Force -Verbose -Debug
            Get-HeadshotInvite -Id nope -Verbose -Debug
            Get-HeadshotConnection | Format-List * | Out-String
            Get-HeadshotConnection | ConvertTo-Json
            """);
        Assert.True(result.Errors.Count >= 4, string.Join("\n", result.ErrorIds));
        Assert.Contains(result.ErrorIds, id => id == "InsufficientCredits");
        Assert.DoesNotContain(TestSandbox.Key, result.AllText());
        Assert.DoesNotContain(TestSandbox.Key, ErrorVariableText(host));
    }

    private static string ErrorVariableText(PowerShellHost host) => string.Join("\n", host.Run("""
        foreach ($e in $Error) {
            $e | Out-String
            $e | Format-List * -Force | Out-String
            if ($e -is [System.Management.Automation.ErrorRecord]) { $e.Exception.ToString(); "$($e.TargetObject)"; $e.ErrorDetails | Out-String }
        }
        [System.Management.Automation.PSSerializer]::Serialize($Error, 5)
        """).Output.Select(o => o?.ToString()));
}

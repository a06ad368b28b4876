using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

public class SecretTests
{
    // The module writes nothing to the debug stream (it has no WriteDebug), so $DebugPreference = 'Continue' is here only
    // to cover any debug output it may gain; the streams it does write (verbose lines for every request, warnings, errors)
    // are checked to be there, so the key is looked for where the module really writes. Commands that warn run without
    // -Debug: on a compiled cmdlet -Debug turns each warning into a "Continue with this operation?" prompt (PowerShell's
    // behaviour, in the README), which a host that cannot prompt turns into a terminating error.

    [Fact(Timeout = Limits.Test)]
    public async Task A_rejected_key_appears_in_no_stream_error_or_serialized_record()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var console = new RecordingHost("Default Host");
        using var host = new PowerShellHost(console);
        const string wrongKey = "hsp_live_WRONG_secret_value_5678";
        var result = host.Run("""
            $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'
            Connect-HeadshotPro -ApiKey (ConvertTo-SecureString $key -AsPlainText -Force) -BaseUri $uri -Verbose -Debug
            """, ("key", wrongKey), ("uri", sandbox.ApiBaseUri));
        Assert.Equal("ApiKeyRejected", result.Terminating?.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains(result.Verbose, v => v.StartsWith("GET organization -> 401", StringComparison.Ordinal));
        Assert.DoesNotContain(wrongKey, result.AllText());
        Assert.DoesNotContain(wrongKey, string.Join("\n", console.Lines));
        Assert.DoesNotContain(wrongKey, host.ErrorVariableText());
    }

    [Fact(Timeout = Limits.Test)]
    public async Task The_key_appears_nowhere_in_a_run_full_of_failures_warnings_and_verbose_lines()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Credits = 1 });
        var console = new RecordingHost("Default Host");
        using var host = new PowerShellHost(console);
        host.Connect(sandbox, "-TimeoutSec 1");
        host.SeedDirectory("@{ SamAccountName = 'eve'; Mail = $null; UserPrincipalName = 'eve@corp.example' }");
        // Past the balance read before the first invite: a's attempts.
        await sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.None, FaultKind.Html503, FaultKind.DropAfterProcessing, FaultKind.DropBeforeProcessing } });
        var failures = host.Run("""
            $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'
            # A Get-ADUser object whose mail is empty: taken at its UserPrincipalName, with a warning.
            'a@corp.example', 'bad address', (Get-ADUser eve -Properties mail), 'b@corp.example', [pscustomobject]@{ Name = 'x' } | New-HeadshotInvite -Verbose -ThrottleLimit 1
            'nobody@corp.example' | Revoke-HeadshotInvite -Force -Verbose -Debug
            Get-HeadshotInvite -Id nope -Verbose -Debug
            Get-HeadshotConnection | Format-List * | Out-String
            Get-HeadshotConnection | ConvertTo-Json
            """);
        Assert.True(failures.Errors.Count >= 4, string.Join("\n", failures.ErrorIds) + "\n" + failures.Terminating);
        Assert.Null(failures.Terminating);
        Assert.Contains(failures.ErrorIds, id => id == "InsufficientCredits");
        Assert.Contains(failures.Warnings, w => w.Contains("empty mail attribute", StringComparison.Ordinal));
        Assert.Contains(failures.Verbose, v => v.StartsWith("POST organization/invite for a@corp.example -> 503", StringComparison.Ordinal));

        foreach (var text in new[] { failures.AllText(), string.Join("\n", console.Lines), host.ErrorVariableText() })
            Assert.DoesNotContain(TestSandbox.Key, text);
    }
}

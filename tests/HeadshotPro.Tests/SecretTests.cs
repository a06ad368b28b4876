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
        Assert.DoesNotContain(wrongKey, ErrorVariableText(host));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task The_key_appears_nowhere_in_a_run_full_of_failures_warnings_and_verbose_lines()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Credits = 1 });
        var console = new RecordingHost("Default Host");
        using var host = new PowerShellHost(console);
        host.Connect(sandbox, "-TimeoutSec 1");
        // Past the balance read before the first invite: a's attempts.
        await sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.None, FaultKind.Html503, FaultKind.DropAfterProcessing, FaultKind.DropBeforeProcessing } });
        var failures = host.Run("""
            $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'
            # A Get-ADUser object whose mail is empty: taken at its UserPrincipalName, with a warning.
            $eve = [pscustomobject]@{ SamAccountName = 'eve'; UserPrincipalName = 'eve@corp.example'; mail = '' }
            $eve.PSObject.TypeNames.Insert(0, 'Microsoft.ActiveDirectory.Management.ADUser')
            'a@corp.example', 'bad address', $eve, 'b@corp.example', [pscustomobject]@{ Name = 'x' } | New-HeadshotInvite -Verbose -ThrottleLimit 1
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

        // A run stopped by -ErrorAction Stop while two invites are in flight (the bad address is handed over only once the
        // sandbox has both): they finish, and a warning names them.
        await sandbox.Control.PostAsync("credits", TestSandbox.JsonBody(new { credits = 5 }));
        await sandbox.SettingsAsync(new { latencyMs = 500 }); // under the connection's -TimeoutSec 1
        var journalBefore = (await sandbox.JournalAsync()).Count;
        Func<long> bothInFlight = () => sandbox.WaitForInFlightAsync(2).GetAwaiter().GetResult();
        var stopped = host.Run("""
            $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'
            'c@corp.example', 'd@corp.example', 'not an address' |
                ForEach-Object { if ($_ -eq 'not an address') { $null = $bothInFlight.Invoke() }; $_ } |
                New-HeadshotInvite -ErrorAction Stop -Verbose
            """, ("bothInFlight", bothInFlight));
        Assert.Equal("InvalidEmailAddress", stopped.Terminating?.FullyQualifiedErrorId.Split(',')[0]);
        // Written as a warning, or straight to the host when the pipeline has already stopped.
        var stopWarning = stopped.Warnings.Concat(console.Lines).FirstOrDefault(w => w.StartsWith("The run stopped early.", StringComparison.Ordinal));
        Assert.NotNull(stopWarning);
        Assert.Contains("c@corp.example", stopWarning);
        Assert.Contains("d@corp.example", stopWarning);
        Assert.Equal(2, (await sandbox.JournalAsync()).Skip(journalBefore).Count(e => (string?)e!["path"] == "/api/v1/organization/invite"));
        Assert.Contains(stopped.Verbose, v => v.StartsWith("Invite c@corp.example", StringComparison.Ordinal));

        foreach (var text in new[] { failures.AllText(), stopped.AllText(), string.Join("\n", console.Lines), ErrorVariableText(host) })
            Assert.DoesNotContain(TestSandbox.Key, text);
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

#!/usr/bin/env pwsh
# A service that goes away mid-run: the sandbox stops listening (connections refused) once Connect's request, the run's
# balance read and the first invites were answered. Prints how long New-HeadshotInvite kept going after that, and whether every address was accounted
# for once. Prints figures; never passes or fails on time.
param(
    # (addresses, invites answered before the service goes away)
    [object[]] $Cases = @(@(1000, 100), @(200, 20))
)
$ErrorActionPreference = 'Stop'
$root = Resolve-Path "$PSScriptRoot/.."
Import-Module "$root/out/HeadshotPro" -Force
Import-Module "$root/src/HeadshotPro.Sandbox/SandboxProcess.psm1" -Force

$rows = foreach ($case in $Cases) {
    $addresses, $before = $case
    # Connect's request and the balance read before the first invite are the first the sandbox answers; the outage begins
    # once $before invites more were answered.
    $sandbox = Start-HeadshotSandbox -Arguments '--rate-limit', '0', '--credits', '100000', '--outage-after-requests', ($before + 2)
    try {
        Connect-HeadshotPro -ApiKey $sandbox.ApiKey -BaseUri $sandbox.BaseUri
        $started = [DateTime]::UtcNow
        $out = 1..$addresses | ForEach-Object { "gone$_@corp.example" } | New-HeadshotInvite -ErrorAction SilentlyContinue -ErrorVariable failed
        $returned = [DateTime]::UtcNow
        # The sandbox prints one line when it stops listening, with the time (UTC).
        $line = $sandbox.Process.StandardOutput.ReadLine()
        if ($line -notmatch 'stopped listening at (?<at>\S+) \(outage\)') { throw "Unexpected sandbox output: $line" }
        $wentAway = [DateTime]::Parse($Matches.at, [Globalization.CultureInfo]::InvariantCulture, [Globalization.DateTimeStyles]::AdjustToUniversal)
        $targets = @($out | ForEach-Object Email) + @($failed | ForEach-Object TargetObject)
        $ids = $failed | Group-Object { $_.FullyQualifiedErrorId.Split(',')[0] } | Sort-Object Count -Descending | ForEach-Object { "$($_.Count) $($_.Name)" }
        [pscustomobject]@{
            'Addresses'               = $addresses
            'Gone after'              = $before
            'Run (s)'                 = [math]::Round(($returned - $started).TotalSeconds, 1)
            'Gone to returned (s)'    = [math]::Round(($returned - $wentAway).TotalSeconds, 1)
            'Records'                 = $targets.Count
            'Each address once'       = ($targets.Count -eq $addresses -and @($targets | Sort-Object -Unique).Count -eq $addresses)
            'Invited'                 = @($out).Count
            'Errors'                  = ($ids -join ', ')
        }
    }
    finally {
        Disconnect-HeadshotPro
        $sandbox | Stop-HeadshotSandbox
    }
}
$rows | Format-Table -AutoSize | Out-String -Width 220
"Target: the command returns within 10 s of the service going away, every address accounted for once. Default -ThrottleLimit 5, sandbox latency 0."
"Machine: $([Environment]::ProcessorCount) cores, $([System.Runtime.InteropServices.RuntimeInformation]::OSDescription), PowerShell $($PSVersionTable.PSVersion), $(Get-Date -Format 'yyyy-MM-dd')"

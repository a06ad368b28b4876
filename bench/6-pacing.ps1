#!/usr/bin/env pwsh
# Pacing by the server's clock, at the speed of the ideal: invites at 50 requests per window, for 5 s and 60 s windows, in a
# fresh process state each run (a new sandbox, a new connection, so the server's clock is learned from scratch). The ideal
# is the moment the last window opens, counted from Connect's request, which opens the first; New-HeadshotInvite reads the
# balance before its first invite, one request more. Prints figures; never passes or fails on time.
$ErrorActionPreference = 'Stop'
$root = Resolve-Path "$PSScriptRoot/.."
Import-Module "$root/out/HeadshotPro" -Force
Import-Module "$root/src/HeadshotPro.Sandbox/SandboxProcess.psm1" -Force

$cases = @(
    @{ Window = 5; Invites = 148; Runs = 3 }   # with Connect's request and the balance read, 150: three windows, the third opening at 10 s
    @{ Window = 60; Invites = 98; Runs = 2 }   # 100: two windows, the second opening at 60 s
)
$rows = foreach ($case in $cases) {
    $windows = [math]::Ceiling(($case.Invites + 2) / 50)
    $ideal = ($windows - 1) * $case.Window
    $runs = foreach ($run in 1..$case.Runs) {
        $sandbox = Start-HeadshotSandbox -Arguments '--rate-limit', '50', '--rate-window-seconds', $case.Window, '--credits', '1000'
        try {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            Connect-HeadshotPro -ApiKey $sandbox.ApiKey -BaseUri $sandbox.BaseUri
            $out = 1..$case.Invites | ForEach-Object { "pace$run-$_@corp.example" } | New-HeadshotInvite -ErrorAction SilentlyContinue
            $seconds = $watch.Elapsed.TotalSeconds
            [pscustomobject]@{ Seconds = $seconds; Served429 = (Invoke-HeadshotSandboxControl $sandbox state).counters.rateLimited; Invited = @($out).Count }
        }
        finally {
            Disconnect-HeadshotPro
            $sandbox | Stop-HeadshotSandbox
        }
    }
    $median = ($runs | Sort-Object Seconds)[[math]::Floor(($runs.Count - 1) / 2)]
    [pscustomobject]@{
        'Window' = "50 per $($case.Window) s"
        'Invites' = $case.Invites
        'Ideal (s)' = $ideal
        'Seconds (median)' = [math]::Round($median.Seconds, 2)
        'x ideal' = [math]::Round($median.Seconds / $ideal, 3)
        'Runs' = ($runs | ForEach-Object { '{0:0.00}' -f $_.Seconds }) -join ' / '
        '429s' = ($runs | ForEach-Object Served429) -join ' / '
        'Invited' = ($runs | ForEach-Object Invited) -join ' / '
    }
}
$rows | Format-Table -AutoSize | Out-String -Width 200
"Target: at most 1.05x the ideal, 0 429s. Default -ThrottleLimit 5, sandbox latency 0, clocks in sync."
"Machine: $([Environment]::ProcessorCount) cores, $([System.Runtime.InteropServices.RuntimeInformation]::OSDescription), PowerShell $($PSVersionTable.PSVersion), $(Get-Date -Format 'yyyy-MM-dd')"

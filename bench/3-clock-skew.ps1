#!/usr/bin/env pwsh
# Pacing by the server's clock: 100 invites under 40 requests / 4 s with the sandbox's clock off by -300 .. +300 s.
# The pacer reads X-RateLimit-Reset through each answer's Date header, so the skew should change neither the time
# nor the 429s. Prints figures; never passes or fails on time.
$ErrorActionPreference = 'Stop'
$root = Resolve-Path "$PSScriptRoot/.."
Import-Module "$root/out/HeadshotPro" -Force
Import-Module "$root/src/HeadshotPro.Sandbox/SandboxProcess.psm1" -Force

$rows = foreach ($skew in -300, -90, 0, 90, 300) {
    $sandbox = Start-HeadshotSandbox -Arguments '--rate-limit', '40', '--rate-window-seconds', '4', '--clock-skew-seconds', $skew, '--credits', '1000'
    try {
        Connect-HeadshotPro -ApiKey $sandbox.ApiKey -BaseUri $sandbox.BaseUri
        $runs = foreach ($run in 1..3) {
            $null = Invoke-HeadshotSandboxControl $sandbox reset
            $null = Invoke-HeadshotSandboxControl $sandbox settings @{ rateLimit = 40 }
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $out = 1..100 | ForEach-Object { "skew$run-$_@corp.example" } | New-HeadshotInvite -ThrottleLimit 10 -ErrorAction SilentlyContinue
            $seconds = $watch.Elapsed.TotalSeconds
            [pscustomobject]@{ Seconds = $seconds; Served429 = (Invoke-HeadshotSandboxControl $sandbox state).counters.rateLimited; Invited = @($out).Count }
        }
        $median = ($runs | Sort-Object Seconds)[1]
        [pscustomobject]@{
            'Server clock' = '{0:+0;-0;0} s' -f $skew
            'Seconds (median of 3)' = [math]::Round($median.Seconds, 2)
            'Runs' = ($runs | ForEach-Object { '{0:0.0}' -f $_.Seconds }) -join ' / '
            '429s (each run)' = ($runs | ForEach-Object Served429) -join ' / '
            'Invited' = ($runs | ForEach-Object Invited) -join ' / '
        }
    }
    finally {
        Disconnect-HeadshotPro
        $sandbox | Stop-HeadshotSandbox
    }
}
$rows | Format-Table -AutoSize | Out-String -Width 200
"The first window opens on the first request; 100 requests at 40 per 4 s need three windows: about 8 s plus the round trips."
"Machine: $([Environment]::ProcessorCount) cores, $([System.Runtime.InteropServices.RuntimeInformation]::OSDescription), PowerShell $($PSVersionTable.PSVersion), $(Get-Date -Format 'yyyy-MM-dd')"

#!/usr/bin/env pwsh
# One rate-limit budget per key: 120 invites under 40 requests / 4 s, from one runspace, from four
# ForEach-Object -Parallel runspaces (one shared client and pacer per process), and from two separate pwsh processes
# (which coordinate only through the server's X-RateLimit-* headers). Prints figures; never passes or fails on time.
$ErrorActionPreference = 'Stop'
$root = Resolve-Path "$PSScriptRoot/.."
$module = Join-Path $root 'out/HeadshotPro'
Import-Module $module -Force
Import-Module "$root/src/HeadshotPro.Sandbox/SandboxProcess.psm1" -Force

$sandbox = Start-HeadshotSandbox -Arguments '--rate-limit', '40', '--rate-window-seconds', '4', '--credits', '100000'
$key = [System.Net.NetworkCredential]::new('', $sandbox.ApiKey).Password
function Start-Fresh {
    $null = Invoke-HeadshotSandboxControl $sandbox reset
    $null = Invoke-HeadshotSandboxControl $sandbox settings @{ rateLimit = 40 }
}
function Get-Row([string] $What, [double] $Seconds) {
    $state = Invoke-HeadshotSandboxControl $sandbox state
    [pscustomobject]@{ How = $What; Seconds = [math]::Round($Seconds, 2); Invited = $state.invites.Count; '429s' = $state.counters.rateLimited }
}
try {
    $rows = @()

    Start-Fresh
    $watch = [Diagnostics.Stopwatch]::StartNew()
    Connect-HeadshotPro -ApiKey $sandbox.ApiKey -BaseUri $sandbox.BaseUri
    $null = 1..120 | ForEach-Object { "one$_@corp.example" } | New-HeadshotInvite -ThrottleLimit 8
    $rows += Get-Row 'one runspace, -ThrottleLimit 8' $watch.Elapsed.TotalSeconds
    Disconnect-HeadshotPro

    Start-Fresh
    $watch.Restart()
    $null = 1..4 | ForEach-Object -ThrottleLimit 4 -Parallel {
        Import-Module $using:module
        Connect-HeadshotPro -ApiKey (ConvertTo-SecureString $using:key -AsPlainText -Force) -BaseUri $using:sandbox.BaseUri
        $batch = $_
        1..30 | ForEach-Object { "par$batch-$_@corp.example" } | New-HeadshotInvite -ThrottleLimit 2
    }
    $rows += Get-Row '4 ForEach-Object -Parallel runspaces x 30 (one process)' $watch.Elapsed.TotalSeconds

    Start-Fresh
    $watch.Restart()
    $script = {
        param($Module, $Key, $Uri, $Tag)
        Import-Module $Module
        Connect-HeadshotPro -ApiKey (ConvertTo-SecureString $Key -AsPlainText -Force) -BaseUri $Uri
        $null = 1..60 | ForEach-Object { "proc$Tag-$_@corp.example" } | New-HeadshotInvite -ThrottleLimit 4 -ErrorAction Continue
    }
    $processes = 1..2 | ForEach-Object {
        $info = [Diagnostics.ProcessStartInfo]::new('dotnet')
        foreach ($a in 'pwsh', '-NoProfile', '-NonInteractive', '-Command', "& { $script } '$module' '$key' '$($sandbox.BaseUri)' $_") { $info.ArgumentList.Add($a) }
        $info.WorkingDirectory = $root
        [Diagnostics.Process]::Start($info)
    }
    foreach ($p in $processes) { if (-not $p.WaitForExit(180000)) { $p.Kill() } }
    $rows += Get-Row '2 pwsh processes x 60 (same key)' $watch.Elapsed.TotalSeconds

    $rows | Format-Table -AutoSize | Out-String -Width 200
    "Ideal: 120 invites plus each Connect's organization read and each run's balance read (122-128 requests) at 40 per 4 s need four windows: the fourth opens 12 s after the first (processes also pay pwsh start-up)."
    "Machine: $([Environment]::ProcessorCount) cores, $([System.Runtime.InteropServices.RuntimeInformation]::OSDescription), PowerShell $($PSVersionTable.PSVersion), $(Get-Date -Format 'yyyy-MM-dd')"
}
finally {
    $sandbox | Stop-HeadshotSandbox
}

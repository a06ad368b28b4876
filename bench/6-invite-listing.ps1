#!/usr/bin/env pwsh
# What listing invites costs: API requests (from the sandbox's journal) and seconds for Get-HeadshotInvite over 60,
# 145 and 1,000 invites at mixed stages — a sixth each pending, accepted, uploading, generating, completed and revoked,
# every third person who signed up doing so with a personal address — and the same again with the sandbox listing
# newest first. Every answer takes 50 ms and rate limiting is off, so the seconds are the requests' own; at the API's
# 300 requests a minute every request past a window's 300 costs a fifth of a second more. Prints figures; never passes
# or fails.
$ErrorActionPreference = 'Stop'
$root = Resolve-Path "$PSScriptRoot/.."
Import-Module (Join-Path $root 'out/HeadshotPro') -Force
Import-Module "$root/src/HeadshotPro.Sandbox/SandboxProcess.psm1" -Force

$sandbox = Start-HeadshotSandbox -Arguments '--rate-limit', '0', '--latency-ms', '50', '--credits', '100000'
$stages = 'pending', 'accepted', 'uploading', 'generating', 'completed', 'revoked'

function Set-People([int] $Count) {
    $null = Invoke-HeadshotSandboxControl $sandbox reset
    $addresses = 1..$Count | ForEach-Object { 'person{0:0000}@corp.example' -f $_ }
    $null = $addresses | New-HeadshotInvite -ThrottleLimit 16
    for ($i = 0; $i -lt $Count; $i++) {
        $stage = $stages[$i % $stages.Count]
        $escaped = [uri]::EscapeDataString($addresses[$i])
        switch ($stage) {
            'pending' { }
            'revoked' { $null = Revoke-HeadshotInvite $addresses[$i] -Force }
            default {
                $move = @{ to = $stage }
                if ($i % 3 -eq 1) { $move.activeEmail = 'person{0:0000}@personal.example' -f ($i + 1) }
                $null = Invoke-HeadshotSandboxControl $sandbox "people/$escaped/advance" $move
            }
        }
    }
}

function Measure-Listing([string] $Case, [scriptblock] $Command) {
    $before = @((Invoke-HeadshotSandboxControl $sandbox journal).journal).Count
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $written = @(& $Command 2>$null).Count
    $seconds = $watch.Elapsed.TotalSeconds
    $requests = @((Invoke-HeadshotSandboxControl $sandbox journal).journal).Count - $before
    [pscustomobject]@{ Case = $Case; Written = $written; Requests = $requests; Seconds = [math]::Round($seconds, 2) }
}

try {
    Connect-HeadshotPro -ApiKey $sandbox.ApiKey -BaseUri $sandbox.BaseUri
    $rows = foreach ($order in 'oldest-first', 'newest-first') {
        foreach ($count in 60, 145, 1000) {
            try { if ($order -ne 'oldest-first') { $null = Invoke-HeadshotSandboxControl $sandbox settings @{ listOrder = $order } } }
            catch { Write-Warning "This sandbox has no list order setting: $order not measured."; break }
            Set-People $count
            Measure-Listing "$count invites, $order" { Get-HeadshotInvite }
            Measure-Listing "$count invites, $order, -Status accepted" { Get-HeadshotInvite -Status accepted }
        }
    }
    $rows | Format-Table -AutoSize | Out-String -Width 200
    "Machine: $([Environment]::ProcessorCount) cores, $([System.Runtime.InteropServices.RuntimeInformation]::OSDescription), PowerShell $($PSVersionTable.PSVersion), $(Get-Date -Format 'yyyy-MM-dd')"
}
finally {
    Disconnect-HeadshotPro
    $sandbox | Stop-HeadshotSandbox
}

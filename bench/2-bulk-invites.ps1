#!/usr/bin/env pwsh
# The module against the alternatives admins use today, side by side in one run. Prints figures; never passes or fails on time.
$ErrorActionPreference = 'Stop'
$root = Resolve-Path "$PSScriptRoot/.."
Import-Module "$root/out/HeadshotPro" -Force
Import-Module "$root/src/HeadshotPro.Sandbox/SandboxProcess.psm1" -Force

function New-Addresses([int] $Count, [string] $Tag) { 1..$Count | ForEach-Object { "$Tag$_@corp.example" } }
function Measure-Seconds([scriptblock] $Script) {
    $watch = [Diagnostics.Stopwatch]::StartNew()
    & $Script | Out-Null
    [math]::Round($watch.Elapsed.TotalSeconds, 2)
}
$rows = [Collections.Generic.List[object]]::new()
function Add-Row($Case, $What, $Seconds, $Reference, $Note) {
    $rows.Add([pscustomobject]@{ Case = $Case; What = $What; Seconds = $Seconds; 'x Reference' = if ($Reference) { [math]::Round($Seconds / $Reference, 2) }; Note = $Note })
}

$sandbox = Start-HeadshotSandbox -Arguments '--rate-limit', '0', '--credits', '1000000'
try {
    Connect-HeadshotPro -ApiKey $sandbox.ApiKey -BaseUri $sandbox.BaseUri
    $key = [System.Net.NetworkCredential]::new('', $sandbox.ApiKey).Password
    $invite = [uri]::new($sandbox.BaseUri, 'organization/invite')
    $irmParams = @{ Method = 'Post'; Uri = $invite; Headers = @{ Authorization = "Bearer $key" }; ContentType = 'application/json' }

    # (a) 1,000 invites at 0 ms
    $loop = Measure-Seconds { foreach ($e in New-Addresses 1000 'a') { Invoke-RestMethod @irmParams -Body (@{ email = $e } | ConvertTo-Json) } }
    $module = Measure-Seconds { New-Addresses 1000 'b' | New-HeadshotInvite }
    Add-Row '(a) 1,000 at 0 ms' 'Invoke-RestMethod loop' $loop $null ''
    Add-Row '(a) 1,000 at 0 ms' 'New-HeadshotInvite' $module $loop ("{0:0.0}x faster (target >= 3x)" -f ($loop / $module))

    # (b) 200 invites at 200 ms
    $null = Invoke-HeadshotSandboxControl $sandbox settings @{ latencyMs = 200 }
    $ideal = 200 * 0.2 / 5
    $parallel = Measure-Seconds {
        New-Addresses 200 'c' | ForEach-Object -ThrottleLimit 5 -Parallel {
            $p = $using:irmParams
            Invoke-RestMethod @p -Body (@{ email = $_ } | ConvertTo-Json)
        }
    }
    $module = Measure-Seconds { New-Addresses 200 'd' | New-HeadshotInvite }
    Add-Row '(b) 200 at 200 ms' 'ideal (200 x 0.2 s / 5)' $ideal $null ''
    Add-Row '(b) 200 at 200 ms' 'ForEach-Object -Parallel -ThrottleLimit 5' $parallel $ideal ''
    Add-Row '(b) 200 at 200 ms' 'New-HeadshotInvite' $module $ideal 'target <= 1.05x ideal'
}
finally {
    Disconnect-HeadshotPro
    $sandbox | Stop-HeadshotSandbox
}

# (c) 600 invites at 100 requests per 10 s
$sandbox = Start-HeadshotSandbox -Arguments '--rate-limit', '100', '--rate-window-seconds', '10', '--credits', '10000'
try {
    Connect-HeadshotPro -ApiKey $sandbox.ApiKey -BaseUri $sandbox.BaseUri
    $null = Invoke-HeadshotSandboxControl $sandbox settings @{ rateLimit = 100 }   # a fresh window, so Connect's request does not count
    # 601 requests: the balance read before the first invite, then the 600 invites; the 7th window opens at 60 s.
    $ideal = ([math]::Ceiling(601 / 100) - 1) * 10
    $module = Measure-Seconds { New-Addresses 600 'e' | New-HeadshotInvite }
    $served = (Invoke-HeadshotSandboxControl $sandbox state).counters.rateLimited
    Add-Row '(c) 600 at 100 per 10 s' 'ideal (601 requests: the 7th window opens at 60 s)' $ideal $null ''
    Add-Row '(c) 600 at 100 per 10 s' 'New-HeadshotInvite' $module $ideal "$served 429s served (target <= 1.05x, 0 429s)"
}
finally {
    Disconnect-HeadshotPro
    $sandbox | Stop-HeadshotSandbox
}

# (d) Import-Module over a bare pwsh start, median of 5. The first Import-Module of a process also pays for PowerShell's
# module system itself, so a built-in module's first import is shown beside it, and our import once that is warm.
function Measure-Pwsh([string] $Command) {
    $runs = 1..5 | ForEach-Object { (Measure-Command { dotnet pwsh -NoProfile -NonInteractive -Command $Command | Out-Null }).TotalMilliseconds }
    ($runs | Sort-Object)[2]
}
$bare = Measure-Pwsh '$null'
$builtIn = Measure-Pwsh 'Import-Module Microsoft.PowerShell.Utility'
$withModule = Measure-Pwsh "Import-Module '$root/out/HeadshotPro'"
$warm = (1..5 | ForEach-Object {
    [double](dotnet pwsh -NoProfile -NonInteractive -Command "Import-Module Microsoft.PowerShell.Utility; (Measure-Command { Import-Module '$root/out/HeadshotPro' }).TotalMilliseconds")
} | Sort-Object)[2]
foreach ($row in @(
        @('HeadshotPro, first import of the process', ($withModule - $bare), 'target <= 100 ms'),
        @('Microsoft.PowerShell.Utility, first import (reference)', ($builtIn - $bare), 'the module system''s own start-up'),
        @('HeadshotPro, after another module', $warm, 'what HeadshotPro itself costs'))) {
    $rows.Add([pscustomobject]@{ Case = '(d) Import-Module'; What = $row[0]; Seconds = [math]::Round($row[1] / 1000, 3); 'x Reference' = $null; Note = ("{0:0} ms {1}" -f $row[1], $row[2]) })
}

$rows | Format-Table -AutoSize | Out-String -Width 200
"Machine: $([Environment]::ProcessorCount) cores, $([System.Runtime.InteropServices.RuntimeInformation]::OSDescription), PowerShell $($PSVersionTable.PSVersion), $(Get-Date -Format 'yyyy-MM-dd')"

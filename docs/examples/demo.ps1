#!/usr/bin/env pwsh
# A small onboarding against the sandbox: what `dotnet pwsh ./build.ps1 Demo` runs. Needs `./build.ps1 Build` first.
$ErrorActionPreference = 'Stop'
$root = Resolve-Path "$PSScriptRoot/../.."
Import-Module "$root/out/HeadshotPro" -Force
Import-Module "$root/src/HeadshotPro.Sandbox/SandboxProcess.psm1" -Force

# A little latency, as over the internet, so the progress bar has something to show.
$sandbox = Start-HeadshotSandbox -Arguments '--credits', '25', '--latency-ms', '150'
try {
    Write-Host "Sandbox listening on $($sandbox.BaseUri)" -ForegroundColor Cyan
    Connect-HeadshotPro -ApiKey $sandbox.ApiKey -BaseUri $sandbox.BaseUri -PassThru | Format-Table | Out-Host

    Write-Host 'Credits before:' -ForegroundColor Cyan
    Get-HeadshotCredits | Format-Table | Out-Host

    Write-Host 'The organization and its teams:' -ForegroundColor Cyan
    Get-HeadshotOrganization | Format-Table | Out-Host

    Write-Host 'A dry run first (-WhatIf):' -ForegroundColor Cyan
    Import-Csv "$PSScriptRoot/new-hires.csv" | New-HeadshotInvite -Team Marketing -WhatIf

    Write-Host 'Inviting the new hires from new-hires.csv into Marketing:' -ForegroundColor Cyan
    Import-Csv "$PSScriptRoot/new-hires.csv" | New-HeadshotInvite -Team Marketing | Format-Table | Out-Host

    Write-Host 'Running it again with -SkipExisting sends nothing new:' -ForegroundColor Cyan
    Import-Csv "$PSScriptRoot/new-hires.csv" | New-HeadshotInvite -SkipExisting | Measure-Object | Select-Object Count | Format-Table | Out-Host

    Write-Host 'Reading the invites back, by id:' -ForegroundColor Cyan
    Get-HeadshotInvite | Get-HeadshotInvite | Format-Table | Out-Host

    Write-Host 'Revoking one (a leaver):' -ForegroundColor Cyan
    Revoke-HeadshotInvite 'dev.patel@contoso.example' -Force -PassThru | Format-Table | Out-Host

    Write-Host 'Status report:' -ForegroundColor Cyan
    Get-HeadshotInvite | Group-Object Status -NoElement | Format-Table Count, Name | Out-Host

    Write-Host 'Credits after:' -ForegroundColor Cyan
    Get-HeadshotCredits | Format-Table | Out-Host
}
finally {
    Disconnect-HeadshotPro
    $sandbox | Stop-HeadshotSandbox
    Write-Host 'Sandbox stopped.' -ForegroundColor Cyan
}

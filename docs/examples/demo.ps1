#!/usr/bin/env pwsh
# A small onboarding against the sandbox: what `dotnet pwsh ./build.ps1 Demo` runs. Needs `./build.ps1 Build` first.
$ErrorActionPreference = 'Stop'
$root = Resolve-Path "$PSScriptRoot/../.."
Import-Module "$root/out/HeadshotPro" -Force
Import-Module "$root/src/HeadshotPro.Sandbox/SandboxProcess.psm1" -Force

# A little latency, as over the internet, so the progress bar has something to show; photos of 200 KB; and, as in real
# life, some people sign up with a personal address instead of the one they were invited at (here ann.lee and bob.meyer).
$sandbox = Start-HeadshotSandbox -Arguments '--credits', '25', '--latency-ms', '150', '--photo-bytes', '200000', '--personal-address-share', '0.3'
$headshots = Join-Path $root 'out/demo-headshots'
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

    # The new hires now do their part: sign up, upload selfies, wait for their headshots, pick a favorite. The sandbox
    # plays them with its timed lifecycle: every invited person moves one stage each second from now on.
    Write-Host 'The new hires sign up, upload and get their headshots (the sandbox moves them each second):' -ForegroundColor Cyan
    $null = Invoke-HeadshotSandboxControl $sandbox settings @{ lifecycleSeconds = 1 }
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    do {
        Start-Sleep -Milliseconds 1500
        $members = @(Get-HeadshotMember)
        $stages = ($members | Group-Object Status | Sort-Object Name | ForEach-Object { "$($_.Count) $($_.Name)" }) -join ', '
        Write-Host ("  {0:HH:mm:ss}  {1} members: {2}" -f (Get-Date), $members.Count, $(if ($stages) { $stages } else { 'none yet' }))
    } until (($members.Count -ge 4 -and -not ($members | Where-Object Status -ne 'finished')) -or [DateTime]::UtcNow -gt $deadline)
    Write-Host 'Every member by the address they were invited at; some signed up with another (SignUpEmail):' -ForegroundColor Cyan
    Get-HeadshotMember | Format-Table Email, SignUpEmail, Status | Out-Host
    Write-Host 'Their invites, joined to them by id, keep the invited address too:' -ForegroundColor Cyan
    Get-HeadshotInvite | Format-Table Email, SignUpEmail, Status | Out-Host

    Write-Host "Saving everyone's favorite headshot into $headshots (again: files already there are skipped):" -ForegroundColor Cyan
    if (Test-Path $headshots) { Remove-Item $headshots -Recurse -Force }
    Get-HeadshotMember -Status finished | Get-HeadshotPhoto -Favorite | Save-HeadshotPhoto -Path $headshots | Format-Table | Out-Host
    Get-HeadshotPhoto | Save-HeadshotPhoto -Path $headshots | Format-Table | Out-Host

    Write-Host 'The files:' -ForegroundColor Cyan
    Get-ChildItem $headshots | Format-Table Name, Length, LastWriteTime | Out-Host

    # The directory step: each favorite, made into AD's thumbnailPhoto form, goes to the directory user found by the
    # address they were invited at — the one the directory (here the new hires' CSV) knows — also for those who signed up
    # with a personal address.
    Write-Host "The directory photo step, by the invited address: AD thumbnails (96x96, at most 10,000 bytes) for each:" -ForegroundColor Cyan
    $directory = @{}
    Import-Csv "$PSScriptRoot/new-hires.csv" | ForEach-Object { $directory[$_.Email] = "$($_.FirstName) $($_.LastName)" }
    Get-HeadshotPhoto | Save-HeadshotPhoto -Path (Join-Path $headshots 'ActiveDirectory') -For ActiveDirectory | ForEach-Object {
        [pscustomobject]@{
            DirectoryUser  = if ($directory.ContainsKey($_.Email)) { $directory[$_.Email] } else { '(not found)' }
            ThumbnailPhoto = '{0}x{1}, {2:N0} B' -f $_.Width, $_.Height, $_.Length
            Email          = $_.Email
            SignedUpAs     = $_.SignUpEmail
        }
    } | Format-Table -Wrap | Out-Host
}
finally {
    Disconnect-HeadshotPro
    $sandbox | Stop-HeadshotSandbox
    Write-Host 'Sandbox stopped.' -ForegroundColor Cyan
}

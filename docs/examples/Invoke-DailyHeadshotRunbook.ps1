<#
.SYNOPSIS
The daily HeadshotPro runbook: joiners invited, leavers revoked, finished people's chosen headshots into AD, one
summary line. Safe to run again and again.

.DESCRIPTION
Meant for Azure Automation (a credential asset named HeadshotPro whose password is the API key) or any scheduled
pwsh with $env:HEADSHOTPRO_API_KEY set. Joiners are the members of an AD group; people already invited are passed
through (-SkipExisting), not errors. Leavers are disabled AD accounts; one with nothing to revoke (never invited, or
revoked yesterday) is done, not an error (-SkipMissing). With -PhotoFolder, each person's chosen headshot becomes
their AD thumbnailPhoto: the AD user is found by the address they were invited at (even when they signed up with
another), a photo already set is not sent again (the folder keeps what was set), a changed favorite is set on the next
run, and one that could not be set is tried again on the next run. Every other problem is one error record per
person, and the run goes on; the summary line counts them.

.EXAMPLE
./Invoke-DailyHeadshotRunbook.ps1 -JoinersGroup NewHires

.EXAMPLE
./Invoke-DailyHeadshotRunbook.ps1 -JoinersGroup NewHires -PhotoFolder D:\HeadshotPro\thumbnails
#>
[CmdletBinding()]
param(
    # The AD group whose members should have an invite.
    [string] $JoinersGroup = 'NewHires',

    # The HeadshotPro team to invite joiners into (Get-HeadshotTeam lists them); none by default.
    [string] $Team,

    # A folder kept from run to run (a Hybrid Runbook Worker's disk, a file share): the thumbnails set in AD. None: no photos.
    [string] $PhotoFolder
)

# Set-up problems (no connection, a team that does not exist) stop the run; each person's problem is one error record.
$ErrorActionPreference = 'Stop'
if (Get-Command Get-AutomationPSCredential -ErrorAction SilentlyContinue) {
    Connect-HeadshotPro -Credential (Get-AutomationPSCredential -Name 'HeadshotPro')
}

$invite = @{ SkipExisting = $true; ErrorAction = 'Continue'; ErrorVariable = '+failed' }
if ($Team) { $invite.Team = $Team }
$failed = @()
# Disabled accounts (leavers, or new hires staged before their start date) are not invited.
$joiners = @(Get-ADGroupMember $JoinersGroup | Get-ADUser -Properties mail | Where-Object Enabled | New-HeadshotInvite @invite)
$leavers = @(Get-ADUser -Filter 'Enabled -eq $false' -Properties mail |
    Revoke-HeadshotInvite -Force -SkipMissing -PassThru -ErrorAction Continue -ErrorVariable +failed)

$photos = 0
if ($PhotoFolder) {
    # Only a new or changed favorite comes out unskipped; one that could not be set is removed, so the next run tries again.
    Get-HeadshotPhoto -Variant thumbnail -ErrorAction Continue -ErrorVariable +failed |
        Save-HeadshotPhoto -Path $PhotoFolder -ErrorAction Continue -ErrorVariable +failed | Where-Object { -not $_.Skipped } | ForEach-Object {
            $saved = $_
            if ($saved.Length -gt 100KB) { Write-Warning "$($saved.Name) is $($saved.Length) bytes, over AD's 100 KB thumbnailPhoto limit: not set."; return }
            # The address the person was invited at is AD's mail; an LDAP filter value escapes \ * ( ) and NUL (RFC 4515).
            $mail = [regex]::Replace($saved.Email, '[\\*()\x00]', { '\{0:x2}' -f [int][char]$args[0].Value })
            try {
                $user = Get-ADUser -LDAPFilter "(mail=$mail)"
                if (-not $user) { throw "no AD user has the mail $($saved.Email)" }
                $user | Set-ADUser -Replace @{ thumbnailPhoto = [IO.File]::ReadAllBytes($saved.Path) } -ErrorAction Stop
                $photos++
            }
            catch {
                Remove-Item -LiteralPath $saved.Path
                Write-Error "thumbnailPhoto of $($saved.Email) not set: $_ (the next run tries again)." -ErrorAction Continue -ErrorVariable +failed
            }
        }
}

$invited = @($joiners | Where-Object Outcome -EQ 'Created').Count
$existing = @($joiners | Where-Object Outcome -EQ 'Existing').Count
'HeadshotPro daily run: {0} invited, {1} already invited, {2} revoked, {3} photos set, {4} failed.' -f $invited, $existing, $leavers.Count, $photos, $failed.Count

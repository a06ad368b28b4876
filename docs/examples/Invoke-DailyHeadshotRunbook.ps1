<#
.SYNOPSIS
The daily HeadshotPro runbook: joiners invited, leavers revoked (and, when asked, their headshots deleted), expired
invites sent again when asked, finished people's chosen headshots into AD, one summary line. Safe to run again and again.

.DESCRIPTION
Meant for Azure Automation (a credential asset named HeadshotPro whose password is the API key) or any scheduled
pwsh with $env:HEADSHOTPRO_API_KEY set. Joiners are the members of an AD group; people already invited are passed
through (-SkipExisting), not errors. Leavers are disabled AD accounts; one with nothing to revoke (never invited, or
revoked yesterday) is done, not an error (-SkipMissing). With -PhotoFolder, each person's chosen headshot becomes
their AD thumbnailPhoto: the AD user is found by the address they were invited at (even when they signed up with
another), a photo already set is not sent again (the folder keeps what was set), a changed favorite is set on the next
run, and one that could not be set is tried again on the next run. With -RemoveLeaverHeadshots, leavers' headshots (their
model and every photo) are deleted too; someone already deleted, or who never had any, is done, not an error. With
-ResendExpiredInvites, invites never used within their 30 days are revoked and sent again (same team), so the person
gets a fresh link. -WhatIf runs all of it as a dry run that names each person it would touch. Every other problem is one
error record per person, and the run goes on; the summary line counts them.

.EXAMPLE
./Invoke-DailyHeadshotRunbook.ps1 -JoinersGroup NewHires

.EXAMPLE
./Invoke-DailyHeadshotRunbook.ps1 -JoinersGroup NewHires -PhotoFolder D:\HeadshotPro\thumbnails

.EXAMPLE
./Invoke-DailyHeadshotRunbook.ps1 -JoinersGroup NewHires -RemoveLeaverHeadshots -ResendExpiredInvites -WhatIf
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    # The AD group whose members should have an invite.
    [string] $JoinersGroup = 'NewHires',

    # The HeadshotPro team to invite joiners into (Get-HeadshotTeam lists them); none by default.
    [string] $Team,

    # A folder kept from run to run (a Hybrid Runbook Worker's disk, a file share): the thumbnails set in AD. None: no photos.
    [string] $PhotoFolder,

    # Also delete leavers' headshots (their model and photos, for good): for a data-protection policy that keeps none.
    [switch] $RemoveLeaverHeadshots,

    # Revoke invites never used before their link expired (30 days) and send them again, into the same team.
    [switch] $ResendExpiredInvites
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
$disabled = @(Get-ADUser -Filter 'Enabled -eq $false' -Properties mail)
$leavers = @($disabled | Revoke-HeadshotInvite -Force -SkipMissing -PassThru -ErrorAction Continue -ErrorVariable +failed)

$deleted = 0
if ($RemoveLeaverHeadshots) {
    # Found by the address they were invited at; already deleted (yesterday's run) or never signed up is no error.
    $deleted = @($disabled | Remove-HeadshotModel -Force -SkipMissing -PassThru -ErrorAction Continue -ErrorVariable +failed |
        Where-Object Outcome -EQ 'Deleted').Count
}

$resent = 0
if ($ResendExpiredInvites) {
    # Never used within 30 days: the link no longer works. Revoked and invited again (the credit moves to the new invite).
    $expired = @(Get-HeadshotInvite -Expired -ErrorAction Continue -ErrorVariable +failed | Where-Object {
        $PSCmdlet.ShouldProcess("$($_.Email) (invite $($_.Id), sent $($_.CreatedAt.ToString('d')), expired $($_.ExpiresAt.ToString('d')))",
            'Send the expired HeadshotPro invite again (revoke it, invite again)') })
    $revoked = @($expired | Revoke-HeadshotInvite -Force -PassThru -ErrorAction Continue -ErrorVariable +failed)
    foreach ($sameTeam in $revoked | Group-Object TeamId) {
        $again = @{ ErrorAction = 'Continue'; ErrorVariable = '+failed' }
        if ($sameTeam.Name) { $again.TeamId = $sameTeam.Name }
        $resent += @($sameTeam.Group | New-HeadshotInvite @again).Count
    }
}

$photos = 0
if ($PhotoFolder) {
    # Only a new or changed favorite comes out unskipped; one that could not be set is removed, so the next run tries again.
    # -For ActiveDirectory: 96x96 JPEGs of at most 10,000 bytes, within AD's limit and small enough for Exchange Online.
    Get-HeadshotPhoto -ErrorAction Continue -ErrorVariable +failed |
        Save-HeadshotPhoto -Path $PhotoFolder -For ActiveDirectory -ErrorAction Continue -ErrorVariable +failed | Where-Object { -not $_.Skipped } | ForEach-Object {
            $saved = $_
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
$done = @("$invited invited", "$existing already invited", "$($leavers.Count) revoked", "$photos photos set")
if ($RemoveLeaverHeadshots) { $done += "$deleted leavers' headshots deleted" }
if ($ResendExpiredInvites) { $done += "$resent expired invites sent again" }
'HeadshotPro daily run: {0}, {1} failed.' -f ($done -join ', '), $failed.Count

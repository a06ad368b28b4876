<#
.SYNOPSIS
The daily HeadshotPro runbook: joiners invited, leavers revoked, one summary line. Safe to run again and again.

.DESCRIPTION
Meant for Azure Automation (a credential asset named HeadshotPro whose password is the API key) or any scheduled
pwsh with $env:HEADSHOTPRO_API_KEY set. Joiners are the members of an AD group; people already invited are passed
through (-SkipExisting), not errors. Leavers are disabled AD accounts; one with nothing to revoke (never invited, or
revoked yesterday) is done, not an error (-SkipMissing). Every other problem is one error record per person, and the
run goes on; the summary line counts them.

.EXAMPLE
./Invoke-DailyHeadshotRunbook.ps1 -JoinersGroup NewHires
#>
[CmdletBinding()]
param(
    # The AD group whose members should have an invite.
    [string] $JoinersGroup = 'NewHires',

    # The HeadshotPro team to invite joiners into (Get-HeadshotTeam lists them); none by default.
    [string] $Team
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

$invited = @($joiners | Where-Object Outcome -EQ 'Created').Count
$existing = @($joiners | Where-Object Outcome -EQ 'Existing').Count
'HeadshotPro daily run: {0} invited, {1} already invited, {2} revoked, {3} failed.' -f $invited, $existing, $leavers.Count, $failed.Count

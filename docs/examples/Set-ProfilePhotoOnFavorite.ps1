<#
.SYNOPSIS
An Azure Automation runbook: when a person picks their favorite HeadshotPro headshot, it becomes their Microsoft 365
profile photo.

.DESCRIPTION
Wiring (once):
1. In the Automation account, import the HeadshotPro module (out/HeadshotPro.zip) and Microsoft.Graph.Authentication
   and Microsoft.Graph.Users, for the runtime this runbook uses (PowerShell 7.2 or later, or 5.1).
2. Credential assets: 'HeadshotPro' (any user name; the API key as the password) and 'HeadshotProWebhook' (any user
   name; the webhook secret HeadshotPro showed once, as the password).
3. Give the account's system-assigned managed identity the Microsoft Graph application permission
   ProfilePhoto.ReadWrite.All (or User.ReadWrite.All).
4. Publish this runbook, add a webhook to it (Runbook > Webhooks > Add webhook) and copy its URL: it is shown once.
5. In HeadshotPro's admin pages, set that URL as the organization's webhook URL and keep the secret it shows.

HeadshotPro then posts every model event to the Automation webhook, which starts this runbook with $WebhookData.
Anyone who learns the URL can start it too: ConvertFrom-HeadshotWebhook refuses anything HeadshotPro did not sign
now, and, with -SeenEventStore on a path every job sees (a Hybrid Runbook Worker's disk or a file share), a captured
delivery posted again. Other events end the job quietly.

The event names a model, not a person; the model names the person by the address they were invited at — the one
Entra ID knows as their mail, even when they signed up with another — and the user is found by it and set by id.
With -PhotoFolder on a path every job sees, the folder keeps the photo each person has: an unchanged favorite (a
repeated event) is not sent again, and one that could not be set is removed, so the next event — or the daily
runbook's photo step on the same folder — tries again. Without it, each event's photo is sent.

.PARAMETER WebhookData
Passed by Azure Automation when a webhook starts the runbook.

.PARAMETER SeenEventStore
Optional: a file that every job of this runbook sees, for replay protection (see ConvertFrom-HeadshotWebhook).

.PARAMETER PhotoFolder
Optional: a folder every job of this runbook sees, holding the photo each person has (see the description).
#>
param(
    [Parameter(Mandatory = $false)]
    [object] $WebhookData,

    [string] $SeenEventStore,

    [string] $PhotoFolder
)

$ErrorActionPreference = 'Stop'

# 1. Verify before anything else: a refused delivery ends the job with its ErrorId and nothing acted on.
$verify = @{ WebhookData = $WebhookData; Credential = (Get-AutomationPSCredential -Name 'HeadshotProWebhook') }
if ($SeenEventStore) { $verify.SeenEventStore = $SeenEventStore }
$hookEvent = ConvertFrom-HeadshotWebhook @verify
if ($hookEvent.Event -ne 'model.favorite_selected') {
    Write-Output "HeadshotPro event $($hookEvent.Event) for model $($hookEvent.ModelId): nothing to do."
    return
}

# 2. Whose model it is (an event carries no address: the model's Email is the invited one), and their favorite headshot.
Connect-HeadshotPro -Credential (Get-AutomationPSCredential -Name 'HeadshotPro')
$model = $hookEvent | Get-HeadshotModel
$folder = if ($PhotoFolder) { $PhotoFolder } else { Join-Path ([System.IO.Path]::GetTempPath()) "headshotpro-$($hookEvent.EventId)" }
try {
    $saved = $model | Get-HeadshotPhoto -Favorite | Save-HeadshotPhoto -Path $folder -For EntraId  # 648x648, within Graph's 4 MB
    if ($saved.Skipped) {
        Write-Output "The profile photo of $($saved.Email) is this favorite already ($($saved.PhotoId)): nothing to do."
        return
    }

    # 3. Set it as the person's Microsoft 365 profile photo, as the Automation account's managed identity: the user found
    #    by mail (an OData literal doubles a quote), set by id.
    Connect-MgGraph -Identity -NoWelcome
    try {
        $user = Get-MgUser -Filter "mail eq '$($saved.Email -replace "'", "''")'" -Property Id -ErrorAction Stop | Select-Object -First 1
        if (-not $user) { throw "no Entra ID user has the mail $($saved.Email)" }
        Set-MgUserPhotoContent -UserId $user.Id -InFile $saved.Path -ErrorAction Stop
    }
    catch {
        Remove-Item -LiteralPath $saved.Path
        throw "Profile photo of $($saved.Email) not set: $_ (the next run tries again)."
    }
    Write-Output "Profile photo of $($saved.Email) set from their favorite HeadshotPro headshot $($saved.PhotoId) ($($hookEvent.EventId))."
}
finally {
    if (-not $PhotoFolder) { Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue }
}

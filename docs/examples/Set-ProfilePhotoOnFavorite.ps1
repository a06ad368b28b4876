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
delivery posted again. Other events end the job quietly; setting the same photo twice does no harm, so a repeated
event is safe.

.PARAMETER WebhookData
Passed by Azure Automation when a webhook starts the runbook.

.PARAMETER SeenEventStore
Optional: a file that every job of this runbook sees, for replay protection (see ConvertFrom-HeadshotWebhook).
#>
param(
    [Parameter(Mandatory = $false)]
    [object] $WebhookData,

    [string] $SeenEventStore
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

# 2. Whose model it is, and their favorite headshot (an event carries no address).
Connect-HeadshotPro -Credential (Get-AutomationPSCredential -Name 'HeadshotPro')
$model = $hookEvent | Get-HeadshotModel
$folder = Join-Path ([System.IO.Path]::GetTempPath()) "headshotpro-$($hookEvent.EventId)"
$null = New-Item -ItemType Directory -Path $folder -Force
$saved = $model | Get-HeadshotPhoto -Favorite | Save-HeadshotPhoto -Path $folder -For EntraId  # 648x648, within Graph's 4 MB

# 3. Set it as the person's Microsoft 365 profile photo, as the Automation account's managed identity.
Connect-MgGraph -Identity -NoWelcome
try {
    Set-MgUserPhotoContent -UserId $saved.Email -InFile $saved.Path
    Write-Output "Profile photo of $($saved.Email) set from their favorite HeadshotPro headshot ($($hookEvent.EventId))."
}
finally {
    Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue
}

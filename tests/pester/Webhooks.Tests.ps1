#Requires -Version 7.4
# Webhooks end to end: a sandbox process posts real signed webhooks to a listener in this pwsh, and the secret that
# verifies them shows nowhere a real pwsh keeps text: streams, $Error, a transcript. What a hosted runspace shows as
# well — the lifecycle's events, retries, each refusal's ErrorId, replays — is in the xUnit tests (WebhookDeliveryTests,
# WebhookVerificationTests, WebhookReplayTests); the webhook runbook runs for real in DirectoryRecipes.Tests.ps1.

BeforeAll {
    $root = (Resolve-Path "$PSScriptRoot/../..").Path
    Import-Module "$root/src/HeadshotPro.Sandbox/SandboxProcess.psm1" -Force
    Import-Module "$root/out/HeadshotPro" -Force
    Import-Module "$PSScriptRoot/WebhookTestHelpers.psm1" -Force
    $script:receiver = Start-WebhookListener
    $script:sandbox = Start-HeadshotSandbox -Arguments '--credits', '50'
    Connect-HeadshotPro -ApiKey $sandbox.ApiKey -BaseUri $sandbox.BaseUri
    # Someone with a model to send events about; deliveries start after their lifecycle, so the listener gets only ours.
    $null = New-HeadshotInvite ann.lee@contoso.example
    $null = Invoke-HeadshotSandboxControl $sandbox 'people/ann.lee%40contoso.example/advance' @{ to = 'completed'; favorite = $true }
    $null = Invoke-HeadshotSandboxControl $sandbox settings @{ webhookUrl = $receiver.Url }
    $script:secretText = [System.Net.NetworkCredential]::new('', (Get-SandboxWebhookSecret)).Password
    # As in Azure Automation: the webhook secret is a credential asset's password.
    $script:credential = [pscredential]::new('webhook', (Get-SandboxWebhookSecret))
}

AfterAll {
    Disconnect-HeadshotPro
    $sandbox | Stop-HeadshotSandbox
    Stop-WebhookListener $receiver
}

Describe 'HeadshotPro webhooks' {
    It 'shows the secret in no stream, $Error or transcript' {
        $Error.Clear()
        $transcript = "$TestDrive/transcript.txt"
        $null = Invoke-HeadshotSandboxControl $sandbox webhooks/send @{ event = 'model.photos_ready'; email = 'ann.lee@contoso.example' }
        $good = Receive-WebhookDelivery $receiver
        $null = Invoke-HeadshotSandboxControl $sandbox webhooks/send @{ event = 'model.photos_ready'; email = 'ann.lee@contoso.example'; tamper = 'signature' }
        $bad = Receive-WebhookDelivery $receiver
        $env:HEADSHOTPRO_WEBHOOK_SECRET = $secretText
        try {
            Start-Transcript -Path $transcript
            $VerbosePreference = 'Continue'
            $good | ConvertFrom-HeadshotWebhook -Verbose | Format-List * | Out-Host
            $good | ConvertFrom-HeadshotWebhook -Credential $credential -Verbose | Out-Host
            try { $bad | ConvertFrom-HeadshotWebhook -Verbose } catch { $_ | Format-List * -Force | Out-Host; $_.Exception.ToString() | Out-Host }
            try { $bad | ConvertFrom-HeadshotWebhook -Secret (Get-SandboxWebhookSecret) } catch { $_ | Out-Host }
        }
        finally {
            $VerbosePreference = 'SilentlyContinue'
            Stop-Transcript
            $env:HEADSHOTPRO_WEBHOOK_SECRET = $null
        }
        $text = Get-Content $transcript -Raw
        $text | Should -Match 'WebhookSignatureInvalid'
        $text | Should -Match 'Verified model.photos_ready'
        $text | Should -Not -Match $secretText
        ($Error | ForEach-Object { $_ | Format-List * -Force | Out-String; $_.Exception.ToString() }) -join "`n" | Should -Not -Match $secretText
        [System.Management.Automation.PSSerializer]::Serialize($Error, 5) | Should -Not -Match $secretText
    }
}

#Requires -Version 7.4
# Webhooks end to end: a sandbox process posts real signed webhooks, on a person's lifecycle, to a listener in this
# pwsh; the built module verifies them and reacts (event → Get-HeadshotModel → Get-HeadshotPhoto -Favorite); every
# tampered delivery is refused with its ErrorId; the secret shows nowhere, transcript included.

BeforeAll {
    $root = (Resolve-Path "$PSScriptRoot/../..").Path
    Import-Module "$root/src/HeadshotPro.Sandbox/SandboxProcess.psm1" -Force
    Import-Module "$root/out/HeadshotPro" -Force
    Import-Module "$PSScriptRoot/WebhookTestHelpers.psm1" -Force
    $script:receiver = Start-WebhookListener
    $script:sandbox = Start-HeadshotSandbox -Arguments '--credits', '50', '--webhook-url', $receiver.Url, '--webhook-retry-schedule', '0,0.2,0.4'
    Connect-HeadshotPro -ApiKey $sandbox.ApiKey -BaseUri $sandbox.BaseUri
    $script:secretText = [System.Net.NetworkCredential]::new('', (Get-SandboxWebhookSecret)).Password
    # As in Azure Automation: the webhook secret is a credential asset's password.
    $script:credential = [pscredential]::new('webhook', (Get-SandboxWebhookSecret))

    function Get-ErrorId($Record) { $Record.FullyQualifiedErrorId.Split(',')[0] }
}

AfterAll {
    Disconnect-HeadshotPro
    $sandbox | Stop-HeadshotSandbox
    Stop-WebhookListener $receiver
}

Describe 'HeadshotPro webhooks' {
    It 'delivers signed events on the lifecycle that verify and lead to the person and their favorite' {
        $null = New-HeadshotInvite ann.lee@contoso.example
        $null = Invoke-HeadshotSandboxControl $sandbox 'people/ann.lee%40contoso.example/advance' @{ to = 'completed'; favorite = $true }
        $hooks = foreach ($i in 1..5) { Receive-WebhookDelivery $receiver | ConvertFrom-HeadshotWebhook -Credential $credential }
        $hooks.Event | Should -Be @('model.created', 'model.status.updated', 'model.status.updated', 'model.photos_ready', 'model.favorite_selected')
        $hooks | ForEach-Object { $_ | Should -BeOfType ([HeadshotPro.WebhookEvent]) }
        @($hooks.ModelId | Select-Object -Unique).Count | Should -Be 1
        $hooks[-1].CreatedAt | Should -BeOfType ([DateTimeOffset])

        $favorite = $hooks | Where-Object Event -EQ 'model.favorite_selected' | Get-HeadshotModel | Get-HeadshotPhoto -Favorite
        $favorite.Email | Should -Be 'ann.lee@contoso.example'
        $favorite.ModelId | Should -Be $hooks[-1].ModelId
        $favorite.IsFavorite | Should -BeTrue
        if (Get-Command Save-HeadshotPhoto -Module HeadshotPro -ErrorAction SilentlyContinue) {
            $saved = $favorite | Save-HeadshotPhoto -Path (New-Item -ItemType Directory "$TestDrive/photos")
            $saved.Email | Should -Be 'ann.lee@contoso.example'
            Test-Path $saved.Path | Should -BeTrue
        }
    }

    It 'retries a delivery that got no 2xx, and the retry verifies as the same event' {
        $null = New-HeadshotInvite bo.li@contoso.example
        $null = Invoke-HeadshotSandboxControl $sandbox 'people/bo.li%40contoso.example/advance' @{ to = 'accepted' }
        $first = Receive-WebhookDelivery $receiver -Status 503
        $retry = Receive-WebhookDelivery $receiver
        $retry.RequestBody | Should -BeExactly $first.RequestBody
        ($first | ConvertFrom-HeadshotWebhook -Credential $credential).EventId | Should -Be ($retry | ConvertFrom-HeadshotWebhook -Credential $credential).EventId
        $delivery = (Invoke-HeadshotSandboxControl $sandbox webhooks).deliveries | Where-Object { $_.body -eq $first.RequestBody }
        $delivery.attempts.status | Should -Be @(503, 200)
    }

    It 'refuses a <Tamper> delivery with <ErrorId>' -ForEach @(
        @{ Tamper = 'signature'; ErrorId = 'WebhookSignatureInvalid' }
        @{ Tamper = 'body'; ErrorId = 'WebhookSignatureInvalid' }
        @{ Tamper = 'stale'; ErrorId = 'WebhookTimestampOutOfRange' }
        @{ Tamper = 'future'; ErrorId = 'WebhookTimestampOutOfRange' }
        @{ Tamper = 'unsigned'; ErrorId = 'WebhookHeaderMissing' }
    ) {
        $null = Invoke-HeadshotSandboxControl $sandbox webhooks/send @{ event = 'model.photos_ready'; email = 'ann.lee@contoso.example'; tamper = $Tamper }
        $data = Receive-WebhookDelivery $receiver
        $output = $null
        { $script:output = $data | ConvertFrom-HeadshotWebhook -Credential $credential } | Should -Throw -ErrorId "$ErrorId,HeadshotPro.Commands.ConvertFromHeadshotWebhook"
        $output | Should -BeNullOrEmpty
    }

    It 'refuses an event it does not know, unless told to pass it on' {
        $null = Invoke-HeadshotSandboxControl $sandbox webhooks/send @{ event = 'model.archived'; email = 'ann.lee@contoso.example' }
        $data = Receive-WebhookDelivery $receiver
        { $data | ConvertFrom-HeadshotWebhook -Credential $credential } | Should -Throw -ErrorId 'WebhookEventUnknown,HeadshotPro.Commands.ConvertFromHeadshotWebhook'
        $hook = $data | ConvertFrom-HeadshotWebhook -Credential $credential -AllowUnknownEvent -WarningVariable warned 3>$null
        $hook.Event | Should -Be 'model.archived'
        $warned | Should -Not -BeNullOrEmpty
    }

    It 'refuses a replayed delivery with a seen-event store' {
        $null = Invoke-HeadshotSandboxControl $sandbox webhooks/send @{ event = 'model.photos_ready'; email = 'ann.lee@contoso.example' }
        $captured = Receive-WebhookDelivery $receiver
        $store = "$TestDrive/seen-events.txt"
        ($captured | ConvertFrom-HeadshotWebhook -Credential $credential -SeenEventStore $store).Event | Should -Be 'model.photos_ready'
        { $captured | ConvertFrom-HeadshotWebhook -Credential $credential -SeenEventStore $store } | Should -Throw -ErrorId 'WebhookReplayed,HeadshotPro.Commands.ConvertFromHeadshotWebhook'
    }

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

    It 'has a runbook example that parses and wires the webhook to the profile photo' {
        $path = "$root/docs/examples/Set-ProfilePhotoOnFavorite.ps1"
        $tokens = $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($path, [ref]$tokens, [ref]$errors)
        $errors | Should -BeNullOrEmpty
        $ast.ParamBlock.Parameters.Name.VariablePath.UserPath | Should -Contain 'WebhookData'
        $commands = $ast.FindAll({ $args[0] -is [System.Management.Automation.Language.CommandAst] }, $true) | ForEach-Object { $_.GetCommandName() }
        foreach ($name in 'ConvertFrom-HeadshotWebhook', 'Get-AutomationPSCredential', 'Connect-HeadshotPro', 'Get-HeadshotModel', 'Get-HeadshotPhoto',
            'Save-HeadshotPhoto', 'Connect-MgGraph', 'Set-MgUserPhotoContent') {
            $commands | Should -Contain $name
        }
    }
}

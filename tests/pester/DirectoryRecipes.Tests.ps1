#Requires -Version 7.4
# The directory photo recipes as written — README's Entra ID, Exchange Server and AD blocks, and the webhook runbook
# docs/examples/Set-ProfilePhotoOnFavorite.ps1 — run again and again against a sandbox process and the directory
# stand-ins, with people who signed up with a personal address, an o'brien, and UPNs that are not their mail: each
# person's directory entry gets their favorite, found by the address they were invited at; an unchanged favorite is
# never sent again; a changed one is sent on the next run; one that could not be set is tried again on the next run.

BeforeAll {
    $root = (Resolve-Path "$PSScriptRoot/../..").Path
    Import-Module "$root/src/HeadshotPro.Sandbox/SandboxProcess.psm1" -Force
    Import-Module "$root/out/HeadshotPro" -Force
    Import-Module "$root/tests/shapes/DirectoryStandIns.psm1" -Force
    Import-Module "$PSScriptRoot/WebhookTestHelpers.psm1" -Force
    $script:receiver = Start-WebhookListener
    $script:sandbox = Start-HeadshotSandbox -Arguments '--credits', '50', '--webhook-retry-schedule', '0,0.2'
    Connect-HeadshotPro -ApiKey $sandbox.ApiKey -BaseUri $sandbox.BaseUri

    # Invited at the directory's mail; ann and liam sign up with personal addresses; no UPN is a mail address.
    $script:people = [ordered]@{
        ann  = @{ Mail = 'ann.lee@contoso.example'; SignUp = 'ann.lee@home.example' }
        liam = @{ Mail = "liam.o'brien@contoso.example"; SignUp = 'liam.obrien@mail.example' }
        raj  = @{ Mail = 'raj.patel@contoso.example'; SignUp = $null }
    }
    Set-StandInDirectory -People @(foreach ($sam in $people.Keys) {
            @{ SamAccountName = $sam; GivenName = $sam; Mail = $people[$sam].Mail; UserPrincipalName = "$sam@contoso.onmicrosoft.example" }
        })
    Set-StandInAutomationCredential -Name HeadshotPro -Credential ([pscredential]::new('api', $sandbox.ApiKey))
    Set-StandInAutomationCredential -Name HeadshotProWebhook -Credential ([pscredential]::new('webhook', (Get-SandboxWebhookSecret)))
    foreach ($sam in $people.Keys) {
        $person = $people[$sam]
        $null = New-HeadshotInvite $person.Mail
        $move = @{ to = 'completed'; favorite = $true; photos = 3 }
        if ($person.SignUp) { $move.activeEmail = $person.SignUp }
        $null = Invoke-HeadshotSandboxControl $sandbox "people/$([uri]::EscapeDataString($person.Mail))/advance" $move
    }

    # README's recipe blocks, by the comment they start with.
    $readme = Get-Content "$root/README.md" -Raw
    $script:recipes = @{}
    foreach ($block in [regex]::Matches($readme, '(?ms)^```powershell\r?\n(?<code>.*?)^```')) {
        $code = $block.Groups['code'].Value
        foreach ($start in '# Entra ID profile photos', '# Exchange Server', '# AD thumbnailPhoto') {
            if ($code.StartsWith($start)) { $recipes[$start] = $code }
        }
    }

    function Get-Favorite([string] $Sam) { (Get-HeadshotPhoto -Email $people[$Sam].Mail -Favorite).PhotoId }

    function Set-Favorite([string] $Sam, [int] $Photo) {
        $null = Invoke-HeadshotSandboxControl $sandbox "people/$([uri]::EscapeDataString($people[$Sam].Mail))/advance" @{ to = 'completed'; favoritePhoto = $Photo }
    }

    # What the directory holds for a person: how often it was set, and which photo (the stamp in the bytes it was given).
    function Get-Held([string] $Where, [string] $Sam) {
        $photo = Get-StandInPhoto | Where-Object { $_.Where -eq $Where -and $_.SamAccountName -eq $Sam }
        if (-not $photo) { return [pscustomobject]@{ Sets = 0; PhotoId = $null } }
        [pscustomobject]@{ Sets = $photo.Sets; PhotoId = ([HeadshotPro.Client.PhotoStamp]::Read([System.IO.MemoryStream]::new($photo.Bytes))).PhotoId }
    }

    function Assert-Held([string] $Where, [string] $Sam, [int] $Sets) {
        $held = Get-Held $Where $Sam
        $held.Sets | Should -Be $Sets -Because "$Sam's photo was set so often in $Where"
        $held.PhotoId | Should -Be (Get-Favorite $Sam) -Because "$Where holds $Sam's favorite"
    }

    # Runs a recipe as an admin would — in its own folder, with PowerShell's default error action — and answers its error records.
    function Invoke-Recipe([string] $Code, [string] $Folder) {
        $ErrorActionPreference = 'Continue'
        $null = New-Item -ItemType Directory $Folder -Force
        Push-Location $Folder
        try {
            $output = & ([scriptblock]::Create($Code)) 2>&1 3>$null
            , @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        }
        finally { Pop-Location }
    }
}

AfterAll {
    Disconnect-HeadshotPro
    $sandbox | Stop-HeadshotSandbox
    Stop-WebhookListener $receiver
}

Describe 'README directory recipes' {
    It '<Recipe> sets each favorite by the invited address, never resends it, sends a changed one next run and retries a failure' -ForEach @(
        @{ Recipe = '# Entra ID profile photos'; Where = 'Graph'; Setter = 'Set-MgUserPhotoContent' }
        @{ Recipe = '# Exchange Server'; Where = 'Exchange'; Setter = 'Set-UserPhoto' }
        @{ Recipe = '# AD thumbnailPhoto'; Where = 'AD'; Setter = 'Set-ADUser' }
    ) {
        $code = $recipes[$Recipe]
        $code | Should -Not -BeNullOrEmpty -Because "README has a block starting '$Recipe'"
        $folder = Join-Path $TestDrive $Where
        foreach ($sam in $people.Keys) { Set-Favorite $sam 1 }

        Invoke-Recipe $code $folder | Should -BeNullOrEmpty
        foreach ($sam in $people.Keys) { Assert-Held $Where $sam 1 }

        # Again, nothing changed: nothing is sent.
        Invoke-Recipe $code $folder | Should -BeNullOrEmpty
        foreach ($sam in $people.Keys) { (Get-Held $Where $sam).Sets | Should -Be 1 -Because "$sam's favorite did not change" }

        # Ann changes her favorite: the next run sends it, and only it.
        Set-Favorite ann 2
        Invoke-Recipe $code $folder | Should -BeNullOrEmpty
        Assert-Held $Where ann 2
        (Get-Held $Where raj).Sets | Should -Be 1

        # Liam changes his, and the directory is busy once: an error for him, and the next run sends it.
        Set-Favorite liam 3
        Set-StandInFailure -Command $Setter -Count 1
        $errors = Invoke-Recipe $code $folder
        $errors.Count | Should -BeGreaterThan 0
        "$errors" | Should -Match ([regex]::Escape($people.liam.Mail))
        (Get-Held $Where liam).Sets | Should -Be 1
        Invoke-Recipe $code $folder | Should -BeNullOrEmpty
        Assert-Held $Where liam 2
        (Get-Held $Where ann).Sets | Should -Be 2
    }
}

Describe 'The webhook runbook Set-ProfilePhotoOnFavorite.ps1' {
    BeforeAll {
        $script:runbook = "$root/docs/examples/Set-ProfilePhotoOnFavorite.ps1"
        $env:HEADSHOTPRO_BASE_URI = $sandbox.BaseUri
        $null = Invoke-HeadshotSandboxControl $sandbox settings @{ webhookUrl = $receiver.Url }
        function Receive-Favorite {
            do { $data = Receive-WebhookDelivery $receiver } until (($data.RequestBody | ConvertFrom-Json).event -eq 'model.favorite_selected')
            $data
        }
    }

    AfterAll {
        $env:HEADSHOTPRO_BASE_URI = $null
        $null = Invoke-HeadshotSandboxControl $sandbox settings @{ webhookUrl = $null }
        Connect-HeadshotPro -ApiKey $sandbox.ApiKey -BaseUri $sandbox.BaseUri
    }

    It 'sets the favorite of someone who signed up elsewhere, by their invited mail, and says so' {
        Set-Favorite liam 2
        $output = & $runbook -WebhookData (Receive-Favorite) -PhotoFolder "$TestDrive/webhook"
        "$output" | Should -Match ([regex]::Escape($people.liam.Mail))
        (Get-Held Graph liam).PhotoId | Should -Be (Get-Favorite liam)
    }

    It 'does not send an unchanged favorite again (a repeated event)' {
        $before = (Get-Held Graph liam).Sets
        Set-Favorite liam 2
        $null = Invoke-HeadshotSandboxControl $sandbox webhooks/send @{ event = 'model.favorite_selected'; email = $people.liam.Mail }
        $output = & $runbook -WebhookData (Receive-Favorite) -PhotoFolder "$TestDrive/webhook"
        "$output" | Should -Match 'nothing to do'
        (Get-Held Graph liam).Sets | Should -Be $before
    }

    It 'fails the job when Graph is busy, and the next event sets the photo' {
        $before = (Get-Held Graph liam).Sets
        Set-StandInFailure -Command Set-MgUserPhotoContent -Count 1
        Set-Favorite liam 1
        $data = Receive-Favorite
        { & $runbook -WebhookData $data -PhotoFolder "$TestDrive/webhook" } | Should -Throw "*$($people.liam.Mail)*"
        (Get-Held Graph liam).Sets | Should -Be $before
        $null = & $runbook -WebhookData $data -PhotoFolder "$TestDrive/webhook"
        Assert-Held Graph liam ($before + 1)
    }
}

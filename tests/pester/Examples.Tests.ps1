#Requires -Version 7.4
# Every ```powershell block of README.md and docs/**/*.md runs here, each in a fresh runspace with the built module
# (out/HeadshotPro), the directory stand-ins (tests/shapes) seeded with the people the examples name, a connection to
# a sandbox process, and a fresh folder as the current location. A block passes when it ends without a terminating
# error and without an error record. Blocks that cannot run here are in $CannotRun (one reason each); blocks that
# fail today because of the docs or the module are in $KnownFailures (each still has to fail the way it says, so a fix
# shows up as a failure of that table).

BeforeDiscovery {
    $root = (Resolve-Path "$PSScriptRoot/../..").Path

    # Blocks that cannot run against the sandbox here. Keys are "<file> :: <heading>" (" [n]" for the n-th block under
    # one heading).
    $CannotRun = [ordered]@{
        'README.md :: Install'                                                = 'installs from a PSResourceGet repository'
        'README.md :: Install [2]'                                            = 'runs the build (./build.ps1 Build) from the repository root; the tests use its output'
        'README.md :: Rehearse against the sandbox'                           = 'runs the build (./build.ps1 Build) and paths relative to the repository root'
        'docs/sandbox.md :: Start it'                                         = 'runs the sandbox in the foreground until Ctrl+C (and dotnet builds)'
        'docs/en-US/Connect-HeadshotPro.md :: Example 1: At a prompt'         = 'Read-Host prompt'
        'docs/en-US/Connect-HeadshotPro.md :: Example 4: Behind a corporate proxy' = 'needs a proxy server and a Get-Credential prompt'
        'docs/en-US/Disconnect-HeadshotPro.md :: Example 2: Switch from the sandbox to the real service' = 'Read-Host prompt, and the real service'
        'docs/en-US/ConvertFrom-HeadshotWebhook.md :: Example 4: A listener of your own, with the secret in the environment' = 'waits for a request on a fixed port, and reads a secret file (tests/pester/Webhooks.Tests.ps1 runs a listener)'
    }

    # Blocks that fail today: the ErrorId or message they fail with, and why (a docs or module defect; not fixed here).
    $KnownFailures = [ordered]@{}

    # People at every stage for the headshot recipes: three finished with a favorite (Marketing) — two of whom signed up
    # with a personal address, one an o'brien, and only ann's UPN is her mail — one generating (Engineering), in a
    # directory whose departments name teams (one, Sales, not there yet).
    $headshotPeople = @'
Set-StandInDirectory -People @(
    @{ SamAccountName = 'ann.lee'; GivenName = 'Ann'; Surname = 'Lee'; Mail = 'ann.lee@contoso.example'; UserPrincipalName = 'ann.lee@contoso.example'; Department = 'Marketing' }
    @{ SamAccountName = 'raj.patel'; GivenName = 'Raj'; Surname = 'Patel'; Mail = 'raj.patel@contoso.example'; UserPrincipalName = 'raj@contoso.onmicrosoft.example'; Department = 'Sales' }
    @{ SamAccountName = 'liam'; GivenName = 'Liam'; Surname = "O'Brien"; Mail = "liam.o'brien@contoso.example"; UserPrincipalName = 'liam@contoso.onmicrosoft.example'; Department = 'Marketing' }
    @{ SamAccountName = 'mei.chen'; GivenName = 'Mei'; Surname = 'Chen'; Mail = 'mei.chen@contoso.example'; UserPrincipalName = 'mei.chen@contoso.example'; Department = 'Engineering' }
)
$null = 'ann.lee@contoso.example', 'raj.patel@contoso.example', "liam.o'brien@contoso.example" | New-HeadshotInvite -Team Marketing
$null = New-HeadshotInvite mei.chen@contoso.example -Team Engineering
$signUp = @{ 'ann.lee@contoso.example' = $null; 'raj.patel@contoso.example' = 'raj@home.example'; "liam.o'brien@contoso.example" = 'liam.obrien@mail.example' }
foreach ($e in $signUp.Keys) {
    $move = @{ to = 'completed'; favorite = $true; photos = 3 }
    if ($signUp[$e]) { $move.activeEmail = $signUp[$e] }
    $null = Invoke-HeadshotSandboxControl $sandbox "people/$([uri]::EscapeDataString($e))/advance" $move
}
$null = Invoke-HeadshotSandboxControl $sandbox 'people/mei.chen%40contoso.example/advance' @{ to = 'generating' }
'@
    $people = { param($because) @{ Setup = $headshotPeople; Because = $because } }

    # The leaver (leo.old, disabled in AD, invited by every example's start) finished his headshots, signing up with a
    # personal address; the old subsidiary's invite (sam@) was sent 31 days ago and never used.
    $leaverSetup = @'
$null = Invoke-HeadshotSandboxControl $sandbox 'people/leo.old%40contoso.example/advance' @{ to = 'completed'; favorite = $true; photos = 3; activeEmail = 'leo@home.example' }
$null = Invoke-HeadshotSandboxControl $sandbox 'invites/age' @{ days = 31; email = 'sam@old-subsidiary.example' }
'@
    $leaver = { param($because) @{ Setup = $leaverSetup; Because = $because } }

    # Blocks that need a particular start, and why.
    # The webhook examples start as a runbook started by HeadshotPro's webhook would: $WebhookData signed with the
    # sandbox's webhook secret, and that secret in the credential asset 'HeadshotProWebhook'.
    $webhookSetup = 'Import-Module "$root/tests/pester/WebhookTestHelpers.psm1"; $global:WebhookData = New-SignedWebhookData -Sandbox $shared -Email ann.lee@contoso.example; Set-StandInAutomationCredential -Name HeadshotProWebhook -Credential ([pscredential]::new(''webhook'', (Get-SandboxWebhookSecret)))'
    $webhookBecause = 'it verifies a delivery as a runbook started by the webhook does'
    $Preconditions = @{
        'README.md :: Headshots: progress, saving, directory photos'     = & $people 'people at every stage'
        'README.md :: Headshots: progress, saving, directory photos [2]' = & $people 'finished people with favorites in Entra ID'
        'README.md :: Headshots: progress, saving, directory photos [3]' = & $people 'finished people with favorites and mailboxes'
        'README.md :: Headshots: progress, saving, directory photos [4]' = & $people 'finished people with favorites in AD'
        'README.md :: Headshots: progress, saving, directory photos [5]' = & $people 'members and AD departments'
        'docs/en-US/Save-HeadshotPhoto.md :: Example 1: Everyone''s chosen headshot into a folder' = & $people 'finished people with favorites'
        'docs/en-US/Save-HeadshotPhoto.md :: Example 2: Set the Entra ID profile photos of people with new or changed headshots' = & $people 'finished people with favorites in Entra ID'
        'docs/en-US/Save-HeadshotPhoto.md :: Example 3: Every photo of one team''s finished people, one file per photo' = & $people 'finished Marketing people'
        'docs/en-US/Save-HeadshotPhoto.md :: Example 4: AD thumbnailPhoto, with a look first' = & $people 'finished people with favorites'
        'docs/en-US/Save-HeadshotPhoto.md :: Example 5: Another size and cap: 240×240 within 30 KB for an intranet' = & $people 'finished people with favorites'
        'docs/en-US/Save-HeadshotPhoto.md :: Example 6: List in one runbook, save in another' = & $people 'finished Marketing people with favorites'
        'docs/en-US/Get-HeadshotConnection.md :: Example 3: Check before a run, without an error' = @{ Connected = $false; Because = 'its text is about the case where there is no connection yet' }
        'docs/sandbox.md :: Start it [2]'    = @{ Location = 'root'; Because = 'its paths are relative to the repository root' }
        'docs/sandbox.md :: Lifecycle control' = @{ Setup = 'New-HeadshotInvite ann@contoso.example'; Because = 'it moves ann@contoso.example, who must be invited' }
        'docs/en-US/ConvertFrom-HeadshotWebhook.md :: Example 1: An Azure Automation runbook started by the HeadshotPro webhook' = @{ Setup = $webhookSetup; Because = $webhookBecause }
        'docs/en-US/ConvertFrom-HeadshotWebhook.md :: Example 2: Refuse replays with a store the runbook keeps' = @{ Setup = $webhookSetup; Because = $webhookBecause }
        'docs/en-US/ConvertFrom-HeadshotWebhook.md :: Example 3: Ignore a refused delivery without failing the job' = @{ Setup = $webhookSetup; Because = $webhookBecause }
        'README.md :: Event-driven runbooks: verified webhooks' = @{ Setup = $webhookSetup; Because = $webhookBecause }
        'docs/sandbox.md :: Control endpoints' = @{ Setup = 'New-HeadshotInvite ann@contoso.example'; Because = 'it moves the invite of ann@contoso.example along' }
        'docs/en-US/Remove-HeadshotModel.md :: Example 1: Leavers from AD, every day, without errors for people already gone' = & $leaver 'a leaver with headshots'
        'docs/en-US/Remove-HeadshotModel.md :: Example 2: Look first' = & $leaver 'a leaver with headshots'
        'docs/en-US/Remove-HeadshotModel.md :: Example 3: A data-protection request, with a record of what was done' = & $leaver 'a leaver with headshots'
        'docs/en-US/Remove-HeadshotModel.md :: Example 4: Asked twice, done once' = & $leaver 'a leaver with headshots'
        'docs/en-US/Remove-HeadshotModel.md :: Example 5: By model id, as a webhook event or a report gives it' = & $leaver 'a leaver with headshots'
        'docs/en-US/Get-HeadshotInvite.md :: Example 8: Invites never used before their link expired, sent again' = & $leaver 'an invite that expired unused'
        'docs/en-US/Get-HeadshotPhoto.md :: Example 5: One photo again by its id, with a fresh link to the original' = & $people 'finished people with favorites'
        'README.md :: Leavers and expired invites' = & $leaver 'a leaver with headshots and an invite that expired unused'
        'docs/sandbox.md :: Invite expiry' = @{ Setup = 'New-HeadshotInvite ann@contoso.example'; Because = 'it ages the invite of ann@contoso.example' }
    }

    $files = @(Get-Item "$root/README.md") + @(Get-ChildItem "$root/docs" -Recurse -Filter *.md)
    $blocks = foreach ($file in $files) {
        $relative = [System.IO.Path]::GetRelativePath($root, $file.FullName).Replace('\', '/')
        $heading = $null; $fence = $null; $code = $null; $seen = @{}
        foreach ($line in Get-Content $file.FullName) {
            if ($null -eq $fence) {
                if ($line -match '^\s*```(?<lang>\S*)') { $fence = $Matches.lang; $code = [System.Text.StringBuilder]::new(); continue }
                if ($line -match '^#{1,6}\s+(?<title>.+?)\s*$') { $heading = $Matches.title }
                continue
            }
            if ($line -match '^\s*```\s*$') {
                if ($fence -eq 'powershell') {
                    $seen[$heading] = 1 + [int]$seen[$heading]
                    $key = "$relative :: $heading" + $(if ($seen[$heading] -gt 1) { " [$($seen[$heading])]" })
                    @{ Key = $key; Code = $code.ToString(); Precondition = $Preconditions[$key]; Known = $KnownFailures[$key] }
                }
                $fence = $null
                continue
            }
            $null = $code.AppendLine($line)
        }
    }
    $runnable = @($blocks | Where-Object { -not $CannotRun.Contains($_.Key) -and -not $KnownFailures.Contains($_.Key) })
    $known = @($blocks | Where-Object { $KnownFailures.Contains($_.Key) })
    $tables = @{ Keys = @($blocks.Key); CannotRun = $CannotRun; KnownFailures = $KnownFailures; Preconditions = $Preconditions }
}

BeforeAll {
    $root = (Resolve-Path "$PSScriptRoot/../..").Path
    Import-Module "$root/src/HeadshotPro.Sandbox/SandboxProcess.psm1" -Force
    Import-Module "$root/out/HeadshotPro" -Force
    $script:shared = Start-HeadshotSandbox -Arguments '--credits', '1000'

    # The people the examples name (NewHires in AD, the Entra group of $groupId, Marketing, a leaver), apart from the
    # CSV's people (docs/examples/new-hires.csv) and the addresses examples type in, so no example meets another's invite.
    $script:prelude = {
        param($root, $shared, $location, $connected, $setup)
        Import-Module "$root/out/HeadshotPro"
        Import-Module "$root/src/HeadshotPro.Sandbox/SandboxProcess.psm1"
        Import-Module "$root/tests/shapes/DirectoryStandIns.psm1"
        Set-StandInDirectory -People @(
            @{ SamAccountName = 'nina'; GivenName = 'Nina'; Surname = 'Hart'; Mail = 'nina.hart@contoso.example'; Groups = 'NewHires' }
            @{ SamAccountName = 'omar'; GivenName = 'Omar'; Surname = 'Diaz'; Mail = 'omar.diaz@contoso.example'; Groups = 'NewHires' }
            @{ SamAccountName = 'pia'; GivenName = 'Pia'; Surname = 'Lund'; Mail = 'pia.lund@contoso.example'; Department = 'Marketing' }
            @{ SamAccountName = 'quinn'; GivenName = 'Quinn'; Surname = 'Roe'; Mail = 'quinn.roe@contoso.example'; Groups = 'Entra' }
            @{ SamAccountName = 'leo'; GivenName = 'Leo'; Surname = 'Old'; Mail = 'leo.old@contoso.example'; Enabled = $false; Department = 'Marketing' }
        )
        Set-StandInAutomationCredential -Name HeadshotPro -Credential ([pscredential]::new('api', $shared.ApiKey))
        $global:sandbox = $shared
        $global:key = $shared.ApiKey
        $global:groupId = Get-StandInGroupId Entra
        Connect-HeadshotPro -ApiKey $shared.ApiKey -BaseUri $shared.BaseUri
        if ($setup) { . ([scriptblock]::Create($setup)) }
        if (-not $connected) { Disconnect-HeadshotPro }
        Set-Location $location
    }

    function Invoke-Example([string] $Code, [hashtable] $Precondition) {
        $null = Invoke-HeadshotSandboxControl $shared reset
        Connect-HeadshotPro -ApiKey $shared.ApiKey -BaseUri $shared.BaseUri
        # A leaver with an invite, and an invite at the old subsidiary's domain, for the revoke examples.
        $null = New-HeadshotInvite leo.old@contoso.example, sam@old-subsidiary.example
        Disconnect-HeadshotPro

        $folder = New-Item -ItemType Directory (Join-Path $TestDrive ([guid]::NewGuid().ToString('n')))
        Copy-Item "$root/docs/examples/new-hires.csv" $folder
        Set-Content (Join-Path $folder 'leavers.csv') "Email`nleo.old@contoso.example"
        if (-not $Precondition) { $Precondition = @{} }
        $location = if ($Precondition['Location'] -eq 'root') { $root } else { $folder.FullName }
        $connected = -not $Precondition.ContainsKey('Connected') -or $Precondition['Connected']

        # As an admin rehearsing against the sandbox: Connect-HeadshotPro without -BaseUri goes where this says.
        $env:HEADSHOTPRO_BASE_URI = $shared.BaseUri
        $runspace = [runspacefactory]::CreateRunspace([initialsessionstate]::CreateDefault2())
        $runspace.Open()
        try {
            $ps = [powershell]::Create($runspace)
            $null = $ps.AddScript($prelude).AddArgument($root).AddArgument($shared).AddArgument($location).AddArgument($connected).AddArgument($Precondition['Setup'])
            $null = $ps.Invoke()
            if ($ps.Streams.Error.Count) { throw "The example's set-up failed: $($ps.Streams.Error[0])" }
            $ps.Commands.Clear()
            $ps.Streams.ClearStreams()
            # Formatted as a host would show it, so formatting errors count too.
            $null = $ps.AddScript($Code).AddCommand('Out-String')
            $terminating = $null
            $text = try { $ps.Invoke() } catch { $terminating = $_.Exception.InnerException ?? $_.Exception }
            [pscustomobject]@{
                Terminating = $terminating
                Errors      = @($ps.Streams.Error)
                Text        = "$text"
            }
        }
        finally {
            $env:HEADSHOTPRO_BASE_URI = $null
            # An example that started its own sandbox stops it here if it did not.
            $own = $runspace.SessionStateProxy.GetVariable('sandbox')
            if ($own -and $own -ne $shared -and $own.PSObject.Properties['Process']) {
                # A process the example stopped itself is disposed: Kill then says "No process is associated with this object".
                try { $own | Stop-HeadshotSandbox } catch [System.Management.Automation.MethodInvocationException] { }
            }
            $runspace.Dispose()
        }
    }

    function Format-Failure($Result) {
        @(
            if ($Result.Terminating) { "terminating: $($Result.Terminating.GetType().Name): $($Result.Terminating.Message)" }
            foreach ($e in $Result.Errors) { "error: $($e.FullyQualifiedErrorId): $e" }
        ) -join "`n"
    }
}

AfterAll {
    Disconnect-HeadshotPro
    $shared | Stop-HeadshotSandbox
}

Describe 'Documentation examples' {
    It 'runs <Key>' -ForEach $runnable {
        $result = Invoke-Example $Code $Precondition
        Format-Failure $result | Should -BeNullOrEmpty -Because "the block is:`n$Code"
    }

    It 'still fails as known: <Key>' -ForEach $known {
        $result = Invoke-Example $Code $Precondition
        $failure = Format-Failure $result
        $failure | Should -Not -BeNullOrEmpty -Because "it now runs: take it out of `$KnownFailures ($($Known.Why))"
        $failure | Should -Match $Known.Match -Because $Known.Why
    }

    It 'has tables that name only blocks that exist' -ForEach @($tables) {
        foreach ($key in @($CannotRun.Keys) + @($KnownFailures.Keys) + @($Preconditions.Keys)) {
            $Keys | Should -Contain $key -Because 'a table names a block that no longer exists'
        }
        foreach ($key in $CannotRun.Keys) { $CannotRun[$key] | Should -Not -BeNullOrEmpty -Because "$key needs a reason" }
    }
}

#Requires -Version 7.4
# End to end: the built module (out/HeadshotPro) in pwsh against a sandbox process.

BeforeAll {
    $root = Resolve-Path "$PSScriptRoot/../.."
    Import-Module "$root/src/HeadshotPro.Sandbox/SandboxProcess.psm1" -Force
    Import-Module "$root/out/HeadshotPro" -Force
    $script:sandbox = Start-HeadshotSandbox -Arguments '--credits', '1000'
    $script:plainKey = [System.Net.NetworkCredential]::new('', $sandbox.ApiKey).Password

    function Connect-Sandbox { Connect-HeadshotPro -ApiKey $sandbox.ApiKey -BaseUri $sandbox.BaseUri }
    function Reset-Sandbox { $null = Invoke-HeadshotSandboxControl $sandbox reset }
    function Get-SandboxState { Invoke-HeadshotSandboxControl $sandbox state }
    function Set-Sandbox([hashtable] $Settings) { $null = Invoke-HeadshotSandboxControl $sandbox settings $Settings }
}

AfterAll {
    Disconnect-HeadshotPro
    $sandbox | Stop-HeadshotSandbox
}

Describe 'The module' {
    It 'has a valid manifest that exports exactly its cmdlets' {
        $manifest = Test-ModuleManifest "$root/out/HeadshotPro/HeadshotPro.psd1"
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $manifest.PowerShellVersion | Should -Be '5.1'
        (Get-Command -Module HeadshotPro).Name | Sort-Object | Should -Be @(
            'Connect-HeadshotPro', 'Disconnect-HeadshotPro', 'Get-HeadshotConnection', 'Get-HeadshotCredits',
            'Get-HeadshotInvite', 'Get-HeadshotOrganization', 'Get-HeadshotTeam', 'New-HeadshotInvite', 'Revoke-HeadshotInvite')
    }

    It 'uses the Newtonsoft.Json that PowerShell itself loaded' {
        $loaded = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Newtonsoft.Json' }
        @($loaded).Count | Should -Be 1
        Split-Path $loaded.Location | Should -Be (Resolve-Path $PSHOME).Path
        Connect-Sandbox
        (Get-HeadshotCredits).Credits | Should -BeGreaterThan 0
    }

    It 'shows its objects as tables: <Type>' -ForEach @(
        @{ Type = 'Invite'; Object = { [HeadshotPro.Invite]@{ Email = 'ann@corp.example'; Status = 'pending-invite'; Id = 'x1' } }; Header = 'Email\s+Status\s+Id\s+TeamId\s+CreatedAt' }
        @{ Type = 'Credits'; Object = { Get-HeadshotCredits }; Header = 'Credits\s+RetrievedAt' }
        @{ Type = 'Connection'; Object = { Get-HeadshotConnection }; Header = 'BaseUri\s+ApiKeyHint\s+Source\s+ConnectedAt' }
        @{ Type = 'Organization'; Object = { Get-HeadshotOrganization }; Header = 'Name\s+Uid\s+Website\s+Teams' }
        @{ Type = 'Team'; Object = { Get-HeadshotTeam }; Header = 'Name\s+Id' }
    ) {
        Connect-Sandbox
        $text = & $Object | Out-String -Width 200
        $text | Should -Match $Header
        $text | Should -Not -Match '(?m)^\w+\s+: '
    }
}

Describe 'Help' {
    BeforeDiscovery {
        Import-Module "$PSScriptRoot/../../out/HeadshotPro" -Force
        $commands = (Get-Command -Module HeadshotPro).Name | ForEach-Object { @{ Name = $_ } }
    }

    It 'has full help, three examples and every parameter for <Name>' -ForEach $commands {
        $help = Get-Help $Name -Full
        $help.Synopsis | Should -Not -Match ('^\s*' + [regex]::Escape($Name) + '\s+\[')  # not the generated syntax line
        $help.description | Should -Not -BeNullOrEmpty
        @((Get-Help $Name -Examples).examples.example).Count | Should -BeGreaterOrEqual 3
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        foreach ($parameter in (Get-Command $Name).Parameters.Keys | Where-Object { $_ -notin $common -or $_ -in 'WhatIf', 'Confirm' }) {
            (Get-Help $Name -Parameter $parameter).description.Text | Should -Not -BeNullOrEmpty -Because "-$parameter of $Name"
        }
    }

    It 'has an about_HeadshotPro topic' {
        $text = Get-Help about_HeadshotPro | Out-String
        $text | Should -Match 'about_HeadshotPro'
        $text | Should -Match 'SkipExisting'
    }
}

Describe 'Organization, teams and completion' {
    BeforeEach { Reset-Sandbox; Connect-Sandbox }

    It 'invites into a team given by name and says so in the -WhatIf text, with the balance' {
        $transcript = Join-Path $TestDrive 'whatif.txt'
        Start-Transcript -Path $transcript
        'ann@contoso.example', 'bob@contoso.example' | New-HeadshotInvite -Team marketing -WhatIf
        Stop-Transcript
        $whatIf = Get-Content $transcript -Raw
        $whatIf | Should -Match 'Invite ann@contoso.example to team Marketing \(reserves 1 credit; 1000 available\)'
        $whatIf | Should -Match 'Invite bob@contoso.example to team Marketing \(reserves 1 credit; 999 available\)'
        (New-HeadshotInvite 'ann@contoso.example' -Team Marketing).TeamId | Should -Be 'team_marketing'
        { New-HeadshotInvite 'bob@contoso.example' -Team 'No Such Team' -ErrorAction Stop } | Should -Throw -ErrorId 'TeamNotFound*'
    }

    It 'completes team names and ids when connected, statuses always, and nothing when not connected' {
        (TabExpansion2 'New-HeadshotInvite -Team ' 25).CompletionMatches.CompletionText | Should -Be @('Marketing', 'Engineering')
        (TabExpansion2 'New-HeadshotInvite -TeamId team_e' 33).CompletionMatches.CompletionText | Should -Be 'team_engineering'
        (TabExpansion2 'Get-HeadshotInvite -Status gen' 30).CompletionMatches.CompletionText | Should -Be 'generating-headshots'
        Disconnect-HeadshotPro
        $before = (Get-SandboxState).counters.requests
        (TabExpansion2 'New-HeadshotInvite -Team ' 25).CompletionMatches | Where-Object ResultType -eq 'ParameterValue' | Should -BeNullOrEmpty
        (Get-SandboxState).counters.requests | Should -Be $before
    }
}

Describe 'Inviting' {
    BeforeEach { Reset-Sandbox; Connect-Sandbox }

    It 'takes Get-ADUser, Get-MgUser, Import-Csv and plain-string input' {
        $adUser = [pscustomobject]@{ SamAccountName = 'gus'; UserPrincipalName = 'gus.upn@contoso.example'; mail = 'gus@contoso.example' }
        $adUser.PSObject.TypeNames.Insert(0, 'Microsoft.ActiveDirectory.Management.ADUser')
        $mgUser = [pscustomobject]@{ Id = '42'; DisplayName = 'Hal'; Mail = 'hal@contoso.example'; UserPrincipalName = 'hal.upn@contoso.example' }
        $invites = @(
            $adUser | New-HeadshotInvite
            $mgUser | New-HeadshotInvite
            Import-Csv "$root/docs/examples/new-hires.csv" | New-HeadshotInvite
            'ivy@contoso.example' | New-HeadshotInvite
        )
        $invites.Email | Sort-Object | Should -Be @(
            'ann.lee@contoso.example', 'bob.meyer@contoso.example', 'chloe.dubois@contoso.example', 'dev.patel@contoso.example',
            'eva.novak@contoso.example', 'gus@contoso.example', 'hal@contoso.example', 'ivy@contoso.example')
        $invites | ForEach-Object { $_ | Should -BeOfType HeadshotPro.Invite }
        (Get-SandboxState).invites.Count | Should -Be 8
    }

    It 'sends nothing with -WhatIf' {
        $before = (Get-SandboxState).counters.requests
        Import-Csv "$root/docs/examples/new-hires.csv" | New-HeadshotInvite -WhatIf | Should -BeNullOrEmpty
        (Get-SandboxState).counters.requests | Should -Be $before
    }

    It 'reports bad addresses and address-less objects and sends nothing for them' {
        $out = 'not an address', [pscustomobject]@{ Name = 'Jo' }, 'ok@contoso.example' |
            New-HeadshotInvite -ErrorVariable problems -ErrorAction SilentlyContinue
        $out.Email | Should -Be 'ok@contoso.example'
        $problems.FullyQualifiedErrorId | ForEach-Object { ($_ -split ',')[0] } | Should -Be @('InvalidEmailAddress', 'AddressPropertyMissing')
        (Get-SandboxState).invites.Count | Should -Be 1
    }

    It 'sends a repeated address once and reports addresses the server already has' {
        'kim@contoso.example' | New-HeadshotInvite | Out-Null
        $out = 'kim@contoso.example', 'lou@contoso.example', 'LOU@contoso.example' |
            New-HeadshotInvite -ErrorVariable problems -ErrorAction SilentlyContinue
        $out.Email | Should -Be 'lou@contoso.example'
        ($problems.FullyQualifiedErrorId | ForEach-Object { ($_ -split ',')[0] } | Sort-Object) | Should -Be @('DuplicateInput', 'InviteAlreadyExists')
        ($problems | Where-Object { $_.FullyQualifiedErrorId -like 'InviteAlreadyExists*' }).CategoryInfo.Category | Should -Be 'ResourceExists'
    }

    It 'emits the existing invite with -SkipExisting' {
        $first = New-HeadshotInvite 'max@contoso.example'
        $again = 'max@contoso.example', 'ned@contoso.example' | New-HeadshotInvite -SkipExisting
        ($again | Where-Object Email -eq 'max@contoso.example').Id | Should -Be $first.Id
        (Get-SandboxState).invites.Count | Should -Be 2
    }

    It 'gives one InsufficientCredits error per address once credits run out' {
        $null = Invoke-HeadshotSandboxControl $sandbox credits @{ credits = 2 }
        $out = 1..6 | ForEach-Object { "p$_@contoso.example" } | New-HeadshotInvite -ErrorVariable problems -ErrorAction SilentlyContinue
        @($out).Count | Should -Be 2
        @($problems).Count | Should -Be 4
        $problems | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'InsufficientCredits*' }
    }

    It 'reports too many pending invites as InviteLimitExceeded and a lasting rate limit as RateLimitRetriesExhausted' {
        Set-Sandbox @{ inviteLimit = 0 }
        New-HeadshotInvite 'q@contoso.example' -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'InviteLimitExceeded*'

        Set-Sandbox @{ inviteLimit = $null; rateLimit = 1; rateWindowSeconds = 60 }
        Connect-HeadshotPro -ApiKey $sandbox.ApiKey -BaseUri $sandbox.BaseUri -MaxRetryWaitSec 1
        New-HeadshotInvite 'r@contoso.example' -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'RateLimitRetriesExhausted*'
        $problems[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
        $problems[0].TargetObject | Should -Be 'r@contoso.example'
    }

    It 'reports an HTML 503 page with its status and goes on' {
        Set-Sandbox @{ nextFaults = @('html-503', 'html-503', 'html-503', 'html-503') }
        $out = 's@contoso.example', 't@contoso.example' | New-HeadshotInvite -ThrottleLimit 1 -ErrorVariable problems -ErrorAction SilentlyContinue
        $out.Email | Should -Be 't@contoso.example'
        $problems[0].ErrorDetails.Message | Should -Match 'HTTP 503.*503 Service Temporarily Unavailable'
    }
}

Describe 'Reading and revoking' {
    BeforeEach { Reset-Sandbox; Connect-Sandbox }

    It 'reads back new invites through the pipeline and reports unknown ids' {
        $ids = ('u@contoso.example', 'v@contoso.example' | New-HeadshotInvite).Id
        $read = @($ids[0], 'no-such-id', $ids[1]) | Get-HeadshotInvite -ErrorVariable problems -ErrorAction SilentlyContinue
        $read.Status | Should -Be @('pending-invite', 'pending-invite')
        $problems.FullyQualifiedErrorId | Should -BeLike 'InviteNotFound*'
        $problems.TargetObject | Should -Be 'no-such-id'
    }

    It 'revokes piped invites without a prompt when forced and frees their credits' {
        $before = (Get-HeadshotCredits).Credits
        'w@contoso.example', 'x@contoso.example' | New-HeadshotInvite | Out-Null
        Get-HeadshotInvite -Email 'w@*' | Revoke-HeadshotInvite -Force
        Revoke-HeadshotInvite 'nobody@contoso.example' -Force -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems.FullyQualifiedErrorId | Should -BeLike 'InviteNotFound*'
        (Get-HeadshotInvite -Status revoked).Email | Should -Be 'w@contoso.example'
        (Get-HeadshotCredits).Credits | Should -Be ($before - 1)
    }
}

Describe 'Connecting' {
    BeforeEach { Disconnect-HeadshotPro; Reset-Sandbox }
    AfterEach {
        Remove-Item Env:HEADSHOTPRO_API_KEY, Env:HEADSHOTPRO_BASE_URI -ErrorAction SilentlyContinue
        Disconnect-HeadshotPro
    }

    It 'uses $env:HEADSHOTPRO_API_KEY and $env:HEADSHOTPRO_BASE_URI without Connect' {
        $env:HEADSHOTPRO_API_KEY = $plainKey
        $env:HEADSHOTPRO_BASE_URI = $sandbox.BaseUri.ToString()
        (Get-HeadshotCredits).Credits | Should -Be 1000
        (Get-HeadshotConnection).Source | Should -Be 'Environment'
    }

    It 'stops with ApiKeyRejected when the key is wrong' {
        $env:HEADSHOTPRO_API_KEY = 'hsp_wrong_key_0000'
        $env:HEADSHOTPRO_BASE_URI = $sandbox.BaseUri.ToString()
        { 'y@contoso.example', 'z@contoso.example' | New-HeadshotInvite -ErrorAction Stop } | Should -Throw -ErrorId 'ApiKeyRejected*'
        (Get-SandboxState).counters.requests | Should -Be 1
    }

    It 'never prompts for the key in a non-interactive host' {
        $info = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
        foreach ($a in @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-Command', "Import-Module '$root/out/HeadshotPro'; Connect-HeadshotPro")) { $info.ArgumentList.Add($a) }
        $info.RedirectStandardInput = $true
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $process = [System.Diagnostics.Process]::Start($info)
        $process.StandardInput.Close()
        $stderr = $process.StandardError.ReadToEndAsync()
        $null = $process.StandardOutput.ReadToEndAsync()
        $process.WaitForExit(60000) | Should -BeTrue
        $process.ExitCode | Should -Not -Be 0
        $stderr.Result | Should -Match 'missing mandatory parameters: ApiKey'
    }

    It 'says how to connect when there is nothing to connect with' {
        { Get-HeadshotCredits } | Should -Throw -ErrorId 'NotConnected*' -ExpectedMessage '*Connect-HeadshotPro*'
    }
}

Describe 'Secrets' {
    It 'never shows the key in a transcript of a failing -Debug run, nor in $Error' {
        Reset-Sandbox
        $transcript = Join-Path $TestDrive 'transcript.txt'
        $Error.Clear()
        Start-Transcript -Path $transcript
        try {
            $DebugPreference = 'Continue'
            $VerbosePreference = 'Continue'
            Connect-Sandbox
            Get-HeadshotConnection | Format-List * | Out-Host
            Set-Sandbox @{ nextFaults = @('drop-after', 'html-503') }
            'a@contoso.example', 'bad', [pscustomobject]@{ Name = 'x' } | New-HeadshotInvite -Debug -Verbose -ErrorAction Continue
            Get-HeadshotInvite -Id 'missing' -Debug -Verbose -ErrorAction Continue
            try { Connect-HeadshotPro -ApiKey (ConvertTo-SecureString 'hsp_other_WRONG_9999' -AsPlainText -Force) -BaseUri $sandbox.BaseUri -Debug -Verbose } catch { $_ | Out-Host }
            $Error | Format-List * -Force | Out-Host
        } finally {
            Stop-Transcript
            $DebugPreference = 'SilentlyContinue'
            $VerbosePreference = 'SilentlyContinue'
        }
        $text = Get-Content $transcript -Raw
        $text | Should -Match 'ApiKeyRejected'
        $text | Should -Match 'POST organization/invite'
        $text | Should -Not -Match ([regex]::Escape($plainKey))
        $text | Should -Not -Match 'hsp_other_WRONG_9999'
        [System.Management.Automation.PSSerializer]::Serialize($Error, 5) | Should -Not -Match ([regex]::Escape($plainKey))
    }
}

Describe 'Long runs' {
    It 'keeps memory flat over 20,000 invites, streaming results as they complete' {
        $big = Start-HeadshotSandbox -Arguments '--rate-limit', '0', '--credits', '100000'
        try {
            Connect-HeadshotPro -ApiKey $big.ApiKey -BaseUri $big.BaseUri
            1..500 | ForEach-Object { "warm$_@corp.example" } | New-HeadshotInvite | Out-Null
            [GC]::Collect(); [GC]::WaitForPendingFinalizers()
            $before = [Diagnostics.Process]::GetCurrentProcess().WorkingSet64

            $script:count = 0
            1..20000 | ForEach-Object { "m$_@corp.example" } | New-HeadshotInvite -ThrottleLimit 16 | ForEach-Object { $script:count++ }

            [GC]::Collect(); [GC]::WaitForPendingFinalizers()
            $grown = ([Diagnostics.Process]::GetCurrentProcess().WorkingSet64 - $before) / 1MB
            $script:count | Should -Be 20000
            $grown | Should -BeLessThan 50
            Write-Host ("    working set grew {0:0.0} MB over 20,000 invites" -f $grown)
        } finally {
            Disconnect-HeadshotPro
            $big | Stop-HeadshotSandbox
        }
    }
}

Describe 'The package' {
    It 'installs with Install-PSResource from a file repository into a fresh pwsh, with its commands and help' {
        $package = Get-ChildItem "$root/out" -Filter 'HeadshotPro.*.nupkg' | Select-Object -First 1
        $package | Should -Not -BeNullOrEmpty -Because 'build.ps1 Test packages before it tests'
        $repository = Join-Path $TestDrive 'repository'
        $null = New-Item -ItemType Directory $repository
        Copy-Item $package.FullName $repository

        # A fresh pwsh whose home is empty: its user module path and its repository list are in $TestDrive.
        $home_ = Join-Path $TestDrive 'home'
        $null = New-Item -ItemType Directory (Join-Path $home_ '.local/share')
        $script = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name Local -Uri '$repository' -Trusted
Install-PSResource HeadshotPro -Repository Local -Scope CurrentUser
Import-Module HeadshotPro
(Get-Module HeadshotPro).ModuleBase
(Get-Command -Module HeadshotPro).Name -join ','
@((Get-Help New-HeadshotInvite -Examples).examples.example).Count
"@
        $info = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
        foreach ($a in @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-Command', $script)) { $info.ArgumentList.Add($a) }
        $info.Environment['HOME'] = $home_
        foreach ($name in 'PSModulePath', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME') { $null = $info.Environment.Remove($name) }
        $info.WorkingDirectory = $TestDrive
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $process = [System.Diagnostics.Process]::Start($info)
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        $process.WaitForExit(120000) | Should -BeTrue
        $lines = $stdout.Result -split "`n" | ForEach-Object Trim | Where-Object { $_ }
        $process.ExitCode | Should -Be 0 -Because $stderr.Result

        $lines[0] | Should -BeLike "$home_*"
        $lines[1] -split ',' | Sort-Object | Should -Be @((Get-Command -Module HeadshotPro).Name | Sort-Object)
        [int]$lines[2] | Should -BeGreaterOrEqual 3
    }
}

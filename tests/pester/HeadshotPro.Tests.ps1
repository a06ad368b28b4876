#Requires -Version 7.4
# End to end: the built module (out/HeadshotPro) in pwsh against a sandbox process. Only what a real pwsh shows lives
# here (import, manifest, help, format views, completion, transcripts, the package, memory over a long run); what a
# hosted runspace shows as well is in the xUnit tests.

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

    # Waits for a started process within $Seconds; past it, kills it (and its children) so no test outlives its limit.
    function Wait-ProcessExit([System.Diagnostics.Process] $Process, [int] $Seconds) {
        if ($Process.WaitForExit($Seconds * 1000)) { $Process.WaitForExit(); return $true }  # and the output streams are drained
        $Process.Kill($true)
        $null = $Process.WaitForExit(10000)
        $false
    }
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
        (Get-Command -Module HeadshotPro -CommandType Cmdlet).Name | Sort-Object | Should -Be @(
            'Add-HeadshotTeamMember', 'Connect-HeadshotPro', 'ConvertFrom-HeadshotWebhook', 'Disconnect-HeadshotPro', 'Get-HeadshotConnection', 'Get-HeadshotCredits',
            'Get-HeadshotInvite', 'Get-HeadshotMember', 'Get-HeadshotModel', 'Get-HeadshotOrganization', 'Get-HeadshotPhoto', 'Get-HeadshotTeam',
            'New-HeadshotInvite', 'New-HeadshotTeam', 'Remove-HeadshotModel', 'Remove-HeadshotTeam', 'Rename-HeadshotTeam', 'Revoke-HeadshotInvite',
            'Save-HeadshotPhoto')
        # The singular name PowerShell's noun convention suggests finds the cmdlet the design card names.
        (Get-Command Get-HeadshotCredit).ResolvedCommandName | Should -Be 'Get-HeadshotCredits'
    }

    It 'uses the Newtonsoft.Json that PowerShell itself loaded' {
        # First make the module use it: connecting and reading the credits parse JSON answers.
        Connect-Sandbox
        (Get-HeadshotCredits).Credits | Should -BeGreaterThan 0
        $loaded = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Newtonsoft.Json' })
        $loaded.Count | Should -Be 1
        Split-Path $loaded[0].Location | Should -Be (Resolve-Path $PSHOME).Path
        $loaded[0].Location | Should -Not -BeLike "$root/out/*"
    }

    It 'shows its objects as tables: <Type>' -ForEach @(
        @{ Type = 'Invite'; Object = { [HeadshotPro.Invite]@{ Email = 'ann@corp.example'; Status = 'pending'; Id = 'x1' } }; Header = 'Status\s+Outcome\s+Created\s+Email' }
        @{ Type = 'Credits'; Object = { Get-HeadshotCredits }; Header = 'Credits\s+RetrievedAt' }
        @{ Type = 'Connection'; Object = { Get-HeadshotConnection | Format-Table }; Header = 'ApiKeyHint\s+RequestsLeft\s+Organization\s+BaseUri' }
        @{ Type = 'Organization'; Object = { Get-HeadshotOrganization }; Header = 'Name\s+Uid\s+Teams' }
        @{ Type = 'Team'; Object = { Get-HeadshotTeam }; Header = 'Name\s+Id' }
        @{ Type = 'Member'; Object = { [HeadshotPro.Member]@{ Email = 'ann@corp.example'; Status = 'finished' } }; Header = 'Status\s+ModelStatus\s+Joined\s+Email' }
        @{ Type = 'Model'; Object = { [HeadshotPro.Model]@{ Id = 'm1'; Email = 'ann@corp.example'; Status = 'active' } }; Header = 'Status\s+Finished\s+Email' }
        @{ Type = 'Photo'; Object = { [HeadshotPro.Photo]@{ ModelId = 'm1'; PhotoId = 'p1'; Email = 'ann@corp.example' } }; Header = 'Variant\s+Liked\s+Favorite\s+Expires\s+Email' }
        @{ Type = 'SavedPhoto'; Object = { [HeadshotPro.SavedPhoto]@{ Email = 'ann@corp.example'; Path = (Join-Path $TestDrive 'ann@corp.example.jpg'); Bytes = 1000000 } }; Header = '(?m)Length\s+Skipped\s+Name\s*$' }
        @{ Type = 'TeamAssignment'; Object = { [HeadshotPro.TeamAssignment]@{ Email = 'ann@corp.example'; TeamId = 't1'; TeamName = 'Sales' } }; Header = 'TeamName\s+TeamId\s+Email' }
    ) {
        Connect-Sandbox
        $text = & $Object | Out-String -Width 200
        $text | Should -Match $Header
        $text | Should -Not -Match '(?m)^\w+\s+: '
    }

    It 'renders the <View> view within 80 columns as expected: every header and column, long values (a 60-character address) whole' -ForEach @(
        @{ View = 'Invite'; Object = { [HeadshotPro.Invite]@{ Email = $long; Status = 'generating'; Outcome = 'Existing'; CreatedAt = $at } }; Expected = @'
Status     Outcome  Created    Email
------     -------  -------    -----
generating Existing 2026-03-14 annabelle.winterbottom-fitzgerald@research42.cont
                               oso.example
'@ }
        @{ View = 'Member'; Object = { [HeadshotPro.Member]@{ Email = $long; Status = 'pending'; ModelStatus = 'generatingHeadshots'; JoinedAt = $at } }; Expected = @'
Status   ModelStatus         Joined     Email
------   -----------         ------     -----
pending  generatingHeadshots 2026-03-14 annabelle.winterbottom-fitzgerald@resear
                                        ch42.contoso.example
'@ }
        @{ View = 'Model'; Object = { [HeadshotPro.Model]@{ Id = 'm1'; Email = $long; Status = 'generatingHeadshots'; FinishedAt = $at } }; Expected = @'
Status              Finished   Email
------              --------   -----
generatingHeadshots 2026-03-14 annabelle.winterbottom-fitzgerald@research42.cont
                               oso.example
'@ }
        @{ View = 'Photo'; Object = { [HeadshotPro.Photo]@{ ModelId = 'm1'; PhotoId = 'p1'; Email = $long; Variant = 'thumbnail'; LikedStatus = 'loved'; IsFavorite = $true; ExpiresAt = $at } }; Expected = @'
Variant   Liked  Favorite Expires          Email
-------   -----  -------- -------          -----
thumbnail loved  True     2026-03-14 09:30 annabelle.winterbottom-fitzgerald@res
                                           earch42.contoso.example
'@ }
        @{ View = 'SavedPhoto'; Object = { [HeadshotPro.SavedPhoto]@{ Email = $long; Path = "/photos/$long.jpg"; Bytes = 1000000; Skipped = $true } }; Expected = @'
  Length Skipped Name
  ------ ------- ----
 1000000 True    annabelle.winterbottom-fitzgerald@research42.contoso.example.jp
                 g
'@ }
        @{ View = 'TeamAssignment'; Object = { [HeadshotPro.TeamAssignment]@{ Email = $long; TeamId = 'team_engineering'; TeamName = 'Engineering' } }; Expected = @'
TeamName             TeamId               Email
--------             ------               -----
Engineering          team_engineering     annabelle.winterbottom-fitzgerald@rese
                                          arch42.contoso.example
'@ }
        @{ View = 'Team'; Object = { [HeadshotPro.Team]@{ Id = 'team_0123456789abcdef0123'; Name = 'Marketing and Communications' } }; Expected = @'
Name                                     Id
----                                     --
Marketing and Communications             team_0123456789abcdef0123
'@ }
        @{ View = 'WebhookEvent'; Object = { [HeadshotPro.WebhookEvent]@{ EventId = 'evt_1'; Event = 'model.favorite_selected'; ModelStatus = 'generatingHeadshots'; Title = 'Annabelle Winterbottom-Fitzgerald'; CreatedAt = $at } }; Expected = @'
Event                   ModelStatus         CreatedAt           Title
-----                   -----------         ---------           -----
model.favorite_selected generatingHeadshots 2026-03-14 09:30:00 Annabelle Winter
                                                                bottom-Fitzgeral
                                                                d
'@ }
        @{ View = 'Organization'; Object = { [HeadshotPro.Organization]@{ Name = 'Contoso Pharmaceuticals International'; Uid = 'org_0123456789abcdef'; Website = 'https://www.contoso.example'; Teams = [HeadshotPro.Team[]]@(@{ Id = 't1'; Name = 'Engineering' }, @{ Id = 't2'; Name = 'Marketing and Communications' }) } }; Expected = @'
Name                     Uid                    Teams
----                     ---                    -----
Contoso Pharmaceuticals  org_0123456789abcdef   Engineering, Marketing and Commu
International                                   nications
'@ }
        @{ View = 'Credits'; Object = { $credits = [HeadshotPro.CreditBalance]::new(12.75, $at); $credits.PSObject.TypeNames.Insert(0, 'HeadshotPro.Credits'); $credits }; Expected = @'
   Credits RetrievedAt
   ------- -----------
     12.75 2026-03-14 09:30:00
'@ }
        @{ View = 'Connection (a list, as Get-MgContext shows one)'; Object = { $connection }; Expected = @'
Organization   : Contoso Pharmaceuticals International
OrganizationId : org_0123456789abcdef
BaseUri        : https://server.headshotpro.com/api/v1/
ApiKeyHint     : ****6789
Source         : Connect-HeadshotPro
RequestsLeft   : 298
ResetsAt       : 2026-03-14 09:30:00
Proxy          :
'@ }
        @{ View = 'Connection table'; Object = { $connection | Format-Table }; Expected = @'
ApiKeyHint RequestsLeft Organization             BaseUri
---------- ------------ ------------             -------
****6789            298 Contoso Pharmaceuticals  https://server.headshotpro.com/
                        International            api/v1/
'@ }
    ) {
        $long = 'annabelle.winterbottom-fitzgerald@research42.contoso.example'
        $long.Length | Should -Be 60
        $at = [DateTimeOffset]'2026-03-14T09:30:00+01:00'
        $connection = [HeadshotPro.Connection]@{ Organization = 'Contoso Pharmaceuticals International'; OrganizationId = 'org_0123456789abcdef'
            BaseUri = 'https://server.headshotpro.com/api/v1/'; ApiKeyHint = '****6789'; Source = 'Connect-HeadshotPro'; RateLimitRemaining = 298; RateLimitResetsAt = $at }
        $rendering = $PSStyle.OutputRendering
        $PSStyle.OutputRendering = 'PlainText'
        try { $text = & $Object | Out-String -Width 80 } finally { $PSStyle.OutputRendering = $rendering }
        $lines = @($text -split '\r?\n' | ForEach-Object TrimEnd | Where-Object { $_ })
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
        $lines -join "`n" | Should -BeExactly ($Expected -replace '\r?\n', "`n")
    }
}

Describe 'Help' {
    BeforeDiscovery {
        Import-Module "$PSScriptRoot/../../out/HeadshotPro" -Force
        $commands = (Get-Command -Module HeadshotPro -CommandType Cmdlet).Name | ForEach-Object { @{ Name = $_ } }
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

Describe 'Completion' {
    BeforeEach { Reset-Sandbox; Connect-Sandbox }

    It 'completes team names and ids when connected, statuses always, and nothing when not connected' {
        (TabExpansion2 'New-HeadshotInvite -Team ' 25).CompletionMatches.CompletionText | Should -Be @('Marketing', 'Engineering')
        (TabExpansion2 'New-HeadshotInvite -TeamId team_e' 33).CompletionMatches.CompletionText | Should -Be 'team_engineering'
        (TabExpansion2 'Get-HeadshotInvite -Status gen' 30).CompletionMatches.CompletionText | Should -Be 'generating'
        Disconnect-HeadshotPro
        $before = (Get-SandboxState).counters.requests
        (TabExpansion2 'New-HeadshotInvite -Team ' 25).CompletionMatches | Where-Object ResultType -eq 'ParameterValue' | Should -BeNullOrEmpty
        (Get-SandboxState).counters.requests | Should -Be $before
    }
}

Describe 'Connecting' {
    BeforeEach { Disconnect-HeadshotPro }

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
        Wait-ProcessExit $process 60 | Should -BeTrue
        $process.ExitCode | Should -Not -Be 0
        $stderr.Result | Should -Match 'missing mandatory parameters: ApiKey'
    }
}

Describe 'Secrets' {
    It 'never shows the key in a transcript of a failing run with verbose lines and warnings, nor in $Error' {
        Reset-Sandbox
        Import-Module "$root/tests/shapes/DirectoryStandIns.psm1" -Force
        Set-StandInDirectory -People @(@{ SamAccountName = 'eve'; Mail = $null; UserPrincipalName = 'eve@contoso.example' })
        $transcript = Join-Path $TestDrive 'transcript.txt'
        $Error.Clear()
        Start-Transcript -Path $transcript
        try {
            # The module writes verbose lines and warnings (it has no debug output). $DebugPreference stands in for -Debug,
            # which on a compiled cmdlet turns warnings and errors into "Continue with this operation?" prompts.
            $DebugPreference = 'Continue'
            $VerbosePreference = 'Continue'
            Connect-Sandbox
            Get-HeadshotConnection | Format-List * | Out-Host
            Set-Sandbox @{ nextFaults = @('none', 'drop-after', 'html-503') }  # past the balance read before the first invite
            # A Get-ADUser object whose mail is empty: taken at its UserPrincipalName, with a warning.
            'a@contoso.example', 'bad', (Get-ADUser eve -Properties mail), [pscustomobject]@{ Name = 'x' } | New-HeadshotInvite -ErrorAction Continue
            Get-HeadshotInvite -Id 'missing' -ErrorAction Continue

            try { Connect-HeadshotPro -ApiKey (ConvertTo-SecureString 'hsp_other_WRONG_9999' -AsPlainText -Force) -BaseUri $sandbox.BaseUri } catch { $_ | Out-Host }
            $Error | Format-List * -Force | Out-Host
        } finally {
            Stop-Transcript
            $DebugPreference = 'SilentlyContinue'
            $VerbosePreference = 'SilentlyContinue'
        }
        $text = Get-Content $transcript -Raw
        $text | Should -Match 'ApiKeyRejected'
        $text | Should -Match 'VERBOSE: POST organization/invite for \S+ -> 503'
        $text | Should -Match 'WARNING: .*has an empty mail attribute'
        $text | Should -Not -Match ([regex]::Escape($plainKey))
        $text | Should -Not -Match 'hsp_other_WRONG_9999'
        [System.Management.Automation.PSSerializer]::Serialize($Error, 5) | Should -Not -Match ([regex]::Escape($plainKey))
    }

    It 'keeps the warning of a run stopped by -ErrorAction Stop in the transcript and the warning stream' {
        Reset-Sandbox
        Connect-Sandbox
        Set-Sandbox @{ latencyMs = 500 }
        $transcript = Join-Path $TestDrive 'stopped.txt'
        Start-Transcript -Path $transcript
        try {
            # The bad address is handed over only once both invites are in flight (a bounded poll of the sandbox).
            'c@contoso.example', 'd@contoso.example', 'not an address' | ForEach-Object {
                if ($_ -eq 'not an address') {
                    $deadline = [DateTime]::UtcNow.AddSeconds(20)
                    while ((Get-SandboxState).counters.inFlight -lt 2 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
                }
                $_
            } | New-HeadshotInvite -ErrorAction Stop -WarningVariable warned
        } catch {
            $stoppedBy = $_
        } finally {
            Stop-Transcript
            Set-Sandbox @{ latencyMs = 0 }
        }
        $stoppedBy.FullyQualifiedErrorId | Should -BeLike 'InvalidEmailAddress*'
        (Get-SandboxState).invites.Count | Should -Be 2
        Get-Content $transcript -Raw | Should -Match 'WARNING: The run stopped early\. Invited, but not written to the output: .*c@contoso\.example'
        "$warned" | Should -Match 'The run stopped early'
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
    It 'installs with Install-PSResource from a file repository into a fresh pwsh, with its commands and every file of the module' {
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
(Get-Command -Module HeadshotPro -CommandType Cmdlet).Name -join ','
(Get-ChildItem (Get-Module HeadshotPro).ModuleBase -Recurse -File | ForEach-Object { [IO.Path]::GetRelativePath((Get-Module HeadshotPro).ModuleBase, `$_.FullName) }) -join ','
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
        Wait-ProcessExit $process 120 | Should -BeTrue
        $lines = $stdout.Result -split "`n" | ForEach-Object Trim | Where-Object { $_ }
        $process.ExitCode | Should -Be 0 -Because $stderr.Result

        $lines[0] | Should -BeLike "$home_*"
        $lines[1] -split ',' | Sort-Object | Should -Be @((Get-Command -Module HeadshotPro -CommandType Cmdlet).Name | Sort-Object)
        # Help included: what Get-Help makes of it is the 'Help' tests'. (PSResourceGet adds its own PSGetModuleInfo.xml.)
        $built = Get-ChildItem "$root/out/HeadshotPro" -Recurse -File | ForEach-Object { [IO.Path]::GetRelativePath("$root/out/HeadshotPro", $_.FullName) }
        $lines[2] -split ',' | Where-Object { $_ -ne 'PSGetModuleInfo.xml' } | Sort-Object | Should -Be ($built | Sort-Object)
    }
}

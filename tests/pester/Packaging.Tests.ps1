#Requires -Version 7.4
# The Azure Automation zip (out/HeadshotPro.zip from build.ps1 Package), and a runbook-like run: a fresh, non-interactive
# pwsh with no home folder and the key only in environment variables, against a sandbox process.
# Every child process is waited on with a time limit and killed when it runs over.

BeforeAll {
    $root = Resolve-Path "$PSScriptRoot/../.."
    $zip = Join-Path $root 'out/HeadshotPro.zip'
    Import-Module "$root/src/HeadshotPro.Sandbox/SandboxProcess.psm1" -Force
    Import-Module "$root/out/HeadshotPro" -Force
    Add-Type -AssemblyName System.IO.Compression.FileSystem

    # Unpacks the zip as Azure Automation does: its top folder becomes a module folder on PSModulePath.
    function Expand-ModuleZip([string] $Destination) {
        $null = New-Item -ItemType Directory $Destination -Force
        [System.IO.Compression.ZipFile]::ExtractToDirectory($zip, $Destination)
        $Destination
    }

    # Runs pwsh -NoProfile -NonInteractive with stdin closed, waits at most TimeoutSec and kills it on expiry.
    function Invoke-FreshPwsh {
        param(
            [Parameter(Mandatory)] [string[]] $Arguments,
            [hashtable] $Environment = @{},
            [string[]] $RemoveEnvironment = @(),
            [int] $TimeoutSec = 120
        )
        $info = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
        foreach ($a in @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive') + $Arguments) { $info.ArgumentList.Add($a) }
        foreach ($name in $RemoveEnvironment) { $null = $info.Environment.Remove($name) }
        foreach ($name in $Environment.Keys) { $info.Environment[$name] = $Environment[$name] }
        $info.WorkingDirectory = $TestDrive
        $info.UseShellExecute = $false
        $info.RedirectStandardInput = $true
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $process = [System.Diagnostics.Process]::Start($info)
        try {
            $process.StandardInput.Close()  # anything that tries to prompt reads end-of-file instead of waiting
            $stdout = $process.StandardOutput.ReadToEndAsync()
            $stderr = $process.StandardError.ReadToEndAsync()
            if (-not $process.WaitForExit($TimeoutSec * 1000)) {
                $process.Kill($true)
                $null = $process.WaitForExit(10000)
                throw "pwsh did not finish within $TimeoutSec s and was killed. Its output so far: $(if ($stdout.IsCompleted) { $stdout.Result })"
            }
            $process.WaitForExit()  # and the output streams are drained
            [pscustomobject]@{ ExitCode = $process.ExitCode; StdOut = $stdout.Result; StdErr = $stderr.Result }
        }
        finally {
            $process.Dispose()
        }
    }
}

Describe 'The Azure Automation zip' {
    It 'has one top folder HeadshotPro holding the manifest and everything of out/HeadshotPro' {
        $zip | Should -Exist -Because 'build.ps1 Test packages before it tests'
        $archive = [System.IO.Compression.ZipFile]::OpenRead($zip)
        try { $entries = @($archive.Entries.FullName) } finally { $archive.Dispose() }

        $entries | Where-Object { $_ -match '\\' } | Should -BeNullOrEmpty -Because 'entry names use / on every platform'
        $entries | Where-Object { $_ -notlike 'HeadshotPro/*' } | Should -BeNullOrEmpty
        $entries | Should -Contain 'HeadshotPro/HeadshotPro.psd1'
        $built = Get-ChildItem "$root/out/HeadshotPro" -Recurse -File |
            ForEach-Object { 'HeadshotPro/' + [IO.Path]::GetRelativePath("$root/out/HeadshotPro", $_.FullName).Replace('\', '/') }
        $entries | Where-Object { -not $_.EndsWith('/') } | Sort-Object | Should -Be ($built | Sort-Object)
    }

    It 'imports from its unpacked folder in a fresh pwsh, with every cmdlet the manifest exports' {
        # The help files are in the zip (the file list above); that Get-Help reads them is HeadshotPro.Tests.ps1's 'Help'.
        $modules = Expand-ModuleZip (Join-Path $TestDrive 'zip-modules')
        $script = @'
$ErrorActionPreference = 'Stop'
Import-Module HeadshotPro
$module = Get-Module HeadshotPro
[pscustomobject]@{
    ModuleBase = $module.ModuleBase
    Version    = $module.Version.ToString()
    Exported   = @((Import-PowerShellDataFile (Join-Path $module.ModuleBase 'HeadshotPro.psd1')).CmdletsToExport)
    Commands   = @((Get-Command -Module HeadshotPro -CommandType Cmdlet).Name)
} | ConvertTo-Json -Depth 4 -Compress
'@
        $run = Invoke-FreshPwsh -Arguments '-Command', $script -Environment @{ PSModulePath = $modules } -TimeoutSec 120
        $run.ExitCode | Should -Be 0 -Because $run.StdErr
        $result = $run.StdOut | ConvertFrom-Json

        $result.ModuleBase | Should -Be (Join-Path $modules 'HeadshotPro')
        $result.Version | Should -Not -Be '0.0.0' -Because 'the build stamps the version into the manifest'
        $result.Commands | Should -Not -BeNullOrEmpty
        $result.Commands | Sort-Object | Should -Be ($result.Exported | Sort-Object)
        $result.Commands | Sort-Object | Should -Be @((Get-Command -Module HeadshotPro -CommandType Cmdlet).Name | Sort-Object)
    }
}

Describe 'The installed module (<Form>) says what it is and has every file its help names' -ForEach @(
    @{ Form = 'nupkg'; Pattern = 'HeadshotPro.*.nupkg'; Folder = '.' }
    @{ Form = 'Automation zip'; Pattern = 'HeadshotPro.zip'; Folder = 'HeadshotPro' }
) {
    BeforeAll {
        $package = Get-ChildItem "$root/out" -Filter $Pattern | Select-Object -First 1
        $package | Should -Not -BeNullOrEmpty -Because 'build.ps1 Test packages before it tests'
        $unpacked = Join-Path $TestDrive ($Form -replace '\W', '')
        [System.IO.Compression.ZipFile]::ExtractToDirectory($package.FullName, $unpacked)
        $base = Join-Path $unpacked $Folder
        $manifest = Import-PowerShellDataFile (Join-Path $base 'HeadshotPro.psd1')
    }

    It 'has every file its help names' {
        $help = Get-ChildItem (Join-Path $base 'en-US') -File | ForEach-Object { Get-Content $_.FullName -Raw }
        # A path the help names with a folder in it is the module's; one that starts with ./ is the reader's own (their
        # CSV, their log), as in any PowerShell example.
        $named = @([regex]::Matches(($help -join "`n"), '(?<![\w.$:~/\\-])(?:[\w-]+[/\\])+[\w.-]+\.(?:ps1|psm1|psd1|csv|md|txt|json|xml)\b').Value | Sort-Object -Unique)
        $named | Should -Contain 'Examples/Set-ProfilePhotoOnFavorite.ps1'
        $named | Should -Contain 'Examples/Invoke-DailyHeadshotRunbook.ps1'
        foreach ($file in $named) { Join-Path $base $file | Should -Exist -Because "the help names $file" }
    }

    It 'describes all it does, with release notes of its own, as the Gallery shows them' {
        foreach ($word in 'invite', 'member', 'model', 'photo', 'team', 'webhook', 'Active Directory', 'Entra ID') {
            $manifest.Description | Should -Match $word -Because 'the Description names what the module does'
        }
        $about = Get-Content (Join-Path $base 'en-US/about_HeadshotPro.help.txt') -Raw
        $about | Should -Match 'v1 and v2 APIs'
        $about | Should -Match 'SHORT DESCRIPTION\s+HeadshotPro \(AI team headshots\) from PowerShell: invites, people, headshots, teams, webhooks'

        $data = $manifest.PrivateData.PSData
        $changelog = Get-Content "$root/CHANGELOG.md" -Raw
        $newest = [regex]::Match($changelog, '(?ms)^## .*?(?=^## |\z)').Value.Trim()
        $data.ReleaseNotes | Should -BeExactly $newest -Because 'the release notes are the newest section of CHANGELOG.md, which is not shipped'
        $data.Tags | Should -Contain 'HeadshotPro'
        $data.Tags | Should -Contain 'ProfilePhoto'
        ([uri]$data.ProjectUri).Scheme | Should -Be 'https'
        $manifest.Copyright | Should -Match 'MIT License'
        Get-Content (Join-Path $base 'LICENSE') -Raw | Should -Match '^MIT License' -Because 'the licence the manifest names ships with the module'
        Join-Path $base 'ThirdPartyNotices.txt' | Should -Exist -Because 'the JPEG library''s licence asks for its notice'

        if ($Form -eq 'nupkg') {
            # What the Gallery shows is the package's nuspec, written from the manifest.
            $nuspec = ([xml](Get-Content (Join-Path $base 'HeadshotPro.nuspec') -Raw)).package.metadata
            $nuspec.description | Should -BeExactly $manifest.Description
            $nuspec.releaseNotes | Should -BeExactly $newest
            $nuspec.tags -split ' ' | Should -Contain 'Webhooks'
        }
    }
}

Describe 'A runbook' {
    BeforeAll {
        $sandbox = Start-HeadshotSandbox -Arguments '--credits', '100', '--latency-ms', '150'
        $modules = Expand-ModuleZip (Join-Path $TestDrive 'runbook-modules')
    }
    AfterAll {
        if ($sandbox) { $sandbox | Stop-HeadshotSandbox }
    }

    It 'invites 20 people with the key only in environment variables, no home, no prompt and no progress records' {
        $addresses = 1..20 | ForEach-Object { "runbook$_@contoso.example" }
        $probeAddresses = 1..20 | ForEach-Object { "probe$_@contoso.example" }
        $runbook = Join-Path $TestDrive 'Invite-NewHires.ps1'
        Set-Content $runbook @"
# No Import-Module and no Connect-HeadshotPro: the module autoloads from PSModulePath, the key comes from the environment.
`$addresses = '$($addresses -join "', '")'
`$invites = @(`$addresses | New-HeadshotInvite -Team Marketing)
foreach (`$invite in `$invites) { "INVITED `$(`$invite.Email) `$(`$invite.Status)" }
`$invites | Select-Object -First 3 | Format-Table Email, Status
Get-HeadshotConnection | Format-List BaseUri, Source

# The Automation host keeps every progress record in the job's progress stream; the console host of this pwsh draws
# none to redirected output. So count them: 20 more invites in a runspace on this same host, whose progress stream is
# collected, and one Write-Progress of our own to show the count would see them.
`$probe = [powershell]::Create()
`$probe.Runspace = [runspacefactory]::CreateRunspace(`$Host)
`$probe.Runspace.Open()
`$null = `$probe.AddScript('`$input | New-HeadshotInvite | ForEach-Object { "INVITED `$(`$_.Email) `$(`$_.Status)" }; Write-Progress -Activity probe -Status done')
`$probe.Invoke([string[]]('$($probeAddresses -join "', '")'))
`$probe.Streams.Error | ForEach-Object { "ERROR `$_" }
"PROGRESS `$(@(`$probe.Streams.Progress | Where-Object Activity -ne 'probe').Count) PROBE `$(@(`$probe.Streams.Progress | Where-Object Activity -eq 'probe').Count)"
`$probe.Runspace.Dispose()
`$probe.Dispose()
if (`$Error.Count -gt 0) { `$Error | ForEach-Object { "ERROR `$_" }; exit 2 }
"@

        $plainKey = [System.Net.NetworkCredential]::new('', $sandbox.ApiKey).Password
        $run = Invoke-FreshPwsh -Arguments '-File', $runbook -TimeoutSec 180 `
            -RemoveEnvironment 'HOME', 'USERPROFILE', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME' `
            -Environment @{
                PSModulePath          = $modules
                HEADSHOTPRO_API_KEY   = $plainKey
                HEADSHOTPRO_BASE_URI  = $sandbox.BaseUri.ToString()
            }

        $run.ExitCode | Should -Be 0 -Because "stdout: $($run.StdOut) stderr: $($run.StdErr)"
        $run.StdErr | Should -BeNullOrEmpty
        $lines = @($run.StdOut -split "`r?`n")
        ($lines | Where-Object { $_ -like 'INVITED *' }) -replace '^INVITED (\S+) .*$', '$1' | Sort-Object |
            Should -Be ($addresses + $probeAddresses | Sort-Object)
        $lines | Should -Contain 'PROGRESS 0 PROBE 1'
        $lines | Where-Object { $_ -like 'INVITED *' } | ForEach-Object { $_ | Should -Match ' pending$' }
        $run.StdOut | Should -Match 'Source\s*:\s*(\x1b\[[0-9;]*m)*Environment'

        # No progress records rendered and no escape sequences but PowerShell's own table/list header colours (pwsh
        # 7.2+ writes those even to redirected output; the module has no say in them), and never the key.
        $all = $run.StdOut + $run.StdErr
        foreach ($style in $PSStyle.Formatting.TableHeader, $PSStyle.Formatting.FormatAccent, $PSStyle.Reset) {
            $all = $all.Replace($style, '')
        }
        $all | Should -Not -Match '\x1b' -Because 'progress bars are drawn with escape sequences'
        $all | Should -Not -Match 'Inviting people to HeadshotPro'
        $all | Should -Not -Match '\d+ done, \d+ in flight'
        $all | Should -Not -Match ([regex]::Escape($plainKey))

        $invited = (Invoke-HeadshotSandboxControl $sandbox state).invites
        @($invited).Count | Should -Be 40
        $invited.email | Sort-Object | Should -Be ($addresses + $probeAddresses | Sort-Object)
    }
    It 'reaches the sandbox on this computer directly when the environment names a proxy, so the key never goes to it' {
        # A Linux host, a CI agent or a Hybrid Worker often has HTTP(S)_PROXY set; .NET's default proxy on Linux sends
        # loopback through it too (the Windows and .NET Framework defaults bypass it). The proxy here records what it gets.
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try {
            $proxy = "http://127.0.0.1:$($listener.LocalEndpoint.Port)"
            $plainKey = [System.Net.NetworkCredential]::new('', $sandbox.ApiKey).Password
            $run = Invoke-FreshPwsh -Arguments '-Command', @'
$ErrorActionPreference = 'Stop'
Connect-HeadshotPro -ApiKey (ConvertTo-SecureString $env:HEADSHOTPRO_API_KEY -AsPlainText -Force) -BaseUri $env:HEADSHOTPRO_BASE_URI -TimeoutSec 5
(Get-HeadshotCredits).Credits
'@ -TimeoutSec 120 -Environment @{
                PSModulePath         = $modules
                HEADSHOTPRO_API_KEY  = $plainKey
                HEADSHOTPRO_BASE_URI = $sandbox.BaseUri.ToString()
                HTTP_PROXY           = $proxy
                HTTPS_PROXY          = $proxy
                ALL_PROXY            = $proxy
            }
            $run.ExitCode | Should -Be 0 -Because "stdout: $($run.StdOut) stderr: $($run.StdErr)"
            [decimal]$run.StdOut.Trim() | Should -BeGreaterThan 0
            $listener.Pending() | Should -BeFalse -Because 'nothing, and so not the key in clear, went to the proxy'
        }
        finally {
            $listener.Stop()
        }
    }
}

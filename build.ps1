#!/usr/bin/env pwsh
<#
.SYNOPSIS
Builds, tests, demonstrates and benchmarks the HeadshotPro module.

.DESCRIPTION
Tasks:
  Build    (default) compile everything and lay out out/HeadshotPro (manifest, dlls, format file)
  Test     Build, then the xUnit tests and the Pester tests; ends with one line 'N passed, N failed'
  Demo     Build, start the sandbox, and run a small onboarding against it
  Sandbox  Build, then run the sandbox in the foreground (extra arguments go to it) until Ctrl+C
  Package  Build, then out/HeadshotPro.<version>.nupkg through Publish-PSResource to a local file repository, and
           out/HeadshotPro.zip for Azure Automation (one top folder HeadshotPro holding the module)
  Bench    Build, then the benchmarks in bench/ (figures, never pass/fail)
  Clean    remove out/ and every bin/ and obj/

.EXAMPLE
dotnet tool restore && dotnet pwsh ./build.ps1 Test

.EXAMPLE
dotnet pwsh ./build.ps1 Sandbox --credits 5 --latency-ms 200
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Sandbox', 'Bench', 'Package', 'Clean')]
    [string] $Task = 'Build',

    [Parameter(ValueFromRemainingArguments)]
    [string[]] $Arguments = @()
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$Root = $PSScriptRoot
$Out = Join-Path $Root 'out/HeadshotPro'
$Configuration = 'Release'

function Invoke-Native([string] $What, [scriptblock] $Command) {
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)." }
}

function Get-ModuleVersion {
    $project = [xml](Get-Content (Join-Path $Root 'src/HeadshotPro/HeadshotPro.csproj') -Raw)
    $version = @($project.Project.PropertyGroup.Version | Where-Object { $_ })[0]
    if (-not $version) { throw 'src/HeadshotPro/HeadshotPro.csproj has no <Version>.' }
    $version
}

# The newest section of CHANGELOG.md (what this build holds), heading included: the manifest's ReleaseNotes, which the
# Gallery shows.
function Get-ReleaseNotes {
    $changelog = Get-Content (Join-Path $Root 'CHANGELOG.md') -Raw
    $section = [regex]::Match($changelog, '(?ms)^## .*?(?=^## |\z)')
    if (-not $section.Success) { throw 'CHANGELOG.md has no "## " section for the release notes.' }
    $section.Value.Trim()
}

function Invoke-Build {
    $version = Get-ModuleVersion
    Invoke-Native 'dotnet build' { dotnet build (Join-Path $Root 'HeadshotPro.sln') -c $Configuration -nologo -v quiet }

    if (Test-Path $Out) { Remove-Item $Out -Recurse -Force }
    $null = New-Item -ItemType Directory $Out
    $bin = Join-Path $Root "src/HeadshotPro/bin/$Configuration/netstandard2.0"
    Copy-Item (Join-Path $bin 'HeadshotPro.dll'), (Join-Path $bin 'Newtonsoft.Json.dll'), (Join-Path $bin 'BitMiracle.LibJpeg.NET.dll') $Out
    Copy-Item (Join-Path $Root 'src/HeadshotPro/HeadshotPro.Format.ps1xml'), (Join-Path $Root 'src/HeadshotPro/ThirdPartyNotices.txt'), (Join-Path $Root 'LICENSE') $Out
    # The runbooks and the CSV the help points to, in the module's own folder (demo.ps1 needs the repository: not shipped).
    $examples = New-Item -ItemType Directory (Join-Path $Out 'Examples')
    Copy-Item (Join-Path $Root 'docs/examples/*') $examples -Exclude 'demo.ps1'
    $manifest = Get-Content (Join-Path $Root 'HeadshotPro.psd1') -Raw
    $manifest = $manifest -replace "ModuleVersion(\s*)= '[^']*'.*", "ModuleVersion`$1= '$version'"
    $notes = (Get-ReleaseNotes).Replace("'", "''")
    $manifest = [regex]::Replace($manifest, "ReleaseNotes(\s*)= '[^']*'.*", { param($m) "ReleaseNotes$($m.Groups[1].Value)= '$notes'" })
    Set-Content (Join-Path $Out 'HeadshotPro.psd1') $manifest -NoNewline
    Invoke-Native 'the help build' { dotnet (Join-Path $Root "src/HeadshotPro.HelpBuilder/bin/$Configuration/net10.0/HeadshotPro.HelpBuilder.dll") (Join-Path $Root 'docs/en-US') (Join-Path $Out 'en-US') 'HeadshotPro.dll' }
    Write-Host "Built HeadshotPro $version into $Out"
}

function Invoke-Package {
    Invoke-Build
    $repository = Join-Path $Root 'out'
    $name = "HeadshotProBuild-$PID"
    Get-ChildItem $repository -Filter 'HeadshotPro.*.nupkg' | Remove-Item
    Register-PSResourceRepository -Name $name -Uri $repository -Trusted
    try {
        Publish-PSResource -Path $Out -Repository $name
    }
    finally {
        Unregister-PSResourceRepository -Name $name
    }
    $package = Get-ChildItem $repository -Filter "HeadshotPro.$(Get-ModuleVersion).nupkg"
    if (-not $package) { throw "Publish-PSResource left no HeadshotPro.$(Get-ModuleVersion).nupkg in $repository." }
    Write-Host "Packaged $($package.FullName)"

    # Azure Automation imports a zip named after the module whose top folder is the module folder. ZipFile writes '/'
    # separators on every platform (Compress-Archive in Windows PowerShell 5.1 wrote '\', which tools outside Windows
    # read as part of the file name).
    $zip = Join-Path $repository 'HeadshotPro.zip'
    if (Test-Path $zip) { Remove-Item $zip }
    Add-Type -AssemblyName System.IO.Compression.FileSystem
    [System.IO.Compression.ZipFile]::CreateFromDirectory($Out, $zip, [System.IO.Compression.CompressionLevel]::Optimal, $true)
    Write-Host "Packaged $zip (for Azure Automation)"
}

function Get-PesterModulePath {
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $manifest = Join-Path $packages 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path $manifest)) { throw "Pester 5.7.1 is not in $packages; 'dotnet build' of tests/HeadshotPro.Tests downloads it." }
    $manifest
}

function Invoke-Test {
    Invoke-Package
    $results = Join-Path $Root 'out/test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }

    Write-Host "`n== xUnit ==" -ForegroundColor Cyan
    # Every test carries its own [Fact(Timeout = ...)] (BoundedTests checks it); a test host hung past them all (say, a
    # test whose work blocks every thread) is killed after --blame-hang-timeout, so the run fails instead of stalling CI.
    dotnet test (Join-Path $Root 'tests/HeadshotPro.Tests') -c $Configuration --no-build --nologo `
        --blame-hang-timeout 10m --blame-hang-dump-type none `
        --logger 'console;verbosity=normal' --logger 'trx;LogFileName=xunit.trx' --results-directory $results
    $xunitExit = $LASTEXITCODE
    $trx = Get-ChildItem $results -Filter *.trx -Recurse | Select-Object -First 1
    if (-not $trx) { throw 'The xUnit run left no results file.' }
    $summary = ([xml](Get-Content $trx.FullName -Raw)).TestRun.ResultSummary
    $counters = $summary.Counters
    $xunitPassed = [int]$counters.passed
    $xunitFailed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
    if ($xunitFailed -eq 0 -and ($xunitExit -ne 0 -or $summary.outcome -ne 'Completed')) {
        # A killed test host leaves its hung test out of the counters: count the aborted run as one failure.
        Write-Host "The xUnit run did not complete (exit code $xunitExit, outcome $($summary.outcome)): a test hung or the test host crashed; see above." -ForegroundColor Red
        $xunitFailed = 1
    }

    Write-Host "`n== Pester ==" -ForegroundColor Cyan
    $pester = Invoke-PesterBounded -Path (Join-Path $Root 'tests/pester') -Hang ([TimeSpan]::FromMinutes(10))
    if ($pester) {
        $pesterPassed = $pester.PassedCount
        $pesterFailed = $pester.FailedCount + $pester.FailedBlocksCount + $pester.FailedContainersCount
    }
    else {
        # Stopped as hung: what passed before is not counted, and the run fails.
        $pesterPassed = 0
        $pesterFailed = 1
    }

    $passed = $xunitPassed + $pesterPassed
    $failed = $xunitFailed + $pesterFailed
    Write-Host "xUnit: $xunitPassed passed, $xunitFailed failed; Pester: $pesterPassed passed, $pesterFailed failed"
    Write-Output "$passed passed, $failed failed"
    if ($failed -gt 0 -or $passed -eq 0) { exit 1 }
}

# Pester has no time limit of its own. It runs here in a runspace of this process, on this host, under this script's
# preferences; a test (or a file's set-up) that has written nothing for $Hang stops the run, and whatever it started is
# ended, so a hang fails in minutes instead of holding CI. Answers Pester's result, or $null when the run was stopped.
function Invoke-PesterBounded([string] $Path, [TimeSpan] $Hang) {
    $before = @(Get-Process | Where-Object { $_.Parent -and $_.Parent.Id -eq $PID } | ForEach-Object Id)
    $runspace = [runspacefactory]::CreateRunspace($Host)
    $runspace.Open()
    $shell = [powershell]::Create($runspace)
    try {
        $null = $shell.AddScript({
                param($PesterModule, $Tests)
                $ErrorActionPreference = 'Stop'
                Set-StrictMode -Version Latest
                Import-Module $PesterModule -Force
                $config = New-PesterConfiguration
                $config.Run.Path = $Tests
                $config.Run.PassThru = $true
                $config.Output.Verbosity = 'Detailed'
                Invoke-Pester -Configuration $config
            }).AddArgument((Get-PesterModulePath)).AddArgument($Path)
        $pending = $shell.BeginInvoke()
        $lines = 0
        $quietSince = [DateTime]::UtcNow
        while (-not $pending.AsyncWaitHandle.WaitOne(5000)) {
            # Pester writes a line for each test as it ends (Output.Verbosity Detailed); these are what show it moves.
            if ($shell.Streams.Information.Count -ne $lines) { $lines = $shell.Streams.Information.Count; $quietSince = [DateTime]::UtcNow; continue }
            if ([DateTime]::UtcNow - $quietSince -lt $Hang) { continue }
            $last = -join @($shell.Streams.Information | Select-Object -Last 6 | ForEach-Object MessageData)
            Write-Host ("Pester wrote nothing for {0:0.#} minutes (its last words: {1}). Stopping it as hung." -f $Hang.TotalMinutes, $last.Trim()) -ForegroundColor Red
            $null = $shell.BeginStop($null, $null)
            $null = $pending.AsyncWaitHandle.WaitOne(30000)
            foreach ($child in Get-Process | Where-Object { $_.Parent -and $_.Parent.Id -eq $PID -and $_.Id -notin $before }) {
                Write-Host "Ending process $($child.Id) ($($child.ProcessName)) that the stopped tests left." -ForegroundColor Red
                $child.Kill($true)
            }
            return $null
        }
        @($shell.EndInvoke($pending))[-1]
    }
    finally {
        $shell.Dispose()
        $runspace.Dispose()
    }
}

function Invoke-Demo {
    Invoke-Build
    & (Join-Path $Root 'docs/examples/demo.ps1')
}

function Invoke-Sandbox {
    Invoke-Build
    dotnet (Join-Path $Root "src/HeadshotPro.Sandbox/bin/$Configuration/net10.0/HeadshotPro.Sandbox.dll") @Arguments
    exit $LASTEXITCODE
}

function Invoke-Bench {
    Invoke-Build
    foreach ($script in Get-ChildItem (Join-Path $Root 'bench') -Filter '*.ps1' | Sort-Object Name) {
        Write-Host "`n== $($script.Name) ==" -ForegroundColor Cyan
        & $script.FullName
    }
}

function Invoke-Clean {
    if (Test-Path (Join-Path $Root 'out')) { Remove-Item (Join-Path $Root 'out') -Recurse -Force }
    Get-ChildItem $Root -Directory -Recurse -Include bin, obj | Remove-Item -Recurse -Force
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'Demo' { Invoke-Demo }
    'Sandbox' { Invoke-Sandbox }
    'Bench' { Invoke-Bench }
    'Package' { Invoke-Package }
    'Clean' { Invoke-Clean }
}

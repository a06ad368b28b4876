# Starts and stops the HeadshotPro sandbox as a separate process, for the demo, the Pester tests and runbook rehearsals.
Set-StrictMode -Version Latest

$script:Root = Resolve-Path (Join-Path $PSScriptRoot '..' '..')
$script:DefaultApiKey = 'hsp_sandbox_key_0123456789abcdef'  # the sandbox's documented, public key (docs/sandbox.md)

function Start-HeadshotSandbox {
    <#
    .SYNOPSIS
    Starts the sandbox on a free loopback port and returns where it listens.
    .EXAMPLE
    $sandbox = Start-HeadshotSandbox -Arguments '--credits', '5'
    #>
    [CmdletBinding()]
    param(
        # Extra sandbox options, e.g. '--latency-ms', '200'.
        [string[]] $Arguments = @(),
        [int] $TimeoutSec = 60
    )
    $dll = Join-Path $script:Root 'src/HeadshotPro.Sandbox/bin/Release/net10.0/HeadshotPro.Sandbox.dll'
    if (-not (Test-Path $dll)) { throw "The sandbox is not built. Run: dotnet pwsh ./build.ps1 Build" }

    $info = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in @($dll, '--urls', 'http://127.0.0.1:0') + $Arguments) { $info.ArgumentList.Add($a) }
    $info.RedirectStandardOutput = $true
    $info.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($info)
    $line = $process.StandardOutput.ReadLineAsync()
    if (-not $line.Wait([TimeSpan]::FromSeconds($TimeoutSec)) -or -not $line.Result) {
        if (-not $process.HasExited) { $process.Kill() }
        throw "The sandbox did not start within $TimeoutSec s (exit code: $(if ($process.HasExited) { $process.ExitCode } else { 'none' }))."
    }
    if ($line.Result -notmatch 'listening on (?<uri>http\S+)') { $process.Kill(); throw "Unexpected sandbox output: $($line.Result)" }
    $baseUri = [uri]$Matches.uri
    [pscustomobject]@{
        PSTypeName = 'HeadshotPro.SandboxProcess'
        Process    = $process
        BaseUri    = $baseUri
        ControlUri = [uri]::new($baseUri, '/sandbox/')
        ApiKey     = ConvertTo-SecureString $script:DefaultApiKey -AsPlainText -Force
    }
}

function Invoke-HeadshotSandboxControl {
    <#
    .SYNOPSIS
    Calls one of the sandbox's /sandbox/ controls (state, reset, credits, settings, invites/ID/status, journal).
    .EXAMPLE
    Invoke-HeadshotSandboxControl $sandbox settings @{ latencyMs = 200 }
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Sandbox,
        [Parameter(Mandatory)] [string] $Path,
        [hashtable] $Body
    )
    $params = @{
        Uri            = [uri]::new($Sandbox.ControlUri, $Path)
        Authentication = 'Bearer'
        Token          = $Sandbox.ApiKey
        Method         = if ($PSBoundParameters.ContainsKey('Body')) { 'Post' } else { 'Get' }
        AllowUnencryptedAuthentication = $true  # the sandbox is on loopback
    }
    if ($PSBoundParameters.ContainsKey('Body')) {
        $params.Body = $Body | ConvertTo-Json -Depth 5 -Compress
        $params.ContentType = 'application/json'
    }
    if ($Path -eq 'reset') { $params.Method = 'Post' }
    Invoke-RestMethod @params
}

function Stop-HeadshotSandbox {
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Sandbox)
    process {
        if (-not $Sandbox.Process.HasExited) {
            $Sandbox.Process.Kill()
            $null = $Sandbox.Process.WaitForExit(10000)
        }
        $Sandbox.Process.Dispose()
    }
}

Export-ModuleMember -Function Start-HeadshotSandbox, Stop-HeadshotSandbox, Invoke-HeadshotSandboxControl

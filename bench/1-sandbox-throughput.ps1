#!/usr/bin/env pwsh
# The sandbox must never be the bottleneck: invites/s at latency 0, rate limit off, 32 concurrent loopback clients.
$ErrorActionPreference = 'Stop'
$root = Resolve-Path "$PSScriptRoot/.."
Import-Module "$root/src/HeadshotPro.Sandbox/SandboxProcess.psm1" -Force
$sandbox = Start-HeadshotSandbox -Arguments '--rate-limit', '0', '--latency-ms', '0', '--credits', '100000000'
try {
    $key = [System.Net.NetworkCredential]::new('', $sandbox.ApiKey).Password
    dotnet "$root/bench/SandboxThroughput/bin/Release/net10.0/SandboxThroughput.dll" $sandbox.BaseUri $key 20000 32
} finally {
    $sandbox | Stop-HeadshotSandbox
}

# Webhook helpers for the Pester tests: a local listener that receives the sandbox's deliveries (HttpListener on
# 127.0.0.1, every wait bounded) and hands each back as Azure Automation's $WebhookData would be; and a signed
# delivery made here, for the documentation examples (signed as the sandbox signs, with its documented secret).
Set-StrictMode -Version Latest

$script:SandboxWebhookSecret = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'

function Start-WebhookListener {
    $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $probe.Start()
    $port = $probe.LocalEndpoint.Port
    $probe.Stop()
    $listener = [System.Net.HttpListener]::new()
    $listener.Prefixes.Add("http://127.0.0.1:$port/hooks/")
    $listener.Start()
    [pscustomobject]@{ Listener = $listener; Url = "http://127.0.0.1:$port/hooks/headshotpro"; Pending = $null }
}

function Receive-WebhookDelivery {
    <# Waits (at most -TimeoutSec) for the next delivery, answers it with -Status, and returns it as $WebhookData. #>
    param([Parameter(Mandatory)] $Receiver, [int] $TimeoutSec = 20, [int] $Status = 200)
    if (-not $Receiver.Pending) { $Receiver.Pending = $Receiver.Listener.GetContextAsync() }
    if (-not $Receiver.Pending.Wait([TimeSpan]::FromSeconds($TimeoutSec))) { throw "No webhook delivery within $TimeoutSec s." }
    $context = $Receiver.Pending.Result
    $Receiver.Pending = $null
    $buffer = [System.IO.MemoryStream]::new()
    $context.Request.InputStream.CopyTo($buffer)
    $headers = [ordered]@{}
    foreach ($name in $context.Request.Headers.AllKeys) { $headers[$name] = $context.Request.Headers[$name] }
    $context.Response.StatusCode = $Status
    $context.Response.Close()
    [pscustomobject]@{
        WebhookName   = 'HeadshotPro'
        RequestBody   = [System.Text.Encoding]::UTF8.GetString($buffer.ToArray())
        RequestHeader = [pscustomobject]$headers
    }
}

function Stop-WebhookListener {
    param([Parameter(Mandatory)] $Receiver)
    $Receiver.Listener.Close()
}

function New-SignedWebhookData {
    <#
    A delivery about the model of -Email (invited and advanced to completed with a favorite if need be), signed now
    with the sandbox's documented webhook secret, as $WebhookData.
    #>
    param([Parameter(Mandatory)] $Sandbox, [Parameter(Mandatory)] [string] $Email, [string] $Event = 'model.favorite_selected')
    $invite = (Invoke-HeadshotSandboxControl $Sandbox state).invites | Where-Object { $_.email -eq $Email -and $_.valid } | Select-Object -First 1
    if (-not $invite) { $null = New-HeadshotInvite $Email }
    if (-not $invite -or $invite.stage -ne 'completed') {
        $null = Invoke-HeadshotSandboxControl $Sandbox "people/$([uri]::EscapeDataString($Email))/advance" @{ to = 'completed'; favorite = $true }
    }
    $model = (Invoke-HeadshotSandboxControl $Sandbox state).invites | Where-Object { $_.email -eq $Email -and $_.valid } | Select-Object -First 1
    $body = [ordered]@{
        id = 'evt_' + [guid]::NewGuid().ToString('n').Substring(0, 24); event = $Event; createdAt = [DateTime]::UtcNow.ToString('o'); objectType = 'model'
        object = [ordered]@{ _id = $model.modelId; uid = 'u1'; title = 'Sample'; trigger = 'invite'; status = $model.modelStatus; isDevelopment = $false
            finishedAt = $null; deletedAt = $null; inviteExpiresAt = $null; createdAt = $model.createdAt; organization = 'org_sandbox' }
    } | ConvertTo-Json -Compress -Depth 4
    $timestamp = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds().ToString()
    $hmac = [System.Security.Cryptography.HMACSHA256]::new([System.Text.Encoding]::UTF8.GetBytes($script:SandboxWebhookSecret))
    $signature = 'sha256=' + [Convert]::ToHexString($hmac.ComputeHash([System.Text.Encoding]::UTF8.GetBytes("$timestamp.$body"))).ToLowerInvariant()
    [pscustomobject]@{
        WebhookName   = 'HeadshotPro'
        RequestBody   = $body
        RequestHeader = [pscustomobject]@{ 'Content-Type' = 'application/json'; 'X-HeadshotPro-Timestamp' = $timestamp; 'X-HeadshotPro-Signature' = $signature }
    }
}

function Get-SandboxWebhookSecret { ConvertTo-SecureString $script:SandboxWebhookSecret -AsPlainText -Force }

Export-ModuleMember -Function Start-WebhookListener, Receive-WebhookDelivery, Stop-WebhookListener, New-SignedWebhookData, Get-SandboxWebhookSecret

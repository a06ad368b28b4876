#!/usr/bin/env pwsh
# Save-HeadshotPhoto against the ideal and against Invoke-WebRequest in ForEach-Object -Parallel at the same
# parallelism: 500 photos of 1 MB, 50 ms before each photo answer. Prints figures; never passes or fails on time.
$ErrorActionPreference = 'Stop'
$root = Resolve-Path "$PSScriptRoot/.."
Import-Module "$root/out/HeadshotPro" -Force
Import-Module "$root/src/HeadshotPro.Sandbox/SandboxProcess.psm1" -Force

$count = 500
$throttle = 5          # Save-HeadshotPhoto's default -ThrottleLimit
$latencyMs = 50
$work = Join-Path ([IO.Path]::GetTempPath()) "hsp-bench-photos-$PID"
# The sandbox keeps every photo once made (500 x 1 MB): a 1 MB photo has 2.9 megapixels and takes it about 0.4 s to
# make, which is the CDN's work, not the client's.
$sandbox = Start-HeadshotSandbox -Arguments '--rate-limit', '0', '--credits', '1000', '--photo-bytes', '1000000', '--photo-cache-mb', '600'
try {
    Connect-HeadshotPro -ApiKey $sandbox.ApiKey -BaseUri $sandbox.BaseUri
    $people = 1..50 | ForEach-Object { "bench$_@corp.example" }
    $null = $people | New-HeadshotInvite
    foreach ($p in $people) {
        $null = Invoke-HeadshotSandboxControl $sandbox "people/$([uri]::EscapeDataString($p))/advance" @{ to = 'completed'; photos = $count / $people.Count }
    }
    $photos = @(Get-HeadshotModel | Get-HeadshotPhoto)
    if ($photos.Count -ne $count) { throw "Expected $count photos, got $($photos.Count)." }

    # The floor of this machine and sandbox: the same 500 downloads at 0 ms by a bare HttpClient, 5 at a time, to
    # Stream.Null, after a first pass in which the sandbox makes every photo.
    Add-Type -TypeDefinition @'
using System; using System.IO; using System.Linq; using System.Net.Http; using System.Threading.Tasks;
public static class PhotoFloor {
    public static double Seconds(string[] urls, int parallel) {
        using (var http = new HttpClient()) {
            var next = -1;
            var watch = System.Diagnostics.Stopwatch.StartNew();
            Task.WaitAll(Enumerable.Range(0, parallel).Select(_ => Task.Run(async () => {
                int i;
                while ((i = System.Threading.Interlocked.Increment(ref next)) < urls.Length)
                    using (var body = await http.GetStreamAsync(urls[i])) await body.CopyToAsync(Stream.Null);
            })).ToArray());
            return watch.Elapsed.TotalSeconds;
        }
    }
}
'@
    $urls = [string[]]@($photos.Url | ForEach-Object { "$_" })
    $null = [PhotoFloor]::Seconds($urls, 2)
    $floor = [PhotoFloor]::Seconds($urls, $throttle)

    # Warm both paths up on a few photos (JIT, connections), then the photo latency.
    $null = $photos | Select-Object -First 10 | Save-HeadshotPhoto -Path "$work/warm" -FileName '{PhotoId}.jpg'
    $null = $photos | Select-Object -First 10 | ForEach-Object -ThrottleLimit $throttle -Parallel { Invoke-WebRequest $_.Url -OutFile "$using:work/warm-iwr-$($_.PhotoId).jpg" }
    $null = Invoke-HeadshotSandboxControl $sandbox settings @{ photoLatencyMs = $latencyMs }

    [GC]::Collect(); [GC]::WaitForPendingFinalizers()
    $before = [Diagnostics.Process]::GetCurrentProcess().WorkingSet64
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $saved = @($photos | Save-HeadshotPhoto -Path "$work/module" -FileName '{Email}-{PhotoId}.jpg')
    $module = $watch.Elapsed.TotalSeconds
    $peakGrowth = ([Diagnostics.Process]::GetCurrentProcess().WorkingSet64 - $before) / 1MB
    $saved = $null
    [GC]::Collect(); [GC]::WaitForPendingFinalizers()
    $moduleGrowth = ([Diagnostics.Process]::GetCurrentProcess().WorkingSet64 - $before) / 1MB

    $null = New-Item -ItemType Directory "$work/iwr" -Force
    [GC]::Collect(); [GC]::WaitForPendingFinalizers()
    $before = [Diagnostics.Process]::GetCurrentProcess().WorkingSet64
    $watch.Restart()
    $iwrFailed = @($photos | ForEach-Object -ThrottleLimit $throttle -Parallel {
        try { Invoke-WebRequest $_.Url -OutFile (Join-Path "$using:work/iwr" "$($_.Email)-$($_.PhotoId).jpg") } catch { 'failed' }
    }).Count
    $iwr = $watch.Elapsed.TotalSeconds
    [GC]::Collect(); [GC]::WaitForPendingFinalizers()
    $iwrGrowth = ([Diagnostics.Process]::GetCurrentProcess().WorkingSet64 - $before) / 1MB

    $files = @(Get-ChildItem "$work/module" -File)
    $iwrFiles = @(Get-ChildItem "$work/iwr" -File)
    $ideal = $floor + $count * $latencyMs / 1000 / $throttle
    $megabytes = ($files | Measure-Object Length -Sum).Sum / 1MB
    $rows = @(
        [pscustomobject]@{ What = "latency alone ($count x $latencyMs ms / $throttle)"; Seconds = [math]::Round($count * $latencyMs / 1000 / $throttle, 2); 'x Ideal' = $null; 'MB/s' = $null; Files = $null; 'WS growth MB' = $null }
        [pscustomobject]@{ What = "floor: bare HttpClient, $throttle at a time, 0 ms, to Stream.Null"; Seconds = [math]::Round($floor, 2); 'x Ideal' = $null; 'MB/s' = [math]::Round($megabytes / $floor, 1); Files = $null; 'WS growth MB' = $null }
        [pscustomobject]@{ What = "ideal: floor + latency alone"; Seconds = [math]::Round($ideal, 2); 'x Ideal' = 1; 'MB/s' = $null; Files = $null; 'WS growth MB' = $null }
        [pscustomobject]@{ What = "Save-HeadshotPhoto (throttle $throttle)"; Seconds = [math]::Round($module, 2); 'x Ideal' = [math]::Round($module / $ideal, 2); 'MB/s' = [math]::Round($megabytes / $module, 1); Files = $files.Count; 'WS growth MB' = "{0:0.0} (peak {1:0.0})" -f $moduleGrowth, $peakGrowth }
        [pscustomobject]@{ What = "ForEach-Object -Parallel -ThrottleLimit $throttle + Invoke-WebRequest -OutFile"; Seconds = [math]::Round($iwr, 2); 'x Ideal' = [math]::Round($iwr / $ideal, 2); 'MB/s' = [math]::Round($megabytes / $iwr, 1); Files = $iwrFiles.Count; 'WS growth MB' = "{0:0.0} ({1} errors)" -f $iwrGrowth, $iwrFailed }
    )
    $rows | Format-Table -AutoSize | Out-String -Width 200
    "Machine: $([Environment]::ProcessorCount) cores, $([System.Runtime.InteropServices.RuntimeInformation]::OSDescription), PowerShell $($PSVersionTable.PSVersion), $(Get-Date -Format 'yyyy-MM-dd')"
}
finally {
    Disconnect-HeadshotPro
    $sandbox | Stop-HeadshotSandbox
    if (Test-Path $work) { Remove-Item $work -Recurse -Force }
}

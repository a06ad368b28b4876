#!/usr/bin/env pwsh
# What the directory forms cost beside the download: 300 photos of 1 MB saved as sent, as AD's 96x96 thumbnail and as
# Entra ID's 648x648 photo, through Save-HeadshotPhoto at its default -ThrottleLimit 5; and the time one photo's form
# takes on one core. Prints figures; never passes or fails on time.
$ErrorActionPreference = 'Stop'
$root = Resolve-Path "$PSScriptRoot/.."
Import-Module "$root/out/HeadshotPro" -Force
Import-Module "$root/src/HeadshotPro.Sandbox/SandboxProcess.psm1" -Force

$count = 300
$rounds = 2
$work = Join-Path ([IO.Path]::GetTempPath()) "hsp-bench-forms-$PID"
# The sandbox keeps every photo once made (300 x 1 MB), so what is timed is the client, not the sandbox's encoder.
$sandbox = Start-HeadshotSandbox -Arguments '--rate-limit', '0', '--credits', '1000', '--photo-bytes', '1000000', '--photo-cache-mb', '400'
try {
    Connect-HeadshotPro -ApiKey $sandbox.ApiKey -BaseUri $sandbox.BaseUri
    $people = 1..30 | ForEach-Object { "forms$_@corp.example" }
    $null = $people | New-HeadshotInvite
    foreach ($p in $people) {
        $null = Invoke-HeadshotSandboxControl $sandbox "people/$([uri]::EscapeDataString($p))/advance" @{ to = 'completed'; photos = $count / $people.Count }
    }
    $photos = @(Get-HeadshotModel | Get-HeadshotPhoto)
    if ($photos.Count -ne $count) { throw "Expected $count photos, got $($photos.Count)." }

    # Warm up: every photo made once by the sandbox (and kept), and the module's download and imaging code JIT-compiled.
    $warm = @($photos | Save-HeadshotPhoto -Path "$work/warm" -FileName '{PhotoId}.jpg')
    $null = $photos | Select-Object -First 10 | Save-HeadshotPhoto -Path "$work/warm-ad" -FileName '{PhotoId}.jpg' -For ActiveDirectory
    $null = $photos | Select-Object -First 10 | Save-HeadshotPhoto -Path "$work/warm-entra" -FileName '{PhotoId}.jpg' -For EntraId
    $sample = [HeadshotPro.SavedPhoto]$warm[0]

    $forms = [ordered]@{ 'as sent (download alone)' = @{}; 'AD 96x96 (-For ActiveDirectory)' = @{ For = 'ActiveDirectory' }; 'Entra ID 648x648 (-For EntraId)' = @{ For = 'EntraId' } }
    $best = @{}
    foreach ($round in 1..$rounds) {
        foreach ($name in $forms.Keys) {
            $folder = Join-Path $work "r$round-$($name.GetHashCode())"
            $arguments = $forms[$name]
            [GC]::Collect()
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $saved = @($photos | Save-HeadshotPhoto -Path $folder -FileName '{PhotoId}.jpg' @arguments)
            $seconds = $watch.Elapsed.TotalSeconds
            if ($saved.Count -ne $count) { throw "$name saved $($saved.Count) of $count." }
            if (-not $best.ContainsKey($name) -or $seconds -lt $best[$name].Seconds) {
                $best[$name] = [pscustomobject]@{ Seconds = $seconds; Bytes = ($saved | Measure-Object Bytes -Average).Average; Quality = ($saved | Measure-Object Quality -Minimum).Minimum }
            }
            Remove-Item $folder -Recurse -Force
        }
    }

    # One photo's form on one core, in this process: decode, crop, resize, encode, write (the median of 15).
    $oneCore = [ordered]@{}
    foreach ($form in @([HeadshotPro.Client.Imaging.PhotoForm]::ActiveDirectory, [HeadshotPro.Client.Imaging.PhotoForm]::EntraId)) {
        $times = foreach ($i in 1..15) {
            $target = Join-Path $work "one-$i.jpg"
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $null = [HeadshotPro.Client.Imaging.DirectoryPhoto]::Make($sample.Path, $target, $form, $null, [Threading.CancellationToken]::None)
            $watch.Elapsed.TotalMilliseconds
            Remove-Item $target
        }
        $oneCore["$($form.PixelSize)"] = ($times | Sort-Object)[7]
    }

    $alone = $best['as sent (download alone)'].Seconds
    $rows = foreach ($name in $forms.Keys) {
        $b = $best[$name]
        $side = if ($name -like 'AD*') { '96' } elseif ($name -like 'Entra*') { '648' }
        [pscustomobject]@{
            What                     = $name
            Seconds                  = [math]::Round($b.Seconds, 2)
            'ms/photo'               = [math]::Round($b.Seconds * 1000 / $count, 1)
            'ms/photo added'         = if ($side) { [math]::Round(($b.Seconds - $alone) * 1000 / $count, 1) }
            'one photo, one core ms' = if ($side) { [math]::Round($oneCore[$side], 1) }
            'avg bytes'              = [math]::Round($b.Bytes)
            'lowest quality'         = $b.Quality
        }
    }
    "$count photos of 1 MB ($((Get-Item $sample.Path).Length) bytes each; the sandbox's 1 MB photo is 1,520x1,900), Save-HeadshotPhoto -ThrottleLimit 5, the best of $rounds rounds:"
    $rows | Format-Table -AutoSize | Out-String -Width 200
    "Machine: $([Environment]::ProcessorCount) cores, $([System.Runtime.InteropServices.RuntimeInformation]::OSDescription), PowerShell $($PSVersionTable.PSVersion), $(Get-Date -Format 'yyyy-MM-dd')"
}
finally {
    Disconnect-HeadshotPro
    $sandbox | Stop-HeadshotSandbox
    if (Test-Path $work) { Remove-Item $work -Recurse -Force }
}

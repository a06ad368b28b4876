#Requires -Version 7.4
# Save-HeadshotPhoto end to end: the built module in this pwsh against a sandbox process. Memory over a long run of
# downloads (what a hosted xUnit runspace cannot show: this process's working set), with a time limit.

BeforeAll {
    $root = Resolve-Path "$PSScriptRoot/../.."
    Import-Module "$root/src/HeadshotPro.Sandbox/SandboxProcess.psm1" -Force
    Import-Module "$root/out/HeadshotPro" -Force

    # Runs a script in a fresh runspace of this process (so its memory is this process's), connected to the sandbox;
    # stops it and fails when it runs past $Seconds.
    function Invoke-Connected($Runspace, [scriptblock] $Script, [object[]] $Arguments, [int] $Seconds) {
        $ps = [powershell]::Create($Runspace)
        try {
            $null = $ps.AddScript($Script)
            foreach ($a in $Arguments) { $null = $ps.AddArgument($a) }
            $async = $ps.BeginInvoke()
            if (-not $async.AsyncWaitHandle.WaitOne($Seconds * 1000)) {
                $ps.Stop()
                throw "The run did not finish within $Seconds s."
            }
            $output = $ps.EndInvoke($async)
            [pscustomobject]@{ Output = @($output); Errors = @($ps.Streams.Error) }
        }
        finally {
            $ps.Dispose()
        }
    }
}

Describe 'Saving photos' {
    It 'saves photos that come back from a job (serialized by a child process) as the photos they were' {
        $sandbox = Start-HeadshotSandbox -Arguments '--photo-bytes', '0'
        try {
            Connect-HeadshotPro -ApiKey $sandbox.ApiKey -BaseUri $sandbox.BaseUri
            $null = 'ann@corp.example', 'bob@corp.example' | New-HeadshotInvite
            foreach ($p in 'ann@corp.example', 'bob@corp.example') {
                $null = Invoke-HeadshotSandboxControl $sandbox "people/$([uri]::EscapeDataString($p))/advance" @{ to = 'completed'; favorite = $true; photos = 2 }
            }
            $key = [pscredential]::new('key', $sandbox.ApiKey).GetNetworkCredential().Password
            $job = Start-Job -ArgumentList "$root/out/HeadshotPro", $sandbox.BaseUri.ToString(), $key {
                param($module, $uri, $key)
                Import-Module $module
                $env:HEADSHOTPRO_API_KEY = $key
                $env:HEADSHOTPRO_BASE_URI = $uri
                Get-HeadshotPhoto -Email ann@corp.example, bob@corp.example -Favorite
            }
            try {
                $null = $job | Wait-Job -Timeout 60
                $job.State | Should -Be 'Completed'
                $photos = @($job | Receive-Job -ErrorVariable jobErrors)
            }
            finally {
                $job | Remove-Job -Force
            }
            $jobErrors | Should -BeNullOrEmpty
            $photos.Count | Should -Be 2
            $photos[0].pstypenames[0] | Should -Be 'Deserialized.HeadshotPro.Photo'

            $folder = Join-Path $TestDrive 'from-job'
            $saved = @($photos | Save-HeadshotPhoto -Path $folder -ErrorVariable saveErrors)
            $saveErrors | Should -BeNullOrEmpty
            ($saved | Sort-Object Email).Email | Should -Be @('ann@corp.example', 'bob@corp.example')
            ($saved | Sort-Object Email).PhotoId | Should -Be @(($photos | Sort-Object Email).PhotoId)
            $saved.IsFavorite | Should -Be @($true, $true)
            (Get-ChildItem $folder -Force -File).Name | Sort-Object | Should -Be @('ann@corp.example.jpg', 'bob@corp.example.jpg')
        }
        finally {
            Disconnect-HeadshotPro
            $sandbox | Stop-HeadshotSandbox
        }
    }

    It 'keeps memory flat over 2,000 downloads, with nothing partial left, within 5 minutes' {
        $big = Start-HeadshotSandbox -Arguments '--rate-limit', '0', '--photo-bytes', '0', '--credits', '1000'
        $runspace = [runspacefactory]::CreateRunspace()
        $runspace.Open()
        try {
            Connect-HeadshotPro -ApiKey $big.ApiKey -BaseUri $big.BaseUri
            $people = 1..20 | ForEach-Object { "photo$_@corp.example" }
            $null = $people | New-HeadshotInvite
            foreach ($p in $people) {
                $null = Invoke-HeadshotSandboxControl $big "people/$([uri]::EscapeDataString($p))/advance" @{ to = 'completed'; photos = 100 }
            }
            $null = Invoke-Connected $runspace {
                param($module, $uri, $key)
                Import-Module $module
                Connect-HeadshotPro -ApiKey $key -BaseUri $uri
            } @("$root/out/HeadshotPro", $big.BaseUri, $big.ApiKey) 60

            # Warm up: one person's 100 photos, so the first download's one-time costs are not counted.
            $warm = Invoke-Connected $runspace {
                param($folder)
                @(Get-HeadshotModel -First 1 | Get-HeadshotPhoto | Save-HeadshotPhoto -Path $folder -FileName '{PhotoId}.jpg').Count
            } @((Join-Path $TestDrive 'warm')) 120
            $warm.Output | Should -Be @(100)

            [GC]::Collect(); [GC]::WaitForPendingFinalizers()
            $before = [Diagnostics.Process]::GetCurrentProcess().WorkingSet64
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $folder = Join-Path $TestDrive 'photos'
            $run = Invoke-Connected $runspace {
                param($folder)
                $count = 0
                Get-HeadshotModel | Get-HeadshotPhoto | Save-HeadshotPhoto -Path $folder -FileName '{Email}-{PhotoId}.jpg' -ThrottleLimit 8 |
                    ForEach-Object { $count++ }
                $count
            } @($folder) 300
            $seconds = $watch.Elapsed.TotalSeconds
            [GC]::Collect(); [GC]::WaitForPendingFinalizers()
            $grown = ([Diagnostics.Process]::GetCurrentProcess().WorkingSet64 - $before) / 1MB

            $run.Errors | Should -BeNullOrEmpty
            $run.Output | Should -Be @(2000)
            $files = @(Get-ChildItem $folder -Force -File)
            $files.Count | Should -Be 2000
            $files | Where-Object Name -like '*.part' | Should -BeNullOrEmpty
            (Invoke-HeadshotSandboxControl $big 'photo-journal').journal | Where-Object authorization -ne 'absent' | Should -BeNullOrEmpty
            $grown | Should -BeLessThan 50
            Write-Host ("    working set grew {0:0.0} MB over 2,000 downloads ({1:N0} KB each) in {2:0.0} s" -f $grown, ($files[0].Length / 1KB), $seconds)
        }
        finally {
            $runspace.Dispose()
            Disconnect-HeadshotPro
            $big | Stop-HeadshotSandbox
        }
    }
}

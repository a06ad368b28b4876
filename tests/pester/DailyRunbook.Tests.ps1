#Requires -Version 7.4
# docs/examples/Invoke-DailyHeadshotRunbook.ps1 against a sandbox, with the directory stand-ins as Active Directory:
# the first run invites the joiners and revokes the leaver, the second changes nothing and reports no errors; with
# -PhotoFolder, finished people's favorites become their AD thumbnailPhoto — found by the address AD knows though one
# signed up with a personal address — once, a changed favorite on the next run, and a failed one on the run after.

BeforeAll {
    $root = (Resolve-Path "$PSScriptRoot/../..").Path
    Import-Module "$root/src/HeadshotPro.Sandbox/SandboxProcess.psm1" -Force
    Import-Module "$root/out/HeadshotPro" -Force
    Import-Module "$root/tests/shapes/DirectoryStandIns.psm1" -Force
    $script:sandbox = Start-HeadshotSandbox -Arguments '--credits', '50'
    Set-StandInDirectory -People @(
        @{ SamAccountName = 'ann'; GivenName = 'Ann'; Surname = 'Lee'; Mail = 'ann.lee@contoso.example'; Groups = 'NewHires' }
        @{ SamAccountName = 'bob'; GivenName = 'Bob'; Surname = 'Meyer'; Mail = 'bob.meyer@contoso.example'; Groups = 'NewHires' }
        @{ SamAccountName = 'leo'; GivenName = 'Leo'; Surname = 'Old'; Mail = 'leo.old@contoso.example'; Enabled = $false }
        @{ SamAccountName = 'max'; GivenName = 'Max'; Surname = 'Gone'; Mail = 'max.gone@contoso.example'; Enabled = $false }
        # Staged before the start date: in the joiners' group, but disabled — never invited (it would be revoked daily).
        @{ SamAccountName = 'pat'; GivenName = 'Pat'; Surname = 'Soon'; Mail = 'pat.soon@contoso.example'; Groups = 'NewHires'; Enabled = $false }
    )
    # As in Azure Automation: the key is a credential asset; the sandbox's address comes from the environment.
    Set-StandInAutomationCredential -Name HeadshotPro -Credential ([pscredential]::new('api', $sandbox.ApiKey))
    $env:HEADSHOTPRO_BASE_URI = $sandbox.BaseUri
    Connect-HeadshotPro -ApiKey $sandbox.ApiKey -BaseUri $sandbox.BaseUri
    $null = New-HeadshotInvite leo.old@contoso.example   # a leaver who was invited; max never was
    $script:runbook = "$root/docs/examples/Invoke-DailyHeadshotRunbook.ps1"
}

AfterAll {
    $env:HEADSHOTPRO_BASE_URI = $null
    Disconnect-HeadshotPro
    $sandbox | Stop-HeadshotSandbox
}

Describe 'The daily runbook example' {
    It 'invites the joiners, revokes the leaver and says so in one line' {
        $output = @(& $runbook -JoinersGroup NewHires -ErrorVariable errors 3>$null)
        $errors | Should -BeNullOrEmpty
        $output | Should -Be @('HeadshotPro daily run: 2 invited, 0 already invited, 1 revoked, 0 photos set, 0 failed.')
        $invites = (Invoke-HeadshotSandboxControl $sandbox state).invites
        ($invites | Where-Object status -EQ 'pending-invite').email | Sort-Object | Should -Be @('ann.lee@contoso.example', 'bob.meyer@contoso.example')
        ($invites | Where-Object email -EQ 'leo.old@contoso.example').status | Should -Be 'revoked'
        $invites.email | Should -Not -Contain 'pat.soon@contoso.example'
    }

    It 'changes nothing and reports no error when run again' {
        $before = (Invoke-HeadshotSandboxControl $sandbox state).credits
        $output = @(& $runbook -JoinersGroup NewHires -ErrorVariable errors)
        $errors | Should -BeNullOrEmpty
        $output | Should -Be @('HeadshotPro daily run: 0 invited, 2 already invited, 0 revoked, 0 photos set, 0 failed.')
        (Invoke-HeadshotSandboxControl $sandbox state).credits | Should -Be $before
    }

    It 'sets each finished person''s favorite as their AD thumbnail once, a changed one on the next run, a failed one on the run after' {
        $null = Invoke-HeadshotSandboxControl $sandbox 'people/ann.lee%40contoso.example/advance' @{ to = 'completed'; favoritePhoto = 1; photos = 3; activeEmail = 'ann.lee@home.example' }
        $null = Invoke-HeadshotSandboxControl $sandbox 'people/bob.meyer%40contoso.example/advance' @{ to = 'completed'; favoritePhoto = 1; photos = 3 }
        $photos = "$TestDrive/thumbnails"
        function Get-Sets([string] $Sam) { (Get-StandInPhoto | Where-Object { $_.Where -eq 'AD' -and $_.SamAccountName -eq $Sam }).Sets }

        & $runbook -JoinersGroup NewHires -PhotoFolder $photos | Should -Be 'HeadshotPro daily run: 0 invited, 2 already invited, 0 revoked, 2 photos set, 0 failed.'
        (Get-Sets ann), (Get-Sets bob) | Should -Be @(1, 1)
        & $runbook -JoinersGroup NewHires -PhotoFolder $photos | Should -Be 'HeadshotPro daily run: 0 invited, 2 already invited, 0 revoked, 0 photos set, 0 failed.'

        $null = Invoke-HeadshotSandboxControl $sandbox 'people/ann.lee%40contoso.example/advance' @{ to = 'completed'; favoritePhoto = 2 }
        Set-StandInFailure -Command Set-ADUser
        & $runbook -JoinersGroup NewHires -PhotoFolder $photos 2>$null | Should -Be 'HeadshotPro daily run: 0 invited, 2 already invited, 0 revoked, 0 photos set, 1 failed.'
        & $runbook -JoinersGroup NewHires -PhotoFolder $photos | Should -Be 'HeadshotPro daily run: 0 invited, 2 already invited, 0 revoked, 1 photos set, 0 failed.'
        (Get-Sets ann), (Get-Sets bob) | Should -Be @(2, 1)
    }
}

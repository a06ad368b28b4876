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
        $files = @(Get-ChildItem $photos -Filter *.jpg)
        $files.Count | Should -Be 2
        $files | ForEach-Object { $_.Length | Should -BeLessOrEqual 10000 }
        & $runbook -JoinersGroup NewHires -PhotoFolder $photos | Should -Be 'HeadshotPro daily run: 0 invited, 2 already invited, 0 revoked, 0 photos set, 0 failed.'

        $null = Invoke-HeadshotSandboxControl $sandbox 'people/ann.lee%40contoso.example/advance' @{ to = 'completed'; favoritePhoto = 2 }
        Set-StandInFailure -Command Set-ADUser
        & $runbook -JoinersGroup NewHires -PhotoFolder $photos 2>$null | Should -Be 'HeadshotPro daily run: 0 invited, 2 already invited, 0 revoked, 0 photos set, 1 failed.'
        & $runbook -JoinersGroup NewHires -PhotoFolder $photos | Should -Be 'HeadshotPro daily run: 0 invited, 2 already invited, 0 revoked, 1 photos set, 0 failed.'
        (Get-Sets ann), (Get-Sets bob) | Should -Be @(2, 1)
    }
}

Describe 'The daily runbook example''s opt-ins: leavers'' headshots deleted, expired invites sent again' {
    BeforeAll {
        $null = Invoke-HeadshotSandboxControl $sandbox reset
        Set-StandInDirectory -People @(
            @{ SamAccountName = 'ann'; GivenName = 'Ann'; Surname = 'Lee'; Mail = 'ann.lee@contoso.example'; Groups = 'NewHires' }
            @{ SamAccountName = 'kim'; GivenName = 'Kim'; Surname = 'New'; Mail = 'kim.new@contoso.example'; Groups = 'NewHires' }
            @{ SamAccountName = 'liv'; GivenName = 'Liv'; Surname = 'Left'; Mail = 'liv.left@contoso.example'; Enabled = $false }
            @{ SamAccountName = 'leo'; GivenName = 'Leo'; Surname = 'Old'; Mail = 'leo.old@contoso.example'; Enabled = $false }
        )
        $null = 'ann.lee@contoso.example', 'liv.left@contoso.example', 'leo.old@contoso.example' | New-HeadshotInvite
        $null = New-HeadshotInvite kim.new@contoso.example -Team Marketing
        # liv finished (and signed up with a personal address) before she left; kim never used her invite, sent 31 days ago.
        $null = Invoke-HeadshotSandboxControl $sandbox 'people/liv.left%40contoso.example/advance' @{ to = 'completed'; favorite = $true; photos = 3; activeEmail = 'liv@home.example' }
        $null = Invoke-HeadshotSandboxControl $sandbox 'invites/age' @{ days = 31; email = 'kim.new@contoso.example' }
        $script:kimBefore = Get-HeadshotInvite kim.new@contoso.example
        $script:livModel = (Get-HeadshotInvite liv.left@contoso.example).ModelId
        # Invites, revokes and deletes (a balance read is a POST too, on v1).
        function script:Get-Changes {
            @((Invoke-HeadshotSandboxControl $sandbox journal).journal | Where-Object { $_.method -eq 'DELETE' -or $_.method -eq 'POST' -and $_.path -notlike '*/credits' })
        }
    }

    It 'in a dry run names each expired invite and each leaver''s model, and changes nothing' {
        $before = (Get-Changes).Count
        $transcript = "$TestDrive/dry-run.txt"
        $null = Start-Transcript $transcript
        try { $output = @(& $runbook -JoinersGroup NewHires -RemoveLeaverHeadshots -ResendExpiredInvites -WhatIf -ErrorVariable errors) }
        finally { $null = Stop-Transcript }
        $errors | Should -BeNullOrEmpty
        (Get-Changes).Count | Should -Be $before
        $said = Get-Content $transcript -Raw
        $said | Should -Match ([regex]::Escape("kim.new@contoso.example (invite $($kimBefore.Id), sent $($kimBefore.CreatedAt.ToString('d')), expired $($kimBefore.ExpiresAt.ToString('d')))"))
        $said | Should -Match ([regex]::Escape("liv.left@contoso.example (signed up as liv@home.example): model $livModel, active, 3 photos"))
        $output[-1] | Should -Be "HeadshotPro daily run: 0 invited, 2 already invited, 0 revoked, 0 photos set, 0 leavers' headshots deleted, 0 expired invites sent again, 0 failed."
    }

    It 'deletes the leaver''s headshots and sends the expired invite again, into its team, and the next run has nothing to do' {
        $credits = (Get-HeadshotCredits).Credits
        & $runbook -JoinersGroup NewHires -RemoveLeaverHeadshots -ResendExpiredInvites -ErrorVariable errors |
            Should -Be "HeadshotPro daily run: 0 invited, 2 already invited, 2 revoked, 0 photos set, 1 leavers' headshots deleted, 1 expired invites sent again, 0 failed."
        $errors | Should -BeNullOrEmpty
        (Get-HeadshotModel -Id $livModel).Status | Should -Be 'deleted'
        @(Get-HeadshotPhoto -ModelId $livModel) | Should -BeNullOrEmpty
        $kim = Get-HeadshotInvite kim.new@contoso.example
        $kim.Id | Should -Not -Be $kimBefore.Id
        $kim.Status, $kim.TeamName, $kim.IsExpired | Should -Be @('pending', 'Marketing', $false)
        (Get-HeadshotInvite kim.new@contoso.example -Status revoked).Id | Should -Be $kimBefore.Id
        (Get-HeadshotCredits).Credits | Should -Be ($credits + 1) -Because 'leo''s pending invite was revoked; kim''s credit moved to her new invite'

        & $runbook -JoinersGroup NewHires -RemoveLeaverHeadshots -ResendExpiredInvites -ErrorVariable errors |
            Should -Be "HeadshotPro daily run: 0 invited, 2 already invited, 0 revoked, 0 photos set, 0 leavers' headshots deleted, 0 expired invites sent again, 0 failed."
        $errors | Should -BeNullOrEmpty
        @((Invoke-HeadshotSandboxControl $sandbox journal).journal | Where-Object method -EQ 'DELETE').Count | Should -Be 1
    }
}

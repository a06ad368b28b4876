#Requires -Version 7.4
# A person is not an address, end to end in pwsh against a sandbox process with the directory stand-ins: someone who
# signs up with a personal address, and someone invited again after a revoke (on a sandbox that lists newest first),
# followed from New-HeadshotInvite through every cmdlet to their directory photo, always by the address AD knows.

BeforeAll {
    $root = (Resolve-Path "$PSScriptRoot/../..").Path
    Import-Module "$root/src/HeadshotPro.Sandbox/SandboxProcess.psm1" -Force
    Import-Module "$root/out/HeadshotPro" -Force
    Import-Module "$root/tests/shapes/DirectoryStandIns.psm1" -Force
    $script:sandbox = Start-HeadshotSandbox -Arguments '--credits', '50', '--list-order', 'newest-first'
    Connect-HeadshotPro -ApiKey $sandbox.ApiKey -BaseUri $sandbox.BaseUri
    Set-StandInDirectory -People @(
        @{ SamAccountName = 'zoe'; GivenName = 'Zoe'; Surname = 'Park'; Mail = 'zoe.park@contoso.example'; Groups = 'NewHires'; UserPrincipalName = 'zoe@contoso.onmicrosoft.example' }
        @{ SamAccountName = 'max'; GivenName = 'Max'; Surname = 'Berg'; Mail = 'max.berg@contoso.example'; Groups = 'NewHires'; UserPrincipalName = 'max@contoso.onmicrosoft.example' }
    )
    # README's AD thumbnailPhoto recipe, as written.
    $readme = Get-Content "$root/README.md" -Raw
    $script:adRecipe = [regex]::Matches($readme, '(?ms)^```powershell\r?\n(?<code>.*?)^```') | ForEach-Object { $_.Groups['code'].Value } |
        Where-Object { $_.StartsWith('# AD thumbnailPhoto') } | Select-Object -First 1
    if (-not $adRecipe) { throw "README.md has no block starting '# AD thumbnailPhoto'." }

    function Move-Person([string] $Email, [hashtable] $Body) {
        $null = Invoke-HeadshotSandboxControl $sandbox "people/$([uri]::EscapeDataString($Email))/advance" $Body
    }
    function Get-Thumbnail([string] $Sam) { Get-StandInPhoto | Where-Object { $_.Where -eq 'AD' -and $_.SamAccountName -eq $Sam } }
}

AfterAll {
    Disconnect-HeadshotPro
    $sandbox | Stop-HeadshotSandbox
}

Describe 'Someone who signs up with a personal address' {
    BeforeAll {
        $script:zoe = 'zoe.park@contoso.example'
        $script:personal = 'zoe.park@contoso.personal.example'
        $script:invite = Get-ADUser zoe -Properties mail | New-HeadshotInvite -Team Marketing
        $null = Invoke-HeadshotSandboxControl $sandbox settings @{ personalAddressShare = 1 }
        Move-Person $zoe @{ to = 'accepted' }
        $null = Invoke-HeadshotSandboxControl $sandbox settings @{ personalAddressShare = 0 }
    }

    It 'is invited at the address AD knows' {
        $invite.Email | Should -Be $zoe
        $invite.Outcome | Should -Be 'Created'
    }

    It 'has an invite that says accepted, with the sign-up address and the model beside the invited one' {
        $now = Get-HeadshotInvite -Email $zoe
        $now.Id | Should -Be $invite.Id
        $now.Status | Should -Be 'accepted'
        $now.SignUpEmail | Should -Be $personal
        $now.ModelId | Should -Not -BeNullOrEmpty
        (Get-HeadshotInvite -Status accepted).Email | Should -Be @($zoe)
        ($invite | Get-HeadshotInvite).SignUpEmail | Should -Be $personal
    }

    It 'is a member found from her AD user, and put into a team by the address AD knows' {
        $member = Get-ADUser zoe -Properties mail | Get-HeadshotMember
        $member.Email | Should -Be $zoe
        $member.SignUpEmail | Should -Be $personal
        $assigned = Add-HeadshotTeamMember -Team Engineering -Email $zoe -PassThru
        $assigned.Email | Should -Be $zoe
        $assigned.SignUpEmail | Should -Be $personal
        (Get-ADUser zoe -Properties mail | Get-HeadshotTeam).Name | Should -Be 'Engineering'
        (Get-HeadshotTeam Engineering | Get-HeadshotMember).Email | Should -Be @($zoe)
    }

    It 'has a model and a favorite found from her invite and her address' {
        Move-Person $zoe @{ to = 'completed'; favorite = $true; photos = 4 }
        $model = $invite | Get-HeadshotModel
        $model.Email | Should -Be $zoe
        $model.SignUpEmail | Should -Be $personal
        $favorite = $zoe | Get-HeadshotPhoto -Favorite
        $favorite.Email | Should -Be $zoe
        $favorite.ModelId | Should -Be $model.Id
        @(Get-HeadshotPhoto -Team Engineering).Email | Should -Be @($zoe)
    }

    It 'gets her AD thumbnailPhoto from the README recipe, and a report joined on Email loses her not' {
        Push-Location (New-Item -ItemType Directory "$TestDrive/zoe")
        try { & ([scriptblock]::Create($adRecipe)) } finally { Pop-Location }
        Get-Thumbnail zoe | Should -Not -BeNullOrEmpty
        Test-Path "$TestDrive/zoe/thumbnails/$zoe.jpg" | Should -BeTrue
        $finished = Get-HeadshotMember -Status finished
        (Get-ADGroupMember NewHires | Get-ADUser -Properties mail | Where-Object { $_.mail -in $finished.Email }).SamAccountName | Should -Be @('zoe')
    }
}

Describe 'Someone invited again after a revoke, on a sandbox that lists newest first' {
    BeforeAll {
        $script:max = 'max.berg@contoso.example'
        $script:first = New-HeadshotInvite $max
        $script:revoked = Revoke-HeadshotInvite $max -Force -PassThru
        $script:second = New-HeadshotInvite $max -Team Marketing
        Move-Person $max @{ to = 'accepted'; activeEmail = 'maxb@mail.example' }
    }

    It 'revoked the first invite, and the run that made the second reports it as created' {
        $revoked.Id | Should -Be $first.Id
        $second.Outcome | Should -Be 'Created'
        $second.Id | Should -Not -Be $first.Id
    }

    It 'is found at the current invite by address, and each invite keeps its own status' {
        (Get-HeadshotInvite -Email $max).Id | Should -Be $second.Id
        $both = Get-HeadshotInvite -Email 'max.berg@*'
        ($both | Where-Object Id -EQ $first.Id).Status | Should -Be 'revoked'
        ($both | Where-Object Id -EQ $second.Id).Status | Should -Be 'accepted'
        ($both | Where-Object Id -EQ $second.Id).SignUpEmail | Should -Be 'maxb@mail.example'
    }

    It 'is not revoked again through the old invite object, and the current invite stays' {
        $first | Revoke-HeadshotInvite -Force -ErrorAction SilentlyContinue -ErrorVariable stale
        $stale.Count | Should -Be 1
        $stale[0].FullyQualifiedErrorId | Should -BeLike 'InviteNotFound*'
        "$($stale[0])" | Should -Match $second.Id
        (Get-HeadshotInvite -Id $second.Id).Status | Should -Be 'accepted'
    }

    It 'goes on to a model, a favorite and an AD thumbnail by the address AD knows' {
        Add-HeadshotTeamMember -Team Engineering -Email $max
        Move-Person $max @{ to = 'completed'; favorite = $true; photos = 2 }
        ($second | Get-HeadshotModel).Email | Should -Be $max
        ($max | Get-HeadshotPhoto -Favorite).Email | Should -Be $max
        Push-Location (New-Item -ItemType Directory "$TestDrive/max")
        try { & ([scriptblock]::Create($adRecipe)) } finally { Pop-Location }
        Get-Thumbnail max | Should -Not -BeNullOrEmpty
    }
}

#Requires -Version 7.4
# Every ```powershell block of README.md and docs/**/*.md runs here, each in a fresh runspace with the built module
# (out/HeadshotPro), the directory stand-ins (tests/shapes) seeded with the people the examples name, a connection to
# a sandbox process, and a fresh folder as the current location. A block passes when it ends without a terminating
# error or an error record, meets no error but those $ExpectedErrors names (errors it silences with -ErrorAction
# SilentlyContinue or catches count), and shows what $Expected says it is for. Blocks that cannot run here are in
# $CannotRun (one reason each); blocks that fail today because of the docs or the module are in $KnownFailures (each
# still has to fail the way it says, so a fix shows up as a failure of that table).

BeforeDiscovery {
    $root = (Resolve-Path "$PSScriptRoot/../..").Path

    # Blocks that cannot run against the sandbox here. Keys are "<file> :: <heading>" (" [n]" for the n-th block under
    # one heading).
    $CannotRun = [ordered]@{
        'README.md :: Install'                                                = 'installs from a PSResourceGet repository'
        'README.md :: Install [2]'                                            = 'runs the build (./build.ps1 Build) from the repository root; the tests use its output'
        'README.md :: Rehearse against the sandbox'                           = 'runs the build (./build.ps1 Build) and paths relative to the repository root'
        'docs/sandbox.md :: Start it'                                         = 'runs the sandbox in the foreground until Ctrl+C (and dotnet builds)'
        'docs/en-US/Connect-HeadshotPro.md :: Example 1: At a prompt'         = 'Read-Host prompt'
        'docs/en-US/Connect-HeadshotPro.md :: Example 4: Behind a corporate proxy' = 'needs a proxy server and a Get-Credential prompt'
        'docs/en-US/Disconnect-HeadshotPro.md :: Example 2: Switch from the sandbox to the real service' = 'Read-Host prompt, and the real service'
        'docs/en-US/ConvertFrom-HeadshotWebhook.md :: Example 4: A listener of your own, with the secret in the environment' = 'waits for a request on a fixed port, and reads a secret file (tests/pester/Webhooks.Tests.ps1 runs a listener)'
    }

    # Blocks that fail today: the ErrorId or message they fail with, and why (a docs or module defect; not fixed here).
    $KnownFailures = [ordered]@{}

    # People at every stage for the headshot recipes: three finished with a favorite (Marketing) — two of whom signed up
    # with a personal address, one an o'brien, and only ann's UPN is her mail — one generating (Engineering), in a
    # directory whose departments name teams (one, Sales, not there yet).
    $headshotPeople = @'
Set-StandInDirectory -People @(
    @{ SamAccountName = 'ann.lee'; GivenName = 'Ann'; Surname = 'Lee'; Mail = 'ann.lee@contoso.example'; UserPrincipalName = 'ann.lee@contoso.example'; Department = 'Marketing' }
    @{ SamAccountName = 'raj.patel'; GivenName = 'Raj'; Surname = 'Patel'; Mail = 'raj.patel@contoso.example'; UserPrincipalName = 'raj@contoso.onmicrosoft.example'; Department = 'Sales' }
    @{ SamAccountName = 'liam'; GivenName = 'Liam'; Surname = "O'Brien"; Mail = "liam.o'brien@contoso.example"; UserPrincipalName = 'liam@contoso.onmicrosoft.example'; Department = 'Marketing' }
    @{ SamAccountName = 'mei.chen'; GivenName = 'Mei'; Surname = 'Chen'; Mail = 'mei.chen@contoso.example'; UserPrincipalName = 'mei.chen@contoso.example'; Department = 'Engineering' }
)
$null = 'ann.lee@contoso.example', 'raj.patel@contoso.example', "liam.o'brien@contoso.example" | New-HeadshotInvite -Team Marketing
$null = New-HeadshotInvite mei.chen@contoso.example -Team Engineering
$signUp = @{ 'ann.lee@contoso.example' = $null; 'raj.patel@contoso.example' = 'raj@home.example'; "liam.o'brien@contoso.example" = 'liam.obrien@mail.example' }
foreach ($e in $signUp.Keys) {
    $move = @{ to = 'completed'; favorite = $true; photos = 3 }
    if ($signUp[$e]) { $move.activeEmail = $signUp[$e] }
    $null = Invoke-HeadshotSandboxControl $sandbox "people/$([uri]::EscapeDataString($e))/advance" $move
}
$null = Invoke-HeadshotSandboxControl $sandbox 'people/mei.chen%40contoso.example/advance' @{ to = 'generating' }
'@
    $people = { param($because) @{ Setup = $headshotPeople; Because = $because } }

    # The leaver (leo.old, disabled in AD, invited by every example's start) finished his headshots, signing up with a
    # personal address; the old subsidiary's invite (sam@) was sent 31 days ago and never used.
    $leaverSetup = @'
$null = Invoke-HeadshotSandboxControl $sandbox 'people/leo.old%40contoso.example/advance' @{ to = 'completed'; favorite = $true; photos = 3; activeEmail = 'leo@home.example' }
$null = Invoke-HeadshotSandboxControl $sandbox 'invites/age' @{ days = 31; email = 'sam@old-subsidiary.example' }
'@
    $leaver = { param($because) @{ Setup = $leaverSetup; Because = $because } }

    # Blocks that need a particular start, and why.
    # The webhook examples start as a runbook started by HeadshotPro's webhook would: $WebhookData signed with the
    # sandbox's webhook secret, and that secret in the credential asset 'HeadshotProWebhook'.
    $webhookSetup = 'Import-Module "$root/tests/pester/WebhookTestHelpers.psm1"; $global:WebhookData = New-SignedWebhookData -Sandbox $shared -Email ann.lee@contoso.example; Set-StandInAutomationCredential -Name HeadshotProWebhook -Credential ([pscredential]::new(''webhook'', (Get-SandboxWebhookSecret)))'
    $webhookBecause = 'it verifies a delivery as a runbook started by the webhook does'
    $Preconditions = @{
        'README.md :: Headshots: progress, saving, directory photos'     = & $people 'people at every stage'
        'README.md :: Headshots: progress, saving, directory photos [2]' = & $people 'finished people with favorites in Entra ID'
        'README.md :: Headshots: progress, saving, directory photos [3]' = & $people 'finished people with favorites and mailboxes'
        'README.md :: Headshots: progress, saving, directory photos [4]' = & $people 'finished people with favorites in AD'
        'README.md :: Headshots: progress, saving, directory photos [5]' = & $people 'members and AD departments'
        'docs/en-US/Save-HeadshotPhoto.md :: Example 1: Everyone''s chosen headshot into a folder' = & $people 'finished people with favorites'
        'docs/en-US/Save-HeadshotPhoto.md :: Example 2: Set the Entra ID profile photos of people with new or changed headshots' = & $people 'finished people with favorites in Entra ID'
        'docs/en-US/Save-HeadshotPhoto.md :: Example 3: Every photo of one team''s finished people, one file per photo' = & $people 'finished Marketing people'
        'docs/en-US/Save-HeadshotPhoto.md :: Example 4: AD thumbnailPhoto, with a look first' = & $people 'finished people with favorites'
        'docs/en-US/Save-HeadshotPhoto.md :: Example 5: Another size and cap: 240×240 within 30 KB for an intranet' = & $people 'finished people with favorites'
        'docs/en-US/Save-HeadshotPhoto.md :: Example 6: List in one runbook, save in another' = & $people 'finished Marketing people with favorites'
        'docs/en-US/Get-HeadshotConnection.md :: Example 3: Check before a run, without an error' = @{ Connected = $false; Because = 'its text is about the case where there is no connection yet' }
        'docs/sandbox.md :: Start it [2]'    = @{ Location = 'root'; Because = 'its paths are relative to the repository root' }
        'docs/sandbox.md :: Lifecycle control' = @{ Setup = 'New-HeadshotInvite ann@contoso.example'; Because = 'it moves ann@contoso.example, who must be invited' }
        'docs/en-US/ConvertFrom-HeadshotWebhook.md :: Example 1: An Azure Automation runbook started by the HeadshotPro webhook' = @{ Setup = $webhookSetup; Because = $webhookBecause }
        'docs/en-US/ConvertFrom-HeadshotWebhook.md :: Example 2: Refuse replays with a store the runbook keeps' = @{ Setup = $webhookSetup; Because = $webhookBecause }
        'docs/en-US/ConvertFrom-HeadshotWebhook.md :: Example 3: Ignore a refused delivery without failing the job' = @{ Setup = $webhookSetup; Because = $webhookBecause }
        'README.md :: Event-driven runbooks: verified webhooks' = @{ Setup = $webhookSetup; Because = $webhookBecause }
        'docs/sandbox.md :: Control endpoints' = @{ Setup = 'New-HeadshotInvite ann@contoso.example'; Because = 'it moves the invite of ann@contoso.example along' }
        'docs/en-US/Remove-HeadshotModel.md :: Example 1: Leavers from AD, every day, without errors for people already gone' = & $leaver 'a leaver with headshots'
        'docs/en-US/Remove-HeadshotModel.md :: Example 2: Look first' = & $leaver 'a leaver with headshots'
        'docs/en-US/Remove-HeadshotModel.md :: Example 3: A data-protection request, with a record of what was done' = & $leaver 'a leaver with headshots'
        'docs/en-US/Remove-HeadshotModel.md :: Example 4: Asked twice, done once' = & $leaver 'a leaver with headshots'
        'docs/en-US/Remove-HeadshotModel.md :: Example 5: By model id, as a webhook event or a report gives it' = & $leaver 'a leaver with headshots'
        'docs/en-US/Get-HeadshotInvite.md :: Example 8: Invites never used before their link expired, sent again' = & $leaver 'an invite that expired unused'
        'docs/en-US/Get-HeadshotPhoto.md :: Example 5: One photo again by its id, with a fresh link to the original' = & $people 'finished people with favorites'
        'README.md :: Leavers and expired invites' = & $leaver 'a leaver with headshots and an invite that expired unused'
        'docs/sandbox.md :: Invite expiry' = @{ Setup = 'New-HeadshotInvite ann@contoso.example'; Because = 'it ages the invite of ann@contoso.example' }
    }

    # More starts: people at stages the examples read (the headshot people, a new hire who signed up, one with a finished
    # model but no favorite, a failed model, a team nobody is in).
    $newHireIn = { param($to) "`$null = New-HeadshotInvite nina.hart@contoso.example; `$null = Invoke-HeadshotSandboxControl `$sandbox 'people/nina.hart%40contoso.example/advance' @{ to = '$to'$(if ($to -eq 'completed') { '; favorite = $true' }) }" }
    foreach ($key in 'docs/en-US/Get-HeadshotMember.md :: Example 1: Everyone, and how far they are',
        'docs/en-US/Get-HeadshotMember.md :: Example 3: How many people are still uploading or generating, without reading them all',
        "docs/en-US/Get-HeadshotMember.md :: Example 4: Finished members' chosen headshots",
        "docs/en-US/Get-HeadshotMember.md :: Example 5: One team's members, and only them",
        'docs/en-US/Get-HeadshotModel.md :: Example 1: Models that are ready',
        'docs/en-US/Get-HeadshotModel.md :: Example 4: Whose model a webhook event is about',
        'docs/en-US/Get-HeadshotPhoto.md :: Example 1: Every chosen headshot of the Marketing team',
        'docs/en-US/Get-HeadshotPhoto.md :: Example 3: The photos a person liked or loved, as thumbnails',
        'docs/en-US/Get-HeadshotInvite.md :: Example 7: Who signed up with another address than the one invited',
        'docs/en-US/Add-HeadshotTeamMember.md :: Example 1: One person',
        "docs/en-US/Revoke-HeadshotInvite.md :: Example 6: One team's people, and nobody else") {
        $Preconditions[$key] = & $people 'people at every stage'
    }
    $Preconditions['docs/en-US/Get-HeadshotPhoto.md :: Example 2: Who has not chosen a favorite yet'] = @{
        Setup = $headshotPeople + "`n`$null = Invoke-HeadshotSandboxControl `$sandbox 'people/mei.chen%40contoso.example/advance' @{ to = 'completed'; favorite = `$false }"
        Because = 'a finished person without a favorite' }
    $Preconditions['docs/en-US/Get-HeadshotModel.md :: Example 3: Models of two teams that are still training or failed and are restarting'] = @{
        Setup = $headshotPeople + "`n`$null = New-HeadshotInvite zoe.ng@contoso.example -Team Marketing; `$null = Invoke-HeadshotSandboxControl `$sandbox 'people/zoe.ng%40contoso.example/advance' @{ to = 'failed' }"
        Because = 'a failed model in Marketing' }
    $Preconditions["docs/en-US/New-HeadshotInvite.md :: Example 6: Everyone in a department, in that department's team, moving those who changed department"] = @{
        Setup = "`$null = New-HeadshotInvite pia.lund@contoso.example -Team Engineering; `$null = Invoke-HeadshotSandboxControl `$sandbox 'people/pia.lund%40contoso.example/advance' @{ to = 'accepted' }"
        Because = 'a member of Marketing (by AD department) who signed up in Engineering' }
    $Preconditions['docs/en-US/Get-HeadshotMember.md :: Example 2: The first five finished members of Marketing, and who has not finished in two teams'] = & $people 'finished people, and one in Engineering still generating'
    $Preconditions['docs/en-US/Remove-HeadshotTeam.md :: Example 3: Teams nobody is in'] = @{ Setup = $headshotPeople + "`n`$null = New-HeadshotTeam Unused"; Because = 'a team nobody is in, beside teams with people' }
    $Preconditions['docs/en-US/Add-HeadshotTeamMember.md :: Example 2: Everyone who accepted, into Engineering'] = @{ Setup = & $newHireIn 'accepted'; Because = 'someone who accepted' }
    $Preconditions["docs/en-US/Get-HeadshotMember.md :: Example 6: How far an AD group's new hires are, by the address AD knows"] = @{ Setup = & $newHireIn 'accepted'; Because = 'one new hire signed up, one not' }
    $Preconditions["docs/en-US/Get-HeadshotModel.md :: Example 2: The models of an AD group's new hires"] = @{ Setup = & $newHireIn 'generating'; Because = 'one new hire with a model, one without' }
    $Preconditions['docs/en-US/Get-HeadshotPhoto.md :: Example 4: Favorites of an AD group, original size'] = @{ Setup = & $newHireIn 'completed'; Because = 'one new hire with a favorite, one without a model' }

    # What each block is for, checked on what it left: a script block given the run ($r: Text, the output as a host shows
    # it; Verbose; State and Requests, the shared sandbox's state after it and the requests it sent as "METHOD /path
    # STATUS"; OwnState, that of a sandbox it started; Photos, what the directory stand-ins were given; Connected; Folder).
    # Every runnable block has one: a block that ran without an error but showed nothing of what it is for fails.
    $Expected = @{
        'README.md :: What it is' = { param($r) $r.Text | Should -Match 'pending\s+Created\s+\S+\s+nina\.hart@contoso\.example'; $r.Text | Should -Match 'pending\s+Created\s+\S+\s+omar\.diaz@contoso\.example' }
        'README.md :: Recipes' = { param($r)
            foreach ($e in 'nina.hart', 'omar.diaz', 'quinn.roe') { Get-Invite $r.State "$e@contoso.example" | Should -Not -BeNullOrEmpty -Because "$e is invited" }
            (Get-Invite $r.State 'ann.lee@contoso.example').teamId | Should -Be 'team_marketing'
            $r.Text | Should -Match 'Values\s+:\s+\{Existing\}\s+Count\s+:\s+2'
            ($r.State.invites | Where-Object email -EQ 'leo.old@contoso.example').status | Should -Be 'revoked'
            $r.Text | Should -Match 'Sandbox Corp'
            $r.Text | Should -Match 'RateLimitRemaining' }
        'README.md :: From invite to finished headshot (API v2)' = { param($r)
            $r.Text | Should -Match 'thumbnail'
            (Get-Invite $r.State 'ann.lee@contoso.example').activeEmail | Should -Be 'ann@home.example'
            $r.State.teams.name | Should -Not -Contain 'Field Sales'
            Get-Sent $r '^DELETE /api/v2/organization/teams/\S+ 200' | Should -HaveCount 1 }
        'README.md :: Headshots: progress, saving, directory photos' = { param($r)
            $r.Text | Should -Match '3 finished'; $r.Text | Should -Match 'mei\.chen@contoso\.example\s+pending\s+generatingHeadshots'; $r.Text | Should -Match 'sam@old-subsidiary\.example' }
        'README.md :: Headshots: progress, saving, directory photos [2]' = { param($r) @($r.Photos | Where-Object Where -EQ 'Graph').Count | Should -Be 3 }
        'README.md :: Headshots: progress, saving, directory photos [3]' = { param($r) @($r.Photos | Where-Object Where -EQ 'Exchange').Count | Should -Be 3 }
        'README.md :: Headshots: progress, saving, directory photos [4]' = { param($r) @($r.Photos | Where-Object Where -EQ 'AD').Count | Should -Be 3 }
        'README.md :: Headshots: progress, saving, directory photos [5]' = { param($r)
            (Get-Invite $r.State 'raj.patel@contoso.example').teamId | Should -Be (Get-TeamId $r.State 'Sales')
            $r.Text | Should -Match 'Values\s+:\s+\{Sales\}\s+Count\s+:\s+1' }
        'README.md :: Event-driven runbooks: verified webhooks' = { param($r) $r.Text | Should -Match 'main\s+loved\s+True\s+\S+ \S+\s+ann\.lee@contoso\.example' }
        'docs/sandbox.md :: Start it [2]' = { param($r) $r.Text | Should -Match 'credits\s+:\s+25' }
        'docs/sandbox.md :: Lifecycle control' = { param($r) (Get-Invite $r.State 'ann@contoso.example').stage | Should -Be 'completed' }
        'docs/sandbox.md :: Timed lifecycle' = { param($r) $r.OwnState.settings.lifecycleSeconds | Should -Be 5 }
        'docs/sandbox.md :: Who a person is' = { param($r) $r.State.settings.personalAddressShare | Should -Be 0.5 }
        'docs/sandbox.md :: Outages' = { param($r) $r.OwnState.settings.outageSeconds | Should -Be 2 }
        'docs/sandbox.md :: Webhooks' = { param($r) $r.State.settings.webhookRetrySchedule | Should -Be '0,0.2,0.4' }
        'docs/sandbox.md :: Control endpoints' = { param($r)
            $r.State.credits | Should -Be 0; $r.State.settings.latencyMs | Should -Be 200
            (Get-Invite $r.State 'ann@contoso.example').activeEmail | Should -Be 'ann@home.example'
            $r.Text | Should -Match 'organization/invites' }
        'docs/en-US/Add-HeadshotTeamMember.md :: Example 1: One person' = { param($r) $r.Text | Should -Match 'Marketing\s+team_marketing\s+\S+@' }
        'docs/en-US/Add-HeadshotTeamMember.md :: Example 2: Everyone who accepted, into Engineering' = { param($r) (Get-Invite $r.State 'nina.hart@contoso.example').teamId | Should -Be 'team_engineering' }
        'docs/en-US/Add-HeadshotTeamMember.md :: Example 3: An AD department, checking first' = { param($r) Get-Sent $r '^(POST|PUT|PATCH|DELETE) /api/v2/' | Should -BeNullOrEmpty }
        'docs/en-US/Connect-HeadshotPro.md :: Example 2: In an Azure Automation runbook' = { param($r) $r.Connected | Should -BeTrue; Get-Sent $r '^GET /api/v\d/organization 200$' | Should -HaveCount 1 -Because 'it checks the key by reading the organization' }
        'docs/en-US/Connect-HeadshotPro.md :: Example 3: Against the sandbox, through a proxy-free loopback, with a longer rate-limit allowance' = { param($r)
            $r.OwnState | Should -Not -BeNullOrEmpty; $r.Text | Should -Match 'Connect-HeadshotPro'; Get-Sent $r '.' | Should -BeNullOrEmpty -Because 'it connects to its own sandbox' }
        'docs/en-US/ConvertFrom-HeadshotWebhook.md :: Example 1: An Azure Automation runbook started by the HeadshotPro webhook' = { param($r) $r.Text | Should -Match 'ann\.lee@contoso\.example\s+[0-9a-f]{24}\s+http' }
        'docs/en-US/ConvertFrom-HeadshotWebhook.md :: Example 2: Refuse replays with a store the runbook keeps' = { param($r)
            $r.Text | Should -Match 'Event\s+:\s+model\.favorite_selected'
            Get-Content (Join-Path $r.Folder 'headshotpro-seen-events.txt') -Raw | Should -Match ' evt_' }
        'docs/en-US/ConvertFrom-HeadshotWebhook.md :: Example 3: Ignore a refused delivery without failing the job' = { param($r) $r.Text | Should -Match 'Accepted model\.favorite_selected for model [0-9a-f]{24}' }
        'docs/en-US/Disconnect-HeadshotPro.md :: Example 1: End a runbook cleanly' = { param($r) $r.Text | Should -Match 'nina\.hart@contoso\.example'; $r.Connected | Should -BeFalse }
        'docs/en-US/Disconnect-HeadshotPro.md :: Example 3: See what happened' = { param($r) $r.Connected | Should -BeFalse; $r.Verbose | Should -Not -BeNullOrEmpty }
        'docs/en-US/Get-HeadshotConnection.md :: Example 1: Where am I connected?' = { param($r) $r.Text | Should -Match 'BaseUri\s+:\s+http://127\.0\.0\.1:\d+/api/v1/\s+ApiKeyHint\s+:\s+\*{4}\w{4}\s+Source\s+:\s+Connect-HeadshotPro' }
        'docs/en-US/Get-HeadshotConnection.md :: Example 2: Every detail' = { param($r) $r.Text | Should -Match 'RateLimitRemaining\s+:\s+\d+'; $r.Text | Should -Match 'TimeoutSec\s+:\s+\d+' }
        'docs/en-US/Get-HeadshotConnection.md :: Example 3: Check before a run, without an error' = { param($r) $r.Connected | Should -BeTrue }
        'docs/en-US/Get-HeadshotCredits.md :: Example 1: The balance' = { param($r) $r.Text | Should -Match 'Credits\s+RetrievedAt\s+-+\s+-+\s+998\s' }
        'docs/en-US/Get-HeadshotCredits.md :: Example 2: Stop a runbook early when there are not enough credits' = { param($r) Get-Invite $r.State 'nina.hart@contoso.example' | Should -Not -BeNullOrEmpty }
        'docs/en-US/Get-HeadshotCredits.md :: Example 3: Log it' = { param($r) (Import-Csv (Join-Path $r.Folder 'credits-log.csv')).Credits | Should -Be '998' }
        'docs/en-US/Get-HeadshotInvite.md :: Example 1: A status report' = { param($r) $r.Text | Should -Match '2 pending' }
        'docs/en-US/Get-HeadshotInvite.md :: Example 2: Who has not started yet, for a reminder' = { param($r) $r.Text | Should -Match 'leo\.old@contoso\.example\s+pending'; $r.Text | Should -Match 'sam@old-subsidiary\.example\s+pending' }
        'docs/en-US/Get-HeadshotInvite.md :: Example 3: Follow invites just sent' = { param($r) ([regex]::Matches($r.Text, '(?m)^pending\s.*@contoso\.example\s*$')).Count | Should -Be 5 }
        'docs/en-US/Get-HeadshotInvite.md :: Example 4: One domain' = { param($r) $r.Text | Should -Match 'leo\.old@contoso\.example'; $r.Text | Should -Not -Match 'old-subsidiary' }
        'docs/en-US/Get-HeadshotInvite.md :: Example 5: One invite by its id, given by position' = { param($r) $r.Text | Should -Match '(?m)^pending\s.*leo\.old@contoso\.example' }
        'docs/en-US/Get-HeadshotInvite.md :: Example 6: Pending invites per team' = { param($r) $r.Text | Should -Match 'Count Name\s+-+ -+\s+2\s' }
        'docs/en-US/Get-HeadshotInvite.md :: Example 7: Who signed up with another address than the one invited' = { param($r) $r.Text | Should -Match 'raj\.patel@contoso\.example\s+raj@home\.example'; $r.Text | Should -Not -Match 'mei\.chen' }
        'docs/en-US/Get-HeadshotMember.md :: Example 1: Everyone, and how far they are' = { param($r) $r.Text | Should -Match '3 finished'; $r.Text | Should -Match '1 pending' }
        'docs/en-US/Get-HeadshotMember.md :: Example 2: The first five finished members of Marketing, and who has not finished in two teams' = { param($r)
            ([regex]::Matches($r.Text, '(?m)^finished\s.*@contoso\.example\s*$')).Count | Should -Be 3; $r.Text | Should -Match '(?m)^pending\s+generatingHeadshots\s.*mei\.chen@contoso\.example\s*$' }
        'docs/en-US/Get-HeadshotMember.md :: Example 3: How many people are still uploading or generating, without reading them all' = { param($r) $r.Text | Should -Match 'Total count: 1' }
        "docs/en-US/Get-HeadshotMember.md :: Example 4: Finished members' chosen headshots" = { param($r) ([regex]::Matches($r.Text, 'loved\s+True')).Count | Should -Be 3 }
        "docs/en-US/Get-HeadshotMember.md :: Example 5: One team's members, and only them" = { param($r) $r.Text | Should -Match 'liam\.obrien@mail\.example'; $r.Text | Should -Not -Match 'mei\.chen' }
        "docs/en-US/Get-HeadshotMember.md :: Example 6: How far an AD group's new hires are, by the address AD knows" = { param($r)
            $r.Text | Should -Match 'nina\.hart@contoso\.example\s+accepted'; $r.Text | Should -Match 'omar\.diaz@contoso\.example is not a member' }
        'docs/en-US/Get-HeadshotModel.md :: Example 1: Models that are ready' = { param($r) ([regex]::Matches($r.Text, '(?m)^active\s.*@contoso\.example\s*$')).Count | Should -Be 3 }
        "docs/en-US/Get-HeadshotModel.md :: Example 2: The models of an AD group's new hires" = { param($r) $r.Text | Should -Match '(?m)^generating\w*\s.*nina\.hart@contoso\.example'; $r.Text | Should -Match '(?m)^omar\.diaz@contoso\.example\s*$' }
        'docs/en-US/Get-HeadshotModel.md :: Example 3: Models of two teams that are still training or failed and are restarting' = { param($r) $r.Text | Should -Match 'zoe\.ng@contoso\.example\s+failed'; $r.Text | Should -Not -Match 'ann\.lee' }
        'docs/en-US/Get-HeadshotModel.md :: Example 4: Whose model a webhook event is about' = { param($r) $r.Text | Should -Match '@contoso\.example\s+\w+' }
        'docs/en-US/Get-HeadshotOrganization.md :: Example 1: Which organization is this key for?' = { param($r) $r.Text | Should -Match 'Sandbox Corp\s+org_sandbox' }
        'docs/en-US/Get-HeadshotOrganization.md :: Example 2: Every detail' = { param($r) $r.Text | Should -Match 'Teams\s+:\s+\{Marketing, Engineering\}' }
        'docs/en-US/Get-HeadshotOrganization.md :: Example 3: The teams, for a report' = { param($r) $r.Text | Should -Match 'Engineering\s+team_engineering\s+Marketing\s+team_marketing' }
        'docs/en-US/Get-HeadshotPhoto.md :: Example 1: Every chosen headshot of the Marketing team' = { param($r) ([regex]::Matches($r.Text, '@contoso\.example\s+http')).Count | Should -Be 3 }
        'docs/en-US/Get-HeadshotPhoto.md :: Example 2: Who has not chosen a favorite yet' = { param($r) $r.Text | Should -Match '(?m)^mei\.chen@contoso\.example\s*$' }
        'docs/en-US/Get-HeadshotPhoto.md :: Example 3: The photos a person liked or loved, as thumbnails' = { param($r) $r.Text | Should -Match 'thumbnail\s+loved' }
        'docs/en-US/Get-HeadshotPhoto.md :: Example 4: Favorites of an AD group, original size' = { param($r) $r.Text | Should -Match 'original\s+loved\s+True\s+\S+ \S+\s+nina\.hart@contoso\.example' }
        'docs/en-US/Get-HeadshotTeam.md :: Example 1: All teams, then two of them' = { param($r) ([regex]::Matches($r.Text, 'Marketing\s+team_marketing')).Count | Should -Be 2; ([regex]::Matches($r.Text, 'Engineering\s+team_engineering')).Count | Should -Be 2 }
        'docs/en-US/Get-HeadshotTeam.md :: Example 2: Invite a CSV into the team whose name starts with "Mark"' = { param($r) (Get-Invite $r.State 'ann.lee@contoso.example').teamId | Should -Be 'team_marketing' }
        'docs/en-US/Get-HeadshotTeam.md :: Example 3: Pending invites per team, by name' = { param($r) $r.Text | Should -Match '2 \(no team\)' }
        'docs/en-US/Get-HeadshotTeam.md :: Example 4: The teams of the people in a CSV' = { param($r) $r.Text | Should -Match 'Marketing\s+team_marketing'; $r.Text | Should -Not -Match 'Engineering' }
        "docs/en-US/New-HeadshotInvite.md :: Example 1: An AD group's new hires" = { param($r) $r.Text | Should -Match 'pending\s+Created\s+\S+\s+nina\.hart@contoso\.example'; $r.Text | Should -Match 'pending\s+Created\s+\S+\s+omar\.diaz@contoso\.example' }
        'docs/en-US/New-HeadshotInvite.md :: Example 2: Everyone in a department, from AD' = { param($r) (Get-Invite $r.State 'pia.lund@contoso.example').teamId | Should -Be 'team_marketing'; $r.Text | Should -Not -Match 'leo\.old' }
        'docs/en-US/New-HeadshotInvite.md :: Example 3: Entra ID (Microsoft Graph)' = { param($r) $r.Text | Should -Match 'pending\s+Created\s+\S+\s+quinn\.roe@contoso\.example' }
        'docs/en-US/New-HeadshotInvite.md :: Example 4: A CSV, into a team, as a dry run first' = { param($r)
            @($r.State.invites | Where-Object teamId -EQ 'team_marketing').Count | Should -Be 5
            Get-Sent $r '^POST /api/v1/organization/invite ' | Should -HaveCount 5 -Because 'the dry run sent none' }
        'docs/en-US/New-HeadshotInvite.md :: Example 5: A daily Azure Automation runbook that can run again safely' = { param($r) $r.Text | Should -Match 'nina\.hart@contoso\.example\s+pending\s+Created' }
        "docs/en-US/New-HeadshotInvite.md :: Example 6: Everyone in a department, in that department's team, moving those who changed department" = { param($r)
            (Get-Invite $r.State 'pia.lund@contoso.example').teamId | Should -Be 'team_marketing'; $r.Text | Should -Match 'Moved\s+\S+\s+pia\.lund@contoso\.example' }
        'docs/en-US/New-HeadshotInvite.md :: Example 7: Invite and read back' = { param($r) $r.Text | Should -Match '(?m)^pending\s.*ann@contoso\.example'; $r.Text | Should -Match '(?m)^pending\s.*bob@contoso\.example' }
        'docs/en-US/New-HeadshotTeam.md :: Example 1: One team' = { param($r) $r.State.teams.name | Should -Contain 'Sales'; $r.Text | Should -Match 'Sales\s+team_' }
        'docs/en-US/New-HeadshotTeam.md :: Example 2: A team per department in a CSV, skipping those that exist' = { param($r) @($r.State.teams.name | Where-Object { $_ -in 'Finance', 'Legal' }) | Should -HaveCount 2 }
        'docs/en-US/New-HeadshotTeam.md :: Example 3: Create a team and invite into it' = { param($r) (Get-Invite $r.State 'ann.lee@contoso.example').teamId | Should -Be (Get-TeamId $r.State 'Support') }
        'docs/en-US/Remove-HeadshotTeam.md :: Example 1: Delete a team without a prompt' = { param($r) $r.State.teams.name | Should -Not -Contain 'Engineering' }
        'docs/en-US/Remove-HeadshotTeam.md :: Example 2: See first' = { param($r) $r.State.teams.name | Should -Contain 'Marketing'; Get-Sent $r '^DELETE' | Should -BeNullOrEmpty }
        'docs/en-US/Remove-HeadshotTeam.md :: Example 3: Teams nobody is in' = { param($r) $r.State.teams.name | Should -Not -Contain 'Unused'; $r.State.teams.name | Should -Contain 'Marketing' }
        'docs/en-US/Rename-HeadshotTeam.md :: Example 1: By name' = { param($r) $r.State.teams.name | Should -Contain 'Brand & Marketing' }
        'docs/en-US/Rename-HeadshotTeam.md :: Example 2: From Get-HeadshotTeam, showing the result' = { param($r) $r.Text | Should -Match 'Product Engineering\s+team_engineering' }
        'docs/en-US/Rename-HeadshotTeam.md :: Example 3: See what would change' = { param($r) $r.State.teams.name | Should -Contain 'Marketing'; Get-Sent $r '^(PUT|PATCH|POST) ' | Should -BeNullOrEmpty }
        'docs/en-US/Revoke-HeadshotInvite.md :: Example 1: Leavers from AD' = { param($r) ($r.State.invites | Where-Object email -EQ 'leo.old@contoso.example').status | Should -Be 'revoked' }
        'docs/en-US/Revoke-HeadshotInvite.md :: Example 2: Everything still pending for a domain, showing what was revoked' = { param($r) $r.Text | Should -Match 'revoked\s+Revoked\s+\S+\s+sam@old-subsidiary\.example'; Get-Invite $r.State 'leo.old@contoso.example' | Should -Not -BeNullOrEmpty }
        'docs/en-US/Revoke-HeadshotInvite.md :: Example 3: Check first' = { param($r) Get-Invite $r.State 'leo.old@contoso.example' | Should -Not -BeNullOrEmpty; Get-Sent $r 'revoke' | Should -BeNullOrEmpty }
        'docs/en-US/Revoke-HeadshotInvite.md :: Example 4: Every day, without errors for people already gone' = { param($r) ($r.State.invites | Where-Object email -EQ 'leo.old@contoso.example').status | Should -Be 'revoked'; $r.Verbose | Should -Not -BeNullOrEmpty }
        'docs/en-US/Revoke-HeadshotInvite.md :: Example 5: By invite id' = { param($r) $r.Text | Should -Match 'revoked\s+Revoked\s+\S+\s+sam@old-subsidiary\.example' }
        "docs/en-US/Revoke-HeadshotInvite.md :: Example 6: One team's people, and nobody else" = { param($r) Get-Sent $r 'revoke' | Should -BeNullOrEmpty; @($r.State.invites | Where-Object status -EQ 'revoked') | Should -BeNullOrEmpty }
        "docs/en-US/Save-HeadshotPhoto.md :: Example 1: Everyone's chosen headshot into a folder" = { param($r) @(Get-ChildItem (Join-Path $r.Folder 'headshots') -Filter *.jpg) | Should -HaveCount 3; $r.Text | Should -Match 'raj\.patel@contoso\.example\.jpg' }
        'docs/en-US/Save-HeadshotPhoto.md :: Example 2: Set the Entra ID profile photos of people with new or changed headshots' = { param($r) @($r.Photos | Where-Object Where -EQ 'Graph').Count | Should -Be 3 }
        "docs/en-US/Save-HeadshotPhoto.md :: Example 3: Every photo of one team's finished people, one file per photo" = { param($r) @(Get-ChildItem (Join-Path $r.Folder 'marketing') -Filter '*@contoso.example-*.jpg') | Should -HaveCount 9 }
        'docs/en-US/Save-HeadshotPhoto.md :: Example 4: AD thumbnailPhoto, with a look first' = { param($r) ([regex]::Matches($r.Text, '@contoso\.example\s+96\s+96')).Count | Should -Be 3 }
        'docs/en-US/Save-HeadshotPhoto.md :: Example 5: Another size and cap: 240×240 within 30 KB for an intranet' = { param($r)
            $files = @(Get-ChildItem (Join-Path $r.Folder 'intranet') -Filter '*-240.jpg')
            $files | Should -HaveCount 3
            $files | ForEach-Object { $_.Length | Should -BeLessOrEqual 30KB } }
        'docs/en-US/Save-HeadshotPhoto.md :: Example 6: List in one runbook, save in another' = { param($r)
            $saved = @(Get-ChildItem (Join-Path $r.Folder 'marketing-favorites') -Filter *.jpg).Name | Sort-Object
            $saved -join ',' | Should -Be "ann.lee@contoso.example.jpg,liam.o'brien@contoso.example.jpg,raj.patel@contoso.example.jpg" }
        'docs/en-US/Remove-HeadshotModel.md :: Example 1: Leavers from AD, every day, without errors for people already gone' = { param($r)
            $r.Text | Should -Match '1\s+Deleted'; (Get-Invite $r.State 'leo.old@contoso.example').status | Should -Be 'deleted' }
        'docs/en-US/Remove-HeadshotModel.md :: Example 2: Look first' = { param($r)
            Get-Sent $r '^DELETE ' | Should -BeNullOrEmpty; Get-Sent $r '^GET /api/v2/organization/models/\S+ 200' | Should -Not -BeNullOrEmpty -Because 'it reads whose model it is' }
        'docs/en-US/Remove-HeadshotModel.md :: Example 3: A data-protection request, with a record of what was done' = { param($r)
            $row = Import-Csv (Join-Path $r.Folder 'deletions.csv')
            ($row.Email, $row.SignUpEmail, $row.Status, $row.Outcome) -join ' ' | Should -Be 'leo.old@contoso.example leo@home.example deleted Deleted' }
        'docs/en-US/Remove-HeadshotModel.md :: Example 4: Asked twice, done once' = { param($r)
            Get-Sent $r '^DELETE /api/v2/organization/models/\S+ 200' | Should -HaveCount 1; $r.Text | Should -Match 'leo\.old@contoso\.example\s+deleted\s+AlreadyDeleted' }
        'docs/en-US/Remove-HeadshotModel.md :: Example 5: By model id, as a webhook event or a report gives it' = { param($r)
            Get-Sent $r '^DELETE /api/v2/organization/models/\S+ 200' | Should -HaveCount 1; (Get-Invite $r.State 'leo.old@contoso.example').status | Should -Be 'deleted' }
        'docs/en-US/Get-HeadshotInvite.md :: Example 8: Invites never used before their link expired, sent again' = { param($r)
            $r.Text | Should -Match 'sam@old-subsidiary\.example'
            $sam = @($r.State.invites | Where-Object email -EQ 'sam@old-subsidiary.example' | ForEach-Object status); $sam | Should -HaveCount 2; $sam | Should -Contain 'revoked'; @($sam -ne 'revoked') | Should -HaveCount 1
            (Get-Invite $r.State 'leo.old@contoso.example').status | Should -Not -Be 'revoked' -Because 'his invite was used' }
        'docs/en-US/Get-HeadshotPhoto.md :: Example 5: One photo again by its id, with a fresh link to the original' = { param($r)
            Get-Sent $r '^GET /api/v2/organization/models/\S+/photos/(?!favorite)\S+ 200' | Should -HaveCount 1; $r.Text | Should -Match 'ann\.lee@contoso\.example' }
        'README.md :: Leavers and expired invites' = { param($r)
            Get-Sent $r '^DELETE /api/v2/organization/models/\S+ 200' | Should -HaveCount 1
            (Import-Csv (Join-Path $r.Folder 'deletions.csv')).Outcome | Should -Be 'AlreadyDeleted'
            $sam = @($r.State.invites | Where-Object email -EQ 'sam@old-subsidiary.example' | ForEach-Object status); $sam | Should -HaveCount 2; $sam | Should -Contain 'revoked'; @($sam -ne 'revoked') | Should -HaveCount 1 }
        'docs/sandbox.md :: Invite expiry' = { param($r) (Get-Invite $r.State 'ann@contoso.example').expired | Should -BeTrue; $r.State.settings.inviteLinkDays | Should -Be 7 }
    }

    # The errors an example is there to show (an existence test that silences its miss, a report of who is not there yet).
    $ExpectedErrors = @{
        'docs/en-US/Get-HeadshotConnection.md :: Example 3: Check before a run, without an error' = 'NotConnected'
        "docs/en-US/Get-HeadshotMember.md :: Example 6: How far an AD group's new hires are, by the address AD knows" = 'MemberNotFound'
        "docs/en-US/Get-HeadshotModel.md :: Example 2: The models of an AD group's new hires" = 'ModelNotFound'
        'docs/en-US/Get-HeadshotPhoto.md :: Example 2: Who has not chosen a favorite yet' = 'FavoriteNotChosen'
        'docs/en-US/Get-HeadshotPhoto.md :: Example 4: Favorites of an AD group, original size' = 'ModelNotFound'
        'docs/en-US/New-HeadshotTeam.md :: Example 2: A team per department in a CSV, skipping those that exist' = 'TeamNotFound'
    }

    $files = @(Get-Item "$root/README.md") + @(Get-ChildItem "$root/docs" -Recurse -Filter *.md)
    $blocks = foreach ($file in $files) {
        $relative = [System.IO.Path]::GetRelativePath($root, $file.FullName).Replace('\', '/')
        $heading = $null; $fence = $null; $code = $null; $seen = @{}
        foreach ($line in Get-Content $file.FullName) {
            if ($null -eq $fence) {
                if ($line -match '^\s*```(?<lang>\S*)') { $fence = $Matches.lang; $code = [System.Text.StringBuilder]::new(); continue }
                if ($line -match '^#{1,6}\s+(?<title>.+?)\s*$') { $heading = $Matches.title }
                continue
            }
            if ($line -match '^\s*```\s*$') {
                if ($fence -eq 'powershell') {
                    $seen[$heading] = 1 + [int]$seen[$heading]
                    $key = "$relative :: $heading" + $(if ($seen[$heading] -gt 1) { " [$($seen[$heading])]" })
                    @{ Key = $key; Code = $code.ToString(); Precondition = $Preconditions[$key]; Known = $KnownFailures[$key]
                        Expect = $Expected[$key]; ExpectedErrors = @($ExpectedErrors[$key] | Where-Object { $_ }) }
                }
                $fence = $null
                continue
            }
            $null = $code.AppendLine($line)
        }
    }
    $runnable = @($blocks | Where-Object { -not $CannotRun.Contains($_.Key) -and -not $KnownFailures.Contains($_.Key) })
    $known = @($blocks | Where-Object { $KnownFailures.Contains($_.Key) })
    $tables = @{ Keys = @($blocks.Key); CannotRun = $CannotRun; KnownFailures = $KnownFailures; Preconditions = $Preconditions; Expected = $Expected; ExpectedErrors = $ExpectedErrors }
}

BeforeAll {
    $root = (Resolve-Path "$PSScriptRoot/../..").Path
    Import-Module "$root/src/HeadshotPro.Sandbox/SandboxProcess.psm1" -Force
    Import-Module "$root/out/HeadshotPro" -Force
    $script:shared = Start-HeadshotSandbox -Arguments '--credits', '1000'

    # The people the examples name (NewHires in AD, the Entra group of $groupId, Marketing, a leaver), apart from the
    # CSV's people (docs/examples/new-hires.csv) and the addresses examples type in, so no example meets another's invite.
    $script:prelude = {
        param($root, $shared, $location, $connected, $setup)
        Import-Module "$root/out/HeadshotPro"
        Import-Module "$root/src/HeadshotPro.Sandbox/SandboxProcess.psm1"
        Import-Module "$root/tests/shapes/DirectoryStandIns.psm1"
        Set-StandInDirectory -People @(
            @{ SamAccountName = 'nina'; GivenName = 'Nina'; Surname = 'Hart'; Mail = 'nina.hart@contoso.example'; Groups = 'NewHires' }
            @{ SamAccountName = 'omar'; GivenName = 'Omar'; Surname = 'Diaz'; Mail = 'omar.diaz@contoso.example'; Groups = 'NewHires' }
            @{ SamAccountName = 'pia'; GivenName = 'Pia'; Surname = 'Lund'; Mail = 'pia.lund@contoso.example'; Department = 'Marketing' }
            @{ SamAccountName = 'quinn'; GivenName = 'Quinn'; Surname = 'Roe'; Mail = 'quinn.roe@contoso.example'; Groups = 'Entra' }
            @{ SamAccountName = 'leo'; GivenName = 'Leo'; Surname = 'Old'; Mail = 'leo.old@contoso.example'; Enabled = $false; Department = 'Marketing' }
        )
        Set-StandInAutomationCredential -Name HeadshotPro -Credential ([pscredential]::new('api', $shared.ApiKey))
        $global:sandbox = $shared
        $global:key = $shared.ApiKey
        $global:groupId = Get-StandInGroupId Entra
        Connect-HeadshotPro -ApiKey $shared.ApiKey -BaseUri $shared.BaseUri
        if ($setup) { . ([scriptblock]::Create($setup)) }
        if (-not $connected) { Disconnect-HeadshotPro }
        Set-Location $location
    }

    function Invoke-Example([string] $Code, [hashtable] $Precondition) {
        $null = Invoke-HeadshotSandboxControl $shared reset
        Connect-HeadshotPro -ApiKey $shared.ApiKey -BaseUri $shared.BaseUri
        # A leaver with an invite, and an invite at the old subsidiary's domain, for the revoke examples.
        $null = New-HeadshotInvite leo.old@contoso.example, sam@old-subsidiary.example
        Disconnect-HeadshotPro

        $folder = New-Item -ItemType Directory (Join-Path $TestDrive ([guid]::NewGuid().ToString('n')))
        Copy-Item "$root/docs/examples/new-hires.csv" $folder
        Set-Content (Join-Path $folder 'leavers.csv') "Email`nleo.old@contoso.example"
        if (-not $Precondition) { $Precondition = @{} }
        $location = if ($Precondition['Location'] -eq 'root') { $root } else { $folder.FullName }
        $connected = -not $Precondition.ContainsKey('Connected') -or $Precondition['Connected']

        # As an admin rehearsing against the sandbox: Connect-HeadshotPro without -BaseUri goes where this says.
        $env:HEADSHOTPRO_BASE_URI = $shared.BaseUri
        $runspace = [runspacefactory]::CreateRunspace([initialsessionstate]::CreateDefault2())
        $runspace.Open()
        try {
            $ps = [powershell]::Create($runspace)
            $null = $ps.AddScript($prelude).AddArgument($root).AddArgument($shared).AddArgument($location).AddArgument($connected).AddArgument($Precondition['Setup'])
            $null = $ps.Invoke()
            if ($ps.Streams.Error.Count) { throw "The example's set-up failed: $($ps.Streams.Error[0])" }
            $ps.Commands.Clear()
            $ps.Streams.ClearStreams()
            $null = $ps.AddScript('$global:Error.Clear()').Invoke()
            $ps.Commands.Clear()
            $journalBefore = @((Invoke-HeadshotSandboxControl $shared journal).journal).Count
            # Formatted as a host would show it, so formatting errors count too.
            $null = $ps.AddScript($Code).AddCommand('Out-String')
            $terminating = $null
            $pending = $ps.BeginInvoke()
            if (-not $pending.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(120))) {
                $ps.Stop()
                throw "The example ran past 120 s and was stopped."
            }
            $text = try { $ps.EndInvoke($pending) } catch { $terminating = $_.Exception.InnerException ?? $_.Exception }
            $errors = @($ps.Streams.Error)
            $verbose = @($ps.Streams.Verbose | ForEach-Object Message)
            # Every error the example met, those it silenced (-ErrorAction SilentlyContinue) or caught included.
            $recorded = @($runspace.SessionStateProxy.GetVariable('Error') | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            # What the example left in the directory stand-ins and of the connection, read in its runspace.
            $ps.Commands.Clear()
            $after = $ps.AddScript('[pscustomobject]@{ Photos = @(Get-StandInPhoto); Connected = [bool](Get-HeadshotConnection -ErrorAction Ignore) }').Invoke()[0]
            [pscustomobject]@{
                Terminating = $terminating
                Errors      = $errors
                Recorded    = $recorded
                Text        = "$text"
                Verbose     = $verbose
                State       = Invoke-HeadshotSandboxControl $shared state
                # The requests the example sent, as "METHOD /path STATUS".
                Requests    = @((Invoke-HeadshotSandboxControl $shared journal).journal | Select-Object -Skip $journalBefore | ForEach-Object { "$($_.method) $($_.path) $($_.status)" })
                Photos      = $after.Photos
                Connected   = $after.Connected
                # The state of a sandbox the example started itself, while it still runs.
                OwnState    = $(if (($own = $runspace.SessionStateProxy.GetVariable('sandbox')) -and $own -ne $shared -and $own.PSObject.Properties['Process']) {
                        try { Invoke-HeadshotSandboxControl $own state } catch [System.Net.Http.HttpRequestException] { }  # one the example stopped itself
                    })
                Folder      = $folder.FullName
            }
        }
        finally {
            $env:HEADSHOTPRO_BASE_URI = $null
            # An example that started its own sandbox stops it here if it did not.
            $own = $runspace.SessionStateProxy.GetVariable('sandbox')
            if ($own -and $own -ne $shared -and $own.PSObject.Properties['Process']) {
                # A process the example stopped itself is disposed: Kill then says "No process is associated with this object".
                try { $own | Stop-HeadshotSandbox } catch [System.Management.Automation.MethodInvocationException] { }
            }
            $runspace.Dispose()
        }
    }

    # What went wrong: a terminating error, an error record written, or an error the example met (silenced or caught
    # included) that is not among the ErrorIds it is there to show; and any of those it did not meet.
    function Format-Failure($Result, [string[]] $ExpectedErrors = @()) {
        $ids = @($Result.Recorded | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] })
        @(
            if ($Result.Terminating) { "terminating: $($Result.Terminating.GetType().Name): $($Result.Terminating.Message)" }
            foreach ($e in $Result.Errors) { "error: $($e.FullyQualifiedErrorId): $e" }
            foreach ($e in $Result.Recorded) { if ($e.FullyQualifiedErrorId.Split(',')[0] -notin $ExpectedErrors) { "error met: $($e.FullyQualifiedErrorId): $e" } }
            foreach ($id in $ExpectedErrors) { if ($id -notin $ids) { "expected error not met: $id" } }
        ) -join "`n"
    }

    # Checks for the expectations below.
    function Get-Invite($State, [string] $Email) { @($State.invites | Where-Object { $_.email -eq $Email -and $_.status -ne 'revoked' }) | Select-Object -Last 1 }
    function Get-TeamId($State, [string] $Name) { ($State.teams | Where-Object name -EQ $Name).id }
    function Get-Sent($Result, [string] $Pattern) { @($Result.Requests | Where-Object { $_ -match $Pattern }) }
}

AfterAll {
    Disconnect-HeadshotPro
    $shared | Stop-HeadshotSandbox
}

Describe 'Documentation examples' {
    It 'runs <Key>' -ForEach $runnable {
        $Expect | Should -Not -BeNullOrEmpty -Because "every example says in `$Expected what it shows"
        $result = Invoke-Example $Code $Precondition
        Format-Failure $result $ExpectedErrors | Should -BeNullOrEmpty -Because "the block is:`n$Code"
        & $Expect $result
    }

    It 'still fails as known: <Key>' -ForEach $known {
        $result = Invoke-Example $Code $Precondition
        $failure = Format-Failure $result
        $failure | Should -Not -BeNullOrEmpty -Because "it now runs: take it out of `$KnownFailures ($($Known.Why))"
        $failure | Should -Match $Known.Match -Because $Known.Why
    }

    It 'has tables that name only blocks that exist' -ForEach @($tables) {
        foreach ($key in @($CannotRun.Keys) + @($KnownFailures.Keys) + @($Preconditions.Keys) + @($Expected.Keys) + @($ExpectedErrors.Keys)) {
            $Keys | Should -Contain $key -Because 'a table names a block that no longer exists'
        }
        foreach ($key in $CannotRun.Keys) { $CannotRun[$key] | Should -Not -BeNullOrEmpty -Because "$key needs a reason" }
    }
}

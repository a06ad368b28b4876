using System.Management.Automation;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

public class InviteCmdletTests
{
    private static async Task<List<string>> InvitePostsAsync(TestSandbox sandbox) =>
        (await sandbox.JournalAsync()).Where(e => (string?)e!["path"] == "/api/v1/organization/invite").Select(e => (string)e!["method"]! + " " + e["status"]).ToList();

    [Fact(Timeout = Limits.Test)]
    public async Task Strings_and_objects_from_AD_Entra_ID_and_CSV_all_become_invites()
    {
        var (sandbox, host) = await ConnectedAsync();
        await using var _ = sandbox;
        using var __ = host;
        host.SeedDirectory(
            "@{ SamAccountName = 'ann'; Mail = 'ann@corp.example'; UserPrincipalName = 'ann.upn@corp.example' }",
            "@{ SamAccountName = 'bob'; Mail = 'bob@corp.example'; UserPrincipalName = 'bob.upn@corp.example' }",
            "@{ SamAccountName = 'cy'; Mail = 'cy@corp.example'; UserPrincipalName = 'cy.upn@corp.example' }",
            "@{ SamAccountName = 'eve'; Mail = $null; UserPrincipalName = 'eve@corp.example' }");
        var result = host.Run("""
            $csv = "Name,Email`nDee,dee@corp.example" | ConvertFrom-Csv
            # eve's mail was fetched and is empty: she is taken at her UserPrincipalName (with a warning).
            (Get-ADUser ann -Properties mail), (Get-MgUser -Filter "mail eq 'bob@corp.example'"), (Get-Recipient cy), $csv,
                (Get-ADUser eve -Properties mail), '  fay@corp.example  ' | New-HeadshotInvite
            """);
        Assert.Empty(result.Errors);
        Assert.Contains("eve@corp.example", Assert.Single(result.Warnings));
        var emails = result.Output.Select(o => ((Invite)o.BaseObject).Email).OrderBy(e => e);
        Assert.Equal(new[] { "ann@corp.example", "bob@corp.example", "cy@corp.example", "dee@corp.example", "eve@corp.example", "fay@corp.example" }, emails);
        Assert.Equal(emails, sandbox.Server.State.ListInvites().Select(i => i.Email).OrderBy(e => e));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task The_address_property_precedence_is_Email_Mail_EmailAddress_PrimarySmtpAddress_UserPrincipalName()
    {
        var (sandbox, host) = await ConnectedAsync();
        await using var _ = sandbox;
        using var __ = host;
        var result = host.Run("""
            [pscustomobject]@{ UserPrincipalName = 'u1@corp.example'; PrimarySmtpAddress = 'p1@corp.example'; EmailAddress = 'e1@corp.example'; Mail = 'm1@corp.example' },
            [pscustomobject]@{ UserPrincipalName = 'u2@corp.example'; PrimarySmtpAddress = 'p2@corp.example'; EmailAddress = 'e2@corp.example' },
            [pscustomobject]@{ UserPrincipalName = 'u3@corp.example'; PrimarySmtpAddress = 'p3@corp.example' },
            [pscustomobject]@{ UserPrincipalName = 'u4@corp.example'; Mail = ''; Email = 'x4@corp.example' } | New-HeadshotInvite -ThrottleLimit 1
            """);
        Assert.Empty(result.Errors);
        Assert.Equal(new[] { "m1@corp.example", "e2@corp.example", "p3@corp.example", "x4@corp.example" },
            result.Output.Select(o => ((Invite)o.BaseObject).Email));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Bad_addresses_and_objects_without_one_get_errors_and_nothing_is_sent()
    {
        var (sandbox, host) = await ConnectedAsync();
        await using var _ = sandbox;
        using var __ = host;
        host.SeedDirectory("@{ SamAccountName = 'ann'; Mail = 'ann@corp.example'; UserPrincipalName = 'ann@corp.local' }");
        var result = host.Run("""
            # Get-ADUser without -Properties mail: no mail property, though UserPrincipalName is there.
            'not-an-address', (Get-ADUser ann), [pscustomobject]@{ Name = 'Gus' }, 'ok@corp.example' | New-HeadshotInvite
            """);
        Assert.Equal("ok@corp.example", ((Invite)Assert.Single(result.Output).BaseObject).Email);
        Assert.Equal(new[] { "InvalidEmailAddress", "AddressPropertyMissing", "AddressPropertyMissing" }, result.ErrorIds);
        Assert.Contains("(ann)", result.Errors[1].ErrorDetails.Message);
        Assert.Equal("not-an-address", result.Errors[0].TargetObject);
        Assert.Equal(ErrorCategory.InvalidArgument, result.Errors[0].CategoryInfo.Category);
        Assert.Contains("Get-ADUser", result.Errors[1].ErrorDetails.Message);
        Assert.Contains("-Properties mail", result.Errors[1].ErrorDetails.Message);
        Assert.Contains("Microsoft.ActiveDirectory.Management.ADUser", result.Errors[1].ErrorDetails.Message);
        Assert.Contains("Email, Mail, EmailAddress, PrimarySmtpAddress, UserPrincipalName", result.Errors[2].ErrorDetails.Message);
        Assert.Equal(new[] { "POST 200" }, await InvitePostsAsync(sandbox));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task An_address_twice_in_one_run_is_sent_once_and_the_repeat_is_DuplicateInput()
    {
        var (sandbox, host) = await ConnectedAsync();
        await using var _ = sandbox;
        using var __ = host;
        var result = host.Run("'ann@corp.example', 'bob@corp.example', 'ANN@corp.example ' | New-HeadshotInvite");
        Assert.Equal(2, result.Output.Count);
        Assert.Equal("DuplicateInput", Assert.Single(result.ErrorIds));
        Assert.Equal("ANN@corp.example", result.Errors[0].TargetObject);
        Assert.Equal(2, (await InvitePostsAsync(sandbox)).Count);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task An_address_the_server_has_is_InviteAlreadyExists_unless_SkipExisting_which_emits_it_and_sends_nothing()
    {
        var (sandbox, host) = await ConnectedAsync();
        await using var _ = sandbox;
        using var __ = host;
        var first = (Invite)host.Run("New-HeadshotInvite ann@corp.example").Output.Single().BaseObject;

        var again = host.Run("'ann@corp.example', 'bob@corp.example' | New-HeadshotInvite");
        Assert.Equal("InviteAlreadyExists", Assert.Single(again.ErrorIds));
        Assert.Equal(ErrorCategory.ResourceExists, again.Errors[0].CategoryInfo.Category);
        Assert.Equal("ann@corp.example", again.Errors[0].TargetObject);
        Assert.Contains("ALREADY_EXISTS", again.Errors[0].ErrorDetails.Message);
        Assert.Contains("-SkipExisting", again.Errors[0].ErrorDetails.RecommendedAction);

        await sandbox.Control.PostAsync("reset", null);
        var made = host.Run("New-HeadshotInvite ann@corp.example, bob@corp.example").Output.Select(o => (Invite)o.BaseObject).ToDictionary(i => i.Email, i => i.Id!);
        var before = (await sandbox.JournalAsync()).Count;
        var skipped = host.Run("'ANN@corp.example', 'bob@corp.example', 'cy@corp.example' | New-HeadshotInvite -SkipExisting");
        Assert.Empty(skipped.Errors);
        var emitted = skipped.Output.Select(o => (Invite)o.BaseObject).ToDictionary(i => i.Email, i => i.Id!);
        Assert.Equal(new[] { "ann@corp.example", "bob@corp.example", "cy@corp.example" }, emitted.Keys.Order());
        var requests = (await sandbox.JournalAsync()).Skip(before).Select(e => $"{e!["method"]} {e["path"]}").ToList();
        Assert.Equal(new[] { "GET /api/v1/organization/invites", "POST /api/v1/organization/credits", "POST /api/v1/organization/invite" }, requests);
        // The existing invites are emitted as the server has them (the ones made after the reset), and cy's is the new one.
        var onServer = sandbox.Server.State.ListInvites().ToDictionary(i => i.Email, i => i.Id);
        Assert.Equal(3, onServer.Count);
        Assert.DoesNotContain(first.Id, onServer.Values);
        Assert.Equal((made["ann@corp.example"], made["bob@corp.example"]), (emitted["ann@corp.example"], emitted["bob@corp.example"]));
        Assert.Equal(onServer, emitted);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task WhatIf_sends_nothing()
    {
        var (sandbox, host) = await ConnectedAsync();
        await using var _ = sandbox;
        using var __ = host;
        host.Run("New-HeadshotInvite ann@corp.example");
        var before = (await sandbox.JournalAsync()).Count;
        var result = host.Run("'bob@corp.example' | New-HeadshotInvite -WhatIf; 'ann@corp.example' | Revoke-HeadshotInvite -WhatIf");
        Assert.Empty(result.Output);
        Assert.Empty(result.Errors);
        // A dry run reads (the balance and the invites, to say what would happen) and changes nothing.
        NonEmpty.All((await sandbox.JournalAsync()).Skip(before), e => Assert.Equal("GET", (string?)e!["method"] == "POST" && (string?)e["path"] == "/api/v1/organization/credits" ? "GET" : (string?)e["method"]));
        Assert.Single(sandbox.Server.State.ListInvites());
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Running_out_of_credits_stops_sending_and_every_remaining_address_gets_InsufficientCredits()
    {
        var (sandbox, host) = await ConnectedAsync(new SandboxOptions { Credits = 3 });
        await using var _ = sandbox;
        using var __ = host;
        var result = host.Run("1..8 | ForEach-Object { \"user$_@corp.example\" } | New-HeadshotInvite -ThrottleLimit 1");
        Assert.Equal(3, result.Output.Count);
        Assert.Equal(5, result.Errors.Count);
        NonEmpty.All(result.Errors, e =>
        {
            Assert.Equal("InsufficientCredits", e.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Equal(ErrorCategory.QuotaExceeded, e.CategoryInfo.Category);
        });
        Assert.Equal(Enumerable.Range(4, 5).Select(i => $"user{i}@corp.example"), result.Errors.Select(e => (string)e.TargetObject).Order());
        // The balance read before the first invite said three: the fourth is not even sent.
        Assert.Equal(new[] { "POST 200", "POST 200", "POST 200" }, await InvitePostsAsync(sandbox));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Too_many_pending_invites_is_InviteLimitExceeded_per_address()
    {
        var (sandbox, host) = await ConnectedAsync(new SandboxOptions { InviteLimit = 1 });
        await using var _ = sandbox;
        using var __ = host;
        var result = host.Run("'a@corp.example', 'b@corp.example', 'c@corp.example' | New-HeadshotInvite -ThrottleLimit 1");
        Assert.Single(result.Output);
        Assert.Equal(new[] { "InviteLimitExceeded", "InviteLimitExceeded" }, result.ErrorIds);
        Assert.Equal(ErrorCategory.LimitsExceeded, result.Errors[0].CategoryInfo.Category);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task MaxRetryWaitSec_on_the_command_overrides_the_connections_cap()
    {
        // A window of three: Connect's request, the balance read, a's invite.
        var (sandbox, host) = await ConnectedAsync(new SandboxOptions { RateLimit = 3, RateWindowSeconds = 60 });
        await using var _ = sandbox;
        using var __ = host;
        var result = host.Run("'a@corp.example', 'b@corp.example' | New-HeadshotInvite -MaxRetryWaitSec 0 -ThrottleLimit 1");
        Assert.Single(result.Output);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("RateLimitRetriesExhausted", ErrorCategory.LimitsExceeded, (object)"b@corp.example"),
            (error.FullyQualifiedErrorId.Split(',')[0], error.CategoryInfo.Category, error.TargetObject));
        Assert.Contains("-MaxRetryWaitSec", error.ErrorDetails.Message);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_team_by_name_is_named_in_the_WhatIf_text_with_the_balance_and_an_unknown_one_stops_before_sending()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var console = new RecordingHost("Default Host");
        using var host = new PowerShellHost(console);
        host.Connect(sandbox);

        var whatIf = host.Run("'ann@corp.example', 'bob@corp.example' | New-HeadshotInvite -Team marketing -WhatIf");
        Assert.Empty(whatIf.Output);
        Assert.Empty(whatIf.Errors);
        Assert.Contains("What if: Invite ann@corp.example to team Marketing (1 credit; 99 left)", console.Lines);
        Assert.Contains("What if: Invite bob@corp.example to team Marketing (1 credit; 98 left)", console.Lines);

        var invite = (Invite)Assert.Single(host.Run("New-HeadshotInvite ann@corp.example -Team Marketing").Output).BaseObject;
        Assert.Equal("team_marketing", invite.TeamId);
        Assert.Equal("team_marketing", Assert.Single(sandbox.Server.State.ListInvites()).TeamId);

        var unknown = host.Run("New-HeadshotInvite bob@corp.example -Team 'No Such Team'");
        Assert.Equal("TeamNotFound", unknown.Terminating?.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ObjectNotFound, unknown.Terminating!.CategoryInfo.Category);
        Assert.Contains("Marketing (team_marketing)", unknown.Terminating.ErrorDetails.Message);
        // Connect's organization read and one per run, one invite sent in all: neither -WhatIf nor the unknown team sent any.
        Assert.Equal(new[] { "POST 200" }, await InvitePostsAsync(sandbox));
        Assert.Equal(1 + 3, (await sandbox.JournalAsync()).Count(e => (string?)e!["path"] == "/api/v1/organization"));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Connects_MaxRetryWaitSec_caps_every_requests_wait_and_a_request_past_it_is_RateLimitRetriesExhausted()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { RateLimit = 3, RateWindowSeconds = 60 });
        using var host = new PowerShellHost();
        host.Connect(sandbox, "-MaxRetryWaitSec 1");
        var result = host.Run("'a@corp.example', 'b@corp.example' | New-HeadshotInvite -ThrottleLimit 1");
        Assert.Equal("a@corp.example", ((Invite)Assert.Single(result.Output).BaseObject).Email);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("RateLimitRetriesExhausted", ErrorCategory.LimitsExceeded, (object)"b@corp.example"),
            (error.FullyQualifiedErrorId.Split(',')[0], error.CategoryInfo.Category, error.TargetObject));
        Assert.Contains("-MaxRetryWaitSec", error.ErrorDetails.Message);
        // The window (Connect's organization read, the balance read and a's) was known to be spent: b was not sent to collect a 429.
        Assert.Equal(new[] { "GET /api/v1/organization 200", "POST /api/v1/organization/credits 200", "POST /api/v1/organization/invite 200" },
            (await sandbox.JournalAsync()).Select(e => $"{e!["method"]} {e["path"]} {e["status"]}"));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task An_HTML_error_page_is_reported_with_its_status_and_the_run_goes_on()
    {
        var (sandbox, host) = await ConnectedAsync();
        await using var _ = sandbox;
        using var __ = host;
        await sandbox.SettingsAsync(new { nextFaults = Enumerable.Repeat(FaultKind.Html503, 4).Prepend(FaultKind.None) }); // past the balance read
        var result = host.Run("'a@corp.example', 'b@corp.example' | New-HeadshotInvite -ThrottleLimit 1");
        Assert.Equal("b@corp.example", ((Invite)Assert.Single(result.Output).BaseObject).Email);
        var error = Assert.Single(result.Errors);
        Assert.Equal("ServerError", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal("a@corp.example", error.TargetObject);
        Assert.Contains("HTTP 503", error.ErrorDetails.Message);
        Assert.Contains("503 Service Temporarily Unavailable", error.ErrorDetails.Message);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_run_stopped_by_ErrorAction_Stop_names_its_requests_in_flight_in_one_warning()
    {
        var (sandbox, host) = await ConnectedAsync(new SandboxOptions { LatencyMs = 500 });
        await using var _ = sandbox;
        using var __ = host;
        Action bothInFlight = () => sandbox.WaitForInFlightAsync(2).GetAwaiter().GetResult();
        var result = host.Run("""
            'ann@corp.example', 'bob@corp.example', 'not an address' |
                ForEach-Object { if ($_ -eq 'not an address') { $null = $bothInFlight.Invoke() }; $_ } |
                New-HeadshotInvite -ErrorAction Stop -Verbose
            """, ("bothInFlight", bothInFlight));
        Assert.Equal("InvalidEmailAddress", result.Terminating?.FullyQualifiedErrorId.Split(',')[0]);
        var warning = Assert.Single(result.Warnings);
        // Answered within the grace ("Invited, but not written …") or not yet ("No answer yet, so these may have been
        // invited …"), as the machine's load has it: either way both are named.
        Assert.StartsWith("The run stopped early. ", warning);
        Assert.Contains("ann@corp.example", warning);
        Assert.Contains("bob@corp.example", warning);
        Assert.Equal(2, sandbox.Server.State.ListInvites().Count);
        Assert.Empty(result.Output);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task New_invites_pipe_into_Get_HeadshotInvite_and_unknown_ids_are_InviteNotFound()
    {
        var (sandbox, host) = await ConnectedAsync();
        await using var _ = sandbox;
        using var __ = host;
        var result = host.Run("""
            $invites = 'a@corp.example', 'b@corp.example' | New-HeadshotInvite
            @($invites[0]; [pscustomobject]@{ InviteId = 'nope' }; $invites[1]) | Get-HeadshotInvite
            """);
        Assert.Equal(new[] { "a@corp.example", "b@corp.example" }, result.Output.Select(o => ((Invite)o.BaseObject).Email).OrderBy(e => e));
        NonEmpty.All(result.Output, o => Assert.Equal("pending", ((Invite)o.BaseObject).Status));
        var error = Assert.Single(result.Errors);
        Assert.Equal(("InviteNotFound", ErrorCategory.ObjectNotFound, (object)"nope"),
            (error.FullyQualifiedErrorId.Split(',')[0], error.CategoryInfo.Category, error.TargetObject));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Get_HeadshotInvite_lists_and_filters_by_address_and_status()
    {
        var (sandbox, host) = await ConnectedAsync();
        await using var _ = sandbox;
        using var __ = host;
        var ids = host.Run("'ann@corp.example', 'bob@corp.example', 'cy@other.example' | New-HeadshotInvite -ThrottleLimit 1")
            .Output.Select(o => ((Invite)o.BaseObject).Id).ToList();
        await sandbox.Control.PostAsync($"invites/{ids[1]}/status", TestSandbox.JsonBody(new { status = "generating-headshots" }));
        host.Run("Revoke-HeadshotInvite cy@other.example -Force");

        Assert.Equal(3, host.Run("Get-HeadshotInvite").Output.Count);
        Assert.Equal(new[] { "ann@corp.example", "bob@corp.example" },
            host.Run("Get-HeadshotInvite -Email *@CORP.example").Output.Select(o => ((Invite)o.BaseObject).Email).OrderBy(e => e));
        // v2's names out; v1's still accepted in.
        var generating = (Invite)host.Run("Get-HeadshotInvite -Status generating").Output.Single().BaseObject;
        Assert.Equal(("bob@corp.example", "generating"), (generating.Email, generating.Status));
        Assert.Equal("bob@corp.example", ((Invite)host.Run("Get-HeadshotInvite -Status generating-headshots").Output.Single().BaseObject).Email);
        Assert.Equal("ParameterArgumentValidationError", host.Run("Get-HeadshotInvite -Status nonsense").Terminating?.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal("cy@other.example", ((Invite)host.Run("Get-HeadshotInvite -Status revoked").Output.Single().BaseObject).Email);
        Assert.Equal(2, host.Run("Get-HeadshotInvite -Status pending-invite, revoked").Output.Count);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Revoke_takes_invites_from_the_pipeline_needs_no_prompt_with_Force_and_reports_unknown_addresses()
    {
        var (sandbox, host) = await ConnectedAsync(new SandboxOptions { Credits = 10 });
        await using var _ = sandbox;
        using var __ = host;
        host.Run("'ann@corp.example', 'bob@corp.example' | New-HeadshotInvite");
        var result = host.Run("@(Get-HeadshotInvite) + @([pscustomobject]@{ Mail = 'nobody@corp.example' }) | Revoke-HeadshotInvite -Force -PassThru");
        Assert.Equal(new[] { "ann@corp.example", "bob@corp.example" }, result.Output.Select(o => ((Invite)o.BaseObject).Email).OrderBy(e => e));
        NonEmpty.All(result.Output, o => Assert.Equal("revoked", ((Invite)o.BaseObject).Status));
        NonEmpty.All(result.Output, o => Assert.NotNull(((Invite)o.BaseObject).Id));
        var error = Assert.Single(result.Errors);
        Assert.Equal(("InviteNotFound", (object)"nobody@corp.example"), (error.FullyQualifiedErrorId.Split(',')[0], error.TargetObject));
        Assert.Equal(10, sandbox.Server.State.Credits);

        Assert.Empty(host.Run("$null = New-HeadshotInvite cy@corp.example; Revoke-HeadshotInvite cy@corp.example -Confirm:$false").Output);
        NonEmpty.All(sandbox.Server.State.ListInvites(), i => Assert.Equal("revoked", i.Status));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Verbose_shows_each_request_and_the_body_is_UTF8()
    {
        var (sandbox, host) = await ConnectedAsync();
        await using var _ = sandbox;
        using var __ = host;
        var result = host.Run("New-HeadshotInvite 'jürgen@bücher.example' -Verbose");
        Assert.Equal("jürgen@bücher.example", sandbox.Server.State.ListInvites().Single().Email);
        Assert.Contains(result.Verbose, v => System.Text.RegularExpressions.Regex.IsMatch(v, @"^POST organization/invite for jürgen@bücher\.example -> 200 \(attempt 1, \d+ ms\)$"));
    }
}

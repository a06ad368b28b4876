using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>Dry runs never change anything, however -WhatIf arrives; -Force skips only the confirmation prompt.</summary>
public class DryRunTests
{
    private const string Wrapper = """
        function Remove-Leaver { [CmdletBinding(SupportsShouldProcess)] param($Email) Revoke-HeadshotInvite $Email -Force }
        function Add-Joiner { [CmdletBinding(SupportsShouldProcess)] param($Email) New-HeadshotInvite $Email }
        """;

    private static async Task<(TestSandbox, PowerShellHost, AnsweringHost)> StartAsync()
    {
        var sandbox = await TestSandbox.StartAsync();
        var answering = new AnsweringHost();
        var host = new PowerShellHost(answering);
        host.Connect(sandbox);
        Assert.Equal(200, (await sandbox.InviteAsync("ann@corp.example")).Status);
        return (sandbox, host, answering);
    }

    private static async Task<int> PostsAsync(TestSandbox sandbox, string path) =>
        (await sandbox.JournalAsync()).Count(e => (string?)e!["method"] == "POST" && (string?)e["path"] == "/api/v1/organization/" + path);

    [Theory(Timeout = Limits.Test)]
    [InlineData("$WhatIfPreference = $true; Revoke-HeadshotInvite ann@corp.example -Force")]
    [InlineData("Remove-Leaver ann@corp.example -WhatIf")]
    [InlineData("Revoke-HeadshotInvite ann@corp.example -Force -WhatIf")]
    [InlineData("$WhatIfPreference = $true; 'ann@corp.example' | Revoke-HeadshotInvite -Force -Confirm:$false")]
    public async Task Revoke_with_Force_still_honours_every_form_of_WhatIf(string script)
    {
        var (sandbox, host, answering) = await StartAsync();
        await using var _ = sandbox;
        using var __ = host;
        var result = host.Run(Wrapper + "\n" + script);
        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        Assert.Equal(0, await PostsAsync(sandbox, "invite/revoke"));
        Assert.Equal("pending-invite", sandbox.Server.State.ListInvites().Single().Status);
        Assert.Empty(answering.Prompts);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Revoke_with_Force_and_an_explicit_Confirm_asks_and_a_No_changes_nothing()
    {
        var (sandbox, host, answering) = await StartAsync();
        await using var _ = sandbox;
        using var __ = host;
        var result = host.Run("Revoke-HeadshotInvite ann@corp.example -Force -Confirm");
        Assert.Null(result.Terminating);
        Assert.Contains(answering.Prompts, p => p.Contains("ann@corp.example"));
        Assert.Equal(0, await PostsAsync(sandbox, "invite/revoke"));

        answering.Answer = "&Yes";
        result = host.Run("Revoke-HeadshotInvite ann@corp.example -Force -Confirm");
        Assert.Empty(result.Errors);
        Assert.Equal("revoked", sandbox.Server.State.ListInvites().Single().Status);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Revoke_with_Force_alone_does_not_prompt_and_without_it_a_High_impact_revoke_asks()
    {
        var (sandbox, host, answering) = await StartAsync();
        await using var _ = sandbox;
        using var __ = host;
        Assert.Equal(200, (await sandbox.InviteAsync("bob@corp.example")).Status);

        host.Run("Revoke-HeadshotInvite bob@corp.example");
        Assert.Single(answering.Prompts);
        Assert.Equal(0, await PostsAsync(sandbox, "invite/revoke"));

        var result = host.Run("Revoke-HeadshotInvite ann@corp.example -Force -Verbose");
        Assert.Single(answering.Prompts);
        Assert.Empty(result.Errors);
        Assert.Contains(result.Verbose, v => v.Contains("Performing the operation") && v.Contains("ann@corp.example"));
        Assert.Equal(1, await PostsAsync(sandbox, "invite/revoke"));
    }

    /// <summary>
    /// ann pending; cy signed up (accepted); eve's invite revoked; bob's first invite revoked and a new one pending
    /// (<c>$stale</c> is the first, as Get-HeadshotInvite wrote it then); dee never invited.
    /// </summary>
    private static async Task<(TestSandbox, PowerShellHost, RecordingHost, string StaleId, string BobId)> PeopleToRevokeAsync()
    {
        var sandbox = await TestSandbox.StartAsync();
        var console = new RecordingHost("Default Host");
        var host = new PowerShellHost(console);
        host.Connect(sandbox);
        foreach (var email in new[] { "ann@corp.example", "bob@corp.example", "cy@corp.example", "eve@corp.example" })
            Assert.Equal(200, (await sandbox.InviteAsync(email)).Status);
        await sandbox.AdvanceAsync("cy@corp.example", "accepted");
        var stale = (Invite)Assert.Single(host.Run("$stale = Get-HeadshotInvite -Email bob@corp.example; $stale").Output).BaseObject;
        foreach (var email in new[] { "bob@corp.example", "eve@corp.example" })
            Assert.Equal(200, (await sandbox.SendAsync(HttpMethod.Post, "organization/invite/revoke", new { email })).Status);
        var (status, body, _) = await sandbox.InviteAsync("bob@corp.example");
        Assert.Equal(200, status);
        return (sandbox, host, console, stale.Id!, (string)body!["id"]!);
    }

    private static List<string> WhatIfLines(RecordingHost console) => console.Lines.Where(l => l.StartsWith("What if:")).ToList();

    private static string Today => DateTimeOffset.Now.ToString("d");

    [Theory(Timeout = Limits.Test)]
    [InlineData("'ann@corp.example', 'dee@corp.example', 'eve@corp.example', 'cy@corp.example' | Revoke-HeadshotInvite -WhatIf")]
    [InlineData("Revoke-HeadshotInvite ann@corp.example, dee@corp.example, eve@corp.example, cy@corp.example -Force -WhatIf")]
    [InlineData("$WhatIfPreference = $true; Revoke-HeadshotInvite ann@corp.example, dee@corp.example, eve@corp.example, cy@corp.example -Force")]
    [InlineData("Remove-Leaver ann@corp.example, dee@corp.example, eve@corp.example, cy@corp.example -WhatIf")]
    public async Task A_revoke_dry_run_reads_the_invites_and_says_per_person_what_a_real_run_would_do(string script)
    {
        var (sandbox, host, console, _, _) = await PeopleToRevokeAsync();
        await using var _ = sandbox;
        using var __ = host;
        var ids = sandbox.Server.State.ListInvites().ToDictionary(i => i.Email + "/" + i.Status, i => i.Id);
        var before = await PostsAsync(sandbox, "invite/revoke");

        var result = host.Run(Wrapper + "\n" + script);
        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
        Assert.Equal(new[]
        {
            $"What if: Revoke invite {ids["ann@corp.example/pending-invite"]} of ann@corp.example (pending since {Today}; frees 1 credit)",
            "What if: Would fail for dee@corp.example: not invited, nothing to revoke (InviteNotFound).",
            $"What if: Would fail for eve@corp.example: their invite {ids["eve@corp.example/revoked"]} is already revoked, nothing to revoke (InviteNotFound).",
            $"What if: Revoke invite {ids["cy@corp.example/waiting-for-upload"]} of cy@corp.example (accepted, invited {Today}; its credit is not freed)",
            "What if: 2 to revoke (frees 1 credit), 2 with nothing to revoke.",
        }, WhatIfLines(console));
        Assert.Equal(before, await PostsAsync(sandbox, "invite/revoke"));

        // The real run does what the dry run said.
        result = host.Run("$WhatIfPreference = $false; 'ann@corp.example', 'dee@corp.example', 'eve@corp.example', 'cy@corp.example' | Revoke-HeadshotInvite -Force");
        Assert.Equal(new[] { "InviteNotFound", "InviteNotFound" }, result.ErrorIds);
        Assert.Equal(new[] { "dee@corp.example", "eve@corp.example" }, result.Errors.Select(e => (string)e.TargetObject).Order());
        Assert.Equal(new[] { "revoked", "revoked" }, sandbox.Server.State.ListInvites().Where(i => i.Email is "ann@corp.example" or "cy@corp.example").Select(i => i.Status));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_revoke_dry_run_says_a_stale_invite_object_would_fail_and_finds_members_by_their_model()
    {
        var (sandbox, host, console, staleId, bobId) = await PeopleToRevokeAsync();
        await using var _ = sandbox;
        using var __ = host;
        var before = await PostsAsync(sandbox, "invite/revoke");

        var result = host.Run("$stale | Revoke-HeadshotInvite -WhatIf; Get-HeadshotMember | Revoke-HeadshotInvite -WhatIf; Get-HeadshotInvite -Email bob@corp.example | Revoke-HeadshotInvite -WhatIf; Revoke-HeadshotInvite -Id nosuchid -WhatIf");
        Assert.Empty(result.Errors);
        var cy = sandbox.Server.State.ListInvites().Single(i => i.Email == "cy@corp.example").Id;
        Assert.Equal(new[]
        {
            $"What if: Would fail for bob@corp.example: the invite {staleId} of bob@corp.example is already revoked, nothing to revoke (InviteNotFound); their current invite {bobId} (pending) would be left alone.",
            "What if: 0 to revoke, 1 with nothing to revoke.",
            $"What if: Revoke invite {cy} of cy@corp.example (accepted, invited {Today}; its credit is not freed)",
            "What if: 1 to revoke, 0 with nothing to revoke.",
            $"What if: Revoke invite {bobId} of bob@corp.example (pending since {Today}; frees 1 credit)",
            "What if: 1 to revoke (frees 1 credit), 0 with nothing to revoke.",
            "What if: Would fail for nosuchid: no invite has the id 'nosuchid', nothing to revoke (InviteNotFound).",
            "What if: 0 to revoke, 1 with nothing to revoke.",
        }, WhatIfLines(console));
        Assert.Equal(before, await PostsAsync(sandbox, "invite/revoke"));

        // With -SkipMissing nothing to revoke is no failure, in the dry run as in the real run.
        result = host.Run("$stale, 'dee@corp.example' | Revoke-HeadshotInvite -SkipMissing -WhatIf");
        Assert.Equal(new[]
        {
            $"What if: Nothing to revoke for bob@corp.example: the invite {staleId} of bob@corp.example is already revoked; their current invite {bobId} (pending) would be left alone (-SkipMissing passes it).",
            "What if: Nothing to revoke for dee@corp.example: not invited (-SkipMissing passes it).",
            "What if: 0 to revoke, 2 with nothing to revoke.",
        }, WhatIfLines(console).Skip(8));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_revoke_dry_run_that_cannot_read_the_invites_says_so_and_sends_nothing()
    {
        var (sandbox, host, console, _, _) = await PeopleToRevokeAsync();
        await using var _ = sandbox;
        using var __ = host;
        var before = await PostsAsync(sandbox, "invite/revoke");
        await sandbox.SettingsAsync(new { nextFaults = new[] { "redirect", "redirect" } }); // both invite lists
        var result = host.Run("'ann@corp.example', 'dee@corp.example' | Revoke-HeadshotInvite -WhatIf");
        Assert.Empty(result.Errors);
        Assert.Contains(result.Warnings, w => w.StartsWith("The dry run could not read the invites"));
        Assert.Equal(new[]
        {
            "What if: Revoke the invite of ann@corp.example, if there is one (not checked).",
            "What if: Revoke the invite of dee@corp.example, if there is one (not checked).",
            "What if: 0 to revoke, 0 with nothing to revoke, 2 not checked.",
        }, WhatIfLines(console));
        Assert.Equal(before, await PostsAsync(sandbox, "invite/revoke"));
    }

    [Theory(Timeout = Limits.Test)]
    [InlineData("$WhatIfPreference = $true; New-HeadshotInvite cy@corp.example")]
    [InlineData("Add-Joiner cy@corp.example -WhatIf")]
    [InlineData("New-HeadshotInvite cy@corp.example -Confirm")]
    [InlineData("$ConfirmPreference = 'Medium'; 'cy@corp.example' | New-HeadshotInvite")]
    public async Task New_invites_honour_every_form_of_WhatIf_and_a_No_at_the_prompt(string script)
    {
        var (sandbox, host, _) = await StartAsync();
        await using var __ = sandbox;
        using var ___ = host;
        var result = host.Run(Wrapper + "\n" + script);
        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
        Assert.Equal(1, await PostsAsync(sandbox, "invite"));
    }
}

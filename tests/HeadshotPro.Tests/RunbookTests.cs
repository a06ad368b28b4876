using System.Management.Automation;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>The admin's daily runbook: truthful dry runs, idempotent leavers, finding things, clear mistakes, output to read.</summary>
public class RunbookTests
{
    private static async Task<(TestSandbox, PowerShellHost, RecordingHost)> StartAsync(SandboxOptions? options = null)
    {
        var sandbox = await TestSandbox.StartAsync(options);
        var console = new RecordingHost("Default Host");
        var host = new PowerShellHost(console);
        host.Connect(sandbox);
        return (sandbox, host, console);
    }

    private static async Task<string> InviteAsync(TestSandbox sandbox, string email, string? teamId = null)
    {
        var (status, body, _) = await sandbox.InviteAsync(email, teamId);
        Assert.Equal(200, status);
        return (string)body!["id"]!;
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_dry_run_reads_the_balance_at_its_start_and_says_per_person_what_would_happen()
    {
        var (sandbox, host, console) = await StartAsync();
        await using var _ = sandbox;
        using var __ = host;
        await InviteAsync(sandbox, "ann@corp.example");
        sandbox.Server.State.SetCredits(2); // a top-up or a spend elsewhere since Connect: the dry run must not use a stale balance
        var result = host.Run("'ann@corp.example', 'bob@corp.example', 'cy@corp.example', 'dee@corp.example' | New-HeadshotInvite -WhatIf");
        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
        var said = console.Lines.Where(l => l.StartsWith("What if:")).ToList();
        Assert.Equal(new[]
        {
            "What if: ann@corp.example is already invited (pending since " + DateTimeOffset.Now.ToString("d") + "): a real run would fail with InviteAlreadyExists; -SkipExisting passes it through.",
            "What if: Invite bob@corp.example (1 credit; 1 left)",
            "What if: Invite cy@corp.example (1 credit; 0 left)",
            "What if: Would fail for dee@corp.example: no credit left (InsufficientCredits).",
            "What if: 2 to invite, 1 already invited, 1 credit short.",
        }, said);
        Assert.DoesNotMatch(@"-\d", string.Join("\n", said));
        Assert.Single(sandbox.Server.State.ListInvites());
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Leavers_are_revoked_idempotently_with_SkipMissing_and_by_id()
    {
        var (sandbox, host, _) = await StartAsync();
        await using var __ = sandbox;
        using var ___ = host;
        var annId = await InviteAsync(sandbox, "ann@corp.example", "team_marketing");
        var bobId = await InviteAsync(sandbox, "bob@corp.example");
        const string leavers = "'ann@corp.example', 'never@corp.example'";

        var strict = host.Run(leavers + " | Revoke-HeadshotInvite -Force");
        Assert.Equal("InviteNotFound", Assert.Single(strict.ErrorIds));
        Assert.Equal("never@corp.example", strict.Errors[0].TargetObject);

        // Tomorrow's run: ann is already revoked, never was never invited — nothing to do, no errors, said in verbose.
        var again = host.Run(leavers + " | Revoke-HeadshotInvite -Force -SkipMissing -Verbose");
        Assert.Empty(again.Errors);
        Assert.Contains(again.Verbose, v => v.StartsWith("Nothing to revoke for ann@corp.example"));
        Assert.Contains(again.Verbose, v => v.StartsWith("Nothing to revoke for never@corp.example"));

        var byId = host.Run($"Revoke-HeadshotInvite -Id {bobId} -Force -PassThru");
        var revoked = (Invite)Assert.Single(byId.Output).BaseObject;
        Assert.Equal((bobId, "bob@corp.example", "revoked", "Revoked"), (revoked.Id, revoked.Email, revoked.Status, revoked.Outcome));
        Assert.NotNull(revoked.CreatedAt);
        Assert.Equal("InviteNotFound", Assert.Single(host.Run($"Revoke-HeadshotInvite -Id {bobId}, nosuchid -Force -SkipMissing:$false").ErrorIds.Distinct()));
        Assert.Empty(host.Run($"Revoke-HeadshotInvite -Id {bobId}, nosuchid -Force -SkipMissing").Errors);

        var cy = await InviteAsync(sandbox, "cy@corp.example", "team_engineering");
        var passThru = (Invite)Assert.Single(host.Run("Revoke-HeadshotInvite cy@corp.example -Force -PassThru").Output).BaseObject;
        Assert.Equal((cy, "team_engineering"), (passThru.Id, passThru.TeamId));
        Assert.NotNull(passThru.CreatedAt);
        Assert.Equal(annId, sandbox.Server.State.ListInvites().First().Id);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Finding_invites_by_id_by_position_an_exact_address_and_a_wildcard()
    {
        var (sandbox, host, _) = await StartAsync();
        await using var __ = sandbox;
        using var ___ = host;
        var id = await InviteAsync(sandbox, "ann@corp.example", "team_marketing");

        var byPosition = (Invite)Assert.Single(host.Run($"Get-HeadshotInvite {id}").Output).BaseObject;
        Assert.Equal(("ann@corp.example", "pending"), (byPosition.Email, byPosition.Status));

        var missing = host.Run("Get-HeadshotInvite nobody@corp.example");
        Assert.Empty(missing.Output);
        var error = Assert.Single(missing.Errors);
        Assert.Equal(("InviteNotFound", ErrorCategory.ObjectNotFound), (error.FullyQualifiedErrorId.Split(',')[0], error.CategoryInfo.Category));
        Assert.Equal("nobody@corp.example", error.TargetObject);

        var wildcard = host.Run("Get-HeadshotInvite '*@elsewhere.example'");
        Assert.Empty(wildcard.Output);
        Assert.Empty(wildcard.Errors);

        var listed = (Invite)Assert.Single(host.Run("Get-HeadshotInvite").Output).BaseObject;
        Assert.Equal("Marketing", listed.TeamName);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task SkipExisting_output_says_which_invites_are_new_and_names_the_team()
    {
        var (sandbox, host, _) = await StartAsync();
        await using var __ = sandbox;
        using var ___ = host;
        await InviteAsync(sandbox, "ann@corp.example", "team_marketing");
        var result = host.Run("'ann@corp.example', 'bob@corp.example' | New-HeadshotInvite -SkipExisting -Team Marketing | Group-Object Outcome -NoElement | Sort-Object Name | ForEach-Object { \"$($_.Name)=$($_.Count)\" }");
        Assert.Equal(new[] { "Created=1", "Existing=1" }, result.Output.Select(o => o.BaseObject));
        var both = host.Run("'ann@corp.example', 'bob@corp.example' | New-HeadshotInvite -SkipExisting").Output.Select(o => (Invite)o.BaseObject).ToList();
        NonEmpty.All(both, i => Assert.Equal(("Existing", "Marketing"), (i.Outcome, i.TeamName)));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task The_connection_shows_where_the_rate_limit_stands()
    {
        var (sandbox, host, _) = await StartAsync(new SandboxOptions { RateLimit = 50, RateWindowSeconds = 60 });
        await using var __ = sandbox;
        using var ___ = host;
        host.Run("Get-HeadshotCredits; Get-HeadshotCredits");
        var connection = (Connection)Assert.Single(host.Run("Get-HeadshotConnection").Output).BaseObject;
        Assert.Equal(47, connection.RateLimitRemaining);
        Assert.InRange((connection.RateLimitResetsAt!.Value - DateTimeOffset.Now).TotalSeconds, 50, 61);
    }

    [Theory(Timeout = Limits.Test)]
    [InlineData("")]
    [InlineData("apiv1/")]
    [InlineData("api/v1/organization/")]
    public async Task A_base_URI_that_is_not_the_API_is_said_to_be_wrong_at_Connect(string path)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var host = new PowerShellHost();
        var result = host.Run("Connect-HeadshotPro -ApiKey (ConvertTo-SecureString $key -AsPlainText -Force) -BaseUri $uri",
            ("key", TestSandbox.Key), ("uri", new Uri(sandbox.Server.RootUri, path)));
        Assert.Equal("ApiEndpointNotFound", result.Terminating?.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("/api/v1/", result.Terminating!.ErrorDetails.Message);
        Assert.Contains("-BaseUri", result.Terminating.ErrorDetails.RecommendedAction);
        Assert.DoesNotContain("Get-HeadshotInvite", result.Terminating.ErrorDetails.RecommendedAction);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task One_rate_limit_wait_is_one_verbose_line_and_each_request_names_its_address()
    {
        var (sandbox, host, _) = await StartAsync(new SandboxOptions { RateLimit = 5, RateWindowSeconds = 2 });
        await using var __ = sandbox;
        using var ___ = host;
        await sandbox.SettingsAsync(new { rateLimit = 5 });
        var result = host.Run("1..12 | ForEach-Object { \"user$_@corp.example\" } | New-HeadshotInvite -ThrottleLimit 5 -Verbose");
        Assert.Equal(12, result.Output.Count);
        var waits = result.Verbose.Count(v => v.Contains("rate limit"));
        Assert.InRange(waits, 1, 3); // 12 requests at 5 per window: two waits (one per spent window), not one per queued request
        for (var i = 1; i <= 12; i++) Assert.Contains(result.Verbose, v => v.StartsWith($"POST organization/invite for user{i}@corp.example -> 200"));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Times_carry_their_offset_through_Export_Csv_and_ConvertTo_Json()
    {
        var (sandbox, host, _) = await StartAsync();
        await using var __ = sandbox;
        using var ___ = host;
        await InviteAsync(sandbox, "ann@corp.example");
        var result = host.Run("""
            $invite = Get-HeadshotInvite
            $invite | ConvertTo-Json -Compress
            ($invite | ConvertTo-Csv | ConvertFrom-Csv).CreatedAt
            (Get-HeadshotCredits | ConvertTo-Csv | ConvertFrom-Csv).RetrievedAt
            Get-HeadshotConnection | ConvertTo-Json -Compress
            """);
        Assert.Empty(result.Errors);
        var texts = result.Output.Select(o => o.BaseObject.ToString()!).ToList();
        Assert.Matches(@"""CreatedAt"":""[^""]+([+-]\d\d:\d\d|Z)""", texts[0]);
        Assert.Matches(@" [+-]\d\d:\d\d$", texts[1]);
        Assert.Matches(@" [+-]\d\d:\d\d$", texts[2]);
        Assert.Matches(@"""ConnectedAt"":""[^""]+([+-]\d\d:\d\d|Z)""", texts[3]);
        Assert.IsType<DateTimeOffset>(((Invite)host.Run("Get-HeadshotInvite").Output[0].BaseObject).CreatedAt!.Value);
    }
}

/// <summary>Mistakes an admin makes that must get the right answer.</summary>
public class MistakeTests
{
    [Theory(Timeout = Limits.Test)]
    [InlineData("api/v2/")]
    [InlineData("api/v2/organization/")]
    [InlineData("api/")]
    public async Task A_v2_or_root_address_given_to_Connect_still_reaches_v1(string path)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var host = new PowerShellHost();
        host.Run("Connect-HeadshotPro -ApiKey (ConvertTo-SecureString $key -AsPlainText -Force) -BaseUri $uri", ("key", TestSandbox.Key), ("uri", new Uri(sandbox.Server.RootUri, path)));
        Assert.Equal(200, (await sandbox.InviteAsync("leaver@corp.example")).Status);
        var result = host.Run("'leaver@corp.example' | Revoke-HeadshotInvite -Force -SkipMissing");
        Assert.Empty(result.Errors);
        Assert.Equal("revoked", sandbox.Server.State.ListInvites().Single().Status);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Invisible_characters_copied_in_with_an_address_are_trimmed_or_refused()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var host = new PowerShellHost();
        host.Connect(sandbox);
        var result = host.Run("\"zw@corp.example$([char]0x200B)\", \"$([char]0xFEFF)bom@corp.example\", \"in$([char]0x200B)side@corp.example\" | New-HeadshotInvite");
        Assert.Equal(new[] { "bom@corp.example", "zw@corp.example" }, result.Output.Select(o => ((Invite)o.BaseObject).Email).Order());
        Assert.Equal("InvalidEmailAddress", Assert.Single(result.ErrorIds));
        Assert.Equal(new[] { "bom@corp.example", "zw@corp.example" }, sandbox.Server.State.ListInvites().Select(i => i.Email).Order());
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_Connect_that_fails_leaves_no_connection_behind()
    {
        await using var first = await TestSandbox.StartAsync();
        await using var second = await TestSandbox.StartAsync();
        using var host = new PowerShellHost();
        host.Connect(first);
        await second.SettingsAsync(new { nextFaults = Enumerable.Repeat(FaultKind.Http500, 8) });
        var result = host.Run("Connect-HeadshotPro -ApiKey (ConvertTo-SecureString $key -AsPlainText -Force) -BaseUri $uri; 'x'", ("key", TestSandbox.Key), ("uri", second.ApiBaseUri));
        Assert.NotNull(result.Terminating);
        var after = host.Run("New-HeadshotInvite b.person@corp.example");
        Assert.Equal("NotConnected", after.Terminating?.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Empty(first.Server.State.ListInvites());
    }

    [Theory(Timeout = Limits.Test)]
    [InlineData("api.headshotpro.com")]
    [InlineData("api/v1/")]
    public Task A_base_URI_without_a_scheme_is_InvalidBaseUri(string given) => Task.Run(() =>
    {
        using var host = new PowerShellHost();
        var result = host.Run($"Connect-HeadshotPro -ApiKey (ConvertTo-SecureString 'k' -AsPlainText -Force) -BaseUri '{given}'");
        Assert.Equal("InvalidBaseUri", result.Terminating?.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("https://", result.Terminating!.ErrorDetails.Message);
    });
}

/// <summary>What the packaged help promises: every ErrorId in the about topic, no online help that does not exist.</summary>
public class HelpPromiseTests
{
    private static readonly string About = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "en-US", "about_HeadshotPro.md"));

    [Fact(Timeout = Limits.Test)]
    public Task Every_ErrorId_the_module_writes_is_in_about_HeadshotPro() => Task.Run(() =>
    {
        var source = string.Join("\n", Directory.GetFiles(Path.Combine(RepoPaths.Root, "src", "HeadshotPro"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")).Select(File.ReadAllText));
        var ids = System.Text.RegularExpressions.Regex.Matches(source, @"(?:return \(|, )""([A-Z][A-Za-z]+)"", ErrorCategory\.")
            .Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.True(ids.Count >= 20, "the ErrorIds were not found in the source: " + string.Join(", ", ids));
        NonEmpty.All(ids, id => Assert.Contains(id, About));
    });

    [Fact(Timeout = Limits.Test)]
    public Task Update_Help_and_online_help_are_not_advertised() => Task.Run(() =>
    {
        Assert.DoesNotContain("HelpInfoUri", File.ReadAllText(Path.Combine(RepoPaths.Root, "HeadshotPro.psd1")));
        NonEmpty.All(Directory.GetFiles(Path.Combine(RepoPaths.Root, "docs", "en-US"), "*.md"),
            page => Assert.DoesNotContain("online version:", File.ReadAllText(page)));
        Assert.Contains("no online help", About);
        Assert.Contains("comes with the module's source repository", About);
    });
}

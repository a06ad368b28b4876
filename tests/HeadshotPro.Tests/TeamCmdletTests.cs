using System.Management.Automation;
using System.Management.Automation.Language;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>New-, Rename-, Remove-HeadshotTeam and Add-HeadshotTeamMember against the v2 sandbox, with every form of dry run.</summary>
public class TeamCmdletTests
{
    private const string Wrappers = """
        function New-Dept { [CmdletBinding(SupportsShouldProcess)] param($Name) New-HeadshotTeam $Name }
        function Rename-Dept { [CmdletBinding(SupportsShouldProcess)] param($Team, $To) Rename-HeadshotTeam $Team $To }
        function Remove-Dept { [CmdletBinding(SupportsShouldProcess)] param($Team) Remove-HeadshotTeam $Team -Force }
        function Add-ToDept { [CmdletBinding(SupportsShouldProcess)] param($Team, $Email) Add-HeadshotTeamMember $Team $Email }
        """;

    private static async Task<(TestSandbox, PowerShellHost, AnsweringHost)> StartAsync()
    {
        var sandbox = await TestSandbox.StartAsync();
        var answering = new AnsweringHost();
        var host = new PowerShellHost(answering);
        host.Connect(sandbox);
        await sandbox.PeopleAsync(new[] { "ann@corp.example", "bob@corp.example" }, "accepted");
        return (sandbox, host, answering);
    }

    private static async Task<int> ChangesAsync(TestSandbox sandbox) =>
        (await sandbox.JournalAsync()).Count(e => (string?)e!["method"] != "GET" && ((string?)e["path"])!.StartsWith("/api/v2/organization/teams"));

    private static IEnumerable<string> TeamNames(TestSandbox sandbox) => sandbox.Server.State.Teams().Select(t => t.Name).Order();

    [Fact(Timeout = Limits.Test)]
    public async Task Teams_are_created_renamed_and_removed_and_Get_HeadshotTeam_and_completion_see_it_at_once()
    {
        var (sandbox, host, _) = await StartAsync();
        await using var __ = sandbox;
        using var ___ = host;

        var result = host.Run("New-HeadshotTeam Sales, Support");
        Assert.Empty(result.Errors);
        Assert.Equal(new[] { "Sales", "Support" }, result.Output.Select(o => ((Team)o.BaseObject).Name));
        Assert.Equal(new[] { "Engineering", "Marketing", "Sales", "Support" }, TeamNames(sandbox));
        Assert.Equal("Sales,Support", Complete(host, "Get-HeadshotMember -Team S"));

        result = host.Run("Get-HeadshotTeam Sales | Rename-HeadshotTeam -NewName 'Field Sales' -PassThru");
        Assert.Empty(result.Errors);
        Assert.Equal("Field Sales", ((Team)Assert.Single(result.Output).BaseObject).Name);
        Assert.Equal("'Field Sales'", Complete(host, "Get-HeadshotMember -Team Fie"));
        Assert.Single(host.Run("Get-HeadshotTeam 'Field Sales'").Output);

        result = host.Run("Remove-HeadshotTeam 'Field Sales', Support -Force");
        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
        Assert.Equal(new[] { "Engineering", "Marketing" }, TeamNames(sandbox));
        Assert.Equal("", Complete(host, "Get-HeadshotMember -Team Fie"));
        Assert.Equal("TeamNotFound", Assert.Single(host.Run("Get-HeadshotTeam -Name Support").ErrorIds));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_team_whose_name_has_wildcard_characters_is_found_by_its_own_name()
    {
        var (sandbox, host, _) = await StartAsync();
        await using var __ = sandbox;
        using var ___ = host;
        Assert.Empty(host.Run("New-HeadshotTeam 'R[&]D', 'Sales*', 'Sales East'").Errors);

        // 'R[&]D' as a pattern matches only "R&D"; the team of that very name is what the admin means.
        var result = host.Run("Get-HeadshotTeam 'R[&]D'");
        Assert.Empty(result.Errors);
        Assert.Equal("R[&]D", ((Team)Assert.Single(result.Output).BaseObject).Name);
        // A pattern still matches as one: 'Sales*' is both teams, each once.
        result = host.Run("Get-HeadshotTeam 'Sales*', 'Sales East'");
        Assert.Equal(new[] { "Sales East", "Sales*" }, result.Output.Select(o => ((Team)o.BaseObject).Name).Order());
    }

    private static string Complete(PowerShellHost host, string input)
    {
        var result = host.Run("(TabExpansion2 -inputScript $in -cursorColumn $in.Length).CompletionMatches.CompletionText -join ','", ("in", input));
        return string.Join(",", result.Output.Select(o => o.ToString()));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Taken_names_are_TeamNameTaken_and_unknown_teams_TeamNotFound_and_nothing_is_sent_for_them()
    {
        var (sandbox, host, _) = await StartAsync();
        await using var __ = sandbox;
        using var ___ = host;

        var result = host.Run("New-HeadshotTeam marketing, Sales");
        var taken = Assert.Single(result.Errors);
        Assert.Equal(("TeamNameTaken", ErrorCategory.ResourceExists, (object)"marketing"), (result.ErrorIds.Single(), taken.CategoryInfo.Category, taken.TargetObject));
        Assert.Single(result.Output);

        result = host.Run("Rename-HeadshotTeam Sales -NewName ENGINEERING");
        Assert.Equal("TeamNameTaken", Assert.Single(result.ErrorIds));
        result = host.Run("Rename-HeadshotTeam Nope -NewName Other");
        Assert.Equal("TeamNotFound", Assert.Single(result.ErrorIds));
        Assert.Equal((ErrorCategory.ObjectNotFound, (object)"Nope"), (result.Errors[0].CategoryInfo.Category, result.Errors[0].TargetObject));
        result = host.Run("Remove-HeadshotTeam Nope, Sales -Force");
        Assert.Equal("TeamNotFound", Assert.Single(result.ErrorIds));
        Assert.Equal(2, await ChangesAsync(sandbox)); // the create of Sales and its delete

        // A name taken behind the module's back: the server's 400 is told apart by reading the teams.
        host.Run("Get-HeadshotTeam");
        var (status, _, _) = await sandbox.SendAsync(HttpMethod.Post, "../v2/organization/teams", new { name = "Legal" });
        Assert.Equal(200, status);
        result = host.Run("$teams = Get-HeadshotTeam; New-HeadshotTeam Legal");
        Assert.Equal("TeamNameTaken", Assert.Single(result.ErrorIds));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Members_are_put_into_a_team_in_one_batch_and_non_members_get_MemberNotFound()
    {
        var (sandbox, host, _) = await StartAsync();
        await using var __ = sandbox;
        using var ___ = host;
        Assert.Equal(200, (await sandbox.InviteAsync("cy@corp.example")).Status);

        var result = host.Run("'ann@corp.example', [pscustomobject]@{ Mail = 'BOB@corp.example' }, 'cy@corp.example', 'ann@corp.example', 'nope' | Add-HeadshotTeamMember -Team Marketing -PassThru");
        // Each person by the address they were invited at, as the organization has it.
        Assert.Equal(new[] { "ann@corp.example", "bob@corp.example" }, result.Output.Select(o => ((TeamAssignment)o.BaseObject).Email));
        Assert.Equal(new[] { "DuplicateInput", "InvalidEmailAddress", "MemberNotFound" }, result.ErrorIds.Order());
        var notMember = result.Errors.Single(e => e.FullyQualifiedErrorId.StartsWith("MemberNotFound"));
        Assert.Equal(("cy@corp.example", ErrorCategory.ObjectNotFound), (notMember.TargetObject, notMember.CategoryInfo.Category));
        Assert.Equal(1, await sandbox.V2RequestsAsync("POST", "teams/team_marketing/members"));
        NonEmpty.All(sandbox.Server.State.Members(), m => Assert.Equal("team_marketing", m.TeamId));

        result = host.Run("Get-HeadshotMember | Add-HeadshotTeamMember -Team Sales");
        Assert.Equal("TeamNotFound", result.Terminating?.FullyQualifiedErrorId.Split(',')[0]);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Hundreds_of_addresses_go_in_batches_of_100()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { RateLimit = 0, Credits = 500 });
        using var host = new PowerShellHost();
        host.Connect(sandbox);
        await sandbox.PeopleAsync(V2Seed.Addresses("b", 230), "accepted");
        var result = host.Run("Get-HeadshotMember | Add-HeadshotTeamMember -Team Engineering");
        Assert.Empty(result.Errors);
        Assert.Equal(3, await sandbox.V2RequestsAsync("POST", "teams/team_engineering/members"));
        NonEmpty.All(sandbox.Server.State.Members(), m => Assert.Equal("team_engineering", m.TeamId));
    }

    [Theory(Timeout = Limits.Test)]
    [InlineData("New-HeadshotTeam Sales, Support", "Sales", "Support")]
    [InlineData("'Sales', 'Support' | New-HeadshotTeam", "Sales", "Support")]
    [InlineData("'Marketing', 'Engineering' | Rename-HeadshotTeam -NewName Growth -PassThru", "Marketing", "Engineering")]
    [InlineData("Remove-HeadshotTeam Marketing, Engineering -Force", "Marketing", "Engineering")]
    [InlineData("'ann@corp.example', 'bob@corp.example' | Add-HeadshotTeamMember -Team Engineering -PassThru", "ann@corp.example", "bob@corp.example")]
    public async Task When_the_organization_cannot_be_read_every_input_gets_its_own_error(string script, string first, string second)
    {
        var (sandbox, host, _) = await StartAsync();
        await using var __ = sandbox;
        using var ___ = host;
        await sandbox.SettingsAsync(new { nextFaults = new[] { "redirect" } }); // the organization read fails, and is not retried
        var result = host.Run(script + " -Confirm:$false");
        Assert.Null(result.Terminating);
        Assert.Empty(result.Output);
        Assert.Equal(new[] { "ApiRedirected", "ApiRedirected" }, result.ErrorIds);
        Assert.Equal(new object[] { first, second }, result.Errors.Select(e => e.TargetObject));
        NonEmpty.All(result.Errors, e => Assert.Contains("redirect", e.Exception.Message));
        Assert.Equal(0, await ChangesAsync(sandbox));
        Assert.Equal(1, (await sandbox.JournalAsync()).Count(e => (string?)e!["fault"] == "redirect"));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_refused_name_whose_teams_cannot_be_read_again_is_one_error()
    {
        var (sandbox, host, _) = await StartAsync();
        await using var __ = sandbox;
        using var ___ = host;
        // The start's read and the create go through (the create is refused: a name over 100 characters); reading the
        // teams again, to tell a taken name from another bad request, fails.
        await sandbox.SettingsAsync(new { nextFaults = new[] { "unknown-charset", "unknown-charset", "redirect" } });
        var result = host.Run("New-HeadshotTeam ('x' * 101)");
        Assert.Equal("InvalidRequest", Assert.Single(result.ErrorIds));
        Assert.Empty(result.Output);
    }

    public static TheoryData<string> DryRuns => new()
    {
        "$WhatIfPreference = $true; New-HeadshotTeam Sales",
        "New-Dept Sales -WhatIf",
        "New-HeadshotTeam Sales -WhatIf",
        "New-HeadshotTeam Sales -Confirm",
        "$WhatIfPreference = $true; Rename-HeadshotTeam Marketing Growth",
        "Rename-Dept Marketing Growth -WhatIf",
        "Rename-HeadshotTeam Marketing Growth -Confirm",
        "$WhatIfPreference = $true; Remove-HeadshotTeam Marketing -Force",
        "Remove-Dept Marketing -WhatIf",
        "Remove-HeadshotTeam Marketing -Force -WhatIf",
        "$WhatIfPreference = $true; 'Marketing' | Remove-HeadshotTeam -Force -Confirm:$false",
        "Remove-HeadshotTeam Marketing -Force -Confirm",
        "Remove-HeadshotTeam Marketing",
        "$WhatIfPreference = $true; Add-HeadshotTeamMember Engineering ann@corp.example",
        "Add-ToDept Engineering ann@corp.example -WhatIf",
        "Add-HeadshotTeamMember Engineering ann@corp.example -Confirm",
    };

    [Theory(Timeout = Limits.Test)]
    [MemberData(nameof(DryRuns))]
    public async Task Every_form_of_WhatIf_and_a_No_at_the_prompt_change_nothing(string script)
    {
        var (sandbox, host, answering) = await StartAsync();
        await using var _ = sandbox;
        using var __ = host;
        var result = host.Run(Wrappers + "\n" + script);
        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
        Assert.Equal(0, await ChangesAsync(sandbox));
        Assert.Equal(new[] { "Engineering", "Marketing" }, TeamNames(sandbox));
        var confirms = script.Contains("-Confirm") && !script.Contains("-Confirm:$false") || script == "Remove-HeadshotTeam Marketing";
        Assert.Equal(confirms ? 1 : 0, answering.Prompts.Count);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Force_skips_only_the_prompt_and_a_Yes_at_an_explicit_Confirm_goes_ahead()
    {
        var (sandbox, host, answering) = await StartAsync();
        await using var _ = sandbox;
        using var __ = host;
        var result = host.Run("Remove-HeadshotTeam Engineering -Force -Verbose");
        Assert.Empty(result.Errors);
        Assert.Empty(answering.Prompts);
        Assert.Contains(result.Verbose, v => v.Contains("Performing the operation") && v.Contains("Engineering"));

        answering.Answer = "&Yes";
        result = host.Run("Remove-HeadshotTeam Marketing -Force -Confirm; New-HeadshotTeam Sales -Confirm; Rename-HeadshotTeam Sales Growth -Confirm; Add-HeadshotTeamMember Growth ann@corp.example -Confirm");
        Assert.Empty(result.Errors);
        Assert.Equal(4, answering.Prompts.Count);
        Assert.Equal(new[] { "Growth" }, TeamNames(sandbox));
        Assert.Equal(1, sandbox.Server.State.Members().Count(m => m.TeamName == "Growth"));
    }
}

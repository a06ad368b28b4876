using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>
/// New-HeadshotInvite -Team for people already invited into another team (issue 20): never silent. Members (people who
/// signed up) can be moved with -MoveExisting; a pending invite cannot be moved by the API, and the warning says what can.
/// </summary>
public class TeamMoveTests
{
    private const string Everyone = "'ann@corp.example', 'bob@corp.example', 'cy@corp.example', 'dee@corp.example'";

    /// <summary>
    /// ann: Marketing, signed up with a personal address; bob: Marketing, not signed up; cy: Engineering already;
    /// dee: in no team, generating.
    /// </summary>
    private static async Task<(TestSandbox, PowerShellHost, RecordingHost)> StartAsync()
    {
        var sandbox = await TestSandbox.StartAsync();
        var console = new RecordingHost("Default Host");
        var host = new PowerShellHost(console);
        host.Connect(sandbox);
        Assert.Equal(200, (await sandbox.InviteAsync("ann@corp.example", "team_marketing")).Status);
        var signUp = await sandbox.Control.PostAsync("people/ann%40corp.example/advance",
            TestSandbox.JsonBody(new { to = "accepted", activeEmail = "ann.home@mail.example" }));
        Assert.True(signUp.IsSuccessStatusCode);
        Assert.Equal(200, (await sandbox.InviteAsync("bob@corp.example", "team_marketing")).Status);
        await sandbox.PeopleAsync(new[] { "cy@corp.example" }, "accepted", "team_engineering");
        await sandbox.PeopleAsync(new[] { "dee@corp.example" }, "generating");
        return (sandbox, host, console);
    }

    private static string? TeamOf(TestSandbox sandbox, string email) =>
        sandbox.Server.State.ListInvites().Single(i => i.Email == email).TeamId;

    private static Dictionary<string, (string? Outcome, string? TeamName)> Outcomes(PowerShellHost.Result result) =>
        result.Output.Select(o => (Invite)o.BaseObject).ToDictionary(i => i.Email, i => (i.Outcome, i.TeamName));

    private static async Task<int> AssignmentsAsync(TestSandbox sandbox) =>
        (await sandbox.JournalAsync()).Count(e => ((string?)e!["path"])!.EndsWith("/members", StringComparison.Ordinal));

    [Fact(Timeout = Limits.Test)]
    public async Task SkipExisting_into_another_team_warns_naming_their_team_and_moves_no_one()
    {
        var (sandbox, host, _) = await StartAsync();
        await using var __ = sandbox;
        using var ___ = host;

        var result = host.Run(Everyone + " | New-HeadshotInvite -Team Engineering -SkipExisting");
        Assert.Empty(result.Errors);
        var outcomes = Outcomes(result);
        Assert.Equal(4, outcomes.Count);
        NonEmpty.All(outcomes.Values, o => Assert.Equal("Existing", o.Outcome));
        Assert.Equal("Marketing", outcomes["ann@corp.example"].TeamName);

        Assert.Equal(3, result.Warnings.Count);
        var ann = Assert.Single(result.Warnings, w => w.Contains("ann@corp.example"));
        Assert.Contains("team Marketing", ann);
        Assert.Contains("-MoveExisting", ann);
        var bob = Assert.Single(result.Warnings, w => w.Contains("bob@corp.example"));
        Assert.Contains("team Marketing", bob);
        Assert.Contains("Revoke-HeadshotInvite", bob);
        var dee = Assert.Single(result.Warnings, w => w.Contains("dee@corp.example"));
        Assert.Contains("no team", dee);

        Assert.Equal(0, await AssignmentsAsync(sandbox));
        Assert.Equal("team_marketing", TeamOf(sandbox, "ann@corp.example"));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task MoveExisting_moves_members_by_their_own_address_and_says_why_a_pending_invite_stays()
    {
        var (sandbox, host, console) = await StartAsync();
        await using var __ = sandbox;
        using var ___ = host;

        var dryRun = host.Run(Everyone + " | New-HeadshotInvite -Team Engineering -MoveExisting -WhatIf");
        Assert.Empty(dryRun.Errors);
        Assert.Contains(console.Lines, l => l.StartsWith("What if:") && l.Contains("ann@corp.example") && l.Contains("from team Marketing to team Engineering"));
        Assert.Contains(console.Lines, l => l.StartsWith("What if:") && l.Contains("dee@corp.example") && l.Contains("to team Engineering"));
        Assert.Equal(0, await AssignmentsAsync(sandbox));

        var result = host.Run(Everyone + " | New-HeadshotInvite -Team Engineering -MoveExisting");
        Assert.Empty(result.Errors);
        var outcomes = Outcomes(result);
        Assert.Equal(("Moved", "Engineering"), outcomes["ann@corp.example"]);
        Assert.Equal(("Moved", "Engineering"), outcomes["dee@corp.example"]);
        Assert.Equal(("Existing", "Marketing"), outcomes["bob@corp.example"]);
        Assert.Equal(("Existing", "Engineering"), outcomes["cy@corp.example"]);
        var moved = result.Output.Select(o => (Invite)o.BaseObject).Single(i => i.Email == "ann@corp.example");
        Assert.Equal("team_engineering", moved.TeamId);
        Assert.Equal("team_engineering", TeamOf(sandbox, "ann@corp.example"));
        Assert.Equal("team_engineering", TeamOf(sandbox, "dee@corp.example"));
        Assert.Equal("team_marketing", TeamOf(sandbox, "bob@corp.example"));
        var bob = Assert.Single(result.Warnings);
        Assert.Contains("bob@corp.example", bob);
        Assert.Contains("not signed up", bob);

        // Again: done is done, and the pending invite is still named.
        result = host.Run(Everyone + " | New-HeadshotInvite -Team Engineering -MoveExisting");
        NonEmpty.All(Outcomes(result).Values, o => Assert.Equal("Existing", o.Outcome));
        Assert.Contains("bob@corp.example", Assert.Single(result.Warnings));
        Assert.Equal(2, await AssignmentsAsync(sandbox));
    }
}

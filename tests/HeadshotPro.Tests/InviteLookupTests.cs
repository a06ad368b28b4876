using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>Reading invites costs a few list calls whatever the count, in the server's order, losing nothing.</summary>
public class InviteLookupTests
{
    private static async Task<(TestSandbox, PowerShellHost)> StartAsync()
    {
        var sandbox = await TestSandbox.StartAsync(new SandboxOptions { RateLimit = 0 });
        var host = new PowerShellHost();
        host.Connect(sandbox);
        return (sandbox, host);
    }

    private static async Task<string> InviteAsync(TestSandbox sandbox, string email)
    {
        var (status, body, _) = await sandbox.InviteAsync(email);
        Assert.Equal(200, status);
        return (string)body!["id"]!;
    }

    private static async Task SetStatusAsync(TestSandbox sandbox, string id, string status, string? activeEmail = null)
    {
        var response = await sandbox.Control.PostAsync($"invites/{id}/status", TestSandbox.JsonBody(new { status, activeEmail }));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<int> GetsAsync(TestSandbox sandbox) =>
        (await sandbox.JournalAsync()).Count(e => (string?)e!["method"] == "GET");

    [Fact(Timeout = Limits.Test)]
    public async Task An_invite_piped_in_after_the_invites_were_read_is_found_by_its_id()
    {
        var (sandbox, host) = await StartAsync();
        await using var _ = sandbox;
        using var __ = host;
        await InviteAsync(sandbox, "ann@corp.example");
        // As in New-HeadshotInvite | Get-HeadshotInvite: the command reads the invites for the first input, and a later
        // input is an invite made after that read.
        Func<bool> listsRead = () => SpinWait.SpinUntil(() => sandbox.JournalAsync().GetAwaiter().GetResult()
            .Count(e => (string?)e!["method"] == "GET" && ((string?)e["path"])!.EndsWith("/organization/invites")) >= 2, TimeSpan.FromSeconds(20));
        var result = host.Run("& { 'ann@corp.example'; if (-not $listsRead.Invoke()) { throw 'the invites were not read' }; New-HeadshotInvite cy@corp.example } | Get-HeadshotInvite",
            ("listsRead", listsRead));
        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        var cy = sandbox.Server.State.ListInvites().Single(i => i.Email == "cy@corp.example");
        var found = result.Output.Select(o => (Invite)o.BaseObject).Single(i => i.Email == "cy@corp.example");
        Assert.Equal((cy.Id, "pending"), (found.Id, found.Status));
        Assert.Equal(2, result.Output.Count);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Listing_costs_the_list_calls_whatever_the_count_and_keeps_the_servers_order()
    {
        var (sandbox, host) = await StartAsync();
        await using var _ = sandbox;
        using var __ = host;
        var ids = new List<string>();
        for (var i = 1; i <= 20; i++) ids.Add(await InviteAsync(sandbox, $"user{i}@corp.example"));
        for (var i = 0; i < 20; i += 2) await SetStatusAsync(sandbox, ids[i], "active");

        // Pending invites have no model, so no sign-up address is looked for: the two lists.
        var before = await GetsAsync(sandbox);
        var pending = host.Run("Get-HeadshotInvite -Status pending-invite");
        Assert.Equal(2, await GetsAsync(sandbox) - before);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"user{2 * i}@corp.example"), pending.Output.Select(o => ((Invite)o.BaseObject).Email));

        // Everyone: the two lists and one page of models for the sign-up addresses.
        before = await GetsAsync(sandbox);
        var all = host.Run("Get-HeadshotInvite");
        Assert.Equal(3, await GetsAsync(sandbox) - before);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"user{i}@corp.example"), all.Output.Select(o => ((Invite)o.BaseObject).Email));
        Assert.Equal(10, all.Output.Count(o => ((Invite)o.BaseObject).Status == "completed"));
        Assert.Equal(ids, all.Output.Select(o => ((Invite)o.BaseObject).Id));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_list_that_cannot_be_read_is_one_error_and_nothing_half_written()
    {
        var (sandbox, host) = await StartAsync();
        await using var _ = sandbox;
        using var __ = host;
        var id = await InviteAsync(sandbox, "ann@corp.example");
        await InviteAsync(sandbox, "bob@corp.example");
        await SetStatusAsync(sandbox, id, "generating-headshots");
        // Both lists are read as sent (an odd charset is no failure); the models read then fails all four attempts.
        await sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.UnknownCharset, FaultKind.UnknownCharset }.Concat(Enumerable.Repeat(FaultKind.Http500, 4)) });
        var result = host.Run("Get-HeadshotInvite -Id $id", ("id", id));
        Assert.Empty(result.Output);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("ServerError", (object)id), (error.FullyQualifiedErrorId.Split(',')[0], error.TargetObject));

        // Both lists fail all their attempts (they are read side by side): one error for the listing.
        await sandbox.SettingsAsync(new { nextFaults = Enumerable.Repeat(FaultKind.Http500, 8) });
        result = host.Run("Get-HeadshotInvite");
        Assert.Empty(result.Output);
        Assert.Equal("ServerError", Assert.Single(result.ErrorIds));
        Assert.Equal(2, host.Run("Get-HeadshotInvite").Output.Count);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task An_invite_read_by_id_keeps_the_invited_address_and_shows_the_sign_up_one_apart()
    {
        var (sandbox, host) = await StartAsync();
        await using var _ = sandbox;
        using var __ = host;
        var id = await InviteAsync(sandbox, "ann@corp.example");
        await SetStatusAsync(sandbox, id, "active", "ann.lee@personal.example");
        var result = host.Run($"Get-HeadshotInvite -Id {id}");
        var invite = (Invite)Assert.Single(result.Output).BaseObject;
        Assert.Equal(("ann@corp.example", "ann.lee@personal.example", "completed"), (invite.Email, invite.SignUpEmail, invite.Status));
        Assert.NotNull(invite.CreatedAt);

        var revoke = host.Run($"Get-HeadshotInvite -Id {id} | Revoke-HeadshotInvite -Force");
        Assert.Empty(revoke.Errors);
        Assert.Equal("revoked", sandbox.Server.State.ListInvites().Single().Status);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_mistyped_TeamId_stops_before_anything_is_sent()
    {
        var (sandbox, host) = await StartAsync();
        await using var _ = sandbox;
        using var __ = host;
        var result = host.Run("1..50 | ForEach-Object { \"user$_@corp.example\" } | New-HeadshotInvite -TeamId team_marketng");
        Assert.Equal("TeamNotFound", result.Terminating?.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("team_marketing", result.Terminating!.ErrorDetails.Message);
        Assert.DoesNotContain(await sandbox.JournalAsync(), e => (string?)e!["path"] == "/api/v1/organization/invite");

        var ok = host.Run("New-HeadshotInvite ann@corp.example -TeamId team_marketing");
        Assert.Equal("team_marketing", ((Invite)Assert.Single(ok.Output).BaseObject).TeamId);
    }
}

using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>Reading invites costs only the requests that can change what is written, in the server's order, losing nothing.</summary>
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
    public async Task A_status_filter_that_used_invites_cannot_match_costs_one_request_and_the_order_is_the_servers()
    {
        var (sandbox, host) = await StartAsync();
        await using var _ = sandbox;
        using var __ = host;
        var ids = new List<string>();
        for (var i = 1; i <= 20; i++) ids.Add(await InviteAsync(sandbox, $"user{i}@corp.example"));
        for (var i = 0; i < 20; i += 2) await SetStatusAsync(sandbox, ids[i], "active");
        var before = await GetsAsync(sandbox);

        var pending = host.Run("Get-HeadshotInvite -Status pending-invite");
        Assert.Equal(1, await GetsAsync(sandbox) - before);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"user{2 * i}@corp.example"), pending.Output.Select(o => ((Invite)o.BaseObject).Email));

        before = await GetsAsync(sandbox);
        var all = host.Run("Get-HeadshotInvite -ThrottleLimit 5");
        Assert.Equal(1 + 10, await GetsAsync(sandbox) - before);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"user{i}@corp.example"), all.Output.Select(o => ((Invite)o.BaseObject).Email));
        Assert.Equal(10, all.Output.Count(o => ((Invite)o.BaseObject).Status == "completed"));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_failed_status_look_up_writes_the_invite_with_no_status_and_an_error()
    {
        var (sandbox, host) = await StartAsync();
        await using var _ = sandbox;
        using var __ = host;
        var id = await InviteAsync(sandbox, "ann@corp.example");
        await InviteAsync(sandbox, "bob@corp.example");
        await SetStatusAsync(sandbox, id, "generating-headshots");
        // The list's answer is read as sent (an odd charset is no failure); ann's look-up then fails all four attempts.
        await sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.UnknownCharset }.Concat(Enumerable.Repeat(FaultKind.Http500, 4)) });
        var result = host.Run("Get-HeadshotInvite");
        Assert.Equal(new[] { "ann@corp.example", "bob@corp.example" }, result.Output.Select(o => ((Invite)o.BaseObject).Email));
        Assert.Null(((Invite)result.Output[0].BaseObject).Status);
        var error = Assert.Single(result.Errors);
        Assert.Equal(id, error.TargetObject);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task An_invite_read_by_id_keeps_the_invited_address_and_shows_the_active_one_apart()
    {
        var (sandbox, host) = await StartAsync();
        await using var _ = sandbox;
        using var __ = host;
        var id = await InviteAsync(sandbox, "ann@corp.example");
        await SetStatusAsync(sandbox, id, "active", "ann.lee@personal.example");
        var result = host.Run($"Get-HeadshotInvite -Id {id}");
        var invite = (Invite)Assert.Single(result.Output).BaseObject;
        Assert.Equal(("ann@corp.example", "ann.lee@personal.example", "completed"), (invite.Email, invite.ActiveEmail, invite.Status));
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

using System.Management.Automation;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>Invites whose links expire, and addresses that already belong to a HeadshotPro user (issue 19), against the sandbox.</summary>
public class InviteExpiryTests
{
    private static async Task AgeAsync(TestSandbox sandbox, double days, string? email = null)
    {
        var (status, body, _) = await sandbox.SendAsync(HttpMethod.Post, "invites/age", email is null ? new { days } : new { days, email }, sandbox.Control);
        Assert.True(status == 200, body?.ToJsonString());
    }

    [Fact(Timeout = Limits.Test)]
    public async Task An_invite_shows_when_its_link_expires_and_Expired_lists_the_unused_ones_past_it()
    {
        var (sandbox, host) = await ConnectedAsync();
        await using var _ = sandbox;
        using var __ = host;
        var made = Assert.Single(Out<Invite>(host.Run("New-HeadshotInvite ann@corp.example -Team Marketing")));
        Assert.InRange((made.ExpiresAt!.Value - DateTimeOffset.Now).TotalDays, 29.99, 30.01);
        Assert.False(made.IsExpired);
        Assert.Empty(host.Run("'bob@corp.example', 'cy@corp.example' | New-HeadshotInvite").Errors);
        await sandbox.AdvanceAsync("cy@corp.example", "accepted");
        await AgeAsync(sandbox, 31, "ann@corp.example");
        await AgeAsync(sandbox, 31, "cy@corp.example");

        // Every invite says when its link expires: 30 days after it was sent, as the API says nothing else.
        var all = Out<Invite>(host.Run("Get-HeadshotInvite")).ToDictionary(i => i.Email);
        NonEmpty.All(all.Values, i => Assert.Equal(i.CreatedAt!.Value.AddDays(30), i.ExpiresAt));
        Assert.Equal((true, false, false), (all["ann@corp.example"].IsExpired, all["bob@corp.example"].IsExpired, all["cy@corp.example"].IsExpired));
        Assert.True(all["ann@corp.example"].ExpiresAt < DateTimeOffset.Now.AddDays(-0.9));

        // -Expired: only the pending ones past it (cy used hers in time); with -Status, both must hold; per person too.
        var result = host.Run("Get-HeadshotInvite -Expired");
        Assert.Empty(result.Errors);
        var expired = Assert.Single(Out<Invite>(result));
        Assert.Equal(("ann@corp.example", "pending", "Marketing", true), (expired.Email, expired.Status, expired.TeamName, expired.IsExpired));
        Assert.Equal(all["ann@corp.example"].Id, expired.Id);
        Assert.Empty(host.Run("Get-HeadshotInvite -Expired -Status accepted").Output);
        Assert.Equal(new[] { "ann@corp.example" }, Out<Invite>(host.Run("'ann@corp.example', 'bob@corp.example' | Get-HeadshotInvite -Expired")).Select(i => i.Email));

        // Revoking writes the expiry too; the expired one re-sent is fresh.
        result = host.Run("Get-HeadshotInvite -Expired | Revoke-HeadshotInvite -Force -PassThru | New-HeadshotInvite -Team Marketing");
        Assert.Empty(result.Errors);
        var again = Assert.Single(Out<Invite>(result));
        Assert.Equal(("ann@corp.example", "Created", false), (again.Email, again.Outcome, again.IsExpired));
        Assert.NotEqual(expired.Id, again.Id);
        Assert.Empty(host.Run("Get-HeadshotInvite -Expired").Output);
        var revoked = Assert.Single(Out<Invite>(host.Run("Get-HeadshotInvite ann@corp.example -Status revoked")));
        Assert.Equal(expired.ExpiresAt, revoked.ExpiresAt);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task An_expiry_the_API_gives_wins_over_the_30_days()
    {
        var (sandbox, host) = await ConnectedAsync();
        await using var _ = sandbox;
        using var __ = host;
        Assert.Empty(host.Run("'ann@corp.example', 'bob@corp.example' | New-HeadshotInvite").Errors);
        await sandbox.SettingsAsync(new { inviteLinkDays = 7 });
        await AgeAsync(sandbox, 8, "ann@corp.example");

        // The API does not say: the module can only go by the contract's 30 days.
        Assert.Empty(Out<Invite>(host.Run("Get-HeadshotInvite -Expired")));

        // It says: its word goes, in the list and through a look-up by address.
        await sandbox.SettingsAsync(new { inviteExpiresAtField = true });
        var all = Out<Invite>(host.Run("Get-HeadshotInvite")).ToList();
        NonEmpty.All(all, i => Assert.Equal(i.CreatedAt!.Value.AddDays(7), i.ExpiresAt));
        Assert.Equal("ann@corp.example", Assert.Single(Out<Invite>(host.Run("Get-HeadshotInvite -Expired"))).Email);
        Assert.True(Assert.Single(Out<Invite>(host.Run("Get-HeadshotInvite ann@corp.example"))).IsExpired);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task An_address_that_belongs_to_a_user_is_UserAlreadyExists_with_the_vendors_advice()
    {
        var (sandbox, host) = await ConnectedAsync();
        await using var _ = sandbox;
        using var __ = host;
        Assert.Empty(host.Run("New-HeadshotInvite dup@corp.example").Errors);
        await sandbox.SettingsAsync(new { existingUsers = new[] { "taken@corp.example" } });
        var credits = sandbox.Server.State.Credits;

        var result = host.Run("'taken@corp.example', 'dup@corp.example', 'new@corp.example' | New-HeadshotInvite");
        Assert.Equal("new@corp.example", Assert.Single(Out<Invite>(result)).Email);
        Assert.Equal(new[] { "InviteAlreadyExists", "UserAlreadyExists" }, result.ErrorIds.Order());
        var taken = result.Errors.Single(e => e.FullyQualifiedErrorId.StartsWith("UserAlreadyExists", StringComparison.Ordinal));
        Assert.Equal(("taken@corp.example", ErrorCategory.ResourceExists), (taken.TargetObject, taken.CategoryInfo.Category));
        Assert.Contains("USER_EXISTS: A user with this email already exists", taken.ErrorDetails.Message);
        Assert.Contains("already belongs to a HeadshotPro user", taken.ErrorDetails.RecommendedAction);
        Assert.Contains("+ alias", taken.ErrorDetails.RecommendedAction);
        Assert.DoesNotContain("-SkipExisting", taken.ErrorDetails.RecommendedAction);
        Assert.Equal(credits - 1, sandbox.Server.State.Credits);

        // -SkipExisting passes existing invites through, never a user's address.
        result = host.Run("'taken@corp.example', 'dup@corp.example' | New-HeadshotInvite -SkipExisting");
        Assert.Equal("dup@corp.example", Assert.Single(Out<Invite>(result)).Email);
        Assert.Equal("UserAlreadyExists", Assert.Single(result.ErrorIds));
    }
}

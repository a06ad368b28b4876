using HeadshotPro.Client;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>
/// A request whose attempts may have gone through unseen is settled by looking the address up, so the run reports what
/// the server did: an invite made by this request is a success, an older one is InviteAlreadyExists, and when even the
/// look-up fails the error says the person may have been invited.
/// </summary>
public class UncertainOutcomeTests
{
    private static HeadshotProClient ClientFor(TestSandbox sandbox) => new(new ClientSettings(sandbox.ApiBaseUri, TestSandbox.Key));

    [Fact(Timeout = Limits.Test)]
    public async Task An_invite_made_by_the_first_of_four_failed_attempts_is_a_success()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var client = ClientFor(sandbox);
        await sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.DropAfterProcessing, FaultKind.DropBeforeProcessing, FaultKind.Http500 } });
        var invite = await client.CreateInviteAsync("ann@corp.example", null, default);
        Assert.Equal(sandbox.Server.State.ListInvites().Single().Id, invite.Id);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Four_failed_attempts_that_made_nothing_are_an_error_that_says_so()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var client = ClientFor(sandbox);
        await sandbox.SettingsAsync(new { nextFaults = Enumerable.Repeat(FaultKind.Http502, 4) });
        var e = await Assert.ThrowsAsync<HeadshotProApiException>(() => client.CreateInviteAsync("ann@corp.example", null, default));
        Assert.Equal((ApiErrorKind.ServerError, false), (e.Kind, e.OutcomeUnknown));
        Assert.Empty(sandbox.Server.State.ListInvites());
    }

    [Fact(Timeout = Limits.Test)]
    public async Task When_the_look_up_fails_too_the_error_says_the_person_may_have_been_invited()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var host = new PowerShellHost();
        host.Connect(sandbox);
        // Past the balance read: the invite's four attempts, then its look-up's.
        await sandbox.SettingsAsync(new { nextFaults = Enumerable.Repeat(FaultKind.DropAfterProcessing, 4).Concat(Enumerable.Repeat(FaultKind.Http504, 8)).Prepend(FaultKind.None) });
        var result = host.Run("New-HeadshotInvite ann@corp.example");
        var error = Assert.Single(result.Errors);
        Assert.Contains("ann@corp.example may have been invited; run again with -SkipExisting to reconcile", error.ErrorDetails.Message);
        Assert.Contains("-SkipExisting", error.ErrorDetails.RecommendedAction);
        Assert.Equal("ann@corp.example", error.TargetObject);

        var rerun = host.Run("New-HeadshotInvite ann@corp.example -SkipExisting");
        Assert.Empty(rerun.Errors);
        Assert.Equal(sandbox.Server.State.ListInvites().Single().Id, ((Invite)rerun.Output.Single().BaseObject).Id);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task An_invite_made_before_the_first_attempt_is_InviteAlreadyExists_not_ours()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.SettingsAsync(new { clockSkewSeconds = -86_400 });
        Assert.Equal(200, (await sandbox.InviteAsync("ann@corp.example")).Status); // made "yesterday"
        await sandbox.SettingsAsync(new { clockSkewSeconds = 0 });
        using var host = new PowerShellHost();
        host.Connect(sandbox);
        await sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.Http502 } });
        var result = host.Run("New-HeadshotInvite ann@corp.example");
        Assert.Empty(result.Output);
        Assert.Equal("InviteAlreadyExists", Assert.Single(result.ErrorIds));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_revoke_whose_answers_were_lost_is_done_when_nothing_is_left_to_revoke()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var client = ClientFor(sandbox);
        Assert.Equal(200, (await sandbox.InviteAsync("ann@corp.example")).Status);
        await sandbox.SettingsAsync(new { nextFaults = Enumerable.Repeat(FaultKind.DropAfterProcessing, 4) });
        await client.RevokeInviteAsync("ann@corp.example", default);
        Assert.Equal("revoked", sandbox.Server.State.ListInvites().Single().Status);
    }
}

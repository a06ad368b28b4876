using HeadshotPro.Client.Api;

namespace HeadshotPro.Tests;

/// <summary>The join of v1's invite list (ids, links) with v2's (statuses, models), whose items share no key.</summary>
public class InviteJoinTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 9, 0, 0, 123, TimeSpan.Zero);

    private static Invite V1(string id, string email, int minutes, string? status = null) =>
        new() { Id = id, Email = email, Link = "https://www.headshotpro.com/auth/signup?invite=" + id, CreatedAt = T0.AddMinutes(minutes), Status = status };

    private static Invite V2(string email, int minutes, string status, string? modelId = null, DateTimeOffset? at = null) =>
        new() { Email = email, Status = status, ModelId = modelId, TeamName = "Marketing", CreatedAt = at ?? T0.AddMinutes(minutes) };

    public static TheoryData<bool, bool> Orders => new() { { false, false }, { true, false }, { false, true }, { true, true } };

    [Theory(Timeout = Limits.Test)]
    [MemberData(nameof(Orders))]
    public Task A_re_invited_person_s_invites_each_keep_their_own_id_status_and_model_whatever_either_list_s_order(bool v1NewestFirst, bool v2NewestFirst) => Task.Run(() =>
    {
        var v1 = new List<Invite> { V1("a", "ann@corp.example", 0, "revoked"), V1("b", "ANN@corp.example", 5, "revoked"), V1("c", "ann@corp.example", 9), V1("d", "bob@corp.example", 1) };
        var v2 = new List<Invite>
        {
            V2("ann@corp.example", 0, "revoked"), V2("ann@corp.example", 5, "revoked", "m-old"), V2("ann@corp.example", 9, "accepted", "m-new"), V2("bob@corp.example", 1, "pending"),
        };
        if (v1NewestFirst) v1.Reverse();
        if (v2NewestFirst) v2.Reverse();

        var joined = InviteJoin.Join(v1, v2).ToDictionary(i => i.Id!);
        Assert.Equal(4, joined.Count);
        Assert.Equal(("revoked", (string?)null), (joined["a"].Status, joined["a"].ModelId));
        Assert.Equal(("revoked", "m-old"), (joined["b"].Status, joined["b"].ModelId));
        Assert.Equal(("accepted", "m-new", "Marketing"), (joined["c"].Status, joined["c"].ModelId, joined["c"].TeamName));
        Assert.Equal("pending", joined["d"].Status);
        NonEmpty.All(joined.Values, i => Assert.StartsWith("https://", i.Link));
        Assert.Equal("c", InviteJoin.Current(joined.Values.Where(i => i.Email.StartsWith("ann", StringComparison.OrdinalIgnoreCase)))!.Id);
    });

    [Fact(Timeout = Limits.Test)]
    public Task Times_rounded_differently_by_the_two_lists_still_pair_in_createdAt_order() => Task.Run(() =>
    {
        var v1 = new[] { V1("new", "ann@corp.example", 7), V1("old", "ann@corp.example", 2) };
        var v2 = new[] { V2("ann@corp.example", 2, "revoked", at: T0.AddMinutes(2).AddMilliseconds(-123)), V2("ann@corp.example", 7, "pending", at: T0.AddMinutes(7).AddMilliseconds(-123)) };
        var joined = InviteJoin.Join(v1, v2);
        Assert.Equal(new[] { ("new", "pending"), ("old", "revoked") }, joined.Select(i => (i.Id!, i.Status!)));
    });

    [Fact(Timeout = Limits.Test)]
    public Task A_v1_item_that_shows_the_sign_up_address_pairs_by_createdAt_and_keeps_the_invited_address() => Task.Run(() =>
    {
        var v1 = new[] { V1("a", "ann.home@personal.example", 3), V1("b", "bob@corp.example", 4) };
        var v2 = new[] { V2("ann@corp.example", 3, "completed", "m1"), V2("bob@corp.example", 4, "pending") };
        var ann = InviteJoin.Join(v1, v2).Single(i => i.Id == "a");
        Assert.Equal(("ann@corp.example", "ann.home@personal.example", "completed", "m1"), (ann.Email, ann.SignUpEmail, ann.Status, ann.ModelId));
    });

    [Fact(Timeout = Limits.Test)]
    public Task An_invite_in_one_list_only_is_kept_with_what_that_list_says() => Task.Run(() =>
    {
        var v1 = new[] { V1("a", "ann@corp.example", 0, "pending") };
        var v2 = new[] { V2("ann@corp.example", 0, "pending"), V2("cy@corp.example", 8, "pending") }; // made between the two reads
        var joined = InviteJoin.Join(v1, v2);
        Assert.Equal(new[] { ("a", "ann@corp.example"), ((string?)null, "cy@corp.example") }, joined.Select(i => (i.Id, i.Email)));
        Assert.Equal("a", Assert.Single(InviteJoin.Join(v1, Array.Empty<Invite>())).Id);
    });

    [Fact(Timeout = Limits.Test)]
    public Task The_newest_and_the_current_invite_are_by_createdAt_never_by_position() => Task.Run(() =>
    {
        var invites = new[] { V1("late", "a@corp.example", 9, "revoked"), V1("live", "a@corp.example", 5, "pending"), V1("early", "a@corp.example", 1, "revoked") };
        Assert.Equal("late", InviteJoin.Newest(invites)!.Id);
        Assert.Equal("late", InviteJoin.Newest(invites.Reverse())!.Id);
        Assert.Equal("live", InviteJoin.Current(invites)!.Id);
        Assert.Equal("late", InviteJoin.Current(invites.Where(i => i.Id != "live"))!.Id);
        Assert.Null(InviteJoin.Current(Array.Empty<Invite>()));
    });
}

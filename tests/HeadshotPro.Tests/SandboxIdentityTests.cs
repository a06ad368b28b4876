using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>
/// Who a person is, as the sandbox plays it: some sign up with another address than the one invited, and then each
/// endpoint finds them only the way the contract says the API does; every list comes oldest or newest first.
/// </summary>
public class SandboxIdentityTests
{
    private static async Task<(TestSandbox Sandbox, HttpClient V2)> StartAsync(params string[] options)
    {
        var sandbox = await TestSandbox.StartAsync(SandboxOptions.Parse(options));
        var v2 = new HttpClient { BaseAddress = sandbox.Server.ApiV2BaseUri };
        v2.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestSandbox.Key);
        return (sandbox, v2);
    }

    private static async Task<JsonNode> GetAsync(TestSandbox sandbox, HttpClient v2, string path)
    {
        var (status, body, _) = await sandbox.SendAsync(HttpMethod.Get, path, client: v2);
        Assert.True(status == 200, $"GET {path}: {status} {body?.ToJsonString()}");
        return body!;
    }

    private static async Task<int> StatusAsync(TestSandbox sandbox, HttpClient v2, HttpMethod method, string path, object? body = null) =>
        (await sandbox.SendAsync(method, path, body, v2)).Status;

    [Fact(Timeout = Limits.Test)]
    public async Task Someone_who_signs_up_elsewhere_is_found_by_that_address_on_members_models_photos_and_teams_and_by_the_invited_one_on_invites()
    {
        var (sandbox, v2) = await StartAsync("--personal-address-share", "1");
        await using var _ = sandbox;
        using var __ = v2;
        const string invited = "ann.lee@contoso.example", signUp = "ann.lee@contoso.personal.example";
        var id = (string)(await sandbox.InviteAsync(invited)).Body!["id"]!;
        await sandbox.AdvanceAsync(invited, "completed", favorite: true, photos: 2);

        var member = (await GetAsync(sandbox, v2, "organization/team"))["members"]!.AsArray().Single()!;
        var model = (await GetAsync(sandbox, v2, "organization/models"))["models"]!.AsArray().Single()!;
        var favorite = (await GetAsync(sandbox, v2, "organization/photos/favorites"))["photos"]!.AsArray().Single()!;
        Assert.Equal((signUp, signUp, signUp), ((string)member["email"]!, (string)model["email"]!, (string)favorite["email"]!));
        Assert.Equal("Ann Lee", (string?)member["name"]);
        Assert.Equal(signUp, (string?)(await sandbox.SendAsync(HttpMethod.Get, "organization/invite/id/" + id)).Body!["invite"]!["email"]);

        // The v2 invite keeps the invited address and links the model; the sign-up address finds no invite.
        var invite = (await GetAsync(sandbox, v2, "organization/invites/" + Uri.EscapeDataString(invited)))["invite"]!;
        Assert.Equal((invited, (string)model["id"]!), ((string)invite["email"]!, (string)invite["modelId"]!));
        Assert.Equal(invited, (string?)(await GetAsync(sandbox, v2, "organization/invites"))["invites"]![0]!["email"]);
        Assert.Equal(404, await StatusAsync(sandbox, v2, HttpMethod.Get, "organization/invites/" + Uri.EscapeDataString(signUp)));

        // Team assignment takes the member's own address; the invited one is not a member's.
        Assert.Equal(404, await StatusAsync(sandbox, v2, HttpMethod.Post, "organization/teams/team_marketing/members", new { emails = new[] { invited } }));
        Assert.Null((string?)(await GetAsync(sandbox, v2, "organization/team"))["members"]![0]!["teamId"]);
        Assert.Equal(200, await StatusAsync(sandbox, v2, HttpMethod.Post, "organization/teams/team_marketing/members", new { emails = new[] { signUp } }));
        Assert.Equal("team_marketing", (string?)(await GetAsync(sandbox, v2, "organization/team"))["members"]![0]!["teamId"]);

        // Revoking takes the invited address.
        Assert.Equal(404, await StatusAsync(sandbox, v2, HttpMethod.Post, "organization/invites/revoke", new { email = signUp }));
        Assert.Equal(404, (await sandbox.SendAsync(HttpMethod.Post, "organization/invite/revoke", new { email = signUp })).Status);
        Assert.Equal(200, await StatusAsync(sandbox, v2, HttpMethod.Post, "organization/invites/revoke", new { email = invited }));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task The_share_who_sign_up_elsewhere_is_decided_by_the_address_and_set_at_start_or_run_time()
    {
        var people = Enumerable.Range(1, 40).Select(i => $"p{i:00}@corp.example").ToList();
        async Task<HashSet<string>> SignedUpElsewhereAsync(TestSandbox sandbox)
        {
            foreach (var email in people)
            {
                Assert.Equal(200, (await sandbox.InviteAsync(email)).Status);
                await sandbox.AdvanceAsync(email, "accepted");
            }
            return (await sandbox.StateAsync())["invites"]!.AsArray().Where(i => i!["activeEmail"] is not null).Select(i => (string)i!["email"]!).ToHashSet();
        }

        var (first, v2First) = await StartAsync("--personal-address-share", "0.5");
        await using (first)
        using (v2First)
        {
            var elsewhere = await SignedUpElsewhereAsync(first);
            Assert.InRange(elsewhere.Count, 8, 32);
            NonEmpty.All((await first.StateAsync())["invites"]!.AsArray().Where(i => i!["activeEmail"] is not null),
                i => Assert.Equal(((string)i!["email"]!).Replace("@corp.example", "@corp.personal.example"), (string?)i["activeEmail"]));

            await first.Control.PostAsync("reset", null);
            Assert.Equal(elsewhere, await SignedUpElsewhereAsync(first));

            await first.Control.PostAsync("reset", null);
            await first.SettingsAsync(new { personalAddressShare = 0 });
            Assert.Empty(await SignedUpElsewhereAsync(first));
            Assert.Equal(400, (int)(await first.Control.PostAsync("settings", TestSandbox.JsonBody(new { personalAddressShare = 1.5 }))).StatusCode);
        }

        // Off by default; an address given to the advance control wins.
        var (plain, v2Plain) = await StartAsync();
        await using (plain)
        using (v2Plain)
        {
            Assert.Empty(await SignedUpElsewhereAsync(plain));
            await plain.SettingsAsync(new { personalAddressShare = 1 });
            Assert.Equal(200, (await plain.InviteAsync("bob@corp.example")).Status);
            var response = await plain.Control.PostAsync("people/bob%40corp.example/advance", TestSandbox.JsonBody(new { to = "accepted", activeEmail = "robert@home.example" }));
            Assert.Equal("robert@home.example", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["invite"]!["activeEmail"]);
        }
        Assert.Throws<ArgumentException>(() => SandboxOptions.Parse(new[] { "--personal-address-share", "2" }));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Every_list_comes_oldest_first_or_newest_first_as_set()
    {
        var (sandbox, v2) = await StartAsync("--list-order", "newest-first");
        await using var _ = sandbox;
        using var __ = v2;
        var people = new[] { "ann@corp.example", "bob@corp.example", "cy@corp.example" };
        foreach (var email in people)
        {
            Assert.Equal(200, (await sandbox.InviteAsync(email)).Status);
            await sandbox.AdvanceAsync(email, "completed", favorite: true, photos: 3);
            await Task.Delay(5); // distinct createdAt (milliseconds)
        }
        var modelId = await sandbox.ModelIdAsync("ann@corp.example");

        async Task<Dictionary<string, string[]>> ListsAsync() => new()
        {
            ["v1 invites"] = (await sandbox.SendAsync(HttpMethod.Get, "organization/invites")).Body!["invites"]!.AsArray().Select(i => (string)i!["email"]!).ToArray(),
            ["v2 invites"] = (await GetAsync(sandbox, v2, "organization/invites"))["invites"]!.AsArray().Select(i => (string)i!["email"]!).ToArray(),
            ["members"] = (await GetAsync(sandbox, v2, "organization/team"))["members"]!.AsArray().Select(i => (string)i!["email"]!).ToArray(),
            ["finished"] = (await GetAsync(sandbox, v2, "organization/team/finished"))["members"]!.AsArray().Select(i => (string)i!["email"]!).ToArray(),
            ["models"] = (await GetAsync(sandbox, v2, "organization/models"))["models"]!.AsArray().Select(i => (string)i!["email"]!).ToArray(),
            ["favorites"] = (await GetAsync(sandbox, v2, "organization/photos/favorites"))["photos"]!.AsArray().Select(i => (string)i!["email"]!).ToArray(),
            ["photos"] = (await GetAsync(sandbox, v2, $"organization/models/{modelId}/photos"))["photos"]!.AsArray().Select(i => (string)i!["id"]!).ToArray(),
        };

        var newest = await ListsAsync();
        Assert.Equal("newest-first", (string?)(await sandbox.StateAsync())["settings"]!["listOrder"]);
        await sandbox.SettingsAsync(new { listOrder = "oldest-first" });
        var oldest = await ListsAsync();
        foreach (var list in oldest.Keys.Where(k => k != "photos")) Assert.Equal(people, oldest[list]);
        foreach (var list in oldest.Keys) Assert.Equal(oldest[list].Reverse(), newest[list]);

        // Pages follow the order: the newest person is on the first page.
        await sandbox.SettingsAsync(new { listOrder = "newest-first" });
        Assert.Equal("cy@corp.example", (string?)(await GetAsync(sandbox, v2, "organization/models?limit=1"))["models"]![0]!["email"]);
        Assert.Equal(400, (int)(await sandbox.Control.PostAsync("settings", TestSandbox.JsonBody(new { listOrder = "random" }))).StatusCode);
        Assert.Throws<ArgumentException>(() => SandboxOptions.Parse(new[] { "--list-order", "sideways" }));
    }

    [Theory(Timeout = Limits.Test)]
    [InlineData("oldest-first")]
    [InlineData("newest-first")]
    public async Task The_look_up_by_address_is_the_live_invite_else_the_newest_by_createdAt(string order)
    {
        var (sandbox, v2) = await StartAsync("--list-order", order, "--clock-skew-seconds", "0");
        await using var _ = sandbox;
        using var __ = v2;
        string CreatedAt(JsonNode invite) => (string)invite["createdAt"]!;
        Assert.Equal(200, (await sandbox.InviteAsync("ann@corp.example")).Status);
        Assert.Equal(200, await StatusAsync(sandbox, v2, HttpMethod.Post, "organization/invites/revoke", new { email = "ann@corp.example" }));
        // The second invite is made on a clock an hour behind: made later, yet older by createdAt.
        await sandbox.SettingsAsync(new { clockSkewSeconds = -3600 });
        Assert.Equal(200, (await sandbox.InviteAsync("ann@corp.example")).Status);
        Assert.Equal(200, await StatusAsync(sandbox, v2, HttpMethod.Post, "organization/invites/revoke", new { email = "ann@corp.example" }));
        await sandbox.SettingsAsync(new { clockSkewSeconds = 0 });

        var all = (await GetAsync(sandbox, v2, "organization/invites"))["invites"]!.AsArray().Select(i => i!).ToList();
        var newest = all.MaxBy(i => DateTime.Parse(CreatedAt(i), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal))!;
        var found = (await GetAsync(sandbox, v2, "organization/invites/ann%40corp.example"))["invite"]!;
        Assert.Equal(CreatedAt(newest), CreatedAt(found));

        Assert.Equal(200, (await sandbox.InviteAsync("ann@corp.example")).Status);
        found = (await GetAsync(sandbox, v2, "organization/invites/ann%40corp.example"))["invite"]!;
        Assert.Equal("pending", (string?)found["status"]);
    }
}

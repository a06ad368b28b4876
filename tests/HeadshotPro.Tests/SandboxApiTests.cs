using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

public class SandboxApiTests
{
    [Theory(Timeout = Limits.Test)]
    [InlineData("POST")]
    [InlineData("GET")]
    public async Task Credits_answer_by_POST_as_the_seed_and_GET_as_the_later_reference(string method)
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Credits = 42 });
        var (status, body, _) = await sandbox.SendAsync(new HttpMethod(method), "organization/credits");
        Assert.Equal(200, status);
        Assert.Equal("""{"success":true,"credits":42}""", body!.ToJsonString());
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Organization_has_at_least_two_teams()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var (status, body, _) = await sandbox.SendAsync(HttpMethod.Get, "organization");
        Assert.Equal(200, status);
        var org = body!["organization"]!;
        Assert.False(string.IsNullOrEmpty((string?)org["uid"]));
        Assert.False(string.IsNullOrEmpty((string?)org["name"]));
        Assert.NotNull(org["website"]);
        Assert.True(org["teams"]!.AsArray().Count >= 2);
        NonEmpty.All(org["teams"]!.AsArray(), t => Assert.False(string.IsNullOrEmpty((string?)t!["id"])));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Invite_answers_the_contract_shape_and_reserves_a_credit()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var (status, body, _) = await sandbox.InviteAsync("ann@corp.example");
        Assert.Equal(200, status);
        var id = (string)body!["id"]!;
        Assert.True((bool)body["success"]!);
        Assert.Equal("ann@corp.example", (string?)body["input"]!["email"]);
        Assert.Equal("Invite sent", (string?)body["message"]);
        Assert.Equal("https://www.headshotpro.com/auth/signup?invite=" + id, (string?)body["link"]);
        Assert.Null(body["teamId"]);
        Assert.Equal(99, sandbox.Server.State.Credits);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Invite_with_a_team_echoes_it_and_an_unknown_team_is_404_NOT_FOUND()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var (status, body, _) = await sandbox.InviteAsync("ann@corp.example", "team_marketing");
        Assert.Equal(200, status);
        Assert.Equal("team_marketing", (string?)body!["teamId"]);

        (status, body, _) = await sandbox.InviteAsync("bob@corp.example", "team_nope");
        AssertError(404, "NOT_FOUND", status, body);
        Assert.Single(sandbox.Server.State.ListInvites());
        Assert.Equal(99, sandbox.Server.State.Credits);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Get_invite_by_id_and_list_invites_have_the_contract_shapes()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var (_, created, _) = await sandbox.InviteAsync("ann@corp.example", "team_marketing");
        var id = (string)created!["id"]!;

        var (status, body, _) = await sandbox.SendAsync(HttpMethod.Get, "organization/invite/id/" + id);
        Assert.Equal(200, status);
        Assert.Equal("""{"success":true,"invite":{"email":"ann@corp.example","status":"pending-invite"}}""", body!.ToJsonString());

        (status, body, _) = await sandbox.SendAsync(HttpMethod.Get, "organization/invites");
        Assert.Equal(200, status);
        var item = body!["invites"]!.AsArray().Single()!;
        Assert.Equal(id, (string?)item["id"]);
        Assert.Equal("ann@corp.example", (string?)item["email"]);
        Assert.True((bool)item["valid"]!);
        Assert.False((bool)item["used"]!);
        Assert.Equal("team_marketing", (string?)item["teamId"]);
        Assert.Equal((string?)created["link"], (string?)item["link"]);
        Assert.True(DateTime.TryParseExact((string?)item["createdAt"], "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.None, out _));

        (status, body, _) = await sandbox.SendAsync(HttpMethod.Get, "organization/invite/id/doesnotexist");
        AssertError(404, "NOT_FOUND", status, body);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Revoke_releases_the_credit_of_a_pending_invite_and_an_unknown_address_is_NOT_FOUND()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Credits = 5 });
        await sandbox.InviteAsync("ann@corp.example");
        Assert.Equal(4, sandbox.Server.State.Credits);

        var (status, body, _) = await sandbox.SendAsync(HttpMethod.Post, "organization/invite/revoke", new { email = "ANN@corp.example" });
        Assert.Equal(200, status);
        Assert.Equal("""{"success":true,"message":"Invite revoked","input":{"email":"ANN@corp.example"}}""", body!.ToJsonString());
        Assert.Equal(5, sandbox.Server.State.Credits);

        (status, body, _) = await sandbox.SendAsync(HttpMethod.Post, "organization/invite/revoke", new { email = "ann@corp.example" });
        AssertError(404, "NOT_FOUND", status, body);
        (status, _, _) = await sandbox.InviteAsync("ann@corp.example");
        Assert.Equal(200, status);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_missing_or_wrong_key_is_401_UNAUTHORIZED()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = sandbox.ApiBaseUri };
        var (status, body, _) = await sandbox.SendAsync(HttpMethod.Get, "organization/invites", client: anonymous);
        AssertError(401, "UNAUTHORIZED", status, body);

        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", "not-the-key");
        (status, body, _) = await sandbox.SendAsync(HttpMethod.Post, "organization/invite", new { email = "ann@corp.example" }, anonymous);
        AssertError(401, "UNAUTHORIZED", status, body);
        Assert.Empty(sandbox.Server.State.ListInvites());
    }

    [Fact(Timeout = Limits.Test)]
    public async Task The_api_key_option_replaces_the_default_key()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { ApiKey = "hsp_custom_key_42" });
        var (status, _, _) = await sandbox.SendAsync(HttpMethod.Get, "organization/credits");
        Assert.Equal(401, status);
        using var custom = new HttpClient { BaseAddress = sandbox.ApiBaseUri };
        custom.DefaultRequestHeaders.Authorization = new("Bearer", "hsp_custom_key_42");
        Assert.Equal(200, (await sandbox.SendAsync(HttpMethod.Get, "organization/credits", client: custom)).Status);
        Assert.Equal(SandboxOptions.Parse(new[] { "--api-key", "k1", "--credits=5" }), new SandboxOptions { ApiKey = "k1", Credits = 5 });
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Bad_bodies_are_INVALID_REQUEST_and_bad_addresses_INVALID_EMAIL()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var (status, body, _) = await sandbox.SendAsync(HttpMethod.Post, "organization/invite", new StringContent("{not json", Encoding.UTF8, "application/json"));
        AssertError(400, "INVALID_REQUEST", status, body);
        (status, body, _) = await sandbox.SendAsync(HttpMethod.Post, "organization/invite", new { name = "Ann" });
        AssertError(400, "INVALID_REQUEST", status, body);
        (status, body, _) = await sandbox.SendAsync(HttpMethod.Post, "organization/invite", new StringContent("", Encoding.UTF8, "application/json"));
        AssertError(400, "INVALID_REQUEST", status, body);
        foreach (var bad in new[] { "ann", "ann@", "@corp.example", "ann@corp", "ann smith@corp.example" })
        {
            (status, body, _) = await sandbox.InviteAsync(bad);
            AssertError(400, "INVALID_EMAIL", status, body);
        }
        Assert.Empty(sandbox.Server.State.ListInvites());
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Unknown_paths_are_JSON_404_and_wrong_methods_JSON_405_with_Allow()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var (status, body, _) = await sandbox.SendAsync(HttpMethod.Get, "organization/nothing-here");
        AssertError(404, "NOT_FOUND", status, body);

        (status, body, var response) = await sandbox.SendAsync(HttpMethod.Delete, "organization/invite");
        AssertError(405, "METHOD_NOT_ALLOWED", status, body);
        Assert.Equal("POST", string.Join(",", response.Content.Headers.Allow));

        await sandbox.SettingsAsync(new { creditsMethods = "GET" });
        (status, body, _) = await sandbox.SendAsync(HttpMethod.Post, "organization/credits");
        AssertError(405, "METHOD_NOT_ALLOWED", status, body);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_body_over_1_MB_is_413()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var big = new StringContent("{\"email\":\"" + new string('a', 1024 * 1024) + "@corp.example\"}", Encoding.UTF8, "application/json");
        var (status, body, _) = await sandbox.SendAsync(HttpMethod.Post, "organization/invite", big);
        AssertError(413, "PAYLOAD_TOO_LARGE", status, body);
        Assert.Empty(sandbox.Server.State.ListInvites());
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Past_the_rate_limit_is_429_with_Retry_After_and_every_answer_carries_the_headers()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { RateLimit = 3, RateWindowSeconds = 30 });
        var remaining = new List<string>();
        HttpResponseMessage last = null!;
        for (var i = 0; i < 4; i++)
        {
            (var status, var body, last) = await sandbox.SendAsync(HttpMethod.Get, "organization/credits");
            remaining.Add(last.Headers.GetValues("X-RateLimit-Remaining").Single());
            Assert.Equal("3", last.Headers.GetValues("X-RateLimit-Limit").Single());
            var reset = DateTime.Parse(last.Headers.GetValues("X-RateLimit-Reset").Single(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
            Assert.InRange(reset - DateTime.UtcNow, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(31));
            if (i == 3) AssertError(429, "RATE_LIMIT_EXCEEDED", status, body);
            else Assert.Equal(200, status);
        }
        Assert.Equal(new[] { "2", "1", "0", "0" }, remaining);
        Assert.InRange(int.Parse(last.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture), 1, 30);
        Assert.Equal(1, (long)(await sandbox.StateAsync())["counters"]!["rateLimited"]!);

        // 401s and 404s count and carry the headers too.
        var (_, _, notFound) = await sandbox.SendAsync(HttpMethod.Get, "organization/nothing");
        Assert.True(notFound.Headers.Contains("X-RateLimit-Reset"));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Past_the_invite_limit_is_429_INVITE_LIMIT_EXCEEDED()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { InviteLimit = 2 });
        await sandbox.InviteAsync("a@corp.example");
        await sandbox.InviteAsync("b@corp.example");
        var (status, body, _) = await sandbox.InviteAsync("c@corp.example");
        AssertError(429, "INVITE_LIMIT_EXCEEDED", status, body);
        await sandbox.SendAsync(HttpMethod.Post, "organization/invite/revoke", new { email = "a@corp.example" });
        Assert.Equal(200, (await sandbox.InviteAsync("c@corp.example")).Status);
    }

    internal static void AssertError(int expectedStatus, string expectedCode, int status, JsonNode? body)
    {
        Assert.Equal(expectedStatus, status);
        Assert.NotNull(body);
        Assert.False((bool)body!["success"]!);
        Assert.Equal(expectedCode, (string?)body["code"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)body["error"]));
    }
}

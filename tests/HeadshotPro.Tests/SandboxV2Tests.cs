using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>The v2 organization API, people's lifecycle and the photo host, over real HTTP.</summary>
public partial class SandboxV2Tests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    /// <summary>A sandbox with a v2 client (base <c>/api/v2/</c>, so the contract's paths <c>organization/…</c> resolve) and a key-less photo client.</summary>
    private sealed class V2 : IAsyncDisposable
    {
        private V2(TestSandbox sandbox)
        {
            Sandbox = sandbox;
            Http = new HttpClient { BaseAddress = sandbox.Server.ApiV2BaseUri };
            Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestSandbox.Key);
            Photos = new HttpClient();
        }

        public TestSandbox Sandbox { get; }
        public HttpClient Http { get; }
        public HttpClient Photos { get; }

        public static async Task<V2> StartAsync(SandboxOptions? options = null) => new(await TestSandbox.StartAsync(options));

        public Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, object? body = null) =>
            Sandbox.SendAsync(method, path, body, Http);

        public async Task<JsonNode> GetAsync(string path)
        {
            var (status, body, _) = await SendAsync(HttpMethod.Get, path);
            Assert.True(status == 200, $"GET {path}: {status} {body?.ToJsonString()}");
            Assert.True((bool)body!["success"]!);
            return body;
        }

        public async Task InviteAsync(string email, string? teamId = null)
        {
            var (status, body, _) = await SendAsync(HttpMethod.Post, "organization/invites", teamId is null ? new { email } : new { email, teamId });
            Assert.True(status == 200, body?.ToJsonString());
        }

        public async Task<(int Status, JsonNode? Body)> AdvanceAsync(string email, object body)
        {
            var (status, json, _) = await Sandbox.SendAsync(HttpMethod.Post, $"people/{Uri.EscapeDataString(email)}/advance", body, Sandbox.Control);
            return (status, json);
        }

        public async Task<string> CompleteAsync(string email, bool favorite = true, int? photos = null)
        {
            var (status, body) = await AdvanceAsync(email, photos is null ? new { to = "completed", favorite } : new { to = "completed", favorite, photos });
            Assert.True(status == 200, body?.ToJsonString());
            return (string)body!["invite"]!["modelId"]!;
        }

        public async Task<JsonArray> PhotoJournalAsync() => JsonNode.Parse(await Sandbox.Control.GetStringAsync("photo-journal"))!["journal"]!.AsArray();

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            Photos.Dispose();
            await Sandbox.DisposeAsync();
        }
    }

    private static void AssertError(int status, string code, (int Status, JsonNode? Body, HttpResponseMessage _) reply) =>
        SandboxApiTests.AssertError(status, code, reply.Status, reply.Body);

    private static string[] Keys(JsonNode node) => node.AsObject().Select(p => p.Key).ToArray();

    // ---- organization, credits, teams ----

    [Fact(Timeout = Limits.Test)]
    public async Task Organization_credits_and_teams_answer_the_v2_shapes_at_the_top_level()
    {
        await using var v2 = await V2.StartAsync(new SandboxOptions { Credits = 42 });
        var org = await v2.GetAsync("organization");
        Assert.Equal(new[] { "success", "organization" }, Keys(org));
        Assert.Equal(new[] { "uid", "name", "website", "teams" }, Keys(org["organization"]!));
        Assert.Equal("""{"success":true,"credits":42}""", (await v2.GetAsync("organization/credits")).ToJsonString());
        var teams = await v2.GetAsync("organization/teams");
        Assert.Equal("""[{"id":"team_marketing","name":"Marketing"},{"id":"team_engineering","name":"Engineering"}]""", teams["teams"]!.ToJsonString());

        var (status, body, response) = await v2.SendAsync(HttpMethod.Post, "organization/credits");
        SandboxApiTests.AssertError(405, "METHOD_NOT_ALLOWED", status, body);
        Assert.Equal("GET", string.Join(",", response.Content.Headers.Allow));
        AssertError(404, "NOT_FOUND", await v2.SendAsync(HttpMethod.Get, "organization/nothing"));
        AssertError(404, "NOT_FOUND", await v2.SendAsync(HttpMethod.Get, "organization/organization/credits"));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Teams_are_created_renamed_and_deleted_with_the_whole_organization_and_unique_names()
    {
        await using var v2 = await V2.StartAsync();
        var (status, body, _) = await v2.SendAsync(HttpMethod.Post, "organization/teams", new { name = "Sales" });
        Assert.Equal(200, status);
        var sales = body!["organization"]!["teams"]!.AsArray().Single(t => (string?)t!["name"] == "Sales")!;
        var salesId = (string)sales["id"]!;
        Assert.Equal(3, body["organization"]!["teams"]!.AsArray().Count);
        Assert.NotNull(body["organization"]!["uid"]);

        AssertError(400, "INVALID_REQUEST", await v2.SendAsync(HttpMethod.Post, "organization/teams", new { name = "sales" }));
        AssertError(400, "INVALID_REQUEST", await v2.SendAsync(HttpMethod.Post, "organization/teams", new { name = "  " }));
        AssertError(400, "INVALID_REQUEST", await v2.SendAsync(HttpMethod.Post, "organization/teams", new { title = "x" }));

        // The v1 organization and v1 invites see the new team: one state.
        Assert.Contains("Sales", (await v2.Sandbox.SendAsync(HttpMethod.Get, "organization")).Body!.ToJsonString());
        Assert.Equal(200, (await v2.Sandbox.InviteAsync("ann@corp.example", salesId)).Status);

        (status, body, _) = await v2.SendAsync(HttpMethod.Put, "organization/teams/" + salesId, new { name = "Field Sales" });
        Assert.Equal(200, status);
        Assert.Contains(body!["organization"]!["teams"]!.AsArray(), t => (string?)t!["name"] == "Field Sales");
        Assert.Equal("Field Sales", (string?)(await v2.GetAsync("organization/invites/ann@corp.example"))["invite"]!["teamName"]);
        AssertError(400, "INVALID_REQUEST", await v2.SendAsync(HttpMethod.Put, "organization/teams/" + salesId, new { name = "MARKETING" }));
        Assert.Equal(200, (await v2.SendAsync(HttpMethod.Put, "organization/teams/" + salesId, new { name = "field sales" })).Status); // its own name, recased
        AssertError(404, "NOT_FOUND", await v2.SendAsync(HttpMethod.Put, "organization/teams/team_nope", new { name = "X" }));

        (status, body, _) = await v2.SendAsync(HttpMethod.Delete, "organization/teams/" + salesId);
        Assert.Equal(200, status);
        Assert.Equal(2, body!["organization"]!["teams"]!.AsArray().Count);
        var invite = (await v2.GetAsync("organization/invites/ann@corp.example"))["invite"]!;
        Assert.Null(invite["teamId"]);
        Assert.Null(invite["teamName"]);
        AssertError(404, "NOT_FOUND", await v2.SendAsync(HttpMethod.Delete, "organization/teams/" + salesId));
        var (_, _, allow) = await v2.SendAsync(HttpMethod.Get, "organization/teams/" + salesId);
        Assert.Equal(405, (int)allow.StatusCode);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Assigning_members_moves_them_all_or_none()
    {
        await using var v2 = await V2.StartAsync();
        await v2.InviteAsync("ann@corp.example");
        await v2.InviteAsync("bob@corp.example");
        await v2.InviteAsync("cy@corp.example"); // invited, not a member yet
        await v2.AdvanceAsync("ann@corp.example", new { to = "accepted" });
        await v2.CompleteAsync("bob@corp.example");

        var (status, body, _) = await v2.SendAsync(HttpMethod.Post, "organization/teams/team_engineering/members", new { emails = new[] { "ANN@corp.example", "bob@corp.example" } });
        Assert.Equal(200, status);
        Assert.Equal(new[] { "success", "message" }, Keys(body!));
        var members = (await v2.GetAsync("organization/team"))["members"]!.AsArray();
        NonEmpty.All(members, m => Assert.Equal("Engineering", (string?)m!["teamName"]));
        NonEmpty.All((await v2.GetAsync("organization/models"))["models"]!.AsArray(), m => Assert.Equal("team_engineering", (string?)m!["teamId"]));

        AssertError(404, "NOT_FOUND", await v2.SendAsync(HttpMethod.Post, "organization/teams/team_marketing/members", new { emails = new[] { "ann@corp.example", "cy@corp.example" } }));
        Assert.Equal("team_engineering", (string?)(await v2.GetAsync("organization/invites/ann@corp.example"))["invite"]!["teamId"]);
        AssertError(404, "NOT_FOUND", await v2.SendAsync(HttpMethod.Post, "organization/teams/team_nope/members", new { emails = new[] { "ann@corp.example" } }));
        AssertError(400, "INVALID_REQUEST", await v2.SendAsync(HttpMethod.Post, "organization/teams/team_marketing/members", new { emails = Array.Empty<string>() }));
        AssertError(400, "INVALID_REQUEST", await v2.SendAsync(HttpMethod.Post, "organization/teams/team_marketing/members", new { emails = "ann@corp.example" }));
    }

    // ---- invites ----

    [Fact(Timeout = Limits.Test)]
    public async Task Invites_are_created_listed_found_by_address_and_revoked_with_the_v2_shapes()
    {
        await using var v2 = await V2.StartAsync(new SandboxOptions { Credits = 5 });
        var (status, body, _) = await v2.SendAsync(HttpMethod.Post, "organization/invites", new { email = "ann+hs@corp.example", teamId = "team_marketing" });
        Assert.Equal(200, status);
        Assert.Equal(new[] { "success", "input", "message", "link", "id", "teamId" }, Keys(body!));
        Assert.Equal("Invite sent", (string?)body!["message"]);
        Assert.Equal(4, (int)(await v2.GetAsync("organization/credits"))["credits"]!);

        var item = (await v2.GetAsync("organization/invites"))["invites"]!.AsArray().Single()!;
        Assert.Equal(new[] { "email", "status", "teamId", "teamName", "createdAt" }, Keys(item)); // no modelId before there is a model
        Assert.Equal("pending", (string?)item["status"]);
        Assert.Equal("Marketing", (string?)item["teamName"]);

        var found = await v2.GetAsync("organization/invites/" + Uri.EscapeDataString("ANN+HS@corp.example"));
        Assert.Equal(item.ToJsonString(), found["invite"]!.ToJsonString());
        AssertError(404, "NOT_FOUND", await v2.SendAsync(HttpMethod.Get, "organization/invites/nobody%40corp.example"));

        AssertError(400, "ALREADY_EXISTS", await v2.SendAsync(HttpMethod.Post, "organization/invites", new { email = "Ann+HS@corp.example" }));
        AssertError(400, "INVALID_EMAIL", await v2.SendAsync(HttpMethod.Post, "organization/invites", new { email = "ann" }));
        AssertError(404, "NOT_FOUND", await v2.SendAsync(HttpMethod.Post, "organization/invites", new { email = "bob@corp.example", teamId = "team_nope" }));

        (status, body, _) = await v2.SendAsync(HttpMethod.Post, "organization/invites/revoke", new { email = "ann+hs@corp.example" });
        Assert.Equal(200, status);
        Assert.Equal(new[] { "success", "message", "input" }, Keys(body!));
        Assert.Equal(("Invite revoked", "ann+hs@corp.example"), ((string)body!["message"]!, (string)body["input"]!["email"]!));
        Assert.Equal(5, (int)(await v2.GetAsync("organization/credits"))["credits"]!);
        Assert.Equal("revoked", (string?)(await v2.GetAsync("organization/invites/ann%2Bhs%40corp.example"))["invite"]!["status"]);
        AssertError(404, "NOT_FOUND", await v2.SendAsync(HttpMethod.Post, "organization/invites/revoke", new { email = "ann+hs@corp.example" }));

        await v2.Sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.DropAfterProcessing } });
        await Assert.ThrowsAsync<HttpRequestException>(() => v2.SendAsync(HttpMethod.Post, "organization/invites", new { email = "cy@corp.example" }));
        Assert.Equal("pending", (string?)(await v2.GetAsync("organization/invites/cy@corp.example"))["invite"]!["status"]);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task v1_and_v2_share_one_state_and_keep_their_status_vocabularies_in_step()
    {
        await using var v2 = await V2.StartAsync();
        var id = (string)(await v2.Sandbox.InviteAsync("ann@corp.example")).Body!["id"]!;
        async Task<(string V1, string V2)> StatusAsync() =>
            ((string)(await v2.Sandbox.SendAsync(HttpMethod.Get, "organization/invite/id/" + id)).Body!["invite"]!["status"]!,
             (string)(await v2.GetAsync("organization/invites/ann@corp.example"))["invite"]!["status"]!);

        Assert.Equal(("pending-invite", "pending"), await StatusAsync());
        await v2.AdvanceAsync("ann@corp.example", new { to = "accepted" });
        Assert.Equal(("waiting-for-upload", "accepted"), await StatusAsync());
        await v2.AdvanceAsync("ann@corp.example", new { to = "uploading" });
        Assert.Equal(("waiting-for-upload", "uploading"), await StatusAsync());
        await v2.AdvanceAsync("ann@corp.example", new { to = "generating" });
        Assert.Equal(("generating-headshots", "generating"), await StatusAsync());
        await v2.AdvanceAsync("ann@corp.example", new { to = "completed" });
        Assert.Equal(("active", "completed"), await StatusAsync());

        // The v1 control moves the v2 person too (waiting-for-upload maps to uploading, as the contract says).
        var bobId = (string)(await v2.Sandbox.InviteAsync("bob@corp.example")).Body!["id"]!;
        await v2.Sandbox.Control.PostAsync($"invites/{bobId}/status", TestSandbox.JsonBody(new { status = "waiting-for-upload" }));
        Assert.Equal("uploading", (string?)(await v2.GetAsync("organization/invites/bob@corp.example"))["invite"]!["status"]);
        Assert.Equal("pending", (string?)(await v2.GetAsync("organization/team"))["members"]!.AsArray().Single(m => (string?)m!["email"] == "bob@corp.example")!["status"]);
        await v2.Sandbox.Control.PostAsync($"invites/{bobId}/status", TestSandbox.JsonBody(new { status = "active" }));
        var bobModel = (await v2.GetAsync("organization/models"))["models"]!.AsArray().Single(m => (string?)m!["email"] == "bob@corp.example")!;
        Assert.Equal("active", (string?)bobModel["status"]);
        Assert.Equal(8, (await v2.GetAsync($"organization/models/{bobModel["id"]}/photos"))["photos"]!.AsArray().Count);
    }

    // ---- members and pagination ----

    [Fact(Timeout = Limits.Test)]
    public async Task Members_list_by_status_with_pagination_and_by_stage_with_a_count()
    {
        await using var v2 = await V2.StartAsync();
        foreach (var (email, to) in new[] { ("a@corp.example", "accepted"), ("b@corp.example", "uploading"), ("c@corp.example", "generating"), ("d@corp.example", "completed"), ("e@corp.example", "failed") })
        {
            await v2.InviteAsync(email);
            Assert.Equal(200, (await v2.AdvanceAsync(email, new { to })).Status);
        }
        await v2.InviteAsync("pending@corp.example"); // not a member until they sign up

        var all = await v2.GetAsync("organization/team");
        Assert.Equal(new[] { "success", "members", "pagination" }, Keys(all));
        Assert.Equal("""{"total":5,"limit":50,"offset":0,"hasMore":false}""", all["pagination"]!.ToJsonString());
        var d = all["members"]!.AsArray().Single(m => (string?)m!["email"] == "d@corp.example")!;
        Assert.Equal(new[] { "id", "email", "name", "status", "teamId", "teamName", "modelId", "modelStatus", "joinedAt" }, Keys(d));
        Assert.Equal(("D", "finished", "active"), ((string)d["name"]!, (string)d["status"]!, (string)d["modelStatus"]!));
        Assert.Equal("failed", (string?)all["members"]!.AsArray().Single(m => (string?)m!["email"] == "e@corp.example")!["modelStatus"]);

        Assert.Equal(new[] { "a@corp.example" }, Emails(await v2.GetAsync("organization/team?status=accepted")));
        Assert.Equal(new[] { "b@corp.example", "c@corp.example", "e@corp.example" }, Emails(await v2.GetAsync("organization/team?status=pending")));
        Assert.Equal(new[] { "d@corp.example" }, Emails(await v2.GetAsync("organization/team?status=finished")));
        AssertError(400, "INVALID_REQUEST", await v2.SendAsync(HttpMethod.Get, "organization/team?status=completed"));

        foreach (var (stage, count) in new[] { ("accepted", 1), ("pending", 3), ("finished", 1) })
        {
            var byStage = await v2.GetAsync("organization/team/" + stage);
            Assert.Equal(new[] { "success", "members", "count" }, Keys(byStage));
            Assert.Equal(count, (int)byStage["count"]!);
            Assert.Equal(count, byStage["members"]!.AsArray().Count);
        }

        var page = await v2.GetAsync("organization/team?limit=2&offset=2");
        Assert.Equal("""{"total":5,"limit":2,"offset":2,"hasMore":true}""", page["pagination"]!.ToJsonString());
        Assert.Equal(new[] { "c@corp.example", "d@corp.example" }, Emails(page));
        page = await v2.GetAsync("organization/team?limit=2&offset=4");
        Assert.Equal("""{"total":5,"limit":2,"offset":4,"hasMore":false}""", page["pagination"]!.ToJsonString());
        page = await v2.GetAsync("organization/team?limit=200&offset=9");
        Assert.Empty(page["members"]!.AsArray());
        Assert.False((bool)page["pagination"]!["hasMore"]!);

        static string[] Emails(JsonNode body) => body["members"]!.AsArray().Select(m => (string)m!["email"]!).ToArray();
    }

    [Theory(Timeout = Limits.Test)]
    [InlineData("organization/team?limit=0")]
    [InlineData("organization/team?limit=201")]
    [InlineData("organization/team?limit=-1")]
    [InlineData("organization/team?limit=ten")]
    [InlineData("organization/team?limit=")]
    [InlineData("organization/team?limit=1.5")]
    [InlineData("organization/team?offset=-1")]
    [InlineData("organization/team?offset=x")]
    [InlineData("organization/team?limit=5&limit=6")]
    [InlineData("organization/models?limit=500")]
    [InlineData("organization/models?status=ready")]
    [InlineData("organization/photos/favorites?offset=-3")]
    [InlineData("organization/photos/favorites?include=thumbnail")]
    public async Task Bad_pagination_and_filters_are_400_INVALID_REQUEST(string path)
    {
        await using var v2 = await V2.StartAsync();
        AssertError(400, "INVALID_REQUEST", await v2.SendAsync(HttpMethod.Get, path));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task The_default_page_is_50_and_the_largest_200()
    {
        await using var v2 = await V2.StartAsync(new SandboxOptions { RateLimit = 0, Credits = 300 });
        for (var i = 0; i < 210; i++)
        {
            await v2.InviteAsync($"user{i:000}@corp.example");
            await v2.AdvanceAsync($"user{i:000}@corp.example", new { to = "accepted" });
        }
        var first = await v2.GetAsync("organization/team");
        Assert.Equal(50, first["members"]!.AsArray().Count);
        Assert.Equal("""{"total":210,"limit":50,"offset":0,"hasMore":true}""", first["pagination"]!.ToJsonString());
        var big = await v2.GetAsync("organization/models?limit=200&offset=10");
        Assert.Equal(200, big["models"]!.AsArray().Count);
        Assert.Equal("""{"total":210,"limit":200,"offset":10,"hasMore":false}""", big["pagination"]!.ToJsonString());
        Assert.Equal(210, (await v2.GetAsync("organization/invites"))["invites"]!.AsArray().Count); // the invite list is not paginated
    }

    // ---- models and photos ----

    [Fact(Timeout = Limits.Test)]
    public async Task Models_follow_the_model_vocabulary_and_filter_by_status_and_team()
    {
        await using var v2 = await V2.StartAsync();
        await v2.InviteAsync("ann.lee@corp.example", "team_marketing");
        await v2.InviteAsync("bob@corp.example");
        await v2.InviteAsync("cy@corp.example");
        await v2.AdvanceAsync("ann.lee@corp.example", new { to = "uploading" });
        var model = (await v2.GetAsync("organization/models"))["models"]![0]!;
        Assert.Equal(new[] { "id", "uid", "email", "title", "status", "teamId", "teamName", "isDevelopment", "createdAt", "finishedAt" }, Keys(model));
        Assert.Equal(("onboarding", "Ann Lee", "Marketing"), ((string)model["status"]!, (string)model["title"]!, (string)model["teamName"]!));
        Assert.Null(model["finishedAt"]);
        Assert.False((bool)model["isDevelopment"]!);
        var id = (string)model["id"]!;
        Assert.Equal(model.ToJsonString(), (await v2.GetAsync("organization/models/" + id))["model"]!.ToJsonString());
        AssertError(404, "NOT_FOUND", await v2.SendAsync(HttpMethod.Get, "organization/models/000000000000000000000000"));

        Assert.Equal(200, (await v2.AdvanceAsync("ann.lee@corp.example", new { to = "generating", modelStatus = "pending" })).Status);
        Assert.Equal("pending", (string?)(await v2.GetAsync("organization/models/" + id))["model"]!["status"]);
        await v2.CompleteAsync("ann.lee@corp.example");
        model = (await v2.GetAsync("organization/models/" + id))["model"]!;
        Assert.Equal("active", (string?)model["status"]);
        Assert.NotNull((string?)model["finishedAt"]);
        await v2.AdvanceAsync("bob@corp.example", new { to = "failed" });
        await v2.AdvanceAsync("cy@corp.example", new { to = "deleted" }); // a pending invite deleted: no model
        await v2.InviteAsync("dee@corp.example");
        await v2.CompleteAsync("dee@corp.example");
        await v2.AdvanceAsync("dee@corp.example", new { to = "deleted" });

        string[] Statuses(JsonNode body) => body["models"]!.AsArray().Select(m => (string)m!["status"]!).ToArray();
        Assert.Equal(new[] { "active", "failed", "deleted" }, Statuses(await v2.GetAsync("organization/models")));
        Assert.Equal(new[] { "failed" }, Statuses(await v2.GetAsync("organization/models?status=failed")));
        Assert.Equal(new[] { "active" }, Statuses(await v2.GetAsync("organization/models?teamId=team_marketing")));
        Assert.Empty(Statuses(await v2.GetAsync("organization/models?teamId=team_engineering")));
        AssertError(404, "NOT_FOUND", await v2.SendAsync(HttpMethod.Get, "organization/models?teamId=team_nope"));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Photos_list_filter_and_include_every_variant_and_the_favorite_appears_once_chosen()
    {
        await using var v2 = await V2.StartAsync();
        await v2.InviteAsync("ann@corp.example", "team_marketing");
        await v2.InviteAsync("bob@corp.example");
        var ann = await v2.CompleteAsync("ann@corp.example", favorite: false, photos: 5);
        var bob = await v2.CompleteAsync("bob@corp.example");

        var photos = await v2.GetAsync($"organization/models/{ann}/photos");
        Assert.Equal("""{"total":5,"limit":50,"offset":0,"hasMore":false}""", photos["pagination"]!.ToJsonString());
        var photo = photos["photos"]![0]!;
        Assert.Equal(new[] { "id", "status", "likedStatus", "createdAt", "urls", "expiresAt" }, Keys(photo));
        Assert.Equal(new[] { "main" }, Keys(photo["urls"]!));
        var all = (await v2.GetAsync($"organization/models/{ann}/photos?include=all&limit=1"))["photos"]![0]!;
        Assert.Equal(new[] { "main", "thumbnail", "original" }, Keys(all["urls"]!));
        var expiresAt = DateTime.Parse((string)all["expiresAt"]!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        Assert.InRange((expiresAt - DateTime.UtcNow).TotalHours, 23.9, 24.1);
        Assert.Empty((await v2.GetAsync($"organization/models/{ann}/photos?status=deleted"))["photos"]!.AsArray());

        var none = await v2.GetAsync($"organization/models/{ann}/photos/favorite");
        Assert.Null(none["photo"]);
        Assert.False(string.IsNullOrEmpty((string?)none["message"]));
        Assert.Empty((await v2.GetAsync($"organization/models/{ann}/photos?likedStatus=loved"))["photos"]!.AsArray());

        var favorite = (await v2.GetAsync($"organization/models/{bob}/photos/favorite"))["photo"]!;
        Assert.Equal(new[] { "id", "modelId", "status", "likedStatus", "createdAt", "urls", "expiresAt" }, Keys(favorite));
        Assert.Equal(("loved", bob), ((string)favorite["likedStatus"]!, (string)favorite["modelId"]!));
        Assert.Equal((string?)favorite["id"], (string?)(await v2.GetAsync($"organization/models/{bob}/photos?likedStatus=loved"))["photos"]!.AsArray().Single()!["id"]);
        Assert.Equal(7, (await v2.GetAsync($"organization/models/{bob}/photos?likedStatus=none"))["photos"]!.AsArray().Count);

        await v2.AdvanceAsync("ann@corp.example", new { to = "completed", favorite = true });
        var favorites = await v2.GetAsync("organization/photos/favorites");
        Assert.Equal(2, (int)favorites["pagination"]!["total"]!);
        var first = favorites["photos"]![0]!;
        Assert.Equal(new[] { "id", "modelId", "status", "likedStatus", "createdAt", "urls", "expiresAt", "email", "title", "teamId", "teamName" }, Keys(first));
        Assert.Equal(("ann@corp.example", "Marketing"), ((string)first["email"]!, (string)first["teamName"]!));
        var marketing = await v2.GetAsync("organization/photos/favorites?teamId=team_marketing&include=all");
        Assert.Equal(ann, (string?)marketing["photos"]!.AsArray().Single()!["modelId"]);
        Assert.Equal(3, marketing["photos"]![0]!["urls"]!.AsObject().Count);
        AssertError(404, "NOT_FOUND", await v2.SendAsync(HttpMethod.Get, "organization/photos/favorites?teamId=team_nope"));
        AssertError(404, "NOT_FOUND", await v2.SendAsync(HttpMethod.Get, "organization/models/nope/photos"));
        AssertError(404, "NOT_FOUND", await v2.SendAsync(HttpMethod.Get, "organization/models/nope/photos/favorite"));

        await v2.AdvanceAsync("bob@corp.example", new { to = "deleted" });
        Assert.Empty((await v2.GetAsync($"organization/models/{bob}/photos"))["photos"]!.AsArray());
        Assert.Equal(8, (await v2.GetAsync($"organization/models/{bob}/photos?status=deleted"))["photos"]!.AsArray().Count);
        Assert.Equal(1, (int)(await v2.GetAsync("organization/photos/favorites"))["pagination"]!["total"]!);
    }

    // ---- the pipeline: key, rate limit, faults ----

    [Fact(Timeout = Limits.Test)]
    public async Task v1_and_v2_spend_one_rate_budget_per_key()
    {
        await using var v2 = await V2.StartAsync(new SandboxOptions { RateLimit = 4, RateWindowSeconds = 60 });
        Assert.Equal(200, (await v2.Sandbox.SendAsync(HttpMethod.Get, "organization/credits")).Status);
        var (_, _, response) = await v2.SendAsync(HttpMethod.Get, "organization/credits");
        Assert.Equal("2", response.Headers.GetValues("X-RateLimit-Remaining").Single());
        Assert.Equal("4", response.Headers.GetValues("X-RateLimit-Limit").Single());
        Assert.True(response.Headers.Contains("X-RateLimit-Reset"));
        Assert.Equal(200, (await v2.Sandbox.SendAsync(HttpMethod.Get, "organization")).Status);
        Assert.Equal(200, (await v2.SendAsync(HttpMethod.Get, "organization")).Status);
        AssertError(429, "RATE_LIMIT_EXCEEDED", await v2.SendAsync(HttpMethod.Get, "organization/teams"));
        var v1 = await v2.Sandbox.SendAsync(HttpMethod.Get, "organization/invites");
        SandboxApiTests.AssertError(429, "RATE_LIMIT_EXCEEDED", v1.Status, v1.Body);
        Assert.NotNull(v1.Response.Headers.RetryAfter);
        Assert.Equal(2, TestSandbox.Counter(await v2.Sandbox.StateAsync(), "rateLimited"));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task v2_has_the_key_check_faults_and_reset_header_switches_of_v1()
    {
        await using var v2 = await V2.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = v2.Sandbox.Server.ApiV2BaseUri };
        var (status, body, _) = await v2.Sandbox.SendAsync(HttpMethod.Get, "organization/team", client: anonymous);
        SandboxApiTests.AssertError(401, "UNAUTHORIZED", status, body);

        await v2.Sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.Http502, FaultKind.Html503, FaultKind.MessageNotError }, resetHeaderFormat = ResetFormat.UnixSeconds });
        (status, _, var response) = await v2.SendAsync(HttpMethod.Get, "organization/models");
        Assert.Equal(502, status);
        Assert.True(long.TryParse(response.Headers.GetValues("X-RateLimit-Reset").Single(), out _));
        (status, _, response) = await v2.SendAsync(HttpMethod.Get, "organization/models");
        Assert.Equal(503, status);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        (status, body, _) = await v2.SendAsync(HttpMethod.Get, "organization/models");
        Assert.Equal(500, status);
        Assert.NotNull(body!["message"]);

        var journal = await v2.Sandbox.JournalAsync();
        Assert.Equal("/api/v2/organization/team", (string?)journal[0]!["path"]);
        Assert.Equal(new[] { FaultKind.Http502, FaultKind.Html503, FaultKind.MessageNotError }, journal.Skip(1).Select(e => (string)e!["fault"]!));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Clock_skew_and_latency_apply_to_v2()
    {
        await using var v2 = await V2.StartAsync(new SandboxOptions { ClockSkewSeconds = -3600 });
        await v2.InviteAsync("ann@corp.example");
        await v2.CompleteAsync("ann@corp.example");
        var createdAt = DateTime.Parse((string)(await v2.GetAsync("organization/invites"))["invites"]![0]!["createdAt"]!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        Assert.InRange((createdAt - DateTime.UtcNow).TotalSeconds, -3610, -3590);
        var joinedAt = DateTime.Parse((string)(await v2.GetAsync("organization/team"))["members"]![0]!["joinedAt"]!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        Assert.InRange((joinedAt - DateTime.UtcNow).TotalSeconds, -3610, -3590);

        await v2.Sandbox.SettingsAsync(new { latencyMs = 150 });
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await v2.GetAsync("organization/credits");
        Assert.True(watch.ElapsedMilliseconds >= 140, $"answered after {watch.ElapsedMilliseconds} ms");
    }

    // ---- lifecycle ----

    [Fact(Timeout = Limits.Test)]
    public async Task The_advance_control_moves_people_forward_only_and_checks_its_body()
    {
        await using var v2 = await V2.StartAsync();
        await v2.InviteAsync("ann@corp.example");
        await v2.InviteAsync("bob@corp.example");

        var (status, body) = await v2.AdvanceAsync("ANN@corp.example", new { to = "generating" }); // passes through accepted and uploading
        Assert.Equal(200, status);
        Assert.Equal(("generating", "generating-headshots", "generatingHeadshots"),
            ((string)body!["invite"]!["stage"]!, (string)body["invite"]!["status"]!, (string)body["invite"]!["modelStatus"]!));
        Assert.Equal(409, (await v2.AdvanceAsync("ann@corp.example", new { to = "accepted" })).Status);
        Assert.Equal(200, (await v2.AdvanceAsync("ann@corp.example", new { to = "failed" })).Status);
        Assert.Equal("failed", (string?)(await v2.GetAsync("organization/models"))["models"]![0]!["status"]);
        Assert.Equal("generating", (string?)(await v2.GetAsync("organization/invites/ann@corp.example"))["invite"]!["status"]);
        Assert.Equal(200, (await v2.AdvanceAsync("ann@corp.example", new { to = "generating" })).Status); // a failed model restarts
        Assert.Equal("generatingHeadshots", (string?)(await v2.GetAsync("organization/models"))["models"]![0]!["status"]);
        Assert.Equal(200, (await v2.AdvanceAsync("ann@corp.example", new { to = "completed", photos = 3, favorite = true })).Status);
        Assert.Equal(409, (await v2.AdvanceAsync("ann@corp.example", new { to = "failed" })).Status);
        var annModel = (string)(await v2.GetAsync("organization/models"))["models"]![0]!["id"]!;
        Assert.Equal(3, (int)(await v2.GetAsync($"organization/models/{annModel}/photos"))["pagination"]!["total"]!);
        Assert.Equal("loved", (string?)(await v2.GetAsync($"organization/models/{annModel}/photos/favorite"))["photo"]!["likedStatus"]);

        Assert.Equal(404, (await v2.AdvanceAsync("nobody@corp.example", new { to = "accepted" })).Status);
        Assert.Equal(400, (await v2.AdvanceAsync("bob@corp.example", new { to = "famous" })).Status);
        Assert.Equal(400, (await v2.AdvanceAsync("bob@corp.example", new { to = "uploading", favorite = true })).Status);
        Assert.Equal(400, (await v2.AdvanceAsync("bob@corp.example", new { to = "completed", photos = 0 })).Status);
        Assert.Equal(400, (await v2.AdvanceAsync("bob@corp.example", new { to = "accepted", modelStatus = "active" })).Status);
        Assert.Equal("pending", (string?)(await v2.GetAsync("organization/invites/bob@corp.example"))["invite"]!["status"]);

        (status, body) = await v2.AdvanceAsync("bob@corp.example", new { to = "accepted", activeEmail = "robert.jones@home.example" });
        Assert.Equal(200, status);
        var member = (await v2.GetAsync("organization/team/accepted"))["members"]![0]!;
        Assert.Equal(("robert.jones@home.example", "Robert Jones"), ((string)member["email"]!, (string)member["name"]!));
        Assert.Equal("robert.jones@home.example", (string?)(await v2.Sandbox.SendAsync(HttpMethod.Get, "organization/invite/id/" + (string)body!["invite"]!["id"]!)).Body!["invite"]!["email"]);
        Assert.Equal(200, (await v2.AdvanceAsync("robert.jones@home.example", new { to = "uploading" })).Status); // found by the active address too
        Assert.Equal(200, (await v2.AdvanceAsync("bob@corp.example", new { to = "deleted" })).Status);
        Assert.Equal("deleted", (string?)(await v2.GetAsync("organization/invites/bob@corp.example"))["invite"]!["status"]);
        Assert.Empty((await v2.GetAsync("organization/team/pending"))["members"]!.AsArray());
        Assert.Equal(404, (await v2.AdvanceAsync("bob@corp.example", new { to = "completed" })).Status);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task The_timed_lifecycle_moves_every_invited_person_one_stage_per_period_until_completed_with_a_favorite()
    {
        await using var v2 = await V2.StartAsync(new SandboxOptions { LifecycleSeconds = 1 });
        await v2.InviteAsync("ann@corp.example");
        await v2.InviteAsync("bob@corp.example");
        await v2.InviteAsync("cy@corp.example");
        await v2.SendAsync(HttpMethod.Post, "organization/invites/revoke", new { email = "cy@corp.example" });

        var seen = new List<string>();
        var state = await v2.Sandbox.WaitForStateAsync(s =>
        {
            var ann = s["invites"]!.AsArray().First(i => (string?)i!["email"] == "ann@corp.example")!;
            var stage = (string)ann["stage"]!;
            if (seen.LastOrDefault() != stage) seen.Add(stage);
            return s["invites"]!.AsArray().Count(i => (string?)i!["stage"] == "completed") == 2;
        }, Bound);
        Assert.Equal(2, state["invites"]!.AsArray().Count(i => (string?)i!["stage"] == "completed"));
        Assert.Equal("revoked", (string?)state["invites"]!.AsArray().Single(i => (string?)i!["email"] == "cy@corp.example")!["stage"]);
        var order = new[] { "pending", "accepted", "uploading", "generating", "completed" };
        Assert.Equal(seen, seen.OrderBy(s => Array.IndexOf(order, s)).ToList()); // forward only, in order
        Assert.True(seen.Count >= 3, "stages seen: " + string.Join(",", seen));
        Assert.Equal(2, (int)(await v2.GetAsync("organization/photos/favorites"))["pagination"]!["total"]!);

        // Turned on at run time, and a failed model restarts by itself.
        await v2.Sandbox.SettingsAsync(new { lifecycleSeconds = 0 });
        await v2.InviteAsync("dee@corp.example");
        await v2.AdvanceAsync("dee@corp.example", new { to = "failed" });
        await v2.Sandbox.SettingsAsync(new { lifecycleSeconds = 1 });
        state = await v2.Sandbox.WaitForStateAsync(
            s => s["invites"]!.AsArray().Any(i => (string?)i!["email"] == "dee@corp.example" && (string?)i!["stage"] == "completed"), Bound);
        Assert.Equal("active", (string?)state["invites"]!.AsArray().Single(i => (string?)i!["email"] == "dee@corp.example")!["modelStatus"]);
        Assert.Equal(1, (int)state["settings"]!["lifecycleSeconds"]!);
    }

    // ---- the photo host ----

    private static async Task<JsonNode> FirstPhotoAsync(V2 v2, string email, string include = "all")
    {
        await v2.InviteAsync(email);
        var model = await v2.CompleteAsync(email);
        return (await v2.GetAsync($"organization/models/{model}/photos?include={include}"))["photos"]![0]!;
    }

    /// <summary>Walks the JPEG's segments from SOI to SOS, then its entropy-coded data to EOI; answers the SOF0 dimensions.</summary>
    internal static (int Width, int Height) AssertJpeg(byte[] jpeg)
    {
        Assert.True(jpeg.Length > 4 && jpeg[0] == 0xFF && jpeg[1] == 0xD8, "no SOI");
        Assert.True(jpeg[^2] == 0xFF && jpeg[^1] == 0xD9, "no EOI");
        int? width = null, height = null;
        var i = 2;
        var sawTables = new HashSet<byte>();
        while (true)
        {
            Assert.True(jpeg[i] == 0xFF, $"no marker at {i}");
            var marker = jpeg[i + 1];
            var length = (jpeg[i + 2] << 8) | jpeg[i + 3];
            Assert.True(length >= 2 && i + 2 + length <= jpeg.Length, $"segment {marker:X2} at {i} overruns");
            sawTables.Add(marker);
            if (marker == 0xC0)
            {
                Assert.Equal(8, jpeg[i + 4]);
                height = (jpeg[i + 5] << 8) | jpeg[i + 6];
                width = (jpeg[i + 7] << 8) | jpeg[i + 8];
            }
            Assert.False(marker is 0xC1 or 0xC2 or 0xC3, "not baseline");
            i += 2 + length;
            if (marker == 0xDA) break;
        }
        Assert.Contains((byte)0xDB, sawTables);
        Assert.Contains((byte)0xC4, sawTables);
        for (; i < jpeg.Length - 2; i++)
            if (jpeg[i] == 0xFF) Assert.True(jpeg[i + 1] == 0x00 || jpeg[i + 1] is >= 0xD0 and <= 0xD7, $"stray marker FF{jpeg[i + 1]:X2} in the scan at {i}");
        Assert.NotNull(width);
        return (width!.Value, height!.Value);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Photos_are_valid_baseline_JPEGs_in_three_sizes_different_per_person_and_the_same_every_time()
    {
        await using var v2 = await V2.StartAsync(new SandboxOptions { PhotoBytes = 300_000 });
        var ann = await FirstPhotoAsync(v2, "ann@corp.example");
        var bob = await FirstPhotoAsync(v2, "bob@corp.example");

        var main = await v2.Photos.GetAsync((string)ann["urls"]!["main"]!);
        Assert.Equal(HttpStatusCode.OK, main.StatusCode);
        Assert.Equal("image/jpeg", main.Content.Headers.ContentType!.MediaType);
        var mainBytes = await main.Content.ReadAsByteArrayAsync();
        Assert.Equal(300_000, mainBytes.Length);
        Assert.Equal(300_000, main.Content.Headers.ContentLength);
        var decoded = Decoded.Of(mainBytes);
        Assert.Equal((832, 1040), (decoded.Width, decoded.Height));
        AssertMostlyImage(mainBytes);

        var thumbnail = await v2.Photos.GetByteArrayAsync((string)ann["urls"]!["thumbnail"]!);
        Assert.Equal((128, 160), (Decoded.Of(thumbnail).Width, Decoded.Of(thumbnail).Height));
        Assert.True(thumbnail.Length < 100_000, $"thumbnail is {thumbnail.Length} bytes");
        Assert.Equal(0, CommentBytes(thumbnail));
        var original = await v2.Photos.GetByteArrayAsync((string)ann["urls"]!["original"]!);
        Assert.Equal(600_000, original.Length);
        Assert.Equal((1176, 1470), (Decoded.Of(original).Width, Decoded.Of(original).Height));
        AssertMostlyImage(original);

        var bobBytes = await v2.Photos.GetByteArrayAsync((string)bob["urls"]!["main"]!);
        AssertJpeg(bobBytes);
        Assert.NotEqual(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(mainBytes)), Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bobBytes)));
        Assert.NotEqual(thumbnail, await v2.Photos.GetByteArrayAsync((string)bob["urls"]!["thumbnail"]!));
        Assert.Equal(mainBytes, await v2.Photos.GetByteArrayAsync((string)ann["urls"]!["main"]!));
    }

    /// <summary>The bytes of a JPEG's COM segments (the padding), walking its segments up to the scan.</summary>
    internal static long CommentBytes(byte[] jpeg)
    {
        long comments = 0;
        for (var i = 2; jpeg[i + 1] != 0xDA; i += 2 + (jpeg[i + 2] << 8 | jpeg[i + 3]))
            if (jpeg[i + 1] == 0xFE) comments += 2 + (jpeg[i + 2] << 8 | jpeg[i + 3]);
        return comments;
    }

    /// <summary>A photo padded to its size by a few percent at most: the rest is image, as many pixels as the bytes hold.</summary>
    private static void AssertMostlyImage(byte[] jpeg) =>
        Assert.True(CommentBytes(jpeg) < jpeg.Length * 0.15, $"{CommentBytes(jpeg):N0} of {jpeg.Length:N0} bytes are padding");

    [Fact(Timeout = Limits.Test)]
    public async Task A_main_photo_is_a_megabyte_of_image_by_default()
    {
        await using var v2 = await V2.StartAsync();
        var photo = await FirstPhotoAsync(v2, "ann@corp.example", "main");
        var bytes = await v2.Photos.GetByteArrayAsync((string)photo["urls"]!["main"]!);
        Assert.Equal(1_000_000, bytes.Length);
        var decoded = Decoded.Of(bytes);
        Assert.Equal((1520, 1900), (decoded.Width, decoded.Height));
        AssertMostlyImage(bytes);
        Assert.Equal(5_000_000, SandboxOptions.Parse(new[] { "--photo-bytes", "5000000" }).PhotoBytes);
        Assert.Equal(512, SandboxOptions.Parse(new[] { "--photo-cache-mb", "512" }).PhotoCacheMegabytes);
        Assert.Throws<ArgumentException>(() => SandboxOptions.Parse(new[] { "--photo-cache-mb", "0" }));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Signed_links_answer_403_when_tampered_or_expired_and_fresh_links_come_from_asking_again()
    {
        await using var v2 = await V2.StartAsync(new SandboxOptions { PhotoBytes = 0 });
        var photo = await FirstPhotoAsync(v2, "ann@corp.example");
        var url = (string)photo["urls"]!["main"]!;
        Assert.Equal(HttpStatusCode.OK, (await v2.Photos.GetAsync(url)).StatusCode);
        var head = await v2.Photos.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);

        var sig = url[(url.IndexOf("sig=", StringComparison.Ordinal) + 4)..];
        var flipped = (sig[0] == 'a' ? 'b' : 'a') + sig[1..];
        var expires = long.Parse(url.Split("expires=")[1].Split('&')[0], CultureInfo.InvariantCulture);
        foreach (var bad in new[]
        {
            url.Replace("sig=" + sig, "sig=" + flipped),
            url.Replace("expires=" + expires, "expires=" + (expires + 3600)),
            url.Replace("/main.jpg", "/original.jpg"),
            url[..url.IndexOf('?')],
            url.Replace("&sig=" + sig, ""),
        })
        {
            var response = await v2.Photos.GetAsync(bad);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("AccessDenied", await response.Content.ReadAsStringAsync());
        }

        await v2.Sandbox.SettingsAsync(new { photoLinkSeconds = 0 });
        var expired = (await v2.GetAsync($"organization/models/{(await v2.GetAsync("organization/models"))["models"]![0]!["id"]}/photos"))["photos"]![0]!;
        var gone = await v2.Photos.GetAsync((string)expired["urls"]!["main"]!);
        Assert.Equal(HttpStatusCode.Forbidden, gone.StatusCode);
        Assert.Contains("expired", await gone.Content.ReadAsStringAsync());

        await v2.Sandbox.SettingsAsync(new { photoLinkSeconds = 600 });
        var fresh = (await v2.GetAsync($"organization/models/{(await v2.GetAsync("organization/models"))["models"]![0]!["id"]}/photos"))["photos"]![0]!;
        Assert.Equal(HttpStatusCode.OK, (await v2.Photos.GetAsync((string)fresh["urls"]!["main"]!)).StatusCode);
        var expiresAt = DateTime.Parse((string)fresh["expiresAt"]!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        Assert.InRange((expiresAt - DateTime.UtcNow).TotalSeconds, 590, 610);

        // A deleted model's photos are gone from the photo host too.
        await v2.AdvanceAsync("ann@corp.example", new { to = "deleted" });
        Assert.Equal(HttpStatusCode.NotFound, (await v2.Photos.GetAsync((string)fresh["urls"]!["main"]!)).StatusCode);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task The_photo_host_needs_no_key_is_not_rate_limited_and_journals_whether_a_key_reached_it()
    {
        await using var v2 = await V2.StartAsync(new SandboxOptions { RateLimit = 5, PhotoBytes = 0 });
        var photo = await FirstPhotoAsync(v2, "ann@corp.example", "main");
        var url = (string)photo["urls"]!["main"]!;
        var requestsBefore = TestSandbox.Counter(await v2.Sandbox.StateAsync(), "requests");
        for (var i = 0; i < 20; i++)
        {
            var response = await v2.Photos.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(response.Headers.Contains("X-RateLimit-Limit"));
        }
        var state = await v2.Sandbox.StateAsync();
        Assert.Equal(requestsBefore, TestSandbox.Counter(state, "requests"));
        Assert.Equal(20, TestSandbox.Counter(state, "photoRequests"));
        Assert.DoesNotContain(await v2.Sandbox.JournalAsync(), e => ((string)e!["path"]!).StartsWith("/photos", StringComparison.Ordinal));

        // A client that sends its key along is seen: that is what a module test asserts never happens.
        await v2.Http.GetAsync(url);
        var journal = await v2.PhotoJournalAsync();
        Assert.Equal(21, journal.Count);
        NonEmpty.All(journal.Take(20), e => Assert.Equal("absent", (string?)e!["authorization"]));
        Assert.Equal("present", (string?)journal[20]!["authorization"]);
        Assert.StartsWith("/photos/", (string?)journal[0]!["path"]);
        Assert.DoesNotContain(TestSandbox.Key, journal.ToJsonString());
    }

    [Fact(Timeout = Limits.Test)]
    public async Task The_photo_base_url_option_points_links_at_another_host()
    {
        await using var v2 = await V2.StartAsync(new SandboxOptions { PhotoBaseUrl = "https://cdn.example.net/hs" });
        var photo = await FirstPhotoAsync(v2, "ann@corp.example", "main");
        Assert.StartsWith("https://cdn.example.net/hs/", (string)photo["urls"]!["main"]!);
        Assert.Equal(new SandboxOptions { PhotoBaseUrl = "https://cdn.example.net/hs/", PhotoLinkSeconds = 60, LifecycleSeconds = 5 },
            SandboxOptions.Parse(new[] { "--photo-base-url", "https://cdn.example.net/hs", "--photo-link-seconds=60", "--lifecycle-seconds", "5" }));
        Assert.Throws<ArgumentException>(() => SandboxOptions.Parse(new[] { "--photo-base-url", "ftp://x" }));
        Assert.Throws<ArgumentException>(() => SandboxOptions.Parse(new[] { "--photo-bytes", "-1" }));
        Assert.Throws<ArgumentException>(() => SandboxOptions.Parse(new[] { "--lifecycle-seconds", "soon" }));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Photo_faults_cut_fail_drop_and_slow_downloads_and_are_journaled()
    {
        await using var v2 = await V2.StartAsync(new SandboxOptions { PhotoBytes = 200_000 });
        var url = (string)(await FirstPhotoAsync(v2, "ann@corp.example", "main"))["urls"]!["main"]!;
        await v2.Sandbox.SettingsAsync(new
        {
            photoFaults = new[] { PhotoFaultKind.CutMidFile, PhotoFaultKind.Http500, PhotoFaultKind.Http503, PhotoFaultKind.DropBefore, PhotoFaultKind.Html200, PhotoFaultKind.Slow },
        });
        using var fresh = new HttpClient(new SocketsHttpHandler()) { DefaultRequestHeaders = { ConnectionClose = true } };

        using (var response = await fresh.GetAsync(url, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(200_000, response.Content.Headers.ContentLength);
            await using var stream = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[200_000];
            var received = 0;
            var e = await Record.ExceptionAsync(async () =>
            {
                int read;
                while ((read = await stream.ReadAsync(buffer.AsMemory(received))) > 0) received += read;
            });
            Assert.IsAssignableFrom<IOException>(e);
            Assert.Equal(100_000, received);
        }
        Assert.Equal(HttpStatusCode.InternalServerError, (await fresh.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await fresh.GetAsync(url)).StatusCode);
        await Assert.ThrowsAsync<HttpRequestException>(() => fresh.GetAsync(url));
        var portal = await fresh.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, portal.StatusCode);
        Assert.Equal("text/html", portal.Content.Headers.ContentType!.MediaType);
        var slow = await fresh.GetByteArrayAsync(url); // 200 KB in 16 KB pieces, 50 ms apart: whole and valid, only slow
        Assert.Equal(200_000, slow.Length);
        AssertJpeg(slow);
        Assert.Equal(200_000, (await fresh.GetByteArrayAsync(url)).Length);

        var journal = await v2.PhotoJournalAsync();
        Assert.Equal(new string?[] { "cut-mid-file", "http-500", "http-503", "drop-before", "html-200", "slow", null }, journal.Select(e => (string?)e!["fault"]));
        Assert.Equal(new[] { 200, 500, 503, 0, 200, 200, 200 }, journal.Select(e => (int)e!["status"]!));
        var faults = (await v2.Sandbox.StateAsync())["counters"]!["photoFaults"]!;
        Assert.Equal(1, (long)faults[PhotoFaultKind.CutMidFile]!);
        Assert.Equal(0, (long)(await v2.Sandbox.StateAsync())["counters"]!["faults"]![FaultKind.Http500]!); // the API's faults are apart

        var refused = await v2.Sandbox.Control.PostAsync("settings", TestSandbox.JsonBody(new { photoFaults = new[] { "truncated-200" } }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Photo_latency_and_a_seeded_photo_fault_rate_apply_to_the_photo_host_only()
    {
        await using var v2 = await V2.StartAsync(new SandboxOptions { PhotoBytes = 0, FaultSeed = 3 });
        var url = (string)(await FirstPhotoAsync(v2, "ann@corp.example", "main"))["urls"]!["main"]!;
        await v2.Sandbox.SettingsAsync(new { photoLatencyMs = 150 });
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.OK, (await v2.Photos.GetAsync(url)).StatusCode);
        Assert.True(watch.ElapsedMilliseconds >= 140, $"photo after {watch.ElapsedMilliseconds} ms");
        Assert.Equal(0, (int)(await v2.Sandbox.StateAsync())["settings"]!["latencyMs"]!); // the API's latency is its own switch

        await v2.Sandbox.SettingsAsync(new { photoLatencyMs = 0, photoFaultRate = 0.5 });
        using var fresh = new HttpClient(new SocketsHttpHandler()) { DefaultRequestHeaders = { ConnectionClose = true } };
        for (var i = 0; i < 40; i++)
        {
            try
            {
                using var response = await fresh.GetAsync(url);
                await response.Content.ReadAsByteArrayAsync();
            }
            catch (HttpRequestException)
            {
            }
        }
        var faults = (await v2.PhotoJournalAsync()).Skip(1).Select(e => (string?)e!["fault"]).ToList();
        Assert.Contains(null, faults);
        NonEmpty.All(faults.OfType<string>(), f => Assert.Contains(f, PhotoFaultKind.Transient));
        Assert.InRange(faults.Count(f => f is not null), 8, 32);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Reset_brings_back_the_start_teams_and_forgets_people_models_and_the_photo_journal()
    {
        await using var v2 = await V2.StartAsync(new SandboxOptions { PhotoBytes = 0 });
        await v2.SendAsync(HttpMethod.Post, "organization/teams", new { name = "Sales" });
        var url = (string)(await FirstPhotoAsync(v2, "ann@corp.example", "main"))["urls"]!["main"]!;
        await v2.Photos.GetAsync(url);
        await v2.Sandbox.SettingsAsync(new { lifecycleSeconds = 30, photoLinkSeconds = 5 });
        Assert.Equal(HttpStatusCode.OK, (await v2.Sandbox.Control.PostAsync("reset", null)).StatusCode);

        Assert.Equal(2, (await v2.GetAsync("organization/teams"))["teams"]!.AsArray().Count);
        Assert.Empty((await v2.GetAsync("organization/models"))["models"]!.AsArray());
        Assert.Empty((await v2.GetAsync("organization/team"))["members"]!.AsArray());
        Assert.Empty(await v2.PhotoJournalAsync());
        var settings = (await v2.Sandbox.StateAsync())["settings"]!;
        Assert.Equal((0, 86400), ((int)settings["lifecycleSeconds"]!, (int)settings["photoLinkSeconds"]!));
        Assert.Equal(HttpStatusCode.NotFound, (await v2.Photos.GetAsync(url)).StatusCode);
    }
}

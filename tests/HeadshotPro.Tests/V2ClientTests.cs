using HeadshotPro.Client;
using HeadshotPro.Client.Transport;
using HeadshotPro.Sandbox;
using Newtonsoft.Json.Linq;

namespace HeadshotPro.Tests;

/// <summary>The v2 resource clients over real HTTP against the sandbox, through the one transport v1 uses.</summary>
public class V2ClientTests
{
    private static HeadshotProClient ClientFor(TestSandbox sandbox, Uri? baseUri = null) => new(new ClientSettings(baseUri ?? sandbox.ApiBaseUri, TestSandbox.Key));

    [Theory(Timeout = Limits.Test)]
    [InlineData("https://server.headshotpro.com/api/v1/", "https://server.headshotpro.com/api/v1/", "https://server.headshotpro.com/api/v2/")]
    [InlineData("https://server.headshotpro.com/api/v1", "https://server.headshotpro.com/api/v1/", "https://server.headshotpro.com/api/v2/")]
    [InlineData("https://server.headshotpro.com/api/", "https://server.headshotpro.com/api/v1/", "https://server.headshotpro.com/api/v2/")]
    [InlineData("http://127.0.0.1:5080/api", "http://127.0.0.1:5080/api/v1/", "http://127.0.0.1:5080/api/v2/")]
    [InlineData("https://gateway.corp.example/headshotpro/v1/", "https://gateway.corp.example/headshotpro/v1/", "https://gateway.corp.example/headshotpro/v2/")]
    public Task The_v2_base_is_derived_from_the_v1_base_or_the_API_root(string given, string v1, string v2) => Task.Run(() =>
    {
        var settings = new ClientSettings(new Uri(given), "hsp_unit");
        Assert.Equal(v1, settings.BaseUri.AbsoluteUri);
        Assert.Equal(v2, settings.V2BaseUri.AbsoluteUri);
    });

    [Fact(Timeout = Limits.Test)]
    public Task The_envelope_is_read_from_data_when_there_is_one_and_from_the_top_level_otherwise() => Task.Run(() =>
    {
        var wrapped = JObject.Parse("""{"success":true,"data":{"teams":[{"id":"t1","name":"A"}]}}""");
        var flat = JObject.Parse("""{"success":true,"teams":[{"id":"t1","name":"A"}]}""");
        Assert.Equal("t1", (string?)Envelope.Unwrap(wrapped)["teams"]![0]!["id"]);
        Assert.Equal("t1", (string?)Envelope.Unwrap(flat)["teams"]![0]!["id"]);
        var notAnObject = JObject.Parse("""{"success":true,"data":[1,2],"teams":[]}""");
        Assert.Same(notAnObject, Envelope.Unwrap(notAnObject));
    });

    [Fact(Timeout = Limits.Test)]
    public Task A_page_without_pagination_is_the_whole_list_and_an_empty_page_ends_it_whatever_hasMore_says() => Task.Run(() =>
    {
        var whole = Paging.Read(JObject.Parse("""{"members":[{"email":"a@x.example"}]}"""), "members", j => (string?)j["email"], 0);
        Assert.False(whole.HasMore);
        var stuck = Paging.Read(JObject.Parse("""{"members":[],"pagination":{"total":9,"limit":50,"offset":50,"hasMore":true}}"""), "members", j => (string?)j["email"], 50);
        Assert.False(stuck.HasMore);
        var more = Paging.Read(JObject.Parse("""{"members":[{"email":"a@x.example"}],"pagination":{"total":9,"limit":1,"offset":3,"hasMore":true}}"""), "members", j => (string?)j["email"], 3);
        Assert.True(more.HasMore);
        Assert.Equal((3, 9), (more.Offset, more.Total!.Value));
    });

    [Fact(Timeout = Limits.Test)]
    public async Task Members_are_read_lazily_one_page_per_ask_with_limit_offset_and_hasMore()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.PeopleAsync(V2Seed.Addresses("m", 7), "accepted");
        using var client = ClientFor(sandbox);
        var reader = client.Members.Reader(null, null, pageSize: 3);
        Assert.Equal(0, await sandbox.V2RequestsAsync("GET", "team"));

        var first = await reader.NextAsync(default);
        Assert.Equal(3, first!.Count);
        Assert.Equal(7, reader.Total);
        Assert.Equal(1, await sandbox.V2RequestsAsync("GET", "team"));

        var rest = await reader.RestAsync(default);
        Assert.Equal(4, rest.Count);
        Assert.Null(await reader.NextAsync(default));
        Assert.Equal(3, await sandbox.V2RequestsAsync("GET", "team"));
        Assert.Equal(V2Seed.Addresses("m", 7).Order(), first.Concat(rest).Select(m => m.Email).Order());
        NonEmpty.All(first.Concat(rest), m => Assert.Equal(("accepted", false), (m.Status, string.IsNullOrEmpty(m.Id))));

        var skipped = await client.Members.Reader("accepted", null, offset: 5, most: 10).RestAsync(default);
        Assert.Equal(2, skipped.Count);
        var capped = client.Members.Reader(null, null, most: 2);
        Assert.Equal(2, (await capped.RestAsync(default)).Count);
        Assert.Equal(1, capped.PagesRead);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Models_by_id_and_by_list_linked_from_the_v2_invites_and_unknown_ids_and_teams_are_NotFound_about_them()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.PeopleAsync(new[] { "ann@corp.example" }, "completed", "team_marketing");
        await sandbox.PeopleAsync(new[] { "bob@corp.example" }, "generating");
        using var client = ClientFor(sandbox);

        var active = await client.Models.Reader("active", null, null).RestAsync(default);
        var ann = Assert.Single(active);
        Assert.Equal(("ann@corp.example", "team_marketing", "Marketing"), (ann.Email, ann.TeamId, ann.TeamName));
        Assert.NotNull(ann.FinishedAt);
        Assert.Equal(ann.Id, (await client.Models.GetAsync(ann.Id, default)).Id);
        Assert.Single(await client.Models.Reader(null, "team_marketing", null).RestAsync(default));

        var invites = await client.Invites.ListV2Async(default);
        Assert.Equal(ann.Id, invites.Single(i => i.Email == "ann@corp.example").ModelId);
        Assert.Equal(("completed", "Marketing", (string?)null), (invites[0].Status, invites[0].TeamName, invites[0].Id));
        var team = await Assert.ThrowsAsync<HeadshotProApiException>(() => client.Models.Reader(null, "team_nope", null).RestAsync(default));
        Assert.Equal((ApiErrorKind.NotFound, "Team"), (team.Kind, team.Resource));

        var e = await Assert.ThrowsAsync<HeadshotProApiException>(() => client.Models.GetAsync("no_such_model", default));
        Assert.Equal((ApiErrorKind.NotFound, "Model", 404), (e.Kind, e.Resource, e.StatusCode));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Photos_favorites_and_a_fresh_link_for_a_photo()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.PeopleAsync(new[] { "ann@corp.example" }, "completed", "team_marketing", favorite: true, photos: 5);
        await sandbox.PeopleAsync(new[] { "bob@corp.example" }, "completed", photos: 3);
        using var client = ClientFor(sandbox);
        var annModel = await sandbox.ModelIdAsync("ann@corp.example");
        var bobModel = await sandbox.ModelIdAsync("bob@corp.example");

        var photos = await client.Photos.Reader(annModel, null, allVariants: true, null, pageSize: 2).RestAsync(default);
        Assert.Equal(5, photos.Count);
        NonEmpty.All(photos, p => Assert.Equal((annModel, "main"), (p.ModelId, p.Variant)));
        NonEmpty.All(photos, p => Assert.True(p.Urls.ContainsKey("thumbnail") && p.Urls.ContainsKey("original") && p.ExpiresAt > DateTime.UtcNow));
        Assert.Single(await client.Photos.Reader(annModel, "loved", false, null).RestAsync(default));

        var favorite = await client.Photos.GetFavoriteAsync(annModel, false, default);
        Assert.True(favorite!.IsFavorite);
        Assert.Equal("loved", favorite.LikedStatus);
        Assert.Null(await client.Photos.GetFavoriteAsync(bobModel, false, default));

        var orgFavorites = await client.Photos.FavoritesReader("team_marketing", false, null).RestAsync(default);
        Assert.Equal(("ann@corp.example", favorite.PhotoId), (Assert.Single(orgFavorites).Email, orgFavorites[0].PhotoId));
        Assert.Empty(await client.Photos.FavoritesReader("team_engineering", false, null).RestAsync(default));

        var thumbnail = photos[3].WithVariant("thumbnail");
        var fresh = await client.Photos.RefreshAsync(thumbnail, default);
        Assert.Equal((thumbnail.PhotoId, "thumbnail"), (fresh.PhotoId, fresh.Variant));
        Assert.Equal(fresh.Urls["thumbnail"], fresh.Url);
        var gone = await Assert.ThrowsAsync<HeadshotProApiException>(() => client.Photos.RefreshAsync(new Photo { ModelId = annModel, PhotoId = "gone", Urls = thumbnail.Urls }, default));
        Assert.Equal((ApiErrorKind.NotFound, "Photo"), (gone.Kind, gone.Resource));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Teams_are_created_renamed_given_members_and_deleted_and_each_change_answers_the_organization()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.PeopleAsync(new[] { "ann@corp.example", "bob@corp.example" }, "accepted");
        using var client = ClientFor(sandbox);

        var created = await client.Organization.CreateTeamAsync("Sales", default);
        var sales = Assert.Single(created.Teams, t => t.Name == "Sales");
        Assert.Contains(await client.Organization.ListTeamsAsync(default), t => t.Id == sales.Id);
        var taken = await Assert.ThrowsAsync<HeadshotProApiException>(() => client.Organization.CreateTeamAsync("Sales", default));
        Assert.Equal((ApiErrorKind.InvalidRequest, 400, "INVALID_REQUEST"), (taken.Kind, taken.StatusCode, taken.Code));

        var renamed = await client.Organization.RenameTeamAsync(sales.Id, "Field Sales", default);
        Assert.Contains(renamed.Teams, t => t.Id == sales.Id && t.Name == "Field Sales");

        Assert.NotNull(await client.Organization.AssignMembersAsync(sales.Id, new[] { "ann@corp.example", "bob@corp.example" }, default));
        NonEmpty.All(await client.Members.Reader(null, null).RestAsync(default), m => Assert.Equal(sales.Id, m.TeamId));
        var stranger = await Assert.ThrowsAsync<HeadshotProApiException>(() => client.Organization.AssignMembersAsync(sales.Id, new[] { "nobody@corp.example" }, default));
        Assert.Equal(ApiErrorKind.NotFound, stranger.Kind);

        var deleted = await client.Organization.DeleteTeamAsync(sales.Id, default);
        Assert.DoesNotContain(deleted.Teams, t => t.Id == sales.Id);
        var again = await Assert.ThrowsAsync<HeadshotProApiException>(() => client.Organization.DeleteTeamAsync(sales.Id, default));
        Assert.Equal((ApiErrorKind.NotFound, "Team"), (again.Kind, again.Resource));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task An_API_root_works_as_the_base_for_both_versions()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var client = ClientFor(sandbox, new Uri(sandbox.ApiBaseUri, ".."));
        Assert.Equal(100, await client.GetCreditsAsync(default));
        Assert.Equal(2, (await client.Organization.ListTeamsAsync(default)).Count);
        var paths = (await sandbox.JournalAsync()).Select(e => (string?)e!["path"]).ToList();
        Assert.Equal(new[] { "/api/v1/organization/credits", "/api/v2/organization/teams" }, paths);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task V2_requests_are_retried_through_faults_like_v1_and_verbose_lines_name_the_version()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.PeopleAsync(new[] { "ann@corp.example" }, "accepted");
        await sandbox.SettingsAsync(new { nextFaults = new[] { "http-502", "html-503", "drop-before" } });
        using var client = ClientFor(sandbox);
        var lines = new List<string>();
        var options = new RequestOptions { Observer = new Recorder(lines) };
        var members = await client.Members.Reader(null, options).RestAsync(default);
        Assert.Equal("ann@corp.example", Assert.Single(members).Email);
        Assert.Equal(4, await sandbox.V2RequestsAsync("GET", "team"));
        NonEmpty.All(lines, l => Assert.StartsWith("GET v2/organization/team?limit=50&offset=0", l));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_team_create_whose_answer_was_lost_is_settled_by_reading_the_teams()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.SettingsAsync(new { nextFaults = new[] { "drop-after" } });
        using var client = ClientFor(sandbox);
        var organization = await client.Organization.CreateTeamAsync("Support", default);
        Assert.Single(organization.Teams, t => t.Name == "Support");
        Assert.Equal(2, await sandbox.V2RequestsAsync("POST", "teams"));
        Assert.Single(sandbox.Server.State.Teams(), t => t.Name == "Support");
    }

    [Fact(Timeout = Limits.Test)]
    public async Task V1_and_v2_spend_one_rate_limit_budget_and_the_pacer_waits_instead_of_collecting_429s()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { RateLimit = 4, RateWindowSeconds = 2 });
        using var client = ClientFor(sandbox);
        for (var i = 0; i < 5; i++)
        {
            await client.GetCreditsAsync(default);
            await client.Organization.ListTeamsAsync(default);
        }
        var state = await sandbox.StateAsync();
        Assert.Equal(0, TestSandbox.Counter(state, "rateLimited"));
        Assert.Equal(10, (await sandbox.JournalAsync()).Count(e => (int)e!["status"]! == 200));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_rejected_key_stops_v2_requests_as_it_stops_v1()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var client = new HeadshotProClient(new ClientSettings(sandbox.ApiBaseUri, "hsp_wrong_key"));
        var e = await Assert.ThrowsAsync<HeadshotProApiException>(() => client.GetCreditsAsync(default));
        Assert.Equal(ApiErrorKind.Unauthorized, e.Kind);
        var v2 = await Assert.ThrowsAsync<HeadshotProApiException>(() => client.Organization.ListTeamsAsync(default));
        Assert.Equal(ApiErrorKind.Unauthorized, v2.Kind);
        Assert.Single(await sandbox.JournalAsync());
    }

    private sealed class Recorder(List<string> lines) : IRequestObserver
    {
        public void AttemptEnded(string method, string path, string? label, int? status, int attempt, TimeSpan elapsed, string? failure)
        {
            lock (lines) lines.Add($"{method} {path} -> {status}");
        }

        public void Waiting(string reason, TimeSpan delay) { }
    }
}

using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>The sandbox's deletion, one-photo, download-links, invite-ageing and existing-user behaviour (issue 19), over real HTTP.</summary>
public partial class SandboxV2Tests
{
    private static DateTime Utc(JsonNode? node) => DateTime.Parse((string)node!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);

    [Fact(Timeout = Limits.Test)]
    public async Task Deleting_a_model_deletes_its_photos_once_and_says_so_by_webhook()
    {
        await using var receiver = new WebhookReceiver();
        await using var v2 = await V2.StartAsync(new SandboxOptions { PhotoBytes = 0, WebhookUrl = receiver.Url.ToString() });
        await v2.InviteAsync("ann@corp.example", "team_marketing");
        var model = await v2.CompleteAsync("ann@corp.example", photos: 3);
        await v2.InviteAsync("bob@corp.example");
        await v2.CompleteAsync("bob@corp.example", photos: 2);
        var photo = (await v2.GetAsync($"organization/models/{model}/photos"))["photos"]![0]!;
        var link = (string)photo["urls"]!["main"]!;
        Assert.Equal(HttpStatusCode.OK, (await v2.Photos.GetAsync(link)).StatusCode);

        var (status, body, _) = await v2.SendAsync(HttpMethod.Delete, $"organization/models/{model}");
        Assert.True(status == 200, body?.ToJsonString());
        Assert.Equal((true, model), ((bool)body!["success"]!, (string?)body["modelId"]));
        Assert.False(string.IsNullOrEmpty((string?)body["message"]));

        // The model reads deleted, its photos are gone (from the list, the one-photo read and the photo host), the person
        // is no longer a member and their invite reads deleted; bob is untouched.
        Assert.Equal("deleted", (string?)(await v2.GetAsync($"organization/models/{model}"))["model"]!["status"]);
        Assert.Empty((await v2.GetAsync($"organization/models/{model}/photos"))["photos"]!.AsArray());
        AssertError(404, "NOT_FOUND", await v2.SendAsync(HttpMethod.Get, $"organization/models/{model}/photos/{photo["id"]}"));
        Assert.Equal(HttpStatusCode.NotFound, (await v2.Photos.GetAsync(link)).StatusCode);
        Assert.Equal(new[] { "bob@corp.example" }, (await v2.GetAsync("organization/team"))["members"]!.AsArray().Select(m => (string?)m!["email"]));
        Assert.Equal("deleted", (string?)(await v2.GetAsync("organization/invites/ann%40corp.example"))["invite"]!["status"]);
        Assert.Equal(2, (await v2.GetAsync($"organization/models/{await v2.Sandbox.ModelIdAsync("bob@corp.example")}/photos"))["photos"]!.AsArray().Count);

        // A second delete is 400 ALREADY_DELETED; an unknown model 404.
        AssertError(400, "ALREADY_DELETED", await v2.SendAsync(HttpMethod.Delete, $"organization/models/{model}"));
        AssertError(404, "NOT_FOUND", await v2.SendAsync(HttpMethod.Delete, "organization/models/no_such_model"));

        // One model.deleted webhook, with deletedAt, and no address.
        var deleted = await WaitForDeliveryAsync(v2, "model.deleted");
        Assert.Equal(model, (string?)deleted["modelId"]);
        var sent = JsonNode.Parse((string)deleted["body"]!)!;
        Assert.Equal("deleted", (string?)sent["object"]!["status"]);
        Assert.NotNull((string?)sent["object"]!["deletedAt"]);
        Assert.DoesNotContain("ann@corp.example", (string)deleted["body"]!);
        Assert.Single(JsonNode.Parse(await v2.Sandbox.Control.GetStringAsync("webhooks"))!["deliveries"]!.AsArray(), d => (string?)d!["event"] == "model.deleted");
    }

    private static async Task<JsonNode> WaitForDeliveryAsync(V2 v2, string eventName)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            var found = JsonNode.Parse(await v2.Sandbox.Control.GetStringAsync("webhooks"))!["deliveries"]!.AsArray()
                .FirstOrDefault(d => (string?)d!["event"] == eventName);
            if (found is not null || DateTime.UtcNow > deadline) return found ?? throw new TimeoutException("no " + eventName + " delivery");
            await Task.Delay(20);
        }
    }

    [Fact(Timeout = Limits.Test)]
    public async Task One_photo_and_download_links_answer_the_contract_shapes()
    {
        await using var v2 = await V2.StartAsync(new SandboxOptions { PhotoBytes = 0 });
        await v2.InviteAsync("ann@corp.example");
        var model = await v2.CompleteAsync("ann@corp.example", photos: 4);
        var photos = (await v2.GetAsync($"organization/models/{model}/photos"))["photos"]!.AsArray();
        var ids = photos.Select(p => (string)p!["id"]!).ToList();

        // One photo: the list item's shape, main only unless include=all.
        var one = (await v2.GetAsync($"organization/models/{model}/photos/{ids[2]}"))["photo"]!;
        Assert.Equal(new[] { "id", "status", "likedStatus", "createdAt", "urls", "expiresAt" }, Keys(one));
        Assert.Equal(ids[2], (string?)one["id"]);
        Assert.Equal(new[] { "main" }, Keys(one["urls"]!));
        var all = (await v2.GetAsync($"organization/models/{model}/photos/{ids[2]}?include=all"))["photo"]!;
        Assert.Equal(new[] { "main", "thumbnail", "original" }, Keys(all["urls"]!));
        Assert.Equal(HttpStatusCode.OK, (await v2.Photos.GetAsync((string)all["urls"]!["thumbnail"]!)).StatusCode);
        AssertError(404, "NOT_FOUND", await v2.SendAsync(HttpMethod.Get, $"organization/models/{model}/photos/no_such_photo"));
        AssertError(404, "NOT_FOUND", await v2.SendAsync(HttpMethod.Get, $"organization/models/no_such_model/photos/{ids[0]}"));
        AssertError(400, "INVALID_REQUEST", await v2.SendAsync(HttpMethod.Get, $"organization/models/{model}/photos/{ids[0]}?include=some"));

        // Download links: every active photo without ids, those asked for with them; links that work on the photo host.
        var (status, body, _) = await v2.SendAsync(HttpMethod.Post, $"organization/models/{model}/photos/download", new { });
        Assert.True(status == 200, body?.ToJsonString());
        var downloads = body!["downloads"]!.AsArray();
        Assert.Equal(ids.Order(), downloads.Select(d => (string)d!["photoId"]!).Order());
        NonEmpty.All(downloads, d => Assert.Equal(new[] { "main" }, Keys(d!["urls"]!)));
        Assert.True(Utc(body["expiresAt"]) > DateTime.UtcNow.AddHours(23));
        (status, body, _) = await v2.SendAsync(HttpMethod.Post, $"organization/models/{model}/photos/download", new { photoIds = new[] { ids[3], ids[1] }, include = "all" });
        Assert.True(status == 200, body?.ToJsonString());
        Assert.Equal(new[] { ids[3], ids[1] }, body!["downloads"]!.AsArray().Select(d => (string)d!["photoId"]!));
        var original = (string)body["downloads"]![0]!["urls"]!["original"]!;
        Assert.Equal(HttpStatusCode.OK, (await v2.Photos.GetAsync(original)).StatusCode);
        AssertError(404, "NOT_FOUND", await v2.SendAsync(HttpMethod.Post, $"organization/models/{model}/photos/download", new { photoIds = new[] { ids[0], "no_such_photo" } }));
        AssertError(404, "NOT_FOUND", await v2.SendAsync(HttpMethod.Post, "organization/models/no_such_model/photos/download", new { }));
        AssertError(400, "INVALID_REQUEST", await v2.SendAsync(HttpMethod.Post, $"organization/models/{model}/photos/download", new { photoIds = ids[0] }));
        AssertError(400, "INVALID_REQUEST", await v2.SendAsync(HttpMethod.Post, $"organization/models/{model}/photos/download", new { include = "some" }));
        AssertError(405, "METHOD_NOT_ALLOWED", await v2.SendAsync(HttpMethod.Get, $"organization/models/{model}/photos/download"));

        // A limit on the links one answer gives: the first N without ids, 400 for more ids than that.
        await v2.Sandbox.SettingsAsync(new { downloadLinksLimit = 2 });
        (status, body, _) = await v2.SendAsync(HttpMethod.Post, $"organization/models/{model}/photos/download", new { });
        Assert.Equal((200, 2), (status, body!["downloads"]!.AsArray().Count));
        AssertError(400, "INVALID_REQUEST", await v2.SendAsync(HttpMethod.Post, $"organization/models/{model}/photos/download", new { photoIds = ids.Take(3).ToArray() }));
        await v2.Sandbox.SettingsAsync(new { downloadLinksLimit = (int?)null });
        Assert.Equal(4, (await v2.SendAsync(HttpMethod.Post, $"organization/models/{model}/photos/download", new { })).Body!["downloads"]!.AsArray().Count);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Invites_age_by_the_control_and_an_expired_one_cannot_be_used_until_it_is_sent_again()
    {
        await using var receiver = new WebhookReceiver();
        await using var v2 = await V2.StartAsync(new SandboxOptions { WebhookUrl = receiver.Url.ToString() });
        await v2.InviteAsync("ann@corp.example");
        await v2.InviteAsync("bob@corp.example");
        var credits = (decimal)(await v2.GetAsync("organization/credits"))["credits"]!;
        var sentAt = Utc((await v2.GetAsync("organization/invites/ann%40corp.example"))["invite"]!["createdAt"]);

        // The control makes ann's invite 31 days old: her createdAt moves back, in both lists; bob's stays.
        var (status, body, _) = await v2.Sandbox.SendAsync(HttpMethod.Post, "invites/age", new { days = 31, email = "ann@corp.example" }, v2.Sandbox.Control);
        Assert.True(status == 200, body?.ToJsonString());
        var aged = Utc((await v2.GetAsync("organization/invites/ann%40corp.example"))["invite"]!["createdAt"]);
        Assert.Equal(TimeSpan.FromDays(31), sentAt - aged);
        var v1 = (await v2.Sandbox.SendAsync(HttpMethod.Get, "organization/invites")).Body!["invites"]!.AsArray();
        Assert.Equal(aged, Utc(v1.Single(i => (string?)i!["email"] == "ann@corp.example")!["createdAt"]));
        Assert.True(Utc(v1.Single(i => (string?)i!["email"] == "bob@corp.example")!["createdAt"]) > DateTime.UtcNow.AddMinutes(-5));
        // By default the invites say nothing of their expiry, as the contract's shapes.
        NonEmpty.All(v1, i => Assert.Null(i!["expiresAt"]));

        // Expired: ann cannot sign up (the control refuses, the timed lifecycle passes her by); her invite still blocks a
        // second one and keeps its credit; bob moves.
        var (refused, refusal) = await v2.AdvanceAsync("ann@corp.example", new { to = "accepted" });
        Assert.True(refused == 409, refusal?.ToJsonString());
        Assert.Contains("expired", (string)refusal!["error"]!);
        await v2.Sandbox.SettingsAsync(new { lifecycleSeconds = 86_400 });
        v2.Sandbox.Server.State.LifecycleStep(DateTime.UtcNow.AddDays(2));
        Assert.Equal(("pending", "accepted"), (
            (string?)(await v2.GetAsync("organization/invites/ann%40corp.example"))["invite"]!["status"],
            (string?)(await v2.GetAsync("organization/invites/bob%40corp.example"))["invite"]!["status"]));
        AssertError(400, "ALREADY_EXISTS", await v2.SendAsync(HttpMethod.Post, "organization/invites", new { email = "ann@corp.example" }));
        Assert.Equal(credits, (decimal)(await v2.GetAsync("organization/credits"))["credits"]!);

        // Revoked and invited again: a fresh link, which can be used.
        Assert.Equal(200, (await v2.SendAsync(HttpMethod.Post, "organization/invites/revoke", new { email = "ann@corp.example" })).Status);
        await v2.InviteAsync("ann@corp.example");
        Assert.True(Utc((await v2.GetAsync("organization/invites/ann%40corp.example"))["invite"]!["createdAt"]) > DateTime.UtcNow.AddMinutes(-5));
        Assert.Equal(200, (await v2.AdvanceAsync("ann@corp.example", new { to = "accepted" })).Status);

        // An API that says when links expire: inviteLinkDays and inviteExpiresAtField put expiresAt on every invite, and
        // the webhook's inviteExpiresAt follows the same days.
        await v2.Sandbox.SettingsAsync(new { inviteLinkDays = 7, inviteExpiresAtField = true });
        var ann = (await v2.GetAsync("organization/invites/ann%40corp.example"))["invite"]!;
        Assert.Equal(Utc(ann["createdAt"]).AddDays(7), Utc(ann["expiresAt"]));
        NonEmpty.All((await v2.GetAsync("organization/invites"))["invites"]!.AsArray(), i => Assert.Equal(Utc(i!["createdAt"]).AddDays(7), Utc(i["expiresAt"])));
        NonEmpty.All((await v2.Sandbox.SendAsync(HttpMethod.Get, "organization/invites")).Body!["invites"]!.AsArray(),
            i => Assert.Equal(Utc(i!["createdAt"]).AddDays(7), Utc(i["expiresAt"])));
        var created = JsonNode.Parse((string)(await WaitForDeliveryAsync(v2, "model.created"))["body"]!)!;
        Assert.NotNull(created["object"]!["inviteExpiresAt"]);
        var (_, hook, _) = await v2.Sandbox.SendAsync(HttpMethod.Post, "webhooks/send", new { @event = "model.status.updated", email = "ann@corp.example" }, v2.Sandbox.Control);
        var hookBody = JsonNode.Parse((string)hook!["delivery"]!["body"]!)!;
        Assert.Equal(Utc(ann["createdAt"]).AddDays(7), Utc(hookBody["object"]!["inviteExpiresAt"]));

        // Bad bodies and unknown people.
        foreach (var bad in new object[] { new { }, new { days = 0 }, new { days = -1 }, new { days = 4000 }, new { days = "31" } })
            Assert.Equal(400, (await v2.Sandbox.SendAsync(HttpMethod.Post, "invites/age", bad, v2.Sandbox.Control)).Status);
        Assert.Equal(404, (await v2.Sandbox.SendAsync(HttpMethod.Post, "invites/age", new { days = 1, email = "nobody@corp.example" }, v2.Sandbox.Control)).Status);
        // Without an address every invite ages.
        Assert.Equal(200, (await v2.Sandbox.SendAsync(HttpMethod.Post, "invites/age", new { days = 1.5 }, v2.Sandbox.Control)).Status);
        Assert.Equal(400, (await v2.Sandbox.SendAsync(HttpMethod.Post, "settings", new { inviteLinkDays = 0 }, v2.Sandbox.Control)).Status);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Addresses_that_already_belong_to_a_user_are_refused_with_USER_EXISTS()
    {
        await using var v2 = await V2.StartAsync();
        await v2.InviteAsync("ann@corp.example");
        await v2.Sandbox.SettingsAsync(new { existingUsers = new[] { "Taken@Corp.example", "ann@corp.example" } });
        var credits = (decimal)(await v2.GetAsync("organization/credits"))["credits"]!;

        var v1 = await v2.Sandbox.InviteAsync("taken@corp.example");
        SandboxApiTests.AssertError(400, "USER_EXISTS", v1.Status, v1.Body);
        Assert.Equal("A user with this email already exists.", (string?)v1.Body!["error"]);
        AssertError(400, "USER_EXISTS", await v2.SendAsync(HttpMethod.Post, "organization/invites", new { email = "TAKEN@corp.example" }));
        // An invite of the organization is found first; other addresses are invited as before.
        AssertError(400, "ALREADY_EXISTS", await v2.SendAsync(HttpMethod.Post, "organization/invites", new { email = "ann@corp.example" }));
        await v2.InviteAsync("bob@corp.example");
        Assert.Equal(credits - 1, (decimal)(await v2.GetAsync("organization/credits"))["credits"]!);

        await v2.Sandbox.SettingsAsync(new { existingUsers = Array.Empty<string>() });
        await v2.InviteAsync("taken@corp.example");
        Assert.Equal(400, (await v2.Sandbox.SendAsync(HttpMethod.Post, "settings", new { existingUsers = "taken@corp.example" }, v2.Sandbox.Control)).Status);
    }
}

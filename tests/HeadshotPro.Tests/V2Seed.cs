using System.Text.Json.Nodes;

namespace HeadshotPro.Tests;

/// <summary>People at a stage of the v2 lifecycle, made through the sandbox's API and its advance control.</summary>
public static class V2Seed
{
    /// <summary>Moves an invited person along (<c>POST /sandbox/people/{email}/advance</c>).</summary>
    public static async Task AdvanceAsync(this TestSandbox sandbox, string email, string to, bool? favorite = null, int? photos = null, int? favoritePhoto = null)
    {
        var body = new JsonObject { ["to"] = to };
        if (favorite is not null) body["favorite"] = favorite;
        if (photos is not null) body["photos"] = photos;
        if (favoritePhoto is not null) body["favoritePhoto"] = favoritePhoto;
        var response = await sandbox.Control.PostAsync("people/" + Uri.EscapeDataString(email) + "/advance", TestSandbox.JsonBody(body));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Invites <paramref name="emails"/> (into <paramref name="teamId"/>) and moves each to <paramref name="to"/>.</summary>
    public static async Task PeopleAsync(this TestSandbox sandbox, IEnumerable<string> emails, string to, string? teamId = null, bool? favorite = null, int? photos = null)
    {
        foreach (var email in emails)
        {
            Assert.Equal(200, (await sandbox.InviteAsync(email, teamId)).Status);
            await sandbox.AdvanceAsync(email, to, favorite, photos);
        }
    }

    public static IEnumerable<string> Addresses(string prefix, int count) =>
        Enumerable.Range(1, count).Select(i => $"{prefix}{i:000}@corp.example");

    /// <summary>How many requests of <paramref name="method"/> reached <c>/api/v2/organization/{path}</c> (queries are not journaled).</summary>
    public static async Task<int> V2RequestsAsync(this TestSandbox sandbox, string method, string path) =>
        (await sandbox.JournalAsync()).Count(e => (string?)e!["method"] == method && (string?)e["path"] == "/api/v2/organization/" + path);

    /// <summary>The id of the model of <paramref name="email"/>, from the sandbox's API.</summary>
    public static async Task<string> ModelIdAsync(this TestSandbox sandbox, string email)
    {
        var (status, body, _) = await sandbox.SendAsync(HttpMethod.Get, "../v2/organization/models?limit=200");
        Assert.Equal(200, status);
        return (string)body!["models"]!.AsArray().Single(m => string.Equals((string?)m!["email"], email, StringComparison.OrdinalIgnoreCase))!["id"]!;
    }
}

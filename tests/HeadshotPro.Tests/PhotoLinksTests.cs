using System.Management.Automation;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>One photo by id, and fresh links for many photos of one person in one call (issue 19), against the sandbox.</summary>
public sealed class PhotoLinksTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hsp-links-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private static async Task<(TestSandbox Sandbox, PowerShellHost Host, string Ann, string Bob)> PeopleAsync()
    {
        var sandbox = await TestSandbox.StartAsync(new SandboxOptions { PhotoBytes = 0 });
        await sandbox.PeopleAsync(new[] { "ann@corp.example" }, "completed", "team_marketing", favorite: true, photos: 4);
        await sandbox.PeopleAsync(new[] { "bob@corp.example" }, "completed", favorite: true, photos: 2);
        var host = new PowerShellHost();
        host.Connect(sandbox);
        return (sandbox, host, await sandbox.ModelIdAsync("ann@corp.example"), await sandbox.ModelIdAsync("bob@corp.example"));
    }

    /// <summary>Requests to a model's photo routes: the list, one photo (any id), the download links.</summary>
    private static async Task<(int List, int One, int Download)> PhotoRequestsAsync(TestSandbox sandbox, string model)
    {
        var prefix = "/api/v2/organization/models/" + model + "/photos";
        var journal = (await sandbox.JournalAsync()).Select(e => ((string)e!["method"]!, (string)e["path"]!)).ToList();
        return (journal.Count(e => e == ("GET", prefix)),
            journal.Count(e => e.Item1 == "GET" && e.Item2.StartsWith(prefix + "/", StringComparison.Ordinal) && e.Item2 != prefix + "/favorite"),
            journal.Count(e => e == ("POST", prefix + "/download")));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task One_photo_by_id_in_the_variant_asked_for_and_an_unknown_id_is_PhotoNotFound()
    {
        var (sandbox, host, ann, _) = await PeopleAsync();
        await using var _ = sandbox;
        using var __ = host;
        var ids = Out<Photo>(host.Run($"Get-HeadshotPhoto -ModelId {ann}")).Select(p => p.PhotoId).ToList();
        var before = await PhotoRequestsAsync(sandbox, ann);

        var result = host.Run($"Get-HeadshotPhoto {ann} -PhotoId {ids[2]}, no_such_photo, {ids[1]} -Variant thumbnail");
        var photos = Out<Photo>(result).ToList();
        Assert.Equal(new[] { ids[1], ids[2] }.Order(), photos.Select(p => p.PhotoId).Order());
        NonEmpty.All(photos, p => Assert.Equal(("ann@corp.example", ann, "thumbnail", "Marketing"), (p.Email, p.ModelId, p.Variant, p.TeamName)));
        NonEmpty.All(photos, p => Assert.Equal(p.Urls["thumbnail"], p.Url));
        var error = Assert.Single(result.Errors);
        Assert.Equal(("PhotoNotFound", "no_such_photo", ErrorCategory.ObjectNotFound), (error.FullyQualifiedErrorId.Split(',')[0], error.TargetObject, error.CategoryInfo.Category));
        // One request per photo, no list read.
        var after = await PhotoRequestsAsync(sandbox, ann);
        Assert.Equal((before.List, before.One + 3), (after.List, after.One));

        // A photo id belongs to one model: several -ModelId with -PhotoId is refused before anything is sent.
        result = host.Run($"Get-HeadshotPhoto -ModelId {ann}, other -PhotoId {ids[0]}");
        Assert.Equal("PhotoIdWithSeveralModels", result.Terminating?.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(after, await PhotoRequestsAsync(sandbox, ann));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Expired_links_of_several_photos_of_one_person_are_refreshed_in_one_call()
    {
        var (sandbox, host, ann, bob) = await PeopleAsync();
        await using var _ = sandbox;
        using var __ = host;
        await sandbox.SettingsAsync(new { photoLinkSeconds = 0 });
        host.Run("$photos = 'ann@corp.example', 'bob@corp.example' | Get-HeadshotPhoto -Variant thumbnail");
        await sandbox.SettingsAsync(new { photoLinkSeconds = 600 });
        var (annBefore, bobBefore) = (await PhotoRequestsAsync(sandbox, ann), await PhotoRequestsAsync(sandbox, bob));

        var result = host.Run("$photos | Save-HeadshotPhoto -Path $folder -FileName '{PhotoId}.jpg'", ("folder", _folder));
        Assert.Empty(result.Errors);
        var saved = Out<SavedPhoto>(result).ToList();
        Assert.Equal(6, saved.Count);
        NonEmpty.All(saved, s => Assert.Equal("thumbnail", s.Variant));
        NonEmpty.All(saved, s => Assert.Equal((128, 160), (Decoded.File(s.Path).Width, Decoded.File(s.Path).Height)));
        // Each person's links came in one call, and nothing was read photo by photo.
        Assert.Equal((annBefore.List, annBefore.One, annBefore.Download + 1), await PhotoRequestsAsync(sandbox, ann));
        Assert.Equal((bobBefore.List, bobBefore.One, bobBefore.Download + 1), await PhotoRequestsAsync(sandbox, bob));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Links_the_download_endpoint_does_not_give_are_read_one_by_one_and_a_deleted_persons_photos_are_PhotoNotFound()
    {
        var (sandbox, host, ann, bob) = await PeopleAsync();
        await using var _ = sandbox;
        using var __ = host;
        await sandbox.SettingsAsync(new { photoLinkSeconds = 0, downloadLinksLimit = 2 });
        host.Run("$ann = Get-HeadshotPhoto -Email ann@corp.example; $bob = Get-HeadshotPhoto -Email bob@corp.example");
        await sandbox.SettingsAsync(new { photoLinkSeconds = 600 });
        var before = await PhotoRequestsAsync(sandbox, ann);

        // The answer holds two links; the other two photos are read one by one.
        var result = host.Run("$ann | Save-HeadshotPhoto -Path $folder -FileName '{PhotoId}.jpg'", ("folder", _folder));
        Assert.Empty(result.Errors);
        Assert.Equal(4, Out<SavedPhoto>(result).Count());
        Assert.Equal((before.List, before.One + 2, before.Download + 1), await PhotoRequestsAsync(sandbox, ann));

        // bob's model is deleted after his photos were listed: no fresh link can be had, as the photos are gone.
        Assert.Equal(200, (await sandbox.SendAsync(HttpMethod.Delete, "../v2/organization/models/" + bob)).Status);
        result = host.Run("$bob | Save-HeadshotPhoto -Path $folder -FileName '{PhotoId}.jpg'", ("folder", _folder));
        Assert.Equal(new[] { "PhotoNotFound", "PhotoNotFound" }, result.ErrorIds);
        Assert.Empty(result.Output);
        Assert.Equal(4, Directory.GetFiles(_folder).Length);
    }
}

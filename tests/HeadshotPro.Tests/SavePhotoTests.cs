using System.Management.Automation;
using System.Text.Json.Nodes;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>Save-HeadshotPhoto in a hosted runspace against the v2 sandbox and its photo host, over real HTTP.</summary>
public sealed class SavePhotoTests : IDisposable
{
    private readonly string _base = Path.Combine(Path.GetTempPath(), "hsp-save-" + Guid.NewGuid().ToString("N"));

    public SavePhotoTests() => Directory.CreateDirectory(_base);

    public void Dispose()
    {
        try { Directory.Delete(_base, recursive: true); } catch (IOException) { }
    }

    private string Folder => Path.Combine(_base, "photos");

    private static async Task<(TestSandbox Sandbox, PowerShellHost Host)> ConnectedAsync(SandboxOptions? options = null)
    {
        var sandbox = await TestSandbox.StartAsync(options ?? new SandboxOptions { PhotoBytes = 50_000 });
        var host = new PowerShellHost();
        host.Connect(sandbox);
        return (sandbox, host);
    }

    private static async Task<JsonArray> PhotoJournalAsync(TestSandbox sandbox) =>
        JsonNode.Parse(await sandbox.Control.GetStringAsync("photo-journal"))!["journal"]!.AsArray();

    /// <summary>Every file in the folder, hidden ones (temporary files) included.</summary>
    private static string[] FilesIn(string folder) =>
        Directory.Exists(folder) ? Directory.GetFiles(folder, "*", new EnumerationOptions { AttributesToSkip = 0, RecurseSubdirectories = true }) : Array.Empty<string>();

    /// <summary>A file's size: the photo host's bytes and the stamp saying which photo it is.</summary>
    private static long Size(long photoBytes, string photoId, string variant = "main") => photoBytes + new HeadshotPro.Client.PhotoStamp(photoId, variant).Segment().Length;

    /// <summary>A whole baseline JPEG of the photo host's size plus its stamp (a COM segment right after SOI): SOI first, EOI last.</summary>
    private static void AssertCompleteJpeg(string path, long photoBytes)
    {
        var bytes = File.ReadAllBytes(path);
        var stamp = HeadshotPro.Client.PhotoStamp.ReadFile(path);
        Assert.True(stamp != null, path + " has no stamp");
        Assert.Equal(Size(photoBytes, stamp!.PhotoId, stamp.Variant), bytes.LongLength);
        Assert.True(bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF && bytes[3] == 0xFE, path + " does not start with a JPEG SOI and the stamp");
        Assert.True(bytes[^2] == 0xFF && bytes[^1] == 0xD9, path + " does not end with a JPEG EOI");
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Photos_that_went_through_Export_Clixml_and_Import_Clixml_are_saved_as_the_photos_they_were()
    {
        var (sandbox, host) = await ConnectedAsync();
        await using var _ = sandbox;
        using var __ = host;
        await sandbox.PeopleAsync(new[] { "ann@corp.example", "bob@corp.example" }, "completed", favorite: true, photos: 2);
        var file = Path.Combine(_base, "photos.xml");

        // As a child runbook gets them: written by one session, read by another. Links made expired are known to be.
        await sandbox.SettingsAsync(new { photoLinkSeconds = 0 });
        var sent = host.Run("$photos = Get-HeadshotPhoto -Email ann@corp.example, bob@corp.example -Variant thumbnail; $photos | Export-Clixml $file; $photos", ("file", file));
        Assert.Null(sent.Terminating);
        Assert.Empty(sent.Errors);
        await sandbox.SettingsAsync(new { photoLinkSeconds = 600 });
        var photos = sent.Output.Select(o => (Photo)o.BaseObject).ToList();
        Assert.Equal(4, photos.Count);

        var result = host.Run("""
            $photos = Import-Clixml $file
            if ($photos[0].pstypenames[0] -ne 'Deserialized.HeadshotPro.Photo') { throw 'not deserialized' }
            $photos | Save-HeadshotPhoto -Path $folder -FileName '{Email}-{PhotoId}.jpg'
            """, ("file", file), ("folder", Folder));
        Assert.Empty(result.Errors);
        var saved = Out<SavedPhoto>(result).ToList();
        Assert.Equal(photos.Select(p => (p.Email, p.ModelId, p.PhotoId, p.Variant, p.IsFavorite)).Order(),
            saved.Select(s => ((string?)s.Email, s.ModelId, s.PhotoId, s.Variant, s.IsFavorite)).Order());
        NonEmpty.All(saved, s => Assert.Equal(Path.Combine(Folder, $"{s.Email}-{s.PhotoId}.jpg"), s.Path));
        // The expiry was read: fresh links were asked of the API first, so the photo host refused none.
        Assert.DoesNotContain(await PhotoJournalAsync(sandbox), e => (int)e!["status"]! == 403);

        // One that names no photo does not bind, as any object that is not a photo: one error, and the others are saved.
        result = host.Run("""
            $photos = Import-Clixml $file
            $photos[0].PhotoId = ' '
            $photos | Save-HeadshotPhoto -Path $folder -FileName '{PhotoId}.jpg'
            """, ("file", file), ("folder", Folder));
        Assert.Equal("InputObjectNotBound", Assert.Single(result.ErrorIds));
        Assert.Equal(3, Out<SavedPhoto>(result).Count());
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Favorites_are_saved_as_files_named_after_people_FileInfo_shaped_and_the_key_never_reaches_the_photo_host()
    {
        var (sandbox, host) = await ConnectedAsync();
        await using var _ = sandbox;
        using var __ = host;
        await sandbox.PeopleAsync(new[] { "ann.lee@corp.example", "bob@corp.example" }, "completed", favorite: true, photos: 3);

        // A relative -Path is relative to PowerShell's location, and a missing folder is made.
        var result = host.Run("Set-Location $base; Get-HeadshotPhoto -Email ann.lee@corp.example, bob@corp.example -Favorite | Save-HeadshotPhoto -Path ./photos",
            ("base", _base));
        Assert.Empty(result.Errors);
        var saved = Out<SavedPhoto>(result).OrderBy(s => s.Email).ToList();
        Assert.Equal(new[] { "ann.lee@corp.example", "bob@corp.example" }, saved.Select(s => s.Email));
        foreach (var photo in saved)
        {
            Assert.Equal(Path.Combine(Folder, photo.Email + ".jpg"), photo.Path);
            var size = Size(50_000, photo.PhotoId);
            Assert.Equal((photo.Path, photo.Email + ".jpg", size, size, false), (photo.FullName, photo.Name, photo.Length, photo.Bytes, photo.Skipped));
            Assert.True(photo.PhotoId.Length > 0 && photo.ModelId.Length > 0 && photo.IsFavorite);
            Assert.Equal(photo.Path, photo.ToString());
            AssertCompleteJpeg(photo.Path, 50_000);
        }
        Assert.Equal(2, FilesIn(Folder).Length);

        // The pipeline of the README works as written: each object binds by Email and Path.
        result = host.Run("Get-ChildItem $folder | Remove-Item; Get-HeadshotPhoto | Save-HeadshotPhoto -Path $folder | ForEach-Object { '{0} {1}' -f $_.Email, [IO.File]::ReadAllBytes($_.Path).Length }",
            ("folder", Folder));
        Assert.Empty(result.Errors);
        Assert.Equal(saved.Select(p => $"{p.Email} {Size(50_000, p.PhotoId)}"), result.Output.Select(o => o.ToString()).Order());

        var journal = await PhotoJournalAsync(sandbox);
        Assert.Equal(4, journal.Count);
        NonEmpty.All(journal, e => Assert.Equal(("absent", 200), ((string?)e!["authorization"], (int)e["status"]!)));
        Assert.DoesNotContain(TestSandbox.Key, host.Run("Get-HeadshotPhoto | Save-HeadshotPhoto -Path $folder -Force -Verbose", ("folder", Folder)).AllText());
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_file_that_holds_this_photo_is_skipped_and_says_so_a_changed_favorite_replaces_it_and_Force_saves_again()
    {
        var (sandbox, host) = await ConnectedAsync();
        await using var _ = sandbox;
        using var __ = host;
        await sandbox.PeopleAsync(new[] { "ann@corp.example" }, "completed", favorite: true, photos: 3);
        const string Save = "Get-HeadshotPhoto -Email ann@corp.example -Favorite | Save-HeadshotPhoto -Path $folder -Verbose";
        var first = Assert.Single(Out<SavedPhoto>(host.Run(Save, ("folder", Folder))));
        Assert.False(first.Skipped);
        Assert.Equal(new HeadshotPro.Client.PhotoStamp(first.PhotoId, "main"), HeadshotPro.Client.PhotoStamp.ReadFile(first.Path));

        // The same favorite again: skipped, and the output says which photo the file holds.
        var result = host.Run(Save, ("folder", Folder));
        Assert.Empty(result.Errors);
        var skipped = Assert.Single(Out<SavedPhoto>(result));
        Assert.Equal((true, first.PhotoId, Size(50_000, first.PhotoId), "ann@corp.example"), (skipped.Skipped, skipped.PhotoId, skipped.Length, skipped.Email));
        Assert.Contains(result.Verbose, v => v.Contains($"holds this photo ({first.PhotoId} (main)) already; skipped"));
        Assert.Single(await PhotoJournalAsync(sandbox));

        // Another favorite chosen: the file is replaced by it, not skipped.
        var photos = host.Run("Get-HeadshotPhoto -Email ann@corp.example").Output.Select(o => ((Photo)o.BaseObject).PhotoId).ToList();
        var other = photos.IndexOf(photos.First(id => id != first.PhotoId)) + 1;
        await sandbox.AdvanceAsync("ann@corp.example", "completed", favoritePhoto: other);
        result = host.Run(Save, ("folder", Folder));
        Assert.Empty(result.Errors);
        var changed = Assert.Single(Out<SavedPhoto>(result));
        Assert.Equal((false, photos[other - 1]), (changed.Skipped, changed.PhotoId));
        Assert.Equal(photos[other - 1], HeadshotPro.Client.PhotoStamp.ReadFile(changed.Path)!.PhotoId);
        Assert.Equal(2, (await PhotoJournalAsync(sandbox)).Count);

        // The thumbnail of the same photo is another file's content: saved under the same name, it replaces the main one.
        result = host.Run("Get-HeadshotPhoto -Email ann@corp.example -Favorite -Variant thumbnail | Save-HeadshotPhoto -Path $folder", ("folder", Folder));
        Assert.False(Assert.Single(Out<SavedPhoto>(result)).Skipped);
        Assert.Equal("thumbnail", HeadshotPro.Client.PhotoStamp.ReadFile(changed.Path)!.Variant);

        // A file that no stamp names (saved by something else) is replaced; -Force saves the same photo again.
        File.WriteAllText(changed.Path, "an older photo");
        result = host.Run(Save, ("folder", Folder));
        Assert.False(Assert.Single(Out<SavedPhoto>(result)).Skipped);
        AssertCompleteJpeg(changed.Path, 50_000);
        result = host.Run("Get-HeadshotPhoto -Email ann@corp.example -Favorite | Save-HeadshotPhoto -Path $folder -Force", ("folder", Folder));
        Assert.Empty(result.Errors);
        Assert.False(Assert.Single(Out<SavedPhoto>(result)).Skipped);
        Assert.Equal(5, (await PhotoJournalAsync(sandbox)).Count);
        Assert.Single(FilesIn(Folder));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_link_that_expired_before_the_download_is_refreshed_from_the_API_once()
    {
        var (sandbox, host) = await ConnectedAsync();
        await using var _ = sandbox;
        using var __ = host;
        await sandbox.PeopleAsync(new[] { "ann@corp.example", "bob@corp.example" }, "completed", favorite: true, photos: 2);

        // Links that are already past their ExpiresAt when listed: refreshed before any download, no 403.
        await sandbox.SettingsAsync(new { photoLinkSeconds = 0 });
        host.Run("$photos = Get-HeadshotPhoto");
        await sandbox.SettingsAsync(new { photoLinkSeconds = 600 });
        var annModel = await sandbox.ModelIdAsync("ann@corp.example");
        var favoriteReads = await sandbox.V2RequestsAsync("GET", "models/" + annModel + "/photos/favorite");
        var result = host.Run("$photos | Save-HeadshotPhoto -Path $folder", ("folder", Folder));
        Assert.Empty(result.Errors);
        Assert.Equal(2, Out<SavedPhoto>(result).Count());
        Assert.Equal((favoriteReads, 1), (await sandbox.V2RequestsAsync("GET", "models/" + annModel + "/photos/favorite"), await sandbox.V2RequestsAsync("POST", "models/" + annModel + "/photos/download")));
        NonEmpty.All(await PhotoJournalAsync(sandbox), e => Assert.Equal(200, (int)e!["status"]!));

        // Links good by this computer's clock that expire on the photo host's between listing and downloading (its clock
        // runs an hour ahead now, past the links' ten minutes): a 403, one refresh, and the download.
        host.Run("$photos = Get-HeadshotPhoto");
        await sandbox.SettingsAsync(new { clockSkewSeconds = 3600 });
        result = host.Run("$photos | Save-HeadshotPhoto -Path $folder -Force", ("folder", Folder));
        Assert.Empty(result.Errors);
        NonEmpty.All(Out<SavedPhoto>(result), s => AssertCompleteJpeg(s.Path, 50_000));
        var statuses = (await PhotoJournalAsync(sandbox)).Skip(2).Select(e => (int)e!["status"]!).ToList();
        Assert.Equal(new[] { 200, 200, 403, 403 }, statuses.Order());

        // A refresh that gives expired links again: PhotoLinkExpired, and no file.
        await sandbox.SettingsAsync(new { clockSkewSeconds = 0, photoLinkSeconds = 0 });
        host.Run("$photos = Get-HeadshotPhoto -Email ann@corp.example -Favorite");
        result = host.Run("$photos | Save-HeadshotPhoto -Path $other", ("other", Path.Combine(_base, "other")));
        var error = Assert.Single(result.Errors);
        Assert.Equal("PhotoLinkExpired", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
        Assert.IsType<Photo>(error.TargetObject);
        Assert.Empty(FilesIn(Path.Combine(_base, "other")));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_download_cut_mid_file_leaves_nothing_and_is_retried_into_a_fresh_file()
    {
        var (sandbox, host) = await ConnectedAsync(new SandboxOptions { PhotoBytes = 300_000 });
        await using var _ = sandbox;
        using var __ = host;
        await sandbox.PeopleAsync(new[] { "ann@corp.example" }, "completed", favorite: true, photos: 1);

        await sandbox.SettingsAsync(new { photoFaults = Enumerable.Repeat("cut-mid-file", 4).ToArray() });
        var result = host.Run("Get-HeadshotPhoto -Email ann@corp.example -Favorite | Save-HeadshotPhoto -Path $folder", ("folder", Folder));
        var error = Assert.Single(result.Errors);
        Assert.Equal(("PhotoDownloadFailed", ErrorCategory.ConnectionError), (error.FullyQualifiedErrorId.Split(',')[0], error.CategoryInfo.Category));
        Assert.Contains("4 of 4", error.ErrorDetails.Message);
        Assert.Empty(result.Output);
        Assert.Empty(FilesIn(Folder));
        Assert.Equal(4, (await PhotoJournalAsync(sandbox)).Count);

        await sandbox.SettingsAsync(new { photoFaults = new[] { "cut-mid-file", "http-503", "drop-before" } });
        result = host.Run("Get-HeadshotPhoto -Email ann@corp.example -Favorite | Save-HeadshotPhoto -Path $folder -Verbose", ("folder", Folder));
        Assert.Empty(result.Errors);
        var saved = Assert.Single(Out<SavedPhoto>(result));
        AssertCompleteJpeg(saved.Path, 300_000);
        Assert.Equal(new[] { saved.Path }, FilesIn(Folder));
        Assert.Equal(3, result.Verbose.Count(v => v.StartsWith("Waiting") && v.Contains("photo download")));
        Assert.DoesNotContain(result.Verbose, v => v.Contains("sig="));
    }

    [Fact(Timeout = Limits.Bulk)]
    public async Task Three_hundred_downloads_at_20_percent_photo_faults_lose_nothing()
    {
        var (sandbox, host) = await ConnectedAsync(new SandboxOptions { PhotoBytes = 60_000, RateLimit = 0, Credits = 500 });
        await using var _ = sandbox;
        using var __ = host;
        await sandbox.PeopleAsync(V2Seed.Addresses("p", 30), "completed", photos: 10);
        await sandbox.SettingsAsync(new { photoFaultRate = 0.2, faultSeed = 7 });

        var result = host.Run("Get-HeadshotModel | Get-HeadshotPhoto | Save-HeadshotPhoto -Path $folder -FileName '{Email}-{PhotoId}.jpg' -ThrottleLimit 8",
            ("folder", Folder));
        var saved = Out<SavedPhoto>(result).ToList();
        Assert.Equal(300, saved.Count + result.Errors.Count);
        foreach (var id in result.ErrorIds) Assert.Equal("PhotoDownloadFailed", id); // none, when every fault was retried away
        Assert.True(saved.Count >= 290, $"{saved.Count} saved");
        Assert.Equal(saved.Select(s => s.Path).Order(), FilesIn(Folder).Order());
        NonEmpty.All(saved, s => AssertCompleteJpeg(s.Path, 60_000));
        var faults = (await sandbox.StateAsync())["counters"]!["photoFaults"]!.AsObject();
        Assert.True(faults.Sum(f => (long)f.Value!) >= 30, faults.ToJsonString());
        NonEmpty.All(await PhotoJournalAsync(sandbox), e => Assert.Equal("absent", (string?)e!["authorization"]));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Unsafe_names_from_a_template_or_from_odd_server_values_never_leave_the_folder()
    {
        var (sandbox, host) = await ConnectedAsync();
        await using var _ = sandbox;
        using var __ = host;
        await sandbox.PeopleAsync(new[] { "ann@corp.example" }, "completed", favorite: true, photos: 3);
        host.Run("$photo = Get-HeadshotPhoto -Email ann@corp.example -Favorite");

        foreach (var template in new[] { "../{Email}.jpg", "{Email}/{PhotoId}.jpg", "/tmp/{Email}.jpg", "..\\{Email}.jpg", "{Email}:x.jpg" })
        {
            var stopped = host.Run("$photo | Save-HeadshotPhoto -Path $folder -FileName $template", ("folder", Folder), ("template", template));
            Assert.Equal("UnsafeFileName", stopped.Terminating?.FullyQualifiedErrorId.Split(',')[0]);
        }
        var invalid = host.Run("$photo | Save-HeadshotPhoto -Path $folder -FileName '{Name}.jpg'", ("folder", Folder));
        Assert.Equal("InvalidFileNameTemplate", invalid.Terminating?.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("{Email}, {PhotoId}, {ModelId}, {Variant}", invalid.Terminating!.ErrorDetails.Message);

        // The server's values are input too: each odd one is an error for that photo only.
        var odd = new[] { "../../evil", "..", "a/b", "a\\b", "C:evil", "con", "x\u0001y", ".hidden", "trailing.", "" };
        var result = host.Run("""
            $odd | ForEach-Object {
                $copy = $photo.WithVariant('main'); $copy.Email = $_; $copy
            } | Save-HeadshotPhoto -Path $folder
            $photo | Save-HeadshotPhoto -Path $folder -FileName '{PhotoId}.jpg'
            """, ("folder", Folder), ("odd", odd));
        Assert.Equal(odd.Length, result.Errors.Count);
        NonEmpty.All(result.Errors, e => Assert.Equal(("UnsafeFileName", ErrorCategory.InvalidArgument), (e.FullyQualifiedErrorId.Split(',')[0], e.CategoryInfo.Category)));
        NonEmpty.All(result.Errors, e => Assert.IsType<Photo>(e.TargetObject));
        Assert.Contains(result.Errors, e => e.ErrorDetails.Message.Contains("path separator"));
        Assert.Contains(result.Errors, e => e.ErrorDetails.Message.Contains("has no Email"));
        var saved = Assert.Single(Out<SavedPhoto>(result));
        Assert.Equal(new[] { saved.Path }, FilesIn(_base));
        Assert.Single(await PhotoJournalAsync(sandbox));

        // Two photos of one person under one name: the second is an error, not an overwrite.
        result = host.Run("Get-HeadshotPhoto -Email ann@corp.example | Save-HeadshotPhoto -Path $other", ("other", Path.Combine(_base, "other")));
        Assert.Single(Out<SavedPhoto>(result));
        Assert.Equal(new[] { "DuplicateFileName", "DuplicateFileName" }, result.ErrorIds);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task WhatIf_writes_nothing_and_downloads_nothing()
    {
        var (sandbox, host) = await ConnectedAsync();
        await using var _ = sandbox;
        using var __ = host;
        await sandbox.PeopleAsync(new[] { "ann@corp.example", "bob@corp.example" }, "completed", favorite: true, photos: 2);

        var result = host.Run("Get-HeadshotPhoto | Save-HeadshotPhoto -Path $folder -WhatIf", ("folder", Folder));
        Assert.Empty(result.Errors);
        Assert.Null(result.Terminating);
        Assert.Empty(result.Output);
        Assert.False(Directory.Exists(Folder));
        Assert.Empty(await PhotoJournalAsync(sandbox));

        result = host.Run("function Save-Wrapped { [CmdletBinding(SupportsShouldProcess)] param() Get-HeadshotPhoto | Save-HeadshotPhoto -Path $folder }; Save-Wrapped -WhatIf",
            ("folder", Folder));
        Assert.Empty(result.Output);
        Assert.False(Directory.Exists(Folder));
        Assert.Empty(await PhotoJournalAsync(sandbox));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Ctrl_C_leaves_no_temporary_or_partial_files()
    {
        var (sandbox, host) = await ConnectedAsync(new SandboxOptions { PhotoBytes = 1_000_000 });
        await using var _ = sandbox;
        using var __ = host;
        await sandbox.PeopleAsync(V2Seed.Addresses("s", 6), "completed", favorite: true, photos: 1);
        await sandbox.SettingsAsync(new { photoFaults = Enumerable.Repeat("slow", 6).ToArray() });

        var (shell, pending) = host.Begin($"Get-HeadshotPhoto | Save-HeadshotPhoto -Path '{Folder}' -ThrottleLimit 3");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!FilesIn(Folder).Any(f => f.EndsWith(".part")) && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Contains(FilesIn(Folder), f => f.EndsWith(".part"));
        var stopping = DateTime.UtcNow;
        await Task.Factory.FromAsync(shell.BeginStop(null, null), shell.EndStop);
        Assert.True(DateTime.UtcNow - stopping < TimeSpan.FromSeconds(5));
        Assert.True(pending.IsCompleted);
        shell.Dispose();

        Assert.DoesNotContain(FilesIn(Folder), f => f.EndsWith(".part"));
        foreach (var f in FilesIn(Folder)) AssertCompleteJpeg(f, 1_000_000); // what finished before the stop, if anything
    }
}

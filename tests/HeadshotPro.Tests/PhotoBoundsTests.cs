using System.Diagnostics;
using System.Management.Automation;
using System.Text.Json.Nodes;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>
/// Whatever the photo host (or a proxy in front of it) sends, a download is bounded: a body past the size cap
/// (-MaximumDownloadSize, sized for photos) or past the per-attempt deadline (-TimeoutSec of the connection) ends that photo with
/// its own error and leaves no file, and the run goes on.
/// </summary>
public sealed class PhotoBoundsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hsp-bounds-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    /// <summary>Every file in the folder, hidden ones (temporary files) included.</summary>
    private string[] Files() =>
        Directory.Exists(_folder) ? Directory.GetFiles(_folder, "*", new EnumerationOptions { AttributesToSkip = 0 }) : Array.Empty<string>();

    private long Bytes() => Files().Sum(f => { try { return new FileInfo(f).Length; } catch (IOException) { return 0; } });

    /// <summary>Ann and Bob, each with a favorite of <paramref name="photoBytes"/> bytes; the next photo answers get <paramref name="faults"/>.</summary>
    private static async Task<(TestSandbox Sandbox, PowerShellHost Host)> PeopleAsync(int photoBytes, string connect = "", params string[] faults)
    {
        var sandbox = await TestSandbox.StartAsync(new SandboxOptions { PhotoBytes = photoBytes });
        await sandbox.PeopleAsync(new[] { "ann@corp.example", "bob@corp.example" }, "completed", favorite: true, photos: 1);
        await sandbox.SettingsAsync(new { photoFaults = faults });
        var host = new PowerShellHost();
        host.Connect(sandbox, connect);
        return (sandbox, host);
    }

    private const string SaveBoth = "Get-HeadshotPhoto -Email ann@corp.example, bob@corp.example -Favorite -ThrottleLimit 1 | Save-HeadshotPhoto -Path $folder -ThrottleLimit 1";

    private static async Task<int> PhotoRequestsAsync(TestSandbox sandbox) =>
        JsonNode.Parse(await sandbox.Control.GetStringAsync("photo-journal"))!["journal"]!.AsArray().Count;

    private void AssertOnlyBobSaved(PowerShellHost.Result result, string errorId)
    {
        var error = Assert.Single(result.Errors);
        Assert.Equal(errorId, error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal("ann@corp.example", ((Photo)error.TargetObject).Email);
        Assert.Equal("bob@corp.example", ((SavedPhoto)Assert.Single(result.Output).BaseObject).Email);
        Assert.Equal(new[] { Path.Combine(_folder, "bob@corp.example.jpg") }, Files());
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_body_that_never_ends_stops_at_the_size_cap_with_PhotoTooLarge_and_leaves_no_file()
    {
        var (sandbox, host) = await PeopleAsync(50_000, "", PhotoFaultKind.EndlessBody);
        await using var _ = sandbox;
        using var __ = host;
        var (shell, pending) = host.Begin(SaveBoth.Replace("$folder", $"'{_folder}'"));
        using var ___ = shell;
        // A guard, not a target: a downloader without a cap would fill the disk (4 GB in 8 s was seen); stop it at 200 MB.
        var watch = Stopwatch.StartNew();
        while (!pending.IsCompleted && Bytes() < 200L * 1024 * 1024 && watch.Elapsed < TimeSpan.FromSeconds(45))
            await Task.WhenAny(Task.Factory.FromAsync(pending, _ => { }), Task.Delay(100));
        if (!pending.IsCompleted)
        {
            var bytes = Bytes();
            shell.Stop();
            Assert.Fail($"the endless body was still being saved after {watch.Elapsed.TotalSeconds:0} s ({bytes / (1024 * 1024)} MB on disk)");
        }
        var result = PowerShellHost.Ended(shell, shell.EndInvoke(pending));
        AssertOnlyBobSaved(result, "PhotoTooLarge");
        Assert.Contains("-MaximumDownloadSize", result.Errors[0].ErrorDetails.Message + result.Errors[0].ErrorDetails.RecommendedAction);
        Assert.Equal(2, await PhotoRequestsAsync(sandbox)); // not retried: the same link sends the same body
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_body_whose_length_passes_the_cap_is_refused_before_it_is_read()
    {
        var (sandbox, host) = await PeopleAsync(50_000, "", PhotoFaultKind.OversizedBody);
        await using var _ = sandbox;
        using var __ = host;
        var watch = Stopwatch.StartNew();
        var result = host.Run(SaveBoth, ("folder", _folder));
        AssertOnlyBobSaved(result, "PhotoTooLarge");
        Assert.Contains("300 MB", result.Errors[0].ErrorDetails.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
    }

    [Fact(Timeout = Limits.Test)]
    public async Task MaximumDownloadSize_sets_the_cap_for_a_run()
    {
        var (sandbox, host) = await PeopleAsync(300_000);
        await using var _ = sandbox;
        using var __ = host;
        var result = host.Run(SaveBoth + " -MaximumDownloadSize 200KB", ("folder", _folder));
        Assert.Empty(result.Output);
        Assert.Equal(new[] { "PhotoTooLarge", "PhotoTooLarge" }, result.ErrorIds);
        Assert.Equal(ErrorCategory.LimitsExceeded, result.Errors[0].CategoryInfo.Category);
        Assert.Empty(Files());

        result = host.Run(SaveBoth + " -MaximumDownloadSize 300000", ("folder", _folder));
        Assert.Empty(result.Errors);
        Assert.Equal(2, result.Output.Count);
        Assert.StartsWith("ParameterArgumentValidationError", host.Run(SaveBoth + " -MaximumDownloadSize 0", ("folder", _folder)).Terminating?.FullyQualifiedErrorId);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_body_still_arriving_at_the_per_attempt_deadline_ends_with_PhotoDownloadTimedOut_and_leaves_no_file()
    {
        // The slow fault sends 16 KB every 50 ms: a 3 MB photo takes about 9 s, past -TimeoutSec 6, and never stalls; a
        // photo without the fault comes in time once the sandbox has made it (making one is what a loaded machine slows
        // most, so both are fetched once first, with no limit but the test's).
        var (sandbox, host) = await PeopleAsync(3_000_000, "-TimeoutSec 6");
        await using var _ = sandbox;
        using var __ = host;
        using (var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(Limits.Test) })
            foreach (var url in host.Run("(Get-HeadshotPhoto -Email ann@corp.example, bob@corp.example -Favorite).Url").Output)
                Assert.NotEmpty(await http.GetByteArrayAsync(url.ToString()));
        var before = await PhotoRequestsAsync(sandbox);
        await sandbox.SettingsAsync(new { photoFaults = new[] { PhotoFaultKind.Slow } });
        var result = host.Run(SaveBoth, ("folder", _folder));
        AssertOnlyBobSaved(result, "PhotoDownloadTimedOut");
        Assert.Equal(ErrorCategory.OperationTimeout, result.Errors[0].CategoryInfo.Category);
        Assert.Contains("-TimeoutSec", result.Errors[0].ErrorDetails.RecommendedAction);
        Assert.Equal(2, await PhotoRequestsAsync(sandbox) - before); // not retried: the next attempt would be as slow
    }
}

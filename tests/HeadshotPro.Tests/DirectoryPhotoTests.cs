using System.Management.Automation;
using System.Text.Json.Nodes;
using BitMiracle.LibJpeg.Classic;
using HeadshotPro.Client;
using HeadshotPro.Client.Imaging;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>
/// Save-HeadshotPhoto's directory forms (-For, -PixelSize, -MaxBytes) against the sandbox's real 1 MB photos, each output
/// decoded by a second JPEG library; and the photo as input: a body that is not a JPEG, a corrupt one, and a header that
/// claims too many pixels.
/// </summary>
public sealed class DirectoryPhotoTests : IDisposable
{
    private readonly string _base = Path.Combine(Path.GetTempPath(), "hsp-forms-" + Guid.NewGuid().ToString("N"));

    public DirectoryPhotoTests() => Directory.CreateDirectory(_base);

    public void Dispose()
    {
        try { Directory.Delete(_base, recursive: true); } catch (IOException) { }
    }

    private string Folder(string name) => Path.Combine(_base, name);

    private static List<SavedPhoto> Saved(PowerShellHost.Result result) => result.Output.Select(o => o.BaseObject).OfType<SavedPhoto>().ToList();

    /// <summary>Every file in the folder, hidden ones (temporary files) included.</summary>
    private static string[] FilesIn(string folder) =>
        Directory.Exists(folder) ? Directory.GetFiles(folder, "*", new EnumerationOptions { AttributesToSkip = 0 }) : Array.Empty<string>();

    private static void AssertForm(SavedPhoto saved, int side, long maxBytes)
    {
        var decoded = Decoded.File(saved.Path);
        Assert.Equal((side, side), (decoded.Width, decoded.Height));
        Assert.Equal((side, side), (saved.Width, saved.Height));
        Assert.Equal(new FileInfo(saved.Path).Length, saved.Bytes);
        Assert.True(saved.Bytes <= maxBytes, $"{saved.Path} is {saved.Bytes} bytes, over {maxBytes}");
        Assert.InRange(saved.Quality!.Value, 20, 90);
        Assert.False(saved.Skipped);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Each_directory_form_of_a_1_MB_photo_is_a_square_JPEG_of_its_size_within_its_cap_cropped_from_the_centre()
    {
        var (sandbox, host) = await ConnectedAsync();
        await using var _ = sandbox;
        using var __ = host;
        await sandbox.PeopleAsync(new[] { "ann.lee@corp.example", "bob@corp.example" }, "completed", favorite: true, photos: 2);
        host.Run("$photos = Get-HeadshotPhoto");

        var asSent = Saved(host.Run("$photos | Save-HeadshotPhoto -Path $folder", ("folder", Folder("as-sent"))));
        Assert.Equal(2, asSent.Count);
        NonEmpty.All(asSent, s => Assert.Equal(1_000_000 + PhotoStamp.For(s.PhotoId, s.Variant)!.Segment().Length, s.Bytes));
        NonEmpty.All(asSent, s => Assert.Null(s.Width));

        foreach (var (arguments, folder, side, cap) in new[]
        {
            ("-For ActiveDirectory", "ad", 96, 10_000L),
            ("-For EntraId", "entra", 648, 4L * 1024 * 1024),
            ("-For Exchange", "exchange", 648, 4L * 1024 * 1024),
            ("-For ActiveDirectory -PixelSize 48 -MaxBytes 4KB", "ad48", 48, 4096L),
            ("-PixelSize 300 -MaxBytes 30000", "custom", 300, 30_000L),
            ("-PixelSize 1024", "large", 1024, 4L * 1024 * 1024),
        })
        {
            var result = host.Run($"$photos | Save-HeadshotPhoto -Path $folder {arguments}", ("folder", Folder(folder)));
            Assert.Null(result.Terminating?.ToString());
            Assert.Empty(result.Errors);
            var saved = Saved(result);
            Assert.Equal(new[] { "ann.lee@corp.example", "bob@corp.example" }, saved.Select(s => s.Email).Order());
            NonEmpty.All(saved, s => AssertForm(s, side, cap));
            Assert.Equal(saved.Select(s => s.Path).Order(), FilesIn(Folder(folder)).Order());
        }

        // The form shows the middle of the photo: its colours are those of the photo's centred square, not of the whole.
        foreach (var original in asSent)
        {
            var photo = Decoded.File(original.Path);
            Assert.True(photo.Height > photo.Width && photo.Width >= 1000, $"a 1 MB photo is {photo.Width}×{photo.Height}");
            var centre = photo.CentredSquareMean();
            var top = photo.Mean(0, 0, photo.Width / 4);
            foreach (var folder in new[] { "ad", "entra" })
            {
                var form = Decoded.File(Path.Combine(Folder(folder), original.Name)).Mean(0, 0, folder == "ad" ? 96 : 648);
                Assert.True(Math.Abs(form.R - centre.R) + Math.Abs(form.G - centre.G) + Math.Abs(form.B - centre.B) < 12,
                    $"{folder}: mean {form} against the centred square's {centre}");
            }
            Assert.True(Math.Abs(top.R - centre.R) + Math.Abs(top.G - centre.G) + Math.Abs(top.B - centre.B) > 12, "the photo is not one flat colour");
        }
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_form_names_its_photo_and_form_so_the_same_form_is_skipped_and_another_form_replaces_the_file()
    {
        var (sandbox, host) = await ConnectedAsync(new SandboxOptions { PhotoBytes = 200_000 });
        await using var _ = sandbox;
        using var __ = host;
        await sandbox.PeopleAsync(new[] { "ann@corp.example" }, "completed", favorite: true, photos: 1);
        host.Run("$photos = Get-HeadshotPhoto");
        var folder = Folder("one-folder");

        var ad = Assert.Single(Saved(host.Run("$photos | Save-HeadshotPhoto -Path $folder -For ActiveDirectory", ("folder", folder))));
        var stamp = PhotoStamp.ReadFile(ad.Path);
        Assert.Equal(PhotoStamp.For(ad.PhotoId, "main", PhotoForm.ActiveDirectory.Stamp), stamp);

        var again = Assert.Single(Saved(host.Run("$photos | Save-HeadshotPhoto -Path $folder -For ActiveDirectory", ("folder", folder))));
        Assert.True(again.Skipped);

        // The same name in the same folder, another form: a 96x96 thumbnail is not a 648x648 photo.
        var entra = Assert.Single(Saved(host.Run("$photos | Save-HeadshotPhoto -Path $folder -For EntraId", ("folder", folder))));
        Assert.False(entra.Skipped);
        Assert.Equal(ad.Path, entra.Path);
        AssertForm(entra, 648, 4L * 1024 * 1024);

        // And the photo as sent is neither.
        var asSent = Assert.Single(Saved(host.Run("$photos | Save-HeadshotPhoto -Path $folder", ("folder", folder))));
        Assert.False(asSent.Skipped);
        Assert.Equal(PhotoStamp.For(ad.PhotoId, "main"), PhotoStamp.ReadFile(asSent.Path));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Quality_is_stepped_down_until_the_photo_fits_and_one_that_cannot_fit_is_one_error_with_nothing_left()
    {
        var (sandbox, host) = await ConnectedAsync(new SandboxOptions { PhotoBytes = 400_000 });
        await using var _ = sandbox;
        using var __ = host;
        await sandbox.PeopleAsync(new[] { "ann@corp.example", "bob@corp.example" }, "completed", favorite: true, photos: 1);
        host.Run("$photos = Get-HeadshotPhoto");

        var best = Saved(host.Run("$photos | Save-HeadshotPhoto -Path $folder -PixelSize 400", ("folder", Folder("best"))));
        NonEmpty.All(best, s => Assert.Equal(90, s.Quality));
        var cap = best.Min(s => s.Bytes) * 2 / 3;
        var result = host.Run("$photos | Save-HeadshotPhoto -Path $folder -PixelSize 400 -MaxBytes $cap", ("folder", Folder("capped")), ("cap", cap));
        Assert.Empty(result.Errors);
        var capped = Saved(result);
        Assert.Equal(2, capped.Count);
        NonEmpty.All(capped, s => AssertForm(s, 400, cap));
        NonEmpty.All(capped, s => Assert.True(s.Quality < 90, $"quality {s.Quality}"));

        // 1,024 bytes cannot hold a 648×648 photo at any quality: an error for each photo, and no file or temporary file.
        result = host.Run("$photos | Save-HeadshotPhoto -Path $folder -PixelSize 648 -MaxBytes 1024", ("folder", Folder("tiny")));
        Assert.Empty(result.Output);
        Assert.Equal(new[] { "PhotoDoesNotFitMaxBytes", "PhotoDoesNotFitMaxBytes" }, result.ErrorIds);
        NonEmpty.All(result.Errors, e =>
        {
            Assert.Equal(ErrorCategory.LimitsExceeded, e.CategoryInfo.Category);
            Assert.IsType<Photo>(e.TargetObject);
            Assert.Contains("even at quality 20, over the 1,024 bytes allowed", e.ErrorDetails.Message);
            Assert.Contains("-MaxBytes", e.ErrorDetails.RecommendedAction);
        });
        Assert.Empty(FilesIn(Folder("tiny")));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_body_that_is_not_a_JPEG_a_corrupt_JPEG_or_a_header_past_the_pixel_limit_is_one_error_for_that_photo()
    {
        var (sandbox, host) = await ConnectedAsync(new SandboxOptions { PhotoBytes = 200_000 });
        await using var _ = sandbox;
        using var __ = host;
        var people = new[] { "a@corp.example", "b@corp.example", "c@corp.example", "d@corp.example" };
        await sandbox.PeopleAsync(people, "completed", favorite: true, photos: 1);
        host.Run("$photos = @($people | ForEach-Object { Get-HeadshotPhoto -Email $_ -Favorite })", ("people", people));
        await sandbox.SettingsAsync(new { photoFaults = new[] { "not-jpeg", "corrupt-jpeg", "huge-dimensions" } });

        var result = host.Run("$photos | Save-HeadshotPhoto -Path $folder -For EntraId -ThrottleLimit 1", ("folder", Folder("entra")));
        Assert.Equal(new[] { "PhotoImageUnreadable", "PhotoImageUnreadable", "PhotoTooManyPixels" }, result.ErrorIds);
        Assert.Equal(new[] { "a@corp.example", "b@corp.example", "c@corp.example" }, result.Errors.Select(e => ((Photo)e.TargetObject).Email));
        Assert.Equal(ErrorCategory.InvalidData, result.Errors[0].CategoryInfo.Category);
        Assert.Contains("Not a JPEG file", result.Errors[0].ErrorDetails.Message);
        Assert.Contains("Premature end of JPEG file", result.Errors[1].ErrorDetails.Message);
        Assert.Contains("60,000×60,000 pixels", result.Errors[2].ErrorDetails.Message);
        Assert.Contains("was not decoded", result.Errors[2].ErrorDetails.Message);
        Assert.Equal(ErrorCategory.LimitsExceeded, result.Errors[2].CategoryInfo.Category);
        var saved = Assert.Single(Saved(result));
        Assert.Equal("d@corp.example", saved.Email);
        AssertForm(saved, 648, 4L * 1024 * 1024);
        Assert.Equal(new[] { saved.Path }, FilesIn(Folder("entra")));
        var journal = JsonNode.Parse(await sandbox.Control.GetStringAsync("photo-journal"))!["journal"]!.AsArray();
        Assert.Equal(4, journal.Count); // none retried: a bad image is not a network fault
    }

    [Fact(Timeout = Limits.Test)]
    public async Task WhatIf_names_the_form_and_the_parameters_bind_as_an_admin_expects()
    {
        var sandbox = await TestSandbox.StartAsync(new SandboxOptions { PhotoBytes = 50_000 });
        await using var _ = sandbox;
        var console = new RecordingHost("Default Host");
        using var host = new PowerShellHost(console);
        host.Connect(sandbox);
        await sandbox.PeopleAsync(new[] { "ann@corp.example" }, "completed", favorite: true, photos: 1);

        Directory.CreateDirectory(Folder("ad"));
        host.Run("Get-HeadshotPhoto | Save-HeadshotPhoto -Path $folder -For ActiveDirectory -WhatIf", ("folder", Folder("ad")));
        Assert.Contains(console.Lines, l => l.StartsWith("What if: ") && l.Contains("ann@corp.example") && l.Contains("as a 96×96 JPEG of at most 10,000 bytes"));
        Assert.Empty(FilesIn(Folder("ad")));

        var syntax = host.Run("(Get-Command Save-HeadshotPhoto).ParameterSets | ForEach-Object { $_.Name + ': ' + $_.ToString() }").Output.Select(o => o.ToString()).ToList();
        Assert.Contains(syntax, s => s.StartsWith("DirectoryForm:") && s.Contains("[-For <PhotoDestination>]") && s.Contains("[-PixelSize <int>]") && s.Contains("[-MaxBytes <long>]"));
        Assert.Contains(syntax, s => s.StartsWith("AsSent:") && !s.Contains("PixelSize"));
        Assert.Equal(2, syntax.Count);
        var incomplete = host.Run("Get-HeadshotPhoto | Save-HeadshotPhoto -Path $folder -MaxBytes 10KB", ("folder", Folder("x"))).Terminating;
        Assert.Equal(("PhotoFormIncomplete", ErrorCategory.InvalidArgument), (incomplete?.FullyQualifiedErrorId.Split(',')[0], incomplete?.CategoryInfo.Category));
        Assert.Contains("-PixelSize", incomplete!.ErrorDetails.RecommendedAction);
        Assert.Equal("ParameterArgumentValidationError", host.Run("Get-HeadshotPhoto | Save-HeadshotPhoto -Path $folder -PixelSize 8", ("folder", Folder("x"))).Terminating?.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal("ParameterArgumentValidationError", host.Run("Get-HeadshotPhoto | Save-HeadshotPhoto -Path $folder -For EntraId -MaxBytes 100", ("folder", Folder("x"))).Terminating?.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal("CannotConvertArgumentNoMessage", host.Run("Get-HeadshotPhoto | Save-HeadshotPhoto -Path $folder -For Teams", ("folder", Folder("x"))).Terminating?.FullyQualifiedErrorId.Split(',')[0]);
        Assert.False(Directory.Exists(Folder("x")));
    }

    // ---- the imaging classes alone, on JPEGs made here ----

    /// <summary>A JPEG made here, from <paramref name="sample"/>(x, y, component).</summary>
    internal static byte[] Encode(int width, int height, int components, Func<int, int, int, byte> sample, bool progressive = false)
    {
        var output = new MemoryStream();
        var encoder = new jpeg_compress_struct();
        encoder.jpeg_stdio_dest(output);
        (encoder.Image_width, encoder.Image_height, encoder.Input_components) = (width, height, components);
        encoder.In_color_space = components == 1 ? J_COLOR_SPACE.JCS_GRAYSCALE : J_COLOR_SPACE.JCS_RGB;
        encoder.jpeg_set_defaults();
        encoder.jpeg_set_quality(90, true);
        if (progressive) encoder.jpeg_simple_progression();
        encoder.jpeg_start_compress(true);
        var row = new[] { new byte[width * components] };
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width * components; x++) row[0][x] = sample(x / components, y, x % components);
            encoder.jpeg_write_scanlines(row, 1);
        }
        encoder.jpeg_finish_compress();
        return output.ToArray();
    }

    private MadePhoto Make(byte[] jpeg, PhotoForm form, string name)
    {
        var source = Path.Combine(_base, name + ".source.jpg");
        File.WriteAllBytes(source, jpeg);
        return DirectoryPhoto.Make(source, Path.Combine(_base, name + ".jpg"), form, null, CancellationToken.None);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Landscape_progressive_greyscale_and_small_photos_all_give_the_square_asked_for()
    {
        await Task.Yield();
        // A landscape photo: left third red, middle green, right third blue. Its centred square is the green middle.
        var landscape = Encode(1200, 400, 3, (x, y, c) => (byte)((x < 400 ? 0 : x < 800 ? 1 : 2) == c ? 220 : 20));
        var made = Make(landscape, new PhotoForm(96, 10_000), "landscape");
        var decoded = Decoded.File(Path.Combine(_base, "landscape.jpg"));
        Assert.Equal((96, 96, 96, 96), (made.Width, made.Height, decoded.Width, decoded.Height));
        var (r, g, b) = decoded.Mean(8, 8, 80);
        Assert.True(g > 200 && r < 40 && b < 40, $"mean {r:0} {g:0} {b:0}");

        var progressive = Encode(900, 1100, 3, (x, y, c) => (byte)((x * 7 + y * 3 + c * 50) & 0xFF), progressive: true);
        Assert.Equal(648, Make(progressive, PhotoForm.EntraId, "progressive").Width);
        Assert.Equal((648, 648), (Decoded.File(Path.Combine(_base, "progressive.jpg")).Width, Decoded.File(Path.Combine(_base, "progressive.jpg")).Height));

        var grey = Encode(500, 700, 1, (x, y, _) => (byte)(y / 3));
        Assert.Equal(96, Make(grey, PhotoForm.ActiveDirectory, "grey").Width);
        Assert.Equal(96, Decoded.File(Path.Combine(_base, "grey.jpg")).Width);

        // Smaller than asked: enlarged to the size the directory takes.
        var small = Encode(60, 80, 3, (x, y, c) => (byte)(x * 4));
        Assert.Equal(96, Make(small, PhotoForm.ActiveDirectory, "small").Width);
        Assert.Equal(96, Decoded.File(Path.Combine(_base, "small.jpg")).Height);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task The_header_is_checked_before_anything_is_decoded_and_a_cut_short_photo_is_refused()
    {
        await Task.Yield();
        var jpeg = Encode(256, 320, 3, (x, y, c) => (byte)(x ^ y));
        foreach (var (width, height) in new[] { (60_000, 60_000), (16_385, 100), (8_000, 6_000) })
        {
            var claimed = (byte[])jpeg.Clone();
            var sof = Enumerable.Range(2, claimed.Length - 2).First(i => claimed[i] == 0xFF && claimed[i + 1] == 0xC0);
            (claimed[sof + 5], claimed[sof + 6], claimed[sof + 7], claimed[sof + 8]) = ((byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width);
            var error = Assert.Throws<PhotoImageException>(() => Make(claimed, PhotoForm.ActiveDirectory, "claimed"));
            Assert.Equal(PhotoImageProblem.TooManyPixels, error.Problem);
            Assert.False(File.Exists(Path.Combine(_base, "claimed.jpg")));
        }

        var cut = Assert.Throws<PhotoImageException>(() => Make(jpeg[..(jpeg.Length * 2 / 3)], PhotoForm.ActiveDirectory, "cut"));
        Assert.Equal(PhotoImageProblem.Unreadable, cut.Problem);
        var png = Assert.Throws<PhotoImageException>(() => Make(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10, 0, 0 }, PhotoForm.ActiveDirectory, "png"));
        Assert.Equal(PhotoImageProblem.Unreadable, png.Problem);
        Assert.False(File.Exists(Path.Combine(_base, "cut.jpg")) || File.Exists(Path.Combine(_base, "png.jpg")));
    }
}

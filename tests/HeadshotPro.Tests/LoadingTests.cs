using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using BitMiracle.LibJpeg.Classic;
using HeadshotPro.Loading;

namespace HeadshotPro.Tests;

/// <summary>Which PowerShells the module loads in, and whom its dependency resolver answers.</summary>
public class LoadingTests
{
    private const string Newtonsoft13 = "Newtonsoft.Json, Version=13.0.0.0, Culture=neutral, PublicKeyToken=30ad4fe6b2a6aeed";
    private const string LibJpeg = "BitMiracle.LibJpeg.NET, Version=1.5.324.0, Culture=neutral, PublicKeyToken=53879b3e20e7a7d6";
    private static readonly Assembly Module = typeof(ModuleInitializer).Assembly;

    [Theory(Timeout = Limits.Test)]
    [InlineData("5.1.14393.7426", ".NET Framework 4.7.3062.0")]  // 4.7.2
    [InlineData("5.1.17763.6414", ".NET Framework 4.7.3056.0")]  // 4.7.2 on Windows 10 1803
    [InlineData("5.1.19041.5486", ".NET Framework 4.8.4718.0")]  // 4.8
    [InlineData("5.1.22621.4391", ".NET Framework 4.8.9290.0")]  // 4.8.1
    [InlineData("5.1.26100.2161", ".NET Framework 4.8.9300.0")]
    public Task Windows_PowerShell_51_on_NET_Framework_472_or_later_loads(string ps, string framework) => Task.Run(() =>
        Assert.Null(HostCompatibility.Refusal("Desktop", Version.Parse(ps), framework, null)));

    [Theory(Timeout = Limits.Test)]
    [InlineData("5.1.17134.1", ".NET Framework 4.7.2558.0")]  // 4.7.1
    [InlineData("5.1.16299.1", ".NET Framework 4.7.2053.0")]  // 4.7
    [InlineData("5.1.14393.0", ".NET Framework 4.6.1590.0")]  // 4.6.2
    public Task Windows_PowerShell_on_an_older_NET_Framework_is_refused_naming_what_works(string ps, string framework) => Task.Run(() =>
    {
        var message = HostCompatibility.Refusal("Desktop", Version.Parse(ps), framework, null);
        Assert.NotNull(message);
        Assert.Contains(framework, message);
        Assert.Contains("Windows PowerShell 5.1 with .NET Framework 4.7.2 or later", message);
        Assert.Contains("PowerShell 7.2 or later", message);
    });

    [Fact(Timeout = Limits.Test)]
    public Task Windows_PowerShell_older_than_51_is_refused() => Task.Run(() =>
        Assert.Contains("Windows PowerShell 5.0", HostCompatibility.Refusal("Desktop", new Version(5, 0, 10586, 117), ".NET Framework 4.8.4718.0", null)));

    [Fact(Timeout = Limits.Test)]
    public Task An_unreadable_framework_description_on_Desktop_is_left_to_the_manifest() => Task.Run(() =>
        Assert.Null(HostCompatibility.Refusal("Desktop", new Version(5, 1), "something else", null)));

    [Theory(Timeout = Limits.Test)]
    [InlineData("7.0.13", ".NET Core 3.1.32", "12.0.0.0")]
    [InlineData("7.1.7", ".NET 5.0.17", "12.0.0.0")]
    [InlineData("6.2.7", ".NET Core 2.1.30", "12.0.0.0")]
    [InlineData("7.1.0", ".NET 5.0.0", null)]
    public Task PowerShell_70_and_71_are_refused_naming_the_versions_that_work(string ps, string framework, string? newtonsoft) => Task.Run(() =>
    {
        var message = HostCompatibility.Refusal("Core", Version.Parse(ps), framework, newtonsoft is null ? null : Version.Parse(newtonsoft));
        Assert.NotNull(message);
        Assert.StartsWith($"HeadshotPro cannot run on PowerShell {ps} ({framework})", message);
        Assert.Contains(newtonsoft is null ? "Newtonsoft.Json 12 or older" : "Newtonsoft.Json 12.0", message);
        Assert.Contains("Windows PowerShell 5.1 with .NET Framework 4.7.2 or later, and on PowerShell 7.2 or later", message);
    });

    [Theory(Timeout = Limits.Test)]
    [InlineData("7.2.24", ".NET 6.0.36", "13.0.0.0")]
    [InlineData("7.4.6", ".NET 8.0.11", "13.0.0.0")]
    [InlineData("7.6.9", ".NET 10.0.12", "13.0.0.0")]
    [InlineData("7.6.9", ".NET 10.0.12", null)]
    public Task PowerShell_72_and_later_loads(string ps, string framework, string? newtonsoft) => Task.Run(() =>
        Assert.Null(HostCompatibility.Refusal("Core", Version.Parse(ps), framework, newtonsoft is null ? null : Version.Parse(newtonsoft))));

    [Fact(Timeout = Limits.Test)]
    public Task A_host_that_binds_an_older_NewtonsoftJson_is_refused_whatever_its_PowerShell_version() => Task.Run(() =>
    {
        var message = HostCompatibility.Refusal("Core", new Version(7, 4, 6), ".NET 8.0.11", new Version(12, 0, 0, 0));
        Assert.NotNull(message);
        Assert.Contains("Newtonsoft.Json to version 12.0", message);
    });

    [Fact(Timeout = Limits.Test)]
    public Task This_process_is_accepted() => Task.Run(() =>
    {
        var ps = typeof(System.Management.Automation.PSObject).Assembly.GetName().Version;
        Assert.Null(HostCompatibility.Refusal("Core", ps, RuntimeInformation.FrameworkDescription, typeof(Newtonsoft.Json.JsonConvert).Assembly.GetName().Version));
    });

    [Theory(Timeout = Limits.Test)]
    [InlineData(Newtonsoft13, "Newtonsoft.Json.dll")]
    [InlineData("Newtonsoft.Json", "Newtonsoft.Json.dll")]
    [InlineData("newtonsoft.json, Version=12.0.0.0", "Newtonsoft.Json.dll")]
    [InlineData(LibJpeg, "BitMiracle.LibJpeg.NET.dll")]
    [InlineData("bitmiracle.libjpeg.net, Version=1.4.0.0", "BitMiracle.LibJpeg.NET.dll")]
    public Task The_resolver_answers_for_the_modules_dependencies_requested_by_this_module(string requested, string file) => Task.Run(() =>
        Assert.Equal(file, DependencyResolution.FileFor(requested, Module, Module)));

    [Theory(Timeout = Limits.Test)]
    [InlineData(Newtonsoft13)]
    [InlineData(LibJpeg)]
    public Task The_resolver_declines_a_request_without_a_requesting_assembly(string requested) => Task.Run(() =>
        Assert.Null(DependencyResolution.FileFor(requested, null, Module)));

    [Theory(Timeout = Limits.Test)]
    [InlineData(Newtonsoft13)]
    [InlineData(LibJpeg)]
    public Task The_resolver_never_hands_its_copies_to_another_assembly(string requested) => Task.Run(() =>
    {
        Assert.Null(DependencyResolution.FileFor(requested, typeof(object).Assembly, Module));
        Assert.Null(DependencyResolution.FileFor(requested, typeof(System.Management.Automation.PSObject).Assembly, Module));
        Assert.Null(DependencyResolution.FileFor(requested, typeof(LoadingTests).Assembly, Module));
    });

    [Theory(Timeout = Limits.Test)]
    [InlineData("System.Text.Json, Version=8.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51")]
    [InlineData("Newtonsoft.Json.resources, Version=13.0.0.0, Culture=de, PublicKeyToken=30ad4fe6b2a6aeed")]
    [InlineData("Newtonsoft.Json.Bson")]
    [InlineData("BitMiracle.LibTiff.NET")]
    [InlineData("HeadshotPro")]
    [InlineData("")]
    [InlineData("=,=")]
    public Task The_resolver_declines_other_assemblies_even_for_this_module(string requested) => Task.Run(() =>
        Assert.Null(DependencyResolution.FileFor(requested, Module, Module)));

    /// <summary>
    /// Shaped like Windows PowerShell 5.1, where the module's folder is not where the process looks, and the CLR binds
    /// the strong-named library by its full identity beside any other copy: HeadshotPro.dll, loaded from a module folder
    /// of its own into a load context of its own, gets its dependencies only through the module's resolution rule
    /// (<see cref="DependencyResolution"/>), from that folder, while this process already holds another copy of the
    /// library; and it makes a directory form with it.
    /// </summary>
    [Fact(Timeout = Limits.Test)]
    public async Task The_JPEG_library_resolves_from_the_module_folder_beside_another_copy_in_the_process()
    {
        await Task.Yield();
        var folder = Path.Combine(Path.GetTempPath(), "hsp-module-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            foreach (var file in new[] { "HeadshotPro.dll", "BitMiracle.LibJpeg.NET.dll", "Newtonsoft.Json.dll" })
                File.Copy(Path.Combine(AppContext.BaseDirectory, file), Path.Combine(folder, file));
            var context = new ModuleFolderContext(folder);
            var module = context.LoadFromAssemblyPath(Path.Combine(folder, "HeadshotPro.dll"));

            var source = Path.Combine(folder, "photo.jpg");
            var target = Path.Combine(folder, "ad.jpg");
            File.WriteAllBytes(source, DirectoryPhotoTests.Encode(300, 400, 3, (x, y, c) => (byte)(x + y + c)));
            var formType = module.GetType("HeadshotPro.Client.Imaging.PhotoForm", throwOnError: true)!;
            var form = formType.GetField("ActiveDirectory")!.GetValue(null);
            var make = module.GetType("HeadshotPro.Client.Imaging.DirectoryPhoto", throwOnError: true)!.GetMethod("Make")!;
            make.Invoke(null, new[] { source, target, form, null, CancellationToken.None });

            var decoded = Decoded.File(target);
            Assert.Equal((96, 96), (decoded.Width, decoded.Height));
            var library = Assert.Single(context.Assemblies, a => a.GetName().Name == DependencyResolution.LibJpeg);
            Assert.Equal(Path.Combine(folder, "BitMiracle.LibJpeg.NET.dll"), library.Location);
            Assert.NotSame(typeof(jpeg_compress_struct).Assembly, library);
            Assert.Equal(typeof(jpeg_compress_struct).Assembly.FullName, library.FullName);
            Assert.Contains(DependencyResolution.LibJpeg, context.Answered);
            context.Unload();
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>
    /// A load context that finds nothing by itself: the module's requests for its own dependencies are answered as its
    /// AssemblyResolve handler answers them on .NET Framework (the rule, then the module's folder); everything else
    /// (PowerShell, the framework) comes from the process.
    /// </summary>
    private sealed class ModuleFolderContext(string folder) : AssemblyLoadContext("HeadshotPro module folder", isCollectible: true)
    {
        public List<string> Answered { get; } = new();

        protected override Assembly? Load(AssemblyName name)
        {
            var module = Assemblies.FirstOrDefault(a => a.GetName().Name == "HeadshotPro");
            var file = module is null ? null : DependencyResolution.FileFor(name.FullName, module, module);
            if (file is null) return null;
            Answered.Add(name.Name!);
            return LoadFromAssemblyPath(Path.Combine(folder, file));
        }
    }
}

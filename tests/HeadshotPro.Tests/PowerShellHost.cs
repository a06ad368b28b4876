using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>A real runspace with the HeadshotPro module imported, as an admin's session would have it.</summary>
public sealed class PowerShellHost : IDisposable
{
    private readonly Runspace _runspace;

    static PowerShellHost()
    {
        // xUnit blocks pool threads while a pipeline runs, which a real PowerShell host never does; on a 2-core
        // machine that would leave the HTTP continuations waiting for the pool to grow.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), io);
        // PowerShell finds the stand-in types (SeedDirectory) only in loaded assemblies; this test assembly references them.
        _ = typeof(Microsoft.ActiveDirectory.Management.ADUser).Assembly;
    }

    public PowerShellHost(System.Management.Automation.Host.PSHost? host = null)
    {
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(typeof(Invite).Assembly.Location);
        _runspace = host is null ? RunspaceFactory.CreateRunspace(state) : RunspaceFactory.CreateRunspace(host, state);
        _runspace.Open();
    }

    public sealed record Result(Collection<PSObject> Output, IReadOnlyList<ErrorRecord> Errors, IReadOnlyList<string> Verbose,
        IReadOnlyList<string> Debug, IReadOnlyList<string> Warnings, ErrorRecord? Terminating)
    {
        public IEnumerable<string> ErrorIds => Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]);

        /// <summary>Everything a person could see of the run, as text.</summary>
        public string AllText() => string.Join("\n", Output.Select(o => o?.ToString())
            .Concat(Errors.SelectMany(Describe)).Concat(Verbose).Concat(Debug).Concat(Warnings)
            .Concat(Terminating is null ? Array.Empty<string>() : Describe(Terminating)));

        public static IEnumerable<string?> Describe(ErrorRecord e) => new[]
        {
            e.ToString(), e.Exception?.ToString(), e.TargetObject?.ToString(), e.ErrorDetails?.Message, e.ErrorDetails?.RecommendedAction,
            e.CategoryInfo.ToString(), e.FullyQualifiedErrorId, PSSerializer.Serialize(e, 5),
        };
    }

    /// <summary>
    /// Runs a script; a terminating error ends it and is returned as <see cref="Result.Terminating"/>. A run still going
    /// after <see cref="Limits.Pipeline"/> is stopped and fails the test, so a hung pipeline never outlives its test.
    /// </summary>
    public Result Run(string script, params (string Name, object? Value)[] variables)
    {
        foreach (var (name, value) in variables) _runspace.SessionStateProxy.SetVariable(name, value);
        _runspace.SessionStateProxy.SetVariable("__terminating", null);
        using var ps = PowerShell.Create(_runspace);
        ps.AddScript("try {\n" + script + "\n} catch { $global:__terminating = $_ }");
        var pending = ps.BeginInvoke();
        if (!pending.AsyncWaitHandle.WaitOne(Limits.Pipeline))
        {
            ps.BeginStop(null, null);
            Assert.Fail($"the script ran past {Limits.Pipeline.TotalSeconds:0} s and was stopped:\n{script}");
        }
        var output = new Collection<PSObject>(ps.EndInvoke(pending));
        var terminating = _runspace.SessionStateProxy.GetVariable("__terminating") is PSObject { BaseObject: ErrorRecord record } ? record
            : _runspace.SessionStateProxy.GetVariable("__terminating") as ErrorRecord;
        return new Result(output, ps.Streams.Error.ToList(), ps.Streams.Verbose.Select(v => v.Message).ToList(),
            ps.Streams.Debug.Select(d => d.Message).ToList(), ps.Streams.Warning.Select(w => w.Message).ToList(), terminating);
    }

    /// <summary>Connects this runspace to the sandbox and checks that it worked.</summary>
    public void Connect(TestSandbox sandbox, string extra = "")
    {
        var result = Run($"Connect-HeadshotPro -ApiKey (ConvertTo-SecureString $key -AsPlainText -Force) -BaseUri $uri {extra}",
            ("key", TestSandbox.Key), ("uri", sandbox.ApiBaseUri));
        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
    }

    /// <summary>What a script started with <see cref="Begin"/> gave, once it ended with <paramref name="output"/>.</summary>
    public static Result Ended(PowerShell shell, IEnumerable<PSObject> output) =>
        new(new Collection<PSObject>(output.ToList()), shell.Streams.Error.ToList(), shell.Streams.Verbose.Select(v => v.Message).ToList(),
            shell.Streams.Debug.Select(d => d.Message).ToList(), shell.Streams.Warning.Select(w => w.Message).ToList(), null);

    /// <summary>
    /// Starts a script without waiting, for tests that watch or stop it; <paramref name="watch"/> is handed the shell
    /// before it starts, so a handler it attaches to the streams misses nothing.
    /// </summary>
    public (PowerShell Shell, IAsyncResult Pending) Begin(string script, Action<PowerShell>? watch = null)
    {
        var ps = PowerShell.Create(_runspace);
        ps.AddScript(script);
        watch?.Invoke(ps);
        return (ps, ps.BeginInvoke());
    }

    /// <summary>
    /// Imports the directory stand-ins (tests/shapes: Get-ADUser, Get-MgUser, Get-Recipient … returning the class-reference
    /// shapes of tests/HeadshotPro.TestShapes) and seeds their directory with <paramref name="people"/>, each a
    /// Set-StandInDirectory row as a PowerShell hashtable, e.g. <c>@{ SamAccountName = 'ann'; Mail = 'ann@corp.example' }</c>.
    /// </summary>
    public void SeedDirectory(params string[] people)
    {
        var seeded = Run("Import-Module $standIns; Set-StandInDirectory -People @(\n" + string.Join("\n", people) + "\n)", ("standIns", StandIns));
        Assert.Null(seeded.Terminating);
        Assert.Empty(seeded.Errors);
    }

    /// <summary>Everything <c>$Error</c> of this runspace shows: as a host formats it, every property, and serialized deep.</summary>
    public string ErrorVariableText() => string.Join("\n", Run("""
        foreach ($e in $Error) {
            $e | Out-String
            $e | Format-List * -Force | Out-String
            if ($e -is [System.Management.Automation.ErrorRecord]) { $e.Exception.ToString(); "$($e.TargetObject)"; $e.ErrorDetails | Out-String }
        }
        [System.Management.Automation.PSSerializer]::Serialize($Error, 5)
        """).Output.Select(o => o?.ToString()));

    /// <summary>The stand-ins module, copied beside the test assembly.</summary>
    public static readonly string StandIns = Path.Combine(AppContext.BaseDirectory, "shapes", "DirectoryStandIns.psm1");

    public void Dispose() => _runspace.Dispose();
}

/// <summary>What many cmdlet tests start with and read (imported into every test file: HeadshotPro.Tests.csproj).</summary>
public static class Hosted
{
    /// <summary>A sandbox and a runspace connected to it.</summary>
    public static async Task<(TestSandbox Sandbox, PowerShellHost Host)> ConnectedAsync(SandboxOptions? options = null)
    {
        var sandbox = await TestSandbox.StartAsync(options);
        var host = new PowerShellHost();
        host.Connect(sandbox);
        return (sandbox, host);
    }

    /// <summary>The output objects of a run that are <typeparamref name="T"/>.</summary>
    public static IEnumerable<T> Out<T>(PowerShellHost.Result result) => result.Output.Select(o => o.BaseObject).OfType<T>();
}

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>A sandbox started in-process on a free loopback port, with an HTTP client for its API and its controls.</summary>
public sealed class TestSandbox : IAsyncDisposable
{
    public const string Key = SandboxOptions.DefaultApiKey;

    private TestSandbox(SandboxServer server)
    {
        Server = server;
        Http = new HttpClient { BaseAddress = server.ApiBaseUri };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        Control = new HttpClient { BaseAddress = new Uri(server.RootUri, "sandbox/") };
        Control.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
    }

    public SandboxServer Server { get; }
    public HttpClient Http { get; }
    public HttpClient Control { get; }
    public Uri ApiBaseUri => Server.ApiBaseUri;

    /// <summary>
    /// Starts a sandbox. It yields first, so a test that awaits this hands its task to xUnit before doing any blocking
    /// work (a hosted pipeline, say), and the test's <c>Timeout</c> counts from there.
    /// </summary>
    public static async Task<TestSandbox> StartAsync(SandboxOptions? options = null)
    {
        await Task.Yield();
        return new(await SandboxServer.StartAsync((options ?? new SandboxOptions()) with { Urls = "http://127.0.0.1:0" }));
    }

    public static StringContent JsonBody(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    public async Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, object? body = null, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : body as HttpContent ?? JsonBody(body) };
        var response = await (client ?? Http).SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        try { json = text.Length > 0 ? JsonNode.Parse(text) : null; } catch (JsonException) { }
        return ((int)response.StatusCode, json, response);
    }

    public Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> InviteAsync(string email, string? teamId = null) =>
        SendAsync(HttpMethod.Post, "organization/invite", teamId is null ? new { email } : new { email, teamId });

    public async Task<JsonNode> StateAsync() => JsonNode.Parse(await Control.GetStringAsync("state"))!;

    public async Task SettingsAsync(object settings)
    {
        var response = await Control.PostAsync("settings", JsonBody(settings));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A client that follows no redirect and opens a new connection for every request.</summary>
    public HttpClient NewClient()
    {
        var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = ApiBaseUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        http.DefaultRequestHeaders.ConnectionClose = true;
        return http;
    }

    /// <summary>
    /// Polls the state until <paramref name="until"/> holds and answers that state; fails the test, showing the last state
    /// read, when <paramref name="bound"/> passes first (a wait that was never met is a failure, not a result).
    /// </summary>
    public async Task<JsonNode> WaitForStateAsync(Func<JsonNode, bool> until, TimeSpan? bound = null)
    {
        var deadline = DateTime.UtcNow + (bound ?? Limits.Wait);
        var state = await StateAsync();
        while (!until(state))
        {
            if (DateTime.UtcNow >= deadline) Assert.Fail($"the sandbox did not reach the awaited state within {(bound ?? Limits.Wait).TotalSeconds:0} s; its last state: {state.ToJsonString()}");
            await Task.Delay(20);
            state = await StateAsync();
        }
        return state;
    }

    /// <summary>The counter <paramref name="name"/> (e.g. <c>inFlight</c>, <c>mostInFlight</c>, <c>rateLimited</c>) of a state.</summary>
    public static long Counter(JsonNode state, string name) => (long)state["counters"]![name]!;

    /// <summary>Waits (bounded; failing past it) until the sandbox is handling <paramref name="count"/> requests at once.</summary>
    public async Task WaitForInFlightAsync(long count, TimeSpan? bound = null) =>
        await WaitForStateAsync(s => Counter(s, "inFlight") == count, bound);

    public async Task<JsonArray> JournalAsync() => JsonNode.Parse(await Control.GetStringAsync("journal"))!["journal"]!.AsArray();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Control.Dispose();
        await Server.DisposeAsync();
    }
}

/// <summary>
/// Tests that set or count what the whole test process shares — environment variables, the connection cache — run alone,
/// after the others.
/// </summary>
[CollectionDefinition(nameof(ProcessWide), DisableParallelization = true)]
public class ProcessWide;

/// <summary>
/// Every test's time limit, in milliseconds: guards against a hang, never a performance target (figures are in bench/).
/// xUnit 2 honours <c>Timeout</c> on async tests only, and only from the moment the test hands it its task: so every test
/// is <c>async</c> with a <c>Timeout</c> (<see cref="BoundedTests"/> checks it), and a test yields before it first blocks
/// (<see cref="TestSandbox.StartAsync"/> does; a synchronous body runs in <c>Task.Run</c>). A timed-out test's work goes
/// on in the background: <see cref="PowerShellHost.Run"/> stops its own pipelines past <see cref="Pipeline"/>.
/// </summary>
public static class Limits
{
    /// <summary>
    /// A test of a few requests, retries or waits: seconds on a quiet machine. The limit is generous because a shared
    /// machine under heavy load (a load average of 30 on two cores was seen) stretches a few seconds past a minute.
    /// </summary>
    public const int Test = 120_000;

    /// <summary>A bulk run of hundreds of requests, or one that spends rate-limit windows.</summary>
    public const int Bulk = 300_000;

    /// <summary>The most a hosted pipeline may take: past it, it is stopped and the test fails.</summary>
    public static readonly TimeSpan Pipeline = TimeSpan.FromMilliseconds(Bulk);

    /// <summary>The default bound of a wait for a signal (a state, a delivery): generous, since passing it fails the test.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
}

/// <summary>Checks over collections that cannot pass by being empty.</summary>
public static class NonEmpty
{
    /// <summary>
    /// <paramref name="check"/> holds for every item, and there is at least one (xUnit's <c>Assert.All</c> passes an empty
    /// set, so it is banned in this project: BannedSymbols.txt). Where none is a right answer, say so with a <c>foreach</c>.
    /// </summary>
    public static void All<T>(IEnumerable<T> items, Action<T> check)
    {
        var list = items.ToList();
        Assert.NotEmpty(list);
#pragma warning disable RS0030 // the one place that may: the set was just checked to be non-empty
        Assert.All(list, check);
#pragma warning restore RS0030
    }
}

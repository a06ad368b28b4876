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

    /// <summary>Polls the state until <paramref name="until"/> holds or <paramref name="bound"/> has passed; answers the last state read.</summary>
    public async Task<JsonNode> WaitForStateAsync(Func<JsonNode, bool> until, TimeSpan bound)
    {
        var deadline = DateTime.UtcNow + bound;
        var state = await StateAsync();
        while (!until(state) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
            state = await StateAsync();
        }
        return state;
    }

    /// <summary>The counter <paramref name="name"/> (e.g. <c>inFlight</c>, <c>mostInFlight</c>, <c>rateLimited</c>) of a state.</summary>
    public static long Counter(JsonNode state, string name) => (long)state["counters"]![name]!;

    /// <summary>Waits (bounded) until the sandbox is handling <paramref name="count"/> requests at once; answers how many it is.</summary>
    public async Task<long> WaitForInFlightAsync(long count, TimeSpan? bound = null) =>
        Counter(await WaitForStateAsync(s => Counter(s, "inFlight") == count, bound ?? TimeSpan.FromSeconds(20)), "inFlight");

    public async Task<JsonArray> JournalAsync() => JsonNode.Parse(await Control.GetStringAsync("journal"))!["journal"]!.AsArray();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Control.Dispose();
        await Server.DisposeAsync();
    }
}

/// <summary>
/// Every test's time limit, in milliseconds: guards against a hang, never a performance target (figures are in bench/).
/// xUnit 2.9 honours <c>Timeout</c> on async tests only; synchronous ones rely on <c>--blame-hang-timeout</c> in build.ps1.
/// </summary>
public static class Limits
{
    /// <summary>A test of a few requests, retries or waits.</summary>
    public const int Test = 60_000;

    /// <summary>A bulk run of hundreds of requests, or one that spends rate-limit windows.</summary>
    public const int Bulk = 180_000;
}

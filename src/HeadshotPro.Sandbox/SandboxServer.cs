using System.Text.Json;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace HeadshotPro.Sandbox;

/// <summary>
/// The HeadshotPro API emulator on Kestrel: <c>/api/v1/</c> and <c>/api/v2/organization</c> for the API, <c>/photos/</c> for the
/// photo host (the "CDN" photo links point at), <c>/sandbox/</c> for its controls; signed webhooks go out to <c>--webhook-url</c>.
/// </summary>
public sealed class SandboxServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Task _lifecycle;
    private readonly WebhookSender _webhooks;
    private readonly Task _webhookLoop;
    private readonly OutageListeners _listeners;
    private readonly Outage _outage;
    private readonly SemaphoreSlim _outageGate = new(1, 1);

    private SandboxServer(WebApplication app, SandboxState state, Uri rootUri, Task lifecycle, WebhookSender webhooks, Task webhookLoop, OutageListeners listeners,
        Outage outage)
    {
        _app = app;
        _lifecycle = lifecycle;
        _webhooks = webhooks;
        _webhookLoop = webhookLoop;
        _listeners = listeners;
        _outage = outage;
        State = state;
        RootUri = rootUri;
        state.OutageDue += duration => _ = Task.Run(() => OutageAsync(duration)); // not inside the request that brought it on
    }

    public SandboxState State { get; }

    /// <summary>Where the server listens, e.g. <c>http://127.0.0.1:5080/</c>.</summary>
    public Uri RootUri { get; }

    /// <summary>The API base URI the module connects to, e.g. <c>http://127.0.0.1:5080/api/v1/</c>.</summary>
    public Uri ApiBaseUri => new(RootUri, "api/v1/");

    /// <summary>The v2 API base with a trailing slash, e.g. <c>http://127.0.0.1:5080/api/v2/</c>: the contract's v2 paths (<c>organization/credits</c>…) are relative to it.</summary>
    public Uri ApiV2BaseUri => new(RootUri, "api/v2/");

    /// <summary>Where photo links point unless <c>--photo-base-url</c> says otherwise.</summary>
    public Uri PhotoBaseUri => new(RootUri, "photos/");

    /// <summary>When the last outage began (real UTC), if there was one.</summary>
    public DateTime? OutageStartedUtc { get; private set; }

    /// <summary>An outage began (false) or ended (true), at the given real UTC time.</summary>
    public event Action<bool, DateTime>? ListeningChanged;

    /// <summary>
    /// An outage, as when the service's process goes away: the port stops listening (connecting is refused), open
    /// connections close once the answer being sent on them has gone, and a request that still arrives on one is cut;
    /// after <paramref name="duration"/> it listens again, with the state as it was (null: for good).
    /// </summary>
    public async Task OutageAsync(TimeSpan? duration)
    {
        await _outageGate.WaitAsync().ConfigureAwait(false);
        try
        {
            _outage.Begin();
            await _listeners.CloseAsync().ConfigureAwait(false);
            var began = DateTime.UtcNow;
            OutageStartedUtc = began;
            ListeningChanged?.Invoke(false, began);
            if (duration is not { } lasting) return;
            try
            {
                await Task.Delay(lasting, _app.Lifetime.ApplicationStopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await _listeners.OpenAsync().ConfigureAwait(false);
            _outage.End();
            ListeningChanged?.Invoke(true, DateTime.UtcNow);
        }
        finally
        {
            _outageGate.Release();
        }
    }

    public static async Task<SandboxServer> StartAsync(SandboxOptions options, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = Array.Empty<string>() });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None); // start-up failures are reported by the caller
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.WebHost.UseUrls(options.Urls);
        builder.Services.AddSingleton<IConnectionListenerFactory, OutageListeners>();

        var state = new SandboxState(options);
        var app = builder.Build();
        var photos = new PhotoHost(state, options.PhotoBaseUrl, options.PhotoCacheMegabytes * 1024L * 1024, app.Lifetime.ApplicationStopping);
        var api = new ApiEndpoints(state, photos, app.Lifetime.ApplicationStopping);
        var control = new ControlEndpoints(state);
        var outage = new Outage();
        app.Use(outage.HandleAsync);
        app.Use((ctx, next) =>
        {
            ctx.Response.OnStarting(() =>
            {
                ctx.Response.Headers.Date = SandboxState.HttpDate(state.Now);
                return Task.CompletedTask;
            });
            return next(ctx);
        });
        app.Map("/api", branch => branch.Run(api.HandleAsync));
        app.Map("/sandbox", branch => branch.Run(control.HandleAsync));
        app.Map("/photos", branch => branch.Run(photos.HandleAsync));
        app.Run(ctx => Json.Write(ctx, 404, Json.Error("No such path. The API is under /api/v1/ and /api/v2/organization, the controls under /sandbox/.", "NOT_FOUND")));

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var root = new Uri(address.TrimEnd('/') + "/");
        photos.Root = root;
        var lifecycle = RunLifecycleAsync(state, app.Lifetime.ApplicationStopping);
        var webhooks = new WebhookSender(state);
        var webhookLoop = webhooks.RunAsync(app.Lifetime.ApplicationStopping);
        var listeners = app.Services.GetServices<IConnectionListenerFactory>().OfType<OutageListeners>().Single();
        return new SandboxServer(app, state, root, lifecycle, webhooks, webhookLoop, listeners, outage);
    }

    /// <summary>The timed lifecycle: moves people along whenever a move is due, and sleeps until the next one (or a change).</summary>
    private static async Task RunLifecycleAsync(SandboxState state, CancellationToken stopping)
    {
        await Task.Yield();
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var next = state.LifecycleStep(DateTime.UtcNow);
                var wait = next is { } due ? due - DateTime.UtcNow : Timeout.InfiniteTimeSpan;
                if (wait != Timeout.InfiniteTimeSpan && wait < TimeSpan.Zero) wait = TimeSpan.Zero;
                if (wait > TimeSpan.FromHours(1)) wait = TimeSpan.FromHours(1);
                await state.WaitLifecycleAsync(wait, stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _lifecycle.ConfigureAwait(false);
        await _webhookLoop.ConfigureAwait(false);
        _webhooks.Dispose();
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}

internal static class Json
{
    /// <summary>Web defaults, with '&amp;', '\'' and '+' written plainly as a Node server does (photo links carry '&amp;').</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    public const int MaxBodyBytes = 1024 * 1024;

    public static object Error(string message, string code) => new { success = false, error = message, code };

    public static object Error(string message) => new { success = false, error = message };

    public static byte[] Bytes(object body) => JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), Options);

    public static Task Write(HttpContext ctx, int status, object body)
    {
        ctx.Response.StatusCode = status;
        return ctx.Response.WriteAsJsonAsync(body, Options);
    }

    public readonly record struct Body(JsonElement Root, int ErrorStatus, object? Error);

    /// <summary>
    /// Receives the whole body (up to just over 1 MB) before any work starts, so a request whose client then hangs up
    /// can still be processed, as a real server would.
    /// </summary>
    public static async Task BufferAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBodyBytes) return;
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while (buffer.Length <= MaxBodyBytes && (read = await request.Body.ReadAsync(chunk).ConfigureAwait(false)) > 0)
            buffer.Write(chunk, 0, read);
        buffer.Position = 0;
        request.Body = buffer;
    }

    /// <summary>Reads a JSON request body of at most 1 MB; an error status and body otherwise.</summary>
    public static async Task<Body> ReadAsync(HttpRequest request)
    {
        var tooLarge = new Body(default, 413, Error("The request body is larger than 1 MB.", "PAYLOAD_TOO_LARGE"));
        if (request.ContentLength > MaxBodyBytes) return tooLarge;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) return tooLarge;
            buffer.Write(chunk, 0, read);
        }
        try
        {
            using var doc = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
            return new Body(doc.RootElement.Clone(), 0, null);
        }
        catch (JsonException)
        {
            return new Body(default, 400, Error("The request body must be valid JSON.", "INVALID_REQUEST"));
        }
    }

    public static string? String(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String
            ? p.GetString()
            : null;
}

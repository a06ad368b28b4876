using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HeadshotPro.Sandbox;

/// <summary>
/// The "CDN" the photo links point at: <c>/photos/{modelId}/{photoId}/{variant}.jpg?expires=…&amp;sig=…</c>. It stands for a
/// different host: no API key, no rate limit of the API's kind, links signed with an HMAC that expire, its own fault switches
/// and journal. The images are real JPEGs made from a seed, as many pixels as their bytes hold (see <see cref="Shape"/>),
/// streamed, with the last few kept in memory.
/// </summary>
internal sealed class PhotoHost
{
    private const int SlowChunkBytes = 16 * 1024;
    private const int SlowPauseMs = 50;

    private static readonly byte[] Filler = Encoding.ASCII.GetBytes("HeadshotPro sandbox photo: padding to its configured size. ");

    public static readonly string[] Variants = { "main", "thumbnail", "original" };

    private readonly SandboxState _state;
    private readonly CancellationToken _stopping;
    private readonly string? _configuredBase;
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly LinkedList<(string Key, byte[] Bytes)> _cache = new();
    private readonly object _cacheGate = new();
    private readonly long _cacheBytes;
    private long _cachedBytes;

    public PhotoHost(SandboxState state, string? configuredBase, long cacheBytes, CancellationToken stopping)
    {
        _state = state;
        _cacheBytes = cacheBytes;
        _configuredBase = configuredBase is null || configuredBase.EndsWith('/') ? configuredBase : configuredBase + "/";
        _stopping = stopping;
    }

    /// <summary>The sandbox's own root, known once it listens.</summary>
    public Uri? Root { get; set; }

    private string BaseUrl(HttpRequest request) =>
        _configuredBase ?? (Root is { } root ? new Uri(root, "photos/").ToString() : $"{request.Scheme}://{request.Host}/photos/");

    /// <summary>Fresh signed links to a photo (main only, or every variant) and when they expire, as the API answers them.</summary>
    public (Dictionary<string, string> Urls, string ExpiresAt) Links(PhotoView photo, bool all, HttpRequest request)
    {
        var expires = LinkExpiry();
        var urls = new Dictionary<string, string>();
        foreach (var variant in all ? Variants : Variants[..1])
        {
            var path = $"{photo.ModelId}/{photo.Id}/{variant}.jpg";
            urls[variant] = $"{BaseUrl(request)}{path}?expires={expires}&sig={Sign(path, expires)}";
        }
        return (urls, SandboxState.Iso(DateTimeOffset.FromUnixTimeSeconds(expires).UtcDateTime));
    }

    private long LinkExpiry() => new DateTimeOffset(_state.Now).ToUnixTimeSeconds() + _state.PhotoLinkSeconds;

    /// <summary>When links handed out now expire, as the API writes it.</summary>
    public string LinksExpireAt() => SandboxState.Iso(DateTimeOffset.FromUnixTimeSeconds(LinkExpiry()).UtcDateTime);

    private string Sign(string path, long expires) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(path + "\n" + expires.ToString(CultureInfo.InvariantCulture))));

    public async Task HandleAsync(HttpContext ctx)
    {
        var request = ctx.Request;
        string? fault = null;
        Func<Task> send;
        int status;
        try
        {
            if (_state.PhotoLatencyMs > 0)
            {
                using var either = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, _stopping);
                await Task.Delay(_state.PhotoLatencyMs, either.Token).ConfigureAwait(false);
            }
            (status, fault, send) = Decide(ctx);
        }
        catch (OperationCanceledException)
        {
            (status, send) = (0, () => { ctx.Abort(); return Task.CompletedTask; });
        }
        _state.RecordPhoto(new PhotoJournalEntry(request.Method, request.PathBase + request.Path, status, _state.Now,
            request.Headers.Authorization.Count > 0 ? "present" : "absent", fault));
        try
        {
            await send().ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && ctx.RequestAborted.IsCancellationRequested)
        {
        }
    }

    private (int Status, string? Fault, Func<Task> Send) Decide(HttpContext ctx)
    {
        var request = ctx.Request;
        if (request.Method is not ("GET" or "HEAD"))
            return (405, null, () => Xml(ctx, 405, "MethodNotAllowed", "The specified method is not allowed against this resource.", "GET, HEAD"));
        var parts = (request.Path.Value ?? "").Trim('/').Split('/');
        if (parts.Length != 3 || !parts[2].EndsWith(".jpg", StringComparison.Ordinal) || !Variants.Contains(parts[2][..^4]))
            return (404, null, () => Xml(ctx, 404, "NoSuchKey", "The specified key does not exist."));
        var path = string.Join('/', parts);
        var sig = request.Query["sig"];
        var expiresText = request.Query["expires"];
        if (sig.Count != 1 || expiresText.Count != 1 || !long.TryParse(expiresText[0], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(sig[0] ?? ""), Encoding.ASCII.GetBytes(Sign(path, expires))))
            return (403, null, () => Xml(ctx, 403, "AccessDenied", "Invalid signature."));
        if (new DateTimeOffset(_state.Now).ToUnixTimeSeconds() >= expires)
            return (403, null, () => Xml(ctx, 403, "AccessDenied", "Request has expired."));

        var fault = _state.DrawPhotoFault();
        switch (fault)
        {
            case PhotoFaultKind.DropBefore:
                return (0, fault, () => { ctx.Abort(); return Task.CompletedTask; });
            case PhotoFaultKind.Http500:
                return (500, fault, () => Html(ctx, 500, "<html><head><title>500 Internal Server Error</title></head><body><h1>500 Internal Server Error</h1></body></html>"));
            case PhotoFaultKind.Http503:
                return (503, fault, () => Html(ctx, 503, "<html><head><title>503 Service Unavailable</title></head><body><h1>503 Service Unavailable</h1><p>Please retry.</p></body></html>"));
            case PhotoFaultKind.Html200:
                return (200, fault, () => Html(ctx, 200, "<!DOCTYPE html><html><head><title>Guest Wi-Fi</title></head><body><h1>Welcome to Guest Wi-Fi</h1><p>Accept the terms to continue.</p></body></html>"));
        }

        if (fault is PhotoFaultKind.EndlessBody or PhotoFaultKind.OversizedBody)
            return (200, fault, () => SendUnboundedAsync(ctx, fault == PhotoFaultKind.EndlessBody ? null : OversizedBytes));

        var photo = _state.Photo(parts[0], parts[1]);
        if (photo is null || photo.Status != "active" || photo.ModelStatus == ModelStatus.Deleted)
            return (404, fault, () => Xml(ctx, 404, "NoSuchKey", "The specified key does not exist."));
        var variant = parts[2][..^4];
        return (200, fault, () => SendPhotoAsync(ctx, photo, variant, fault));
    }

    private async Task SendPhotoAsync(HttpContext ctx, PhotoView photo, string variant, string? fault)
    {
        var target = TargetBytes(variant);
        var core = Image(photo.SeedEmail, photo.Index, variant, target);
        if (fault == PhotoFaultKind.NotJpeg) core = Filler;
        else if (fault == PhotoFaultKind.CorruptJpeg) core = core[..(core.Length / 2)];
        else if (fault == PhotoFaultKind.HugeDimensions) core = WithDimensions(core, HugeSide, HugeSide);
        var padding = target - core.Length >= 4 && fault != PhotoFaultKind.NotJpeg ? target - core.Length : 0;
        var total = core.Length + padding;
        var response = ctx.Response;
        response.StatusCode = 200;
        response.ContentType = "image/jpeg";
        response.ContentLength = total;
        response.Headers.CacheControl = "private, max-age=86400";
        response.Headers.ETag = $"\"{photo.Id}-{variant}-{total}\"";
        if (HttpMethods.IsHead(ctx.Request.Method)) return;

        var limit = fault == PhotoFaultKind.CutMidFile ? total / 2 : total;
        long sent = 0;
        var body = response.Body;
        foreach (var segment in Segments(core, padding))
        {
            var piece = segment;
            while (piece.Length > 0 && sent < limit)
            {
                var size = (int)Math.Min(Math.Min(piece.Length, fault == PhotoFaultKind.Slow ? SlowChunkBytes : 64 * 1024), limit - sent);
                await body.WriteAsync(piece[..size], ctx.RequestAborted).ConfigureAwait(false);
                sent += size;
                piece = piece[size..];
                if (fault == PhotoFaultKind.Slow)
                {
                    await body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
                    await Task.Delay(SlowPauseMs, ctx.RequestAborted).ConfigureAwait(false);
                }
            }
            if (sent >= limit) break;
        }
        await body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
        // cut-mid-file: returning short of the Content-Length makes Kestrel close the connection after what was written.
    }

    /// <summary>
    /// What a misconfigured host or proxy sends: <c>image/jpeg</c> headers, then a chunked body that never ends (the
    /// length null), or one of <paramref name="length"/> bytes announced in <c>Content-Length</c>, sent as fast as the
    /// client reads, until it hangs up.
    /// </summary>
    private static async Task SendUnboundedAsync(HttpContext ctx, long? length)
    {
        var response = ctx.Response;
        response.StatusCode = 200;
        response.ContentType = "image/jpeg";
        response.ContentLength = length;
        if (HttpMethods.IsHead(ctx.Request.Method)) return;
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'x');
        chunk[0] = 0xFF;
        chunk[1] = 0xD8;
        for (var left = length ?? long.MaxValue; left > 0; left -= chunk.Length)
        {
            await response.Body.WriteAsync(chunk.AsMemory(0, (int)Math.Min(left, chunk.Length)), ctx.RequestAborted).ConfigureAwait(false);
            chunk[0] = chunk[1] = (byte)'x';
        }
    }

    /// <summary>The size of an <c>oversized-body</c>: 300 MB, as a proxy's error dump or a wrong object once was.</summary>
    private const long OversizedBytes = 300L * 1024 * 1024;

    /// <summary>The side the huge-dimensions fault's header claims: 60,000×60,000 is 3.6 gigapixels, 10.8 GB decoded.</summary>
    public const int HugeSide = 60_000;

    /// <summary>A copy of <paramref name="jpeg"/> whose frame header (SOF0) claims another size; its data stays as it was.</summary>
    private static byte[] WithDimensions(byte[] jpeg, int width, int height)
    {
        var copy = (byte[])jpeg.Clone();
        for (var i = 2; i + 8 < copy.Length; i += 2 + (copy[i + 2] << 8 | copy[i + 3]))
        {
            if (copy[i + 1] != 0xC0) continue;
            (copy[i + 5], copy[i + 6], copy[i + 7], copy[i + 8]) = ((byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width);
            return copy;
        }
        throw new InvalidOperationException("The photo has no SOF0 segment.");
    }

    private static IEnumerable<ReadOnlyMemory<byte>> Segments(byte[] core, long padding)
    {
        if (core.Length < Jpeg.HeaderBytes || core[0] != 0xFF || core[1] != 0xD8)
        {
            yield return core; // not a JPEG (the not-jpeg fault): as it is, unpadded
            yield break;
        }
        yield return core.AsMemory(0, Jpeg.HeaderBytes);
        foreach (var comment in Jpeg.CommentPadding(padding, Filler)) yield return comment;
        yield return core.AsMemory(Jpeg.HeaderBytes);
    }

    /// <summary>The bytes a variant is padded to: a main photo's <c>--photo-bytes</c>, an original's twice that; a thumbnail's own.</summary>
    public long TargetBytes(string variant) => variant switch { "main" => _state.PhotoBytes, "original" => 2L * _state.PhotoBytes, _ => 0L };

    /// <summary>Bytes a 4:5 portrait with its grain takes per pixel at quality 90, measured; sizes are first guessed from it.</summary>
    private const double BytesPerPixel = 0.31;

    /// <summary>
    /// The pixel size and quality of a variant of <paramref name="target"/> bytes: a thumbnail is 128×160 (quality 75); a
    /// main photo and an original are 4:5 and as large as a JPEG of quality 90 of that many bytes can be (at least
    /// 128×160; 0 bytes: 480×600). The first guess is a little small, so the padding is usually a few percent.
    /// </summary>
    public static (int Width, int Height, int Quality) Shape(string variant, long target)
    {
        if (variant == "thumbnail") return (128, 160, 75);
        if (target == 0) return (480, 600, 90);
        var width = Math.Max(128, (int)(Math.Sqrt(target * 0.9 / BytesPerPixel / 1.25) / 8) * 8);
        return (width, width * 5 / 4, 90);
    }

    /// <summary>The encoded image (without padding) of one photo variant, made from its seed; the last few are kept.</summary>
    public byte[] Image(string seedEmail, int index, string variant, long target)
    {
        var key = $"{seedEmail}#{index}#{variant}#{target}";
        lock (_cacheGate)
        {
            for (var node = _cache.First; node is not null; node = node.Next)
                if (node.Value.Key == key)
                {
                    _cache.Remove(node);
                    _cache.AddFirst(node);
                    return node.Value.Bytes;
                }
        }
        var (w, h, q) = Shape(variant, target);
        var bytes = Jpeg.Encode(w, h, Portrait.Painter(seedEmail, index, w, h), q);
        // A guess that came out over its size: fewer pixels, by the ratio of the overshoot, until it fits.
        while (target > 0 && bytes.Length > target && w > 128)
        {
            w = Math.Max(128, (int)(w * Math.Sqrt((double)target / bytes.Length) * 0.97) / 8 * 8);
            h = w * 5 / 4;
            bytes = Jpeg.Encode(w, h, Portrait.Painter(seedEmail, index, w, h), q);
        }
        lock (_cacheGate)
        {
            _cache.AddFirst((key, bytes));
            _cachedBytes += bytes.Length;
            while (_cache.Count > 1 && _cachedBytes > _cacheBytes)
            {
                _cachedBytes -= _cache.Last!.Value.Bytes.Length;
                _cache.RemoveLast();
            }
        }
        return bytes;
    }

    private static Task Xml(HttpContext ctx, int status, string code, string message, string? allow = null)
    {
        if (allow is not null) ctx.Response.Headers.Allow = allow;
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/xml";
        return ctx.Response.WriteAsync($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{message}</Message></Error>");
    }

    private static Task Html(HttpContext ctx, int status, string html)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "text/html";
        return ctx.Response.WriteAsync(html);
    }
}

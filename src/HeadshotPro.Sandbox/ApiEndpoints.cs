using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Primitives;

namespace HeadshotPro.Sandbox;

/// <summary>The v1 and v2 API: latency, rate limit, key check and injected faults, then the endpoint itself.</summary>
internal sealed partial class ApiEndpoints
{
    private const string HtmlServiceUnavailable =
        "<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center><hr><center>nginx</center></body></html>";

    private const string HtmlUnauthorized =
        "<html><head><title>401 Authorization Required</title></head><body><center><h1>401 Authorization Required</h1></center><hr><center>gateway</center></body></html>";

    private const string HtmlCaptivePortal =
        "<!DOCTYPE html><html><head><title>Guest Wi-Fi</title></head><body><h1>Welcome to Guest Wi-Fi</h1><form method=\"post\" action=\"/login\"><label><input type=\"checkbox\" name=\"terms\"> I accept the terms of use</label><button>Connect</button></form></body></html>";

    private const int HugePaddingBytes = 50 * 1024 * 1024;

    private static readonly string[] RateLimitHeaders = { "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset" };

    private readonly SandboxState _state;
    private readonly CancellationToken _stopping;
    private readonly PhotoHost _photos;

    public ApiEndpoints(SandboxState state, PhotoHost photos, CancellationToken stopping)
    {
        _state = state;
        _photos = photos;
        _stopping = stopping;
    }

    private readonly record struct Reply(int Status, object Body, string? Allow = null);

    /// <summary>What a request gets: a status for the journal, and how to send it (or drop the connection).</summary>
    private readonly record struct Outcome(int Status, Func<HttpContext, Task> Send)
    {
        public static readonly Outcome Dropped = new(0, ctx => { ctx.Abort(); return Task.CompletedTask; });

        public static Outcome Reply(int status, object body, string? retryAfter = null, string? allow = null) => new(status, ctx =>
        {
            if (retryAfter is not null) ctx.Response.Headers.RetryAfter = retryAfter;
            if (allow is not null) ctx.Response.Headers.Allow = allow;
            return Json.Write(ctx, status, body);
        });

        public static Outcome Html(int status, string html, bool withRateLimitHeaders = true, string? location = null) => new(status, ctx =>
        {
            if (!withRateLimitHeaders) foreach (var h in RateLimitHeaders) ctx.Response.Headers.Remove(h);
            if (location is not null) ctx.Response.Headers.Location = location;
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = "text/html";
            return ctx.Response.WriteAsync(html);
        });
    }

    public async Task HandleAsync(HttpContext ctx)
    {
        ctx.Response.OnCompleted(() =>
        {
            _state.Handled(); // after the answer went out, so an outage it brings on cuts the others, not this one
            return Task.CompletedTask;
        });
        _state.EnterRequest();
        try
        {
            string? fault = null;
            Outcome outcome;
            try
            {
                (outcome, fault) = await DecideAsync(ctx).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException || e is OperationCanceledException && (ctx.RequestAborted.IsCancellationRequested || _stopping.IsCancellationRequested))
            {
                outcome = Outcome.Dropped; // the client left before its request was whole, or cancelOnDisconnect, or shutdown
            }
            // Journaled before the client can see the answer, so the journal is in the order clients got their answers.
            var request = ctx.Request;
            _state.Record(new JournalEntry(request.Method, request.PathBase + request.Path, outcome.Status, _state.Now,
                request.Headers.Authorization.Count > 0 ? "present" : "absent", fault,
                request.Headers.Expect.Count > 0 ? request.Headers.Expect.ToString() : null, request.ContentType,
                ctx.RequestAborted.IsCancellationRequested));
            try
            {
                await outcome.Send(ctx).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException && ctx.RequestAborted.IsCancellationRequested)
            {
            }
        }
        finally
        {
            _state.LeaveRequest();
        }
    }

    private async Task<(Outcome, string? Fault)> DecideAsync(HttpContext ctx)
    {
        // Counted on arrival, so the state shows requests that are still waiting out the latency.
        var key = BearerToken(ctx.Request);
        var rate = _state.CountRequest(key ?? "", DateTime.UtcNow);
        await Json.BufferAsync(ctx.Request).ConfigureAwait(false);
        var latency = _state.DrawLatencyMs();
        if (latency > 0) await WaitLatencyAsync(ctx, latency).ConfigureAwait(false);
        if (rate.Enabled)
        {
            ctx.Response.Headers["X-RateLimit-Limit"] = rate.Limit.ToString(CultureInfo.InvariantCulture);
            ctx.Response.Headers["X-RateLimit-Remaining"] = rate.Remaining.ToString(CultureInfo.InvariantCulture);
            ctx.Response.Headers["X-RateLimit-Reset"] = ResetHeader(rate.Reset);
        }
        if (!rate.Allowed)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling((rate.Reset - DateTime.UtcNow).TotalSeconds));
            return (Outcome.Reply(429, Json.Error($"Rate limit exceeded: {rate.Limit} requests per window. Retry after {seconds} s.", "RATE_LIMIT_EXCEEDED"),
                retryAfter: seconds.ToString(CultureInfo.InvariantCulture)), null);
        }
        if (key is null || !string.Equals(key, _state.ApiKey, StringComparison.Ordinal))
            return (Outcome.Reply(401, Json.Error("Missing or invalid API key.", "UNAUTHORIZED")), null);

        var fault = _state.DrawFault();
        if (Refusal(fault, ctx.Request) is { } refusal) return (refusal, fault);
        if (fault == FaultKind.RateLimitOutlier && rate.Enabled)
        {
            // Another node's (or a cache's) view of the window: spent, and resetting half an hour after the real one.
            ctx.Response.Headers["X-RateLimit-Remaining"] = "0";
            ctx.Response.Headers["X-RateLimit-Reset"] = ResetHeader(rate.Reset.AddMinutes(30));
        }
        var reply = await RouteAsync(ctx).ConfigureAwait(false);
        return (Delivery(fault, reply), fault);
    }

    /// <summary>A real server finishes what it started when the client hangs up; only <c>cancelOnDisconnect</c> (or shutdown) stops the wait.</summary>
    /// <summary>
    /// Holds a request <paramref name="milliseconds"/> from its arrival; a lower latency set meanwhile shortens the hold
    /// to it, so a test that holds requests until enough are in flight can release them.
    /// </summary>
    private async Task WaitLatencyAsync(HttpContext ctx, int milliseconds)
    {
        var arrived = Stopwatch.StartNew();
        while (true)
        {
            var lowered = _state.LatencyLowered;
            var left = Math.Min(milliseconds, _state.LatencyMs + _state.LatencyJitterMs) - arrived.ElapsedMilliseconds;
            if (left <= 0) return;
            using var wake = CancellationTokenSource.CreateLinkedTokenSource(_stopping, lowered,
                _state.CancelOnDisconnect ? ctx.RequestAborted : CancellationToken.None);
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(left), wake.Token).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (lowered.IsCancellationRequested && !_stopping.IsCancellationRequested &&
                                                     !(_state.CancelOnDisconnect && ctx.RequestAborted.IsCancellationRequested))
            {
            }
        }
    }

    private StringValues ResetHeader(DateTime realReset)
    {
        var reset = realReset.AddSeconds(_state.ClockSkewSeconds);
        var iso = SandboxState.Iso(reset);
        return _state.ResetHeaderFormat switch
        {
            ResetFormat.UnixSeconds => new DateTimeOffset(reset).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ResetFormat.UnixMs => new DateTimeOffset(reset).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            ResetFormat.DeltaSeconds => Math.Max(0, (int)Math.Ceiling((realReset - DateTime.UtcNow).TotalSeconds)).ToString(CultureInfo.InvariantCulture),
            ResetFormat.Huge => "1e300",
            ResetFormat.Infinity => "Infinity",
            ResetFormat.Garbage => "soon",
            ResetFormat.Negative => "-5",
            ResetFormat.Multiple => new StringValues(new[] { iso, iso }),
            _ => iso,
        };
    }

    /// <summary>Faults that answer instead of the endpoint: the request is not processed.</summary>
    private Outcome? Refusal(string? fault, HttpRequest request) => fault switch
    {
        FaultKind.DropBeforeProcessing => Outcome.Dropped,
        FaultKind.Retry429 => Outcome.Reply(429, Json.Error("Rate limit exceeded (injected fault).", "RATE_LIMIT_EXCEEDED"), retryAfter: "1"),
        FaultKind.Html503 => Outcome.Html(503, HtmlServiceUnavailable, withRateLimitHeaders: false),
        FaultKind.Http408 => Outcome.Reply(408, Json.Error("The server timed out waiting for the request.", "REQUEST_TIMEOUT")),
        FaultKind.Http500 => Outcome.Reply(500, Json.Error("Internal server error.")),
        FaultKind.Http502 => Outcome.Reply(502, Json.Error("Bad gateway: the upstream service did not answer.")),
        FaultKind.Http504 => Outcome.Reply(504, Json.Error("Gateway timeout: the upstream service took too long.")),
        FaultKind.MessageNotError => Outcome.Reply(500, new { success = false, message = "Something went wrong on our side." }),
        FaultKind.NoCode => Outcome.Reply(500, Json.Error("An unexpected error occurred.")),
        FaultKind.Empty503 => new(503, ctx =>
        {
            ctx.Response.StatusCode = 503;
            ctx.Response.ContentLength = 0;
            return Task.CompletedTask;
        }),
        FaultKind.RetryAfterSeconds => Unavailable("2"),
        FaultKind.RetryAfterZero => Unavailable("0"),
        FaultKind.RetryAfterDate => Unavailable(SandboxState.HttpDate(_state.Now.AddSeconds(2))),
        FaultKind.RetryAfterLong => Unavailable("86400"),
        FaultKind.Gateway401 => Outcome.Html(401, HtmlUnauthorized, withRateLimitHeaders: false),
        FaultKind.Redirect => Outcome.Html(307, "<html><body>Moved: <a href=\"" + LoginLocation(request) + "\">sign in</a></body></html>", location: LoginLocation(request)),
        _ => null,
    };

    private static Outcome Unavailable(string retryAfter) =>
        Outcome.Reply(503, Json.Error("The service is temporarily unavailable."), retryAfter: retryAfter);

    private static string LoginLocation(HttpRequest request) => "https://login.example.net" + request.PathBase + request.Path + request.QueryString;

    /// <summary>How the endpoint's answer reaches the client, after the request was processed.</summary>
    private static Outcome Delivery(string? fault, Reply reply) => fault switch
    {
        FaultKind.DropAfterProcessing => Outcome.Dropped,
        FaultKind.Garbled200 => Outcome.Html(200, HtmlCaptivePortal),
        FaultKind.Truncated200 => new(reply.Status, ctx => WriteTruncatedAsync(ctx, reply)),
        FaultKind.UnknownCharset => new(reply.Status, ctx => WriteBytesAsync(ctx, reply, "application/json; charset=x-klingon", Json.Bytes(reply.Body))),
        FaultKind.Huge200 => new(reply.Status, ctx => WriteHugeAsync(ctx, reply)),
        _ => Outcome.Reply(reply.Status, reply.Body, allow: reply.Allow),
    };

    private static Task WriteBytesAsync(HttpContext ctx, Reply reply, string contentType, byte[] bytes)
    {
        if (reply.Allow is not null) ctx.Response.Headers.Allow = reply.Allow;
        ctx.Response.StatusCode = reply.Status;
        ctx.Response.ContentType = contentType;
        ctx.Response.ContentLength = bytes.Length;
        return ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted).AsTask();
    }

    /// <summary>Headers promising the whole body, half of it, then the connection closes.</summary>
    private static async Task WriteTruncatedAsync(HttpContext ctx, Reply reply)
    {
        var bytes = Json.Bytes(reply.Body);
        ctx.Response.StatusCode = reply.Status;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        ctx.Response.ContentLength = bytes.Length;
        await ctx.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2), ctx.RequestAborted).ConfigureAwait(false);
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
        // Returning short of the Content-Length makes Kestrel send what was written and then close the connection
        // (logging the mismatch); ctx.Abort() here would race the bytes still queued for the socket.
    }

    /// <summary>The endpoint's JSON object with a ~50 MB <c>padding</c> string added, streamed.</summary>
    private static async Task WriteHugeAsync(HttpContext ctx, Reply reply)
    {
        var json = Json.Bytes(reply.Body);
        var head = json.AsMemory(0, json.Length - 1); // without the closing brace
        var open = ",\"padding\":\""u8.ToArray();
        var close = "\"}"u8.ToArray();
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'x');
        ctx.Response.StatusCode = reply.Status;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        ctx.Response.ContentLength = head.Length + open.Length + HugePaddingBytes + close.Length;
        var body = ctx.Response.Body;
        await body.WriteAsync(head, ctx.RequestAborted).ConfigureAwait(false);
        await body.WriteAsync(open, ctx.RequestAborted).ConfigureAwait(false);
        for (var left = HugePaddingBytes; left > 0; left -= chunk.Length)
            await body.WriteAsync(chunk.AsMemory(0, Math.Min(left, chunk.Length)), ctx.RequestAborted).ConfigureAwait(false);
        await body.WriteAsync(close, ctx.RequestAborted).ConfigureAwait(false);
    }

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : null;
    }

    private Task<Reply> RouteAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value?.TrimEnd('/') ?? "";
        var method = ctx.Request.Method;
        const string invitePrefix = "/v1/organization/invite/id/";
        if (IsV2(path)) return RouteV2Async(ctx, path);

        return path switch
        {
            "/v1/organization/credits" => Allow(method, _state.CreditsMethods, () => Task.FromResult(Credits())),
            "/v1/organization" => Allow(method, "GET", () => Task.FromResult(Organization())),
            "/v1/organization/invite" => Allow(method, "POST", () => InviteAsync(ctx.Request)),
            "/v1/organization/invite/revoke" => Allow(method, "POST", () => RevokeAsync(ctx.Request)),
            "/v1/organization/invites" => Allow(method, "GET", () => Task.FromResult(ListInvites())),
            _ when path.StartsWith(invitePrefix, StringComparison.Ordinal) && path.Length > invitePrefix.Length && path.IndexOf('/', invitePrefix.Length) < 0 =>
                Allow(method, "GET", () => Task.FromResult(GetInvite(Uri.UnescapeDataString(path[invitePrefix.Length..])))),
            _ => Task.FromResult(new Reply(404, Json.Error($"No endpoint at {ctx.Request.PathBase}{ctx.Request.Path}.", "NOT_FOUND"))),
        };
    }

    private static Task<Reply> Allow(string method, string allowed, Func<Task<Reply>> handler)
    {
        foreach (var m in allowed.Split(", "))
            if (string.Equals(m, method, StringComparison.OrdinalIgnoreCase)) return handler();
        return Task.FromResult(new Reply(405, Json.Error($"Method {method} is not allowed here; use {allowed}.", "METHOD_NOT_ALLOWED"), allowed));
    }

    private Reply Credits() => new(200, new { success = true, credits = _state.Credits });

    private Reply Organization()
    {
        var org = _state.Organization;
        return new(200, new
        {
            success = true,
            organization = new { uid = org.Uid, name = org.Name, website = org.Website, teams = org.Teams.Select(t => new { id = t.Id, name = t.Name }) },
        });
    }

    private async Task<Reply> InviteAsync(HttpRequest request)
    {
        var body = await Json.ReadAsync(request).ConfigureAwait(false);
        if (body.Error is not null) return new(body.ErrorStatus, body.Error);
        var email = Json.String(body.Root, "email");
        if (email is null) return new(400, Json.Error("The body must have an 'email' string.", "INVALID_REQUEST"));
        if (!IsValidEmail(email)) return new(400, Json.Error($"'{email}' is not a valid email address.", "INVALID_EMAIL"));
        string? teamId = null;
        if (body.Root.TryGetProperty("teamId", out var team) && team.ValueKind != System.Text.Json.JsonValueKind.Null)
        {
            teamId = team.ValueKind == System.Text.Json.JsonValueKind.String ? team.GetString() : null;
            if (string.IsNullOrEmpty(teamId)) return new(400, Json.Error("'teamId' must be a team id string.", "INVALID_REQUEST"));
        }

        var (outcome, invite) = _state.CreateInvite(email, teamId);
        return outcome switch
        {
            InviteOutcome.Created when teamId is null => new(200, new { success = true, input = new { email }, message = "Invite sent", link = invite!.Link, id = invite.Id }),
            InviteOutcome.Created => new(200, new { success = true, input = new { email }, message = "Invite sent", link = invite!.Link, id = invite.Id, teamId }),
            InviteOutcome.UnknownTeam => new(404, Json.Error($"Team '{teamId}' does not exist in this organization.", "NOT_FOUND")),
            InviteOutcome.AlreadyExists => new(400, Json.Error($"An invite for {email} already exists.", "ALREADY_EXISTS")),
            InviteOutcome.UserExists => new(400, Json.Error("A user with this email already exists.", "USER_EXISTS")),
            InviteOutcome.InviteLimitExceeded => new(429, Json.Error("Too many pending invites. Revoke some or wait until people accept theirs.", "INVITE_LIMIT_EXCEEDED")),
            _ => new(402, Json.Error("Not enough credits to send an invite.", "INSUFFICIENT_CREDITS")),
        };
    }

    private async Task<Reply> RevokeAsync(HttpRequest request)
    {
        var body = await Json.ReadAsync(request).ConfigureAwait(false);
        if (body.Error is not null) return new(body.ErrorStatus, body.Error);
        var email = Json.String(body.Root, "email");
        if (email is null) return new(400, Json.Error("The body must have an 'email' string.", "INVALID_REQUEST"));
        return _state.RevokeInvite(email) == RevokeOutcome.Revoked
            ? new(200, new { success = true, message = "Invite revoked", input = new { email } })
            : new(404, Json.Error($"No open invite for {email}.", "NOT_FOUND"));
    }

    private Reply GetInvite(string id)
    {
        var invite = _state.FindInvite(id);
        if (invite is null) return new(404, Json.Error($"No invite with id '{id}'.", "NOT_FOUND"));
        var email = invite.Used && invite.ActiveEmail is not null ? invite.ActiveEmail : invite.Email;
        return new(200, new { success = true, invite = new { email, status = invite.Status } });
    }

    private Reply ListInvites()
    {
        var withExpiry = _state.InviteExpiresAtField;
        return new(200, new
        {
            success = true,
            invites = _state.ListInvites().Select(i =>
            {
                var item = new Dictionary<string, object?> { ["id"] = i.Id, ["email"] = i.Email, ["valid"] = i.Valid, ["teamId"] = i.TeamId, ["createdAt"] = i.CreatedAt };
                if (withExpiry) item["expiresAt"] = i.ExpiresAt;
                item["used"] = i.Used;
                item["link"] = i.Link;
                return item;
            }),
        });
    }

    [GeneratedRegex(@"^[^\s@""(),:;<>\[\]\\]+@[^\s@""(),:;<>\[\]\\]+\.[^\s@""(),:;<>\[\]\\.]{2,}$")]
    private static partial Regex EmailPattern();

    public static bool IsValidEmail(string email) => email.Length <= 254 && EmailPattern().IsMatch(email);
}

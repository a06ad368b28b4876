using System.Globalization;
using System.Text.RegularExpressions;

namespace HeadshotPro.Sandbox;

/// <summary>The v1 API: latency, rate limit, key check and injected faults, then the endpoint itself.</summary>
internal sealed partial class ApiEndpoints
{
    private const string HtmlServiceUnavailable =
        "<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center><hr><center>nginx</center></body></html>";

    private readonly SandboxState _state;

    public ApiEndpoints(SandboxState state) => _state = state;

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
    }

    public async Task HandleAsync(HttpContext ctx)
    {
        string? fault = null;
        Outcome outcome;
        try
        {
            (outcome, fault) = await DecideAsync(ctx).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            outcome = Outcome.Dropped; // the client went away while we waited
        }
        // Journaled before the client can see the answer, so the journal is in the order clients got their answers.
        var authorization = ctx.Request.Headers.Authorization.Count > 0 ? "present" : "absent";
        _state.Record(new JournalEntry(ctx.Request.Method, ctx.Request.PathBase + ctx.Request.Path, outcome.Status, DateTime.UtcNow, authorization, fault));
        await outcome.Send(ctx).ConfigureAwait(false);
    }

    private async Task<(Outcome, string? Fault)> DecideAsync(HttpContext ctx)
    {
        // Counted on arrival, so the state shows requests that are still waiting out the latency.
        var key = BearerToken(ctx.Request);
        var rate = _state.CountRequest(key ?? "", DateTime.UtcNow);
        if (_state.LatencyMs > 0) await Task.Delay(_state.LatencyMs, ctx.RequestAborted).ConfigureAwait(false);
        if (rate.Enabled)
        {
            ctx.Response.Headers["X-RateLimit-Limit"] = rate.Limit.ToString(CultureInfo.InvariantCulture);
            ctx.Response.Headers["X-RateLimit-Remaining"] = rate.Remaining.ToString(CultureInfo.InvariantCulture);
            ctx.Response.Headers["X-RateLimit-Reset"] = SandboxState.Iso(rate.Reset);
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
        switch (fault)
        {
            case FaultKind.DropBeforeProcessing:
                return (Outcome.Dropped, fault);
            case FaultKind.Retry429:
                return (Outcome.Reply(429, Json.Error("Rate limit exceeded (injected fault).", "RATE_LIMIT_EXCEEDED"), retryAfter: "1"), fault);
            case FaultKind.Html503:
                return (new Outcome(503, c =>
                {
                    c.Response.StatusCode = 503;
                    c.Response.ContentType = "text/html";
                    return c.Response.WriteAsync(HtmlServiceUnavailable);
                }), fault);
        }

        var reply = await RouteAsync(ctx).ConfigureAwait(false);
        return fault == FaultKind.DropAfterProcessing
            ? (Outcome.Dropped, fault)
            : (Outcome.Reply(reply.Status, reply.Body, allow: reply.Allow), fault);
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
            InviteOutcome.UnknownTeam => new(400, Json.Error($"Team '{teamId}' does not exist in this organization.", "INVALID_REQUEST")),
            InviteOutcome.AlreadyExists => new(400, Json.Error($"An invite for {email} already exists.", "ALREADY_EXISTS")),
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

    private Reply ListInvites() => new(200, new
    {
        success = true,
        invites = _state.ListInvites().Select(i => new { id = i.Id, email = i.Email, valid = i.Valid, teamId = i.TeamId, createdAt = i.CreatedAt, used = i.Used, link = i.Link }),
    });

    [GeneratedRegex(@"^[^\s@""(),:;<>\[\]\\]+@[^\s@""(),:;<>\[\]\\]+\.[^\s@""(),:;<>\[\]\\.]{2,}$")]
    private static partial Regex EmailPattern();

    public static bool IsValidEmail(string email) => email.Length <= 254 && EmailPattern().IsMatch(email);
}

using System.Text.Json;

namespace HeadshotPro.Sandbox;

/// <summary>The <c>/sandbox/</c> controls: state, reset, credits, settings, invite and people lifecycle, journals. Same key as the API.</summary>
internal sealed class ControlEndpoints
{
    private readonly SandboxState _state;

    public ControlEndpoints(SandboxState state) => _state = state;

    public async Task HandleAsync(HttpContext ctx)
    {
        var header = ctx.Request.Headers.Authorization.ToString();
        if (!string.Equals(header, "Bearer " + _state.ApiKey, StringComparison.Ordinal))
        {
            await Json.Write(ctx, 401, Json.Error("The sandbox controls need the sandbox's API key as a Bearer token.", "UNAUTHORIZED")).ConfigureAwait(false);
            return;
        }

        var path = ctx.Request.Path.Value?.TrimEnd('/') ?? "";
        var (status, body) = (ctx.Request.Method, path) switch
        {
            ("GET", "/state") => (200, _state.Snapshot()),
            ("POST", "/reset") => Reset(),
            ("POST", "/credits") => await SetCreditsAsync(ctx.Request).ConfigureAwait(false),
            ("POST", "/settings") => await SetSettingsAsync(ctx.Request).ConfigureAwait(false),
            ("GET", "/journal") => (200, new { success = true, journal = _state.Journal().Select(Entry) }),
            ("GET", "/photo-journal") => (200, new { success = true, journal = _state.PhotoJournal().Select(PhotoEntry) }),
            ("GET", "/webhooks") => (200, _state.WebhookSettings()),
            ("POST", "/webhooks/send") => await SendWebhookAsync(ctx.Request).ConfigureAwait(false),
            ("POST", "/invites/age") => await AgeInvitesAsync(ctx.Request).ConfigureAwait(false),
            ("POST", _) when path.StartsWith("/people/", StringComparison.Ordinal) && path.EndsWith("/advance", StringComparison.Ordinal) =>
                await AdvanceAsync(ctx.Request, Uri.UnescapeDataString(path["/people/".Length..^"/advance".Length])).ConfigureAwait(false),
            ("POST", _) when path.StartsWith("/invites/", StringComparison.Ordinal) && path.EndsWith("/status", StringComparison.Ordinal) =>
                await SetStatusAsync(ctx.Request, path["/invites/".Length..^"/status".Length]).ConfigureAwait(false),
            _ => (404, Json.Error("No such control. See docs/sandbox.md.", "NOT_FOUND")),
        };
        await Json.Write(ctx, status, body).ConfigureAwait(false);
    }

    private static object Entry(JournalEntry e) => new
    {
        method = e.Method,
        path = e.Path,
        status = e.Status,
        time = SandboxState.Iso(e.Time),
        authorization = e.Authorization,
        fault = e.Fault,
        expect = e.Expect,
        contentType = e.ContentType,
        clientGone = e.ClientGone,
    };

    private static object PhotoEntry(PhotoJournalEntry e) => new
    {
        method = e.Method,
        path = e.Path,
        status = e.Status,
        time = SandboxState.Iso(e.Time),
        authorization = e.Authorization,
        fault = e.Fault,
    };

    private async Task<(int, object)> AdvanceAsync(HttpRequest request, string email)
    {
        var body = await Json.ReadAsync(request).ConfigureAwait(false);
        if (body.Error is not null) return (body.ErrorStatus, body.Error);
        var root = body.Root;
        if (root.ValueKind != JsonValueKind.Object) return Bad("Send a JSON object: {\"to\": \"completed\", \"favorite\": true, \"photos\": 8}");
        var to = Json.String(root, "to");
        if (to is null || !Stage.AdvanceTargets.Contains(to)) return Bad($"to must be one of: {string.Join(", ", Stage.AdvanceTargets)}");
        bool? favorite = null;
        if (root.TryGetProperty("favorite", out var fav) && fav.ValueKind != JsonValueKind.Null)
        {
            if (fav.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) return Bad("favorite must be true or false");
            favorite = fav.GetBoolean();
        }
        if (!TryInt(root, "photos", out var photos) || photos is < 1 or > 1000) return Bad("photos must be a whole number from 1 to 1000");
        var modelStatus = Json.String(root, "modelStatus");
        if (root.TryGetProperty("modelStatus", out var msp) && msp.ValueKind != JsonValueKind.Null && modelStatus is null) return Bad("modelStatus must be a string");
        if (!TryInt(root, "favoritePhoto", out var favoritePhoto)) return Bad("favoritePhoto must be a whole number");
        var (outcome, invite, message) = _state.Advance(email, new SandboxState.AdvanceRequest(to, favorite, photos, modelStatus, Json.String(root, "activeEmail"), favoritePhoto));
        return outcome switch
        {
            AdvanceOutcome.Moved => (200, new { success = true, invite }),
            AdvanceOutcome.NotFound => (404, Json.Error(message!, "NOT_FOUND")),
            AdvanceOutcome.Backwards or AdvanceOutcome.Expired => (409, Json.Error(message!, "CONFLICT")),
            _ => Bad(message!.TrimEnd('.')),
        };
    }

    private (int, object) Reset()
    {
        _state.Reset();
        return (200, new { success = true });
    }

    private async Task<(int, object)> SetCreditsAsync(HttpRequest request)
    {
        var body = await Json.ReadAsync(request).ConfigureAwait(false);
        if (body.Error is not null) return (body.ErrorStatus, body.Error);
        if (body.Root.ValueKind != JsonValueKind.Object || !body.Root.TryGetProperty("credits", out var given) || given.ValueKind != JsonValueKind.Number || !given.TryGetDecimal(out var credits) || credits < 0)
            return (400, Json.Error("Send {\"credits\": N} with N >= 0 (fractions allowed, e.g. 12.75).", "INVALID_REQUEST"));
        _state.SetCredits(credits);
        return (200, new { success = true, credits });
    }

    private async Task<(int, object)> SetSettingsAsync(HttpRequest request)
    {
        var body = await Json.ReadAsync(request).ConfigureAwait(false);
        if (body.Error is not null) return (body.ErrorStatus, body.Error);
        var root = body.Root;
        if (root.ValueKind != JsonValueKind.Object) return (400, Json.Error("Send a JSON object of settings.", "INVALID_REQUEST"));

        var known = new[] { "latencyMs", "rateLimit", "rateWindowSeconds", "faultRate", "faultSeed", "inviteLimit", "nextFaults", "creditsMethods",
            "clockSkewSeconds", "cancelOnDisconnect", "resetHeaderFormat", "lifecycleSeconds", "photoLinkSeconds", "photoFaults", "photoFaultRate",
            "photoLatencyMs", "webhookUrl", "webhookSecret", "webhookRetrySchedule", "listOrder", "personalAddressShare", "pagingFault", "shrinkWindowSeconds", "outageAfterRequests", "outageSeconds",
            "inviteLinkDays", "inviteExpiresAtField", "existingUsers", "downloadLinksLimit", "latencyJitterMs" };
        foreach (var p in root.EnumerateObject())
            if (!known.Contains(p.Name)) return (400, Json.Error($"Unknown setting '{p.Name}'. Known: {string.Join(", ", known)}.", "INVALID_REQUEST"));

        if (!TryInt(root, "latencyMs", out var latency) || latency < 0) return Bad("latencyMs must be a whole number >= 0");
        if (!TryInt(root, "latencyJitterMs", out var latencyJitter) || latencyJitter < 0) return Bad("latencyJitterMs must be a whole number >= 0");
        if (!TryInt(root, "rateLimit", out var rateLimit) || rateLimit < 0) return Bad("rateLimit must be a whole number >= 0 (0 turns it off)");
        if (!TryInt(root, "rateWindowSeconds", out var window) || window < 1) return Bad("rateWindowSeconds must be a whole number >= 1");
        if (!TryInt(root, "faultSeed", out var seed)) return Bad("faultSeed must be a whole number");
        if (!TryInt(root, "inviteLimit", out var inviteLimit) || inviteLimit < 0) return Bad("inviteLimit must be a whole number >= 0, or null for no limit");
        if (!TryRate(root, "faultRate", out var faultRate)) return Bad("faultRate must be a number from 0 to 1");
        if (!TryKinds(root, "nextFaults", FaultKind.Scriptable, out var nextFaults, out var unknownFault))
            return Bad(unknownFault is null ? "nextFaults must be an array of fault kinds" : $"unknown fault kind '{unknownFault}'; known: {string.Join(", ", FaultKind.Scriptable)}");

        if (!TryInt(root, "clockSkewSeconds", out var skew) || skew is < -86_400 or > 86_400) return Bad("clockSkewSeconds must be a whole number from -86400 to 86400");
        bool? cancelOnDisconnect = null;
        if (root.TryGetProperty("cancelOnDisconnect", out var cod))
        {
            if (cod.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) return Bad("cancelOnDisconnect must be true or false");
            cancelOnDisconnect = cod.GetBoolean();
        }
        var resetFormat = Json.String(root, "resetHeaderFormat");
        if (root.TryGetProperty("resetHeaderFormat", out _) && !ResetFormat.All.Contains(resetFormat))
            return Bad($"resetHeaderFormat must be one of: {string.Join(", ", ResetFormat.All)}");

        if (!TryInt(root, "lifecycleSeconds", out var lifecycle) || lifecycle is < 0 or > 86_400) return Bad("lifecycleSeconds must be a whole number from 0 (off) to 86400");
        if (!TryInt(root, "photoLinkSeconds", out var linkSeconds) || linkSeconds is < 0 or > 31_536_000) return Bad("photoLinkSeconds must be a whole number from 0 to 31536000");
        if (!TryInt(root, "photoLatencyMs", out var photoLatency) || photoLatency < 0) return Bad("photoLatencyMs must be a whole number >= 0");
        if (!TryRate(root, "photoFaultRate", out var photoFaultRate)) return Bad("photoFaultRate must be a number from 0 to 1");
        if (!TryKinds(root, "photoFaults", PhotoFaultKind.All, out var photoFaults, out var unknownPhotoFault))
            return Bad(unknownPhotoFault is null ? "photoFaults must be an array of photo fault kinds" : $"unknown photo fault kind '{unknownPhotoFault}'; known: {string.Join(", ", PhotoFaultKind.All)}");

        var listOrder = Json.String(root, "listOrder");
        if (root.TryGetProperty("listOrder", out _) && !ListOrder.All.Contains(listOrder))
            return Bad($"listOrder must be one of: {string.Join(", ", ListOrder.All)}");
        if (!TryRate(root, "personalAddressShare", out var personalShare)) return Bad("personalAddressShare must be a number from 0 to 1");
        if (!TryInt(root, "shrinkWindowSeconds", out var shrinkWindow) || shrinkWindow is < 1 or > 86_400)
            return Bad("shrinkWindowSeconds must be a whole number from 1 to 86400");
        var setOutageAfter = root.TryGetProperty("outageAfterRequests", out _);
        if (!TryInt(root, "outageAfterRequests", out var outageAfter) || outageAfter < 1)
            return Bad("outageAfterRequests must be a whole number from 1, or null for no outage");
        var setOutageSeconds = root.TryGetProperty("outageSeconds", out var os);
        double? outageSeconds = setOutageSeconds && os.ValueKind == JsonValueKind.Number ? os.GetDouble() : null;
        if (setOutageSeconds && os.ValueKind != JsonValueKind.Null && outageSeconds is not (> 0 and <= 86_400))
            return Bad("outageSeconds must be a number of seconds above 0, up to 86400, or null for an outage until the process ends");
        var setPagingFault = root.TryGetProperty("pagingFault", out var pf);
        var pagingFault = Json.String(root, "pagingFault");
        if (setPagingFault && pf.ValueKind != JsonValueKind.Null && !PagingFaultKind.All.Contains(pagingFault))
            return Bad($"pagingFault must be null or one of: {string.Join(", ", PagingFaultKind.All)}");

        if (!TryDays(root, "inviteLinkDays", out var inviteLinkDays)) return Bad("inviteLinkDays must be a number of days above 0, up to 3650");
        bool? inviteExpiresAtField = null;
        if (root.TryGetProperty("inviteExpiresAtField", out var ief))
        {
            if (ief.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) return Bad("inviteExpiresAtField must be true or false");
            inviteExpiresAtField = ief.GetBoolean();
        }
        List<string>? existingUsers = null;
        if (root.TryGetProperty("existingUsers", out var eu))
        {
            if (eu.ValueKind != JsonValueKind.Array || eu.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
                return Bad("existingUsers must be an array of addresses (that already belong to a HeadshotPro user)");
            existingUsers = eu.EnumerateArray().Select(e => e.GetString()!).ToList();
        }
        var setDownloadLinksLimit = root.TryGetProperty("downloadLinksLimit", out _);
        if (!TryInt(root, "downloadLinksLimit", out var downloadLinksLimit) || downloadLinksLimit < 1)
            return Bad("downloadLinksLimit must be a whole number from 1, or null for no limit");

        var creditsMethods = Json.String(root, "creditsMethods");
        if (root.TryGetProperty("creditsMethods", out _) && creditsMethods is not ("GET" or "POST" or "GET, POST"))
            return Bad("creditsMethods must be \"GET\", \"POST\" or \"GET, POST\"");

        var setWebhookUrl = root.TryGetProperty("webhookUrl", out var wu);
        string? webhookUrl = null, webhookSecret = null;
        double[]? webhookSchedule = null;
        try
        {
            if (setWebhookUrl && wu.ValueKind != JsonValueKind.Null)
                webhookUrl = WebhookRules.Url("webhookUrl", wu.ValueKind == JsonValueKind.String ? wu.GetString()! : wu.ToString());
            if (root.TryGetProperty("webhookSecret", out var ws))
                webhookSecret = WebhookRules.Secret("webhookSecret", ws.ValueKind == JsonValueKind.String ? ws.GetString()! : "");
            if (root.TryGetProperty("webhookRetrySchedule", out var wr))
                webhookSchedule = wr.ValueKind == JsonValueKind.String ? WebhookRules.Schedule("webhookRetrySchedule", wr.GetString()!)
                    : throw new ArgumentException("webhookRetrySchedule must be a string of seconds separated by commas, like \"0,300,900,3600\"");
        }
        catch (ArgumentException e)
        {
            return Bad(e.Message);
        }

        _state.Apply(new SandboxState.SettingsChange(latency, rateLimit, window, faultRate, seed,
            root.TryGetProperty("inviteLimit", out _), inviteLimit, nextFaults, creditsMethods, skew, cancelOnDisconnect, resetFormat,
            lifecycle, linkSeconds, photoFaults, photoFaultRate, photoLatency, setWebhookUrl, webhookUrl, webhookSecret, webhookSchedule,
            listOrder, personalShare,
            setPagingFault, pagingFault, shrinkWindow, setOutageAfter, outageAfter, setOutageSeconds, outageSeconds,
            inviteLinkDays, inviteExpiresAtField, existingUsers, setDownloadLinksLimit, downloadLinksLimit, latencyJitter));
        return (200, _state.Snapshot());
    }

    /// <summary><c>POST /sandbox/webhooks/send {event, email|modelId, tamper?, seconds?}</c>: one event now, true or tampered.</summary>
    private async Task<(int, object)> SendWebhookAsync(HttpRequest request)
    {
        var body = await Json.ReadAsync(request).ConfigureAwait(false);
        if (body.Error is not null) return (body.ErrorStatus, body.Error);
        var root = body.Root;
        if (root.ValueKind != JsonValueKind.Object) return Bad("Send a JSON object: {\"event\": \"model.photos_ready\", \"email\": \"ann@contoso.example\", \"tamper\": \"stale\"}");
        var eventName = Json.String(root, "event");
        if (eventName is null || !System.Text.RegularExpressions.Regex.IsMatch(eventName, @"^[a-z_]+(\.[a-z_]+)+$"))
            return Bad("event must be an event name like model.photos_ready (any such name; unknown ones test receivers)");
        var email = Json.String(root, "email");
        var modelId = Json.String(root, "modelId");
        if ((email is null) == (modelId is null)) return Bad("give email or modelId");
        var tamper = Json.String(root, "tamper");
        if (root.TryGetProperty("tamper", out var tp) && tp.ValueKind != JsonValueKind.Null && (tamper is null || !WebhookTamper.All.Contains(tamper)))
            return Bad($"tamper must be one of: {string.Join(", ", WebhookTamper.All)}");
        double seconds = 0;
        if (root.TryGetProperty("seconds", out var sp) && sp.ValueKind != JsonValueKind.Null)
        {
            if (sp.ValueKind != JsonValueKind.Number || sp.GetDouble() is < 1 or > 31_536_000) return Bad("seconds (how far a stale or future timestamp is off) must be a number from 1 to 31536000");
            seconds = sp.GetDouble();
        }
        return _state.SendWebhook(eventName, email, modelId, tamper, seconds);
    }

    /// <summary><c>POST /sandbox/invites/age {days, email?}</c>: invites become that much older (one address's, or all).</summary>
    private async Task<(int, object)> AgeInvitesAsync(HttpRequest request)
    {
        var body = await Json.ReadAsync(request).ConfigureAwait(false);
        if (body.Error is not null) return (body.ErrorStatus, body.Error);
        var root = body.Root;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("days", out _) || !TryDays(root, "days", out var days))
            return Bad("Send {\"days\": N} (above 0, up to 3650; fractions allowed) and optionally \"email\": the invited address whose invites age");
        var email = Json.String(root, "email");
        var aged = _state.AgeInvites(days!.Value, email);
        return aged is null ? (404, Json.Error($"No invite for {email}.", "NOT_FOUND")) : (200, new { success = true, invites = aged });
    }

    private async Task<(int, object)> SetStatusAsync(HttpRequest request, string id)
    {
        var body = await Json.ReadAsync(request).ConfigureAwait(false);
        if (body.Error is not null) return (body.ErrorStatus, body.Error);
        var status = Json.String(body.Root, "status");
        if (status is null || !InviteStatus.All.Contains(status))
            return Bad($"status must be one of: {string.Join(", ", InviteStatus.All)}");
        try
        {
            var invite = _state.SetInviteStatus(Uri.UnescapeDataString(id), status, Json.String(body.Root, "activeEmail"));
            return invite is null
                ? (404, Json.Error($"No invite with id '{id}'.", "NOT_FOUND"))
                : (200, new { success = true, invite });
        }
        catch (InvalidOperationException e)
        {
            return (409, Json.Error(e.Message, "CONFLICT"));
        }
    }

    private static (int, object) Bad(string message) => (400, Json.Error(message + ".", "INVALID_REQUEST"));

    /// <summary>False when the property is there but not a number from 0 to 1; value null when absent.</summary>
    private static bool TryRate(JsonElement root, string name, out double? value)
    {
        value = null;
        if (!root.TryGetProperty(name, out var p)) return true;
        if (p.ValueKind != JsonValueKind.Number || p.GetDouble() is < 0 or > 1) return false;
        value = p.GetDouble();
        return true;
    }

    /// <summary>False when the property is there but not an array of known kinds (<paramref name="unknown"/> names the first stranger); null when absent.</summary>
    private static bool TryKinds(JsonElement root, string name, string[] known, out List<string>? kinds, out string? unknown)
    {
        kinds = null;
        unknown = null;
        if (!root.TryGetProperty(name, out var p)) return true;
        if (p.ValueKind != JsonValueKind.Array) return false;
        kinds = p.EnumerateArray().Select(f => f.ValueKind == JsonValueKind.String ? f.GetString()! : "").ToList();
        unknown = kinds.FirstOrDefault(f => !known.Contains(f));
        return unknown is null;
    }

    /// <summary>False when the property is there but not a number of days above 0, up to 3650; null when absent.</summary>
    private static bool TryDays(JsonElement root, string name, out double? days)
    {
        days = null;
        if (!root.TryGetProperty(name, out var p)) return true;
        if (p.ValueKind != JsonValueKind.Number || p.GetDouble() is not (> 0 and <= 3650)) return false;
        days = p.GetDouble();
        return true;
    }

    /// <summary>False when the property is there but not a whole number; value null when absent or JSON null.</summary>
    private static bool TryInt(JsonElement root, string name, out int? value)
    {
        value = null;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(name, out var p) || p.ValueKind == JsonValueKind.Null) return true;
        if (p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out var n)) { value = n; return true; }
        return false;
    }
}

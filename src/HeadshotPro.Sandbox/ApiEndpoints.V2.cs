using System.Globalization;
using System.Text.Json;

namespace HeadshotPro.Sandbox;

/// <summary>The v2 organization API under <c>/api/v2/organization</c>: the same pipeline as v1 (latency, rate limit, key, faults), then these routes.</summary>
internal sealed partial class ApiEndpoints
{
    private const string V2Prefix = "/v2/organization";
    private const int DefaultLimit = 50;
    private const int MaxLimit = 200;

    private static readonly string[] MemberStatuses = { "accepted", "pending", "finished" };
    private static readonly string[] PhotoStatuses = { "active", "deleted" };
    private static readonly string[] LikedStatuses = { "none", "liked", "loved" };
    private static readonly string[] Includes = { "main", "all" };

    private static bool IsV2(string path) => path == V2Prefix || path.StartsWith(V2Prefix + "/", StringComparison.Ordinal);

    private Task<Reply> RouteV2Async(HttpContext ctx, string path)
    {
        var rest = path[V2Prefix.Length..].TrimStart('/');
        var s = rest.Length == 0 ? Array.Empty<string>() : rest.Split('/').Select(Uri.UnescapeDataString).ToArray();
        var method = ctx.Request.Method;
        var query = ctx.Request.Query;
        if (s.Any(string.IsNullOrEmpty)) return Task.FromResult(NoEndpoint(ctx));
        return s switch
        {
            [] => Allow(method, "GET", () => Done(Organization())),
            ["credits"] => Allow(method, "GET", () => Done(Credits())),
            ["invites"] => Allow(method, "GET, POST", () => method == "GET" ? Done(V2Invites()) : InviteAsync(ctx.Request)),
            ["invites", "revoke"] => Allow(method, "POST", () => RevokeAsync(ctx.Request)),
            ["invites", var email] => Allow(method, "GET", () => Done(V2Invite(email))),
            ["team"] => Allow(method, "GET", () => Done(Members(query))),
            ["team", "accepted" or "pending" or "finished"] => Allow(method, "GET", () => Done(MembersAt(s[1]))),
            ["teams"] => Allow(method, "GET, POST", () => method == "GET" ? Done(Teams()) : CreateTeamAsync(ctx.Request)),
            ["teams", var teamId] => Allow(method, "PUT, DELETE", () => method == "PUT" ? RenameTeamAsync(ctx.Request, teamId) : Done(DeleteTeam(teamId))),
            ["teams", var teamId, "members"] => Allow(method, "POST", () => AssignAsync(ctx.Request, teamId)),
            ["models"] => Allow(method, "GET", () => Done(Models(query))),
            ["models", var modelId] => Allow(method, "GET, DELETE", () => Done(method == "GET" ? OneModel(modelId) : DeleteModel(modelId))),
            ["models", var modelId, "photos"] => Allow(method, "GET", () => Done(ModelPhotos(ctx.Request, modelId))),
            ["models", var modelId, "photos", "favorite"] => Allow(method, "GET", () => Done(Favorite(ctx.Request, modelId))),
            ["models", var modelId, "photos", "download"] => Allow(method, "POST", () => DownloadLinksAsync(ctx.Request, modelId)),
            ["models", var modelId, "photos", var photoId] => Allow(method, "GET", () => Done(OnePhoto(ctx.Request, modelId, photoId))),
            ["photos", "favorites"] => Allow(method, "GET", () => Done(OrgFavorites(ctx.Request))),
            _ => Task.FromResult(NoEndpoint(ctx)),
        };
    }

    private static Reply NoEndpoint(HttpContext ctx) => new(404, Json.Error($"No endpoint at {ctx.Request.PathBase}{ctx.Request.Path}.", "NOT_FOUND"));

    private static Task<Reply> Done(Reply reply) => Task.FromResult(reply);

    private static Reply Invalid(string message) => new(400, Json.Error(message, "INVALID_REQUEST"));

    private static Reply NotFound(string message) => new(404, Json.Error(message, "NOT_FOUND"));

    // ---- query parameters ----

    /// <summary>A query parameter given at most once; null when absent.</summary>
    private static bool TryQuery(IQueryCollection query, string name, out string? value, out Reply? error)
    {
        value = null;
        error = null;
        var values = query[name];
        if (values.Count == 0) return true;
        if (values.Count > 1) { error = Invalid($"'{name}' may be given only once."); return false; }
        value = values[0] ?? "";
        return true;
    }

    private static bool TryOneOf(IQueryCollection query, string name, string[] allowed, out string? value, out Reply? error)
    {
        if (!TryQuery(query, name, out value, out error)) return false;
        if (value is not null && !allowed.Contains(value))
        {
            error = Invalid($"'{name}' must be one of: {string.Join(", ", allowed)}; not '{value}'.");
            return false;
        }
        return true;
    }

    private readonly record struct Page(int Limit, int Offset);

    /// <summary><c>limit</c> 1–200 (default 50) and <c>offset</c> ≥ 0 (default 0); anything else is 400 <c>INVALID_REQUEST</c>.</summary>
    private static bool TryPage(IQueryCollection query, out Page page, out Reply? error)
    {
        page = new Page(DefaultLimit, 0);
        if (!TryQuery(query, "limit", out var limitText, out error) || !TryQuery(query, "offset", out var offsetText, out error)) return false;
        var limit = DefaultLimit;
        var offset = 0;
        if (limitText is not null && (!int.TryParse(limitText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            error = Invalid($"'limit' must be a whole number from 1 to {MaxLimit}; not '{limitText}'.");
            return false;
        }
        if (offsetText is not null && (!int.TryParse(offsetText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out offset) || offset < 0))
        {
            error = Invalid($"'offset' must be a whole number of 0 or more; not '{offsetText}'.");
            return false;
        }
        page = new Page(limit, offset);
        return true;
    }

    /// <summary>One page and its <c>pagination</c>, as the contract has them — or as the <c>pagingFault</c> spoils them.</summary>
    private (List<T> Items, object Pagination) Paginate<T>(IReadOnlyList<T> all, Page page)
    {
        var fault = _state.PagingFault;
        var read = fault is PagingFaultKind.IgnoreOffset or PagingFaultKind.RepeatPage ? 0 : page.Offset;
        var items = all.Skip(read).Take(page.Limit).ToList();
        var offset = fault == PagingFaultKind.IgnoreOffset ? 0 : page.Offset;
        var hasMore = fault == PagingFaultKind.AlwaysMore || offset + items.Count < all.Count;
        return (items, new { total = all.Count, limit = page.Limit, offset, hasMore });
    }

    private bool TryTeamFilter(IQueryCollection query, out string? teamId, out Reply? error)
    {
        if (!TryQuery(query, "teamId", out teamId, out error)) return false;
        if (teamId is not null && !_state.TeamExists(teamId))
        {
            error = NotFound($"Team '{teamId}' does not exist in this organization.");
            return false;
        }
        return true;
    }

    // ---- invites ----

    private static Dictionary<string, object?> InviteItem(V2InviteView i)
    {
        var item = new Dictionary<string, object?> { ["email"] = i.Email, ["status"] = i.Status };
        if (i.ModelId is not null) item["modelId"] = i.ModelId;
        item["teamId"] = i.TeamId;
        item["teamName"] = i.TeamName;
        item["createdAt"] = i.CreatedAt;
        if (i.ExpiresAt is not null) item["expiresAt"] = i.ExpiresAt;
        return item;
    }

    private Reply V2Invites() => new(200, new { success = true, invites = _state.V2Invites().Select(InviteItem) });

    private Reply V2Invite(string email) =>
        _state.V2Invite(email) is { } invite
            ? new(200, new { success = true, invite = InviteItem(invite) })
            : NotFound($"No invite for {email}.");

    // ---- members ----

    private static object MemberItem(MemberView m) => new
    {
        id = m.Id, email = m.Email, name = m.Name, status = m.Status, teamId = m.TeamId, teamName = m.TeamName,
        modelId = m.ModelId, modelStatus = m.ModelStatus, joinedAt = m.JoinedAt,
    };

    private Reply Members(IQueryCollection query)
    {
        if (!TryPage(query, out var page, out var error) || !TryOneOf(query, "status", MemberStatuses, out var status, out error)) return error!.Value;
        var all = _state.Members().Where(m => status is null || m.Status == status).ToList();
        var (items, pagination) = Paginate(all, page);
        return new(200, new { success = true, members = items.Select(MemberItem), pagination });
    }

    private Reply MembersAt(string status)
    {
        var members = _state.Members().Where(m => m.Status == status).ToList();
        return new(200, new { success = true, members = members.Select(MemberItem), count = members.Count });
    }

    // ---- teams ----

    private Reply Teams() => new(200, new { success = true, teams = _state.Teams().Select(t => new { id = t.Id, name = t.Name }) });

    private static Reply OrganizationReply(OrganizationInfo org) => new(200, new
    {
        success = true,
        organization = new { uid = org.Uid, name = org.Name, website = org.Website, teams = org.Teams.Select(t => new { id = t.Id, name = t.Name }) },
    });

    private static async Task<(string? Name, Reply? Error)> TeamNameAsync(HttpRequest request)
    {
        var body = await Json.ReadAsync(request).ConfigureAwait(false);
        if (body.Error is not null) return (null, new Reply(body.ErrorStatus, body.Error));
        var name = Json.String(body.Root, "name")?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100) return (null, Invalid("The body must have a 'name' string of 1 to 100 characters."));
        return (name, null);
    }

    private static Reply TeamOutcomeReply(TeamOutcome outcome, OrganizationInfo? org, string teamId, string? name) => outcome switch
    {
        TeamOutcome.Done => OrganizationReply(org!),
        TeamOutcome.Duplicate => Invalid($"A team named '{name}' already exists."),
        _ => NotFound($"Team '{teamId}' does not exist in this organization."),
    };

    private async Task<Reply> CreateTeamAsync(HttpRequest request)
    {
        var (name, error) = await TeamNameAsync(request).ConfigureAwait(false);
        if (error is not null) return error.Value;
        var (outcome, org) = _state.CreateTeam(name!);
        return TeamOutcomeReply(outcome, org, "", name);
    }

    private async Task<Reply> RenameTeamAsync(HttpRequest request, string teamId)
    {
        if (!_state.TeamExists(teamId)) return NotFound($"Team '{teamId}' does not exist in this organization.");
        var (name, error) = await TeamNameAsync(request).ConfigureAwait(false);
        if (error is not null) return error.Value;
        var (outcome, org) = _state.RenameTeam(teamId, name!);
        return TeamOutcomeReply(outcome, org, teamId, name);
    }

    private Reply DeleteTeam(string teamId)
    {
        var (outcome, org) = _state.DeleteTeam(teamId);
        return TeamOutcomeReply(outcome, org, teamId, null);
    }

    private async Task<Reply> AssignAsync(HttpRequest request, string teamId)
    {
        if (!_state.TeamExists(teamId)) return NotFound($"Team '{teamId}' does not exist in this organization.");
        var body = await Json.ReadAsync(request).ConfigureAwait(false);
        if (body.Error is not null) return new(body.ErrorStatus, body.Error);
        if (body.Root.ValueKind != JsonValueKind.Object || !body.Root.TryGetProperty("emails", out var list) || list.ValueKind != JsonValueKind.Array
            || list.GetArrayLength() == 0 || list.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            return Invalid("The body must have an 'emails' array of one or more address strings.");
        var emails = list.EnumerateArray().Select(e => e.GetString()!).ToList();
        var (outcome, teamName, unknown) = _state.AssignMembers(teamId, emails);
        return outcome switch
        {
            TeamOutcome.Done => new(200, new { success = true, message = $"{emails.Count} member{(emails.Count == 1 ? "" : "s")} assigned to {teamName}" }),
            TeamOutcome.UnknownMember => NotFound($"Not members of this organization: {string.Join(", ", unknown)}."),
            _ => NotFound($"Team '{teamId}' does not exist in this organization."),
        };
    }

    // ---- models ----

    private static object ModelItem(ModelView m) => new
    {
        id = m.Id, uid = m.Uid, email = m.Email, title = m.Title, status = m.Status, teamId = m.TeamId, teamName = m.TeamName,
        isDevelopment = m.IsDevelopment, createdAt = m.CreatedAt, finishedAt = m.FinishedAt,
    };

    private Reply Models(IQueryCollection query)
    {
        if (!TryPage(query, out var page, out var error) || !TryOneOf(query, "status", ModelStatus.All, out var status, out error)
            || !TryTeamFilter(query, out var teamId, out error)) return error!.Value;
        var all = _state.Models().Where(m => (status is null || m.Status == status) && (teamId is null || m.TeamId == teamId)).ToList();
        var (items, pagination) = Paginate(all, page);
        return new(200, new { success = true, models = items.Select(ModelItem), pagination });
    }

    private Reply OneModel(string modelId) =>
        _state.Model(modelId) is { } model ? new(200, new { success = true, model = ModelItem(model) }) : NotFound($"No model with id '{modelId}'.");

    private Reply DeleteModel(string modelId) => _state.DeleteModel(modelId) switch
    {
        DeleteOutcome.Deleted => new(200, new { success = true, message = "Model and photos deleted", modelId }),
        DeleteOutcome.AlreadyDeleted => new(400, Json.Error($"Model '{modelId}' is already deleted.", "ALREADY_DELETED")),
        _ => NotFound($"No model with id '{modelId}'."),
    };

    // ---- photos ----

    private Dictionary<string, object?> PhotoItem(PhotoView p, bool all, HttpRequest request, bool withModel, bool withPerson)
    {
        var (urls, expiresAt) = _photos.Links(p, all, request);
        var item = new Dictionary<string, object?> { ["id"] = p.Id };
        if (withModel) item["modelId"] = p.ModelId;
        item["status"] = p.Status;
        item["likedStatus"] = p.LikedStatus;
        item["createdAt"] = p.CreatedAt;
        item["urls"] = urls;
        item["expiresAt"] = expiresAt;
        if (withPerson)
        {
            item["email"] = p.Email;
            item["title"] = p.Title;
            item["teamId"] = p.TeamId;
            item["teamName"] = p.TeamName;
        }
        return item;
    }

    private Reply ModelPhotos(HttpRequest request, string modelId)
    {
        var query = request.Query;
        if (!TryPage(query, out var page, out var error) || !TryOneOf(query, "status", PhotoStatuses, out var status, out error)
            || !TryOneOf(query, "likedStatus", LikedStatuses, out var liked, out error) || !TryOneOf(query, "include", Includes, out var include, out error))
            return error!.Value;
        var photos = _state.Photos(modelId);
        if (photos is null) return NotFound($"No model with id '{modelId}'.");
        var all = photos.Where(p => p.Status == (status ?? "active") && (liked is null || p.LikedStatus == liked)).ToList();
        var (items, pagination) = Paginate(all, page);
        return new(200, new { success = true, photos = items.Select(p => PhotoItem(p, include == "all", request, false, false)), pagination });
    }

    private Reply Favorite(HttpRequest request, string modelId)
    {
        if (!TryOneOf(request.Query, "include", Includes, out var include, out var error)) return error!.Value;
        var photos = _state.Photos(modelId);
        if (photos is null) return NotFound($"No model with id '{modelId}'.");
        var favorite = photos.FirstOrDefault(p => p.Status == "active" && p.LikedStatus == "loved");
        return favorite is null
            ? new(200, new { success = true, photo = (object?)null, message = "No favorite photo has been selected for this model yet." })
            : new(200, new { success = true, photo = PhotoItem(favorite, include == "all", request, true, false) });
    }

    /// <summary>One photo of a model, if it is active (a deleted photo is gone).</summary>
    private Reply OnePhoto(HttpRequest request, string modelId, string photoId)
    {
        if (!TryOneOf(request.Query, "include", Includes, out var include, out var error)) return error!.Value;
        if (_state.Model(modelId) is null) return NotFound($"No model with id '{modelId}'.");
        return _state.Photo(modelId, photoId) is { Status: "active" } photo
            ? new(200, new { success = true, photo = PhotoItem(photo, include == "all", request, false, false) })
            : NotFound($"No photo with id '{photoId}' in model '{modelId}'.");
    }

    /// <summary>
    /// Fresh links of a model's photos in one answer: <c>{photoIds?, include?}</c>; without ids, every active photo's (up to
    /// the <c>downloadLinksLimit</c>). An id that names no active photo of the model is 404; more ids than the limit 400.
    /// </summary>
    private async Task<Reply> DownloadLinksAsync(HttpRequest request, string modelId)
    {
        var body = await Json.ReadAsync(request).ConfigureAwait(false);
        if (body.Error is not null) return new(body.ErrorStatus, body.Error);
        var root = body.Root;
        if (root.ValueKind != JsonValueKind.Object) return Invalid("The body must be a JSON object: {\"photoIds\": [...], \"include\": \"main\"}.");
        List<string>? ids = null;
        if (root.TryGetProperty("photoIds", out var given) && given.ValueKind != JsonValueKind.Null)
        {
            if (given.ValueKind != JsonValueKind.Array || given.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
                return Invalid("'photoIds' must be an array of photo id strings.");
            ids = given.EnumerateArray().Select(e => e.GetString()!).ToList();
        }
        var include = Json.String(root, "include");
        if (root.TryGetProperty("include", out var inc) && inc.ValueKind != JsonValueKind.Null && (include is null || !Includes.Contains(include)))
            return Invalid($"'include' must be one of: {string.Join(", ", Includes)}.");
        var limit = _state.DownloadLinksLimit;
        if (ids is not null && limit is int most && ids.Count > most) return Invalid($"At most {most} photoIds at once.");

        var photos = _state.Photos(modelId);
        if (photos is null) return NotFound($"No model with id '{modelId}'.");
        var active = photos.Where(p => p.Status == "active").ToList();
        List<PhotoView> chosen;
        if (ids is null) chosen = active.Take(limit ?? int.MaxValue).ToList();
        else
        {
            chosen = new List<PhotoView>();
            foreach (var id in ids)
            {
                var photo = active.FirstOrDefault(p => p.Id == id);
                if (photo is null) return NotFound($"No photo with id '{id}' in model '{modelId}'.");
                chosen.Add(photo);
            }
        }
        var links = chosen.Select(p => (p.Id, Links: _photos.Links(p, include == "all", request))).ToList();
        return new(200, new
        {
            success = true,
            downloads = links.Select(l => new { photoId = l.Id, urls = l.Links.Urls }),
            expiresAt = links.Count > 0 ? links[0].Links.ExpiresAt : _photos.LinksExpireAt(),
        });
    }

    private Reply OrgFavorites(HttpRequest request)
    {
        var query = request.Query;
        if (!TryPage(query, out var page, out var error) || !TryOneOf(query, "include", Includes, out var include, out error)
            || !TryTeamFilter(query, out var teamId, out error)) return error!.Value;
        var all = _state.Favorites().Where(p => teamId is null || p.TeamId == teamId).ToList();
        var (items, pagination) = Paginate(all, page);
        return new(200, new { success = true, photos = items.Select(p => PhotoItem(p, include == "all", request, true, true)), pagination });
    }
}

using System.Security.Cryptography;

namespace HeadshotPro.Sandbox;

/// <summary>A person's stage: the v2 invite status vocabulary.</summary>
public static class Stage
{
    public const string Pending = "pending";
    public const string Accepted = "accepted";
    public const string Revoked = "revoked";
    public const string Uploading = "uploading";
    public const string Generating = "generating";
    public const string Completed = "completed";
    public const string Deleted = "deleted";

    public static readonly string[] All = { Pending, Accepted, Revoked, Uploading, Generating, Completed, Deleted };

    /// <summary>What <c>POST /sandbox/people/{email}/advance</c> accepts as <c>to</c>: the stages after signing up, and a failed model.</summary>
    public const string Failed = "failed";
    public static readonly string[] AdvanceTargets = { Accepted, Uploading, Generating, Completed, Failed, Deleted };

    /// <summary>The contract's map: pending-invite→pending, waiting-for-upload→uploading, generating-headshots→generating, active→completed.</summary>
    public static string ToV1(string stage) => stage switch
    {
        Pending => InviteStatus.Pending,
        Accepted or Uploading => InviteStatus.WaitingForUpload,
        Generating => InviteStatus.GeneratingHeadshots,
        Completed => InviteStatus.Active,
        Revoked => InviteStatus.Revoked,
        _ => InviteStatus.Deleted,
    };

    public static string FromV1(string status) => status switch
    {
        InviteStatus.Pending => Pending,
        InviteStatus.WaitingForUpload => Uploading,
        InviteStatus.GeneratingHeadshots => Generating,
        InviteStatus.Active => Completed,
        InviteStatus.Revoked => Revoked,
        _ => Deleted,
    };

    /// <summary>Order along the way from invite to headshots; revoked and deleted are off it.</summary>
    public static int Rank(string stage) => Array.IndexOf(new[] { Pending, Accepted, Uploading, Generating, Completed }, stage);

    /// <summary>Member status: accepted, pending (uploading or generating), finished. Null: not a member.</summary>
    public static string? MemberStatus(string stage) => stage switch
    {
        Accepted => "accepted",
        Uploading or Generating => "pending",
        Completed => "finished",
        _ => null,
    };
}

public static class ModelStatus
{
    public const string Onboarding = "onboarding";
    public const string Waiting = "waiting";
    public const string Pending = "pending";
    public const string GeneratingHeadshots = "generatingHeadshots";
    public const string Active = "active";
    public const string Failed = "failed";
    public const string Deleted = "deleted";

    public static readonly string[] All = { Onboarding, Waiting, Pending, GeneratingHeadshots, Active, Failed, Deleted };
}

public sealed class SandboxMember
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required DateTime JoinedAt { get; init; }
}

public sealed class SandboxModel
{
    public required string Id { get; init; }
    public required string Uid { get; init; }
    public required string Title { get; init; }
    public required DateTime CreatedAt { get; init; }
    public string Status { get; set; } = ModelStatus.Onboarding;
    public DateTime? FinishedAt { get; set; }
    public DateTime? DeletedAt { get; set; }
    public List<SandboxPhoto> Photos { get; } = new();
}

public sealed class SandboxPhoto
{
    public required string Id { get; init; }
    /// <summary>The photo's number within its model: with the invited address, the seed of its image.</summary>
    public required int Index { get; init; }
    public required DateTime CreatedAt { get; init; }
    public string Status { get; set; } = "active";
    public string LikedStatus { get; set; } = "none";
}

/// <summary>People who sign up with another address than the one invited, as some do (a personal address).</summary>
public static class People
{
    /// <summary>Whether the person invited at <paramref name="invited"/> is among the <paramref name="share"/> (0..1) who sign up elsewhere: decided by the address, so the same every run.</summary>
    public static bool SignsUpElsewhere(string invited, double share) =>
        share >= 1 || share > 0 && BitConverter.ToUInt32(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("sign-up:" + invited.ToLowerInvariant()))) < share * uint.MaxValue;

    /// <summary>"ann.lee@contoso.example" → "ann.lee@contoso.personal.example": the personal address such a person signs up with.</summary>
    public static string PersonalAddress(string invited)
    {
        var at = invited.LastIndexOf('@');
        return invited[..at] + "@" + invited[(at + 1)..].Split('.')[0].ToLowerInvariant() + ".personal.example";
    }
}

public sealed record MemberView(string Id, string Email, string Name, string Status, string? TeamId, string? TeamName, string? ModelId,
    string? ModelStatus, string JoinedAt);

public sealed record ModelView(string Id, string Uid, string Email, string Title, string Status, string? TeamId, string? TeamName,
    bool IsDevelopment, string CreatedAt, string? FinishedAt);

/// <param name="ExpiresAt">When the link expires, only while the <c>inviteExpiresAtField</c> setting puts it on invites.</param>
public sealed record V2InviteView(string Email, string Status, string? ModelId, string? TeamId, string? TeamName, string CreatedAt, string? ExpiresAt);

/// <summary>A photo with what the API and the photo host need: its model and person, and the seed of its image.</summary>
public sealed record PhotoView(string Id, string ModelId, string Status, string LikedStatus, string CreatedAt, string Email, string Title,
    string? TeamId, string? TeamName, string SeedEmail, int Index, string ModelStatus);

public sealed record PhotoJournalEntry(string Method, string Path, int Status, DateTime Time, string Authorization, string? Fault);

public enum TeamOutcome { Done, NotFound, Duplicate, UnknownMember }

public enum AdvanceOutcome { Moved, NotFound, Backwards, Invalid, Expired }

public enum DeleteOutcome { Deleted, NotFound, AlreadyDeleted }

/// <summary>People, their models and photos, teams, the timed lifecycle and the photo host's switches.</summary>
public sealed partial class SandboxState
{
    public const int DefaultPhotoCount = 8;

    /// <summary>The contract's "Invite links expire after 30 days".</summary>
    public const double DefaultInviteLinkDays = 30;

    private static readonly Team[] StartTeams = { new("team_marketing", "Marketing"), new("team_engineering", "Engineering") };

    private readonly List<Team> _teams = new();
    private readonly Dictionary<string, SandboxInvite> _byModelId = new(StringComparer.Ordinal);
    private readonly Queue<string> _scriptedPhotoFaults = new();
    private readonly Dictionary<string, long> _photoFaultCounts = new();
    private readonly Queue<PhotoJournalEntry> _photoJournal = new();
    private readonly SemaphoreSlim _lifecycleWake = new(0);
    private readonly HashSet<string> _existingUsers = new(StringComparer.OrdinalIgnoreCase);
    private Random _photoFaultRandom;
    private long _photoRequests;
    private DateTime _lifecycleSince;

    /// <summary>Seconds between a person's moves in the timed lifecycle; 0 = off.</summary>
    public int LifecycleSeconds { get; private set; }
    public int PhotoLinkSeconds { get; private set; }
    public int PhotoLatencyMs { get; private set; }
    public double PhotoFaultRate { get; private set; }
    /// <summary>The share of people who sign up with a personal address (<see cref="People.PersonalAddress"/>) instead of the one invited.</summary>
    public double PersonalAddressShare { get; private set; }
    public int PhotoBytes => _startup.PhotoBytes;
    /// <summary>How long an invite link lasts: a pending invite older than this can no longer be used (it still blocks a second one and keeps its credit).</summary>
    public double InviteLinkDays { get; private set; }
    /// <summary>Whether invites carry <c>expiresAt</c> (an API that says when links expire; the contract's shapes do not).</summary>
    public bool InviteExpiresAtField { get; private set; }
    /// <summary>The most links one download-links answer gives; null = no limit.</summary>
    public int? DownloadLinksLimit { get; private set; }

    private void ResetPeopleLocked()
    {
        _teams.Clear();
        _teams.AddRange(StartTeams);
        _byModelId.Clear();
        _scriptedPhotoFaults.Clear();
        _photoFaultCounts.Clear();
        foreach (var kind in PhotoFaultKind.All) _photoFaultCounts[kind] = 0;
        _photoJournal.Clear();
        _photoRequests = 0;
        LifecycleSeconds = _startup.LifecycleSeconds;
        PhotoLinkSeconds = _startup.PhotoLinkSeconds;
        PhotoLatencyMs = 0;
        PhotoFaultRate = 0;
        PersonalAddressShare = _startup.PersonalAddressShare;
        _lifecycleSince = DateTime.UtcNow;
        InviteLinkDays = DefaultInviteLinkDays;
        InviteExpiresAtField = false;
        _existingUsers.Clear();
        DownloadLinksLimit = null;
    }

    private void ApplyPeopleSettingsLocked(SettingsChange change)
    {
        if (change.LifecycleSeconds is { } seconds)
        {
            if (LifecycleSeconds == 0 && seconds > 0) _lifecycleSince = DateTime.UtcNow;
            LifecycleSeconds = seconds;
        }
        if (change.PhotoLinkSeconds is { } link) PhotoLinkSeconds = link;
        if (change.PhotoLatencyMs is { } latency) PhotoLatencyMs = latency;
        if (change.PhotoFaultRate is { } rate) PhotoFaultRate = rate;
        if (change.PhotoFaults is { } faults) foreach (var f in faults) _scriptedPhotoFaults.Enqueue(f);
        if (change.PersonalAddressShare is { } share) PersonalAddressShare = share;
        if (change.InviteLinkDays is { } days) InviteLinkDays = days;
        if (change.InviteExpiresAtField is { } field) InviteExpiresAtField = field;
        if (change.ExistingUsers is { } users)
        {
            _existingUsers.Clear();
            _existingUsers.UnionWith(users);
        }
        if (change.SetDownloadLinksLimit) DownloadLinksLimit = change.DownloadLinksLimit;
    }

    private DateTime ExpiresLocked(SandboxInvite i) => i.CreatedAt.AddDays(InviteLinkDays);

    /// <summary>A pending invite whose link has expired by <paramref name="now"/> (the sandbox's clock): it can no longer be used.</summary>
    private bool ExpiredLocked(SandboxInvite i, DateTime now) => i.Stage == Stage.Pending && now >= ExpiresLocked(i);

    private InviteView ViewLocked(SandboxInvite i) =>
        new(i.Id, i.Email, i.Status, i.TeamId, Iso(i.CreatedAt), i.Valid, i.Used, i.Link, i.ActiveEmail,
            i.Stage, i.Member?.Id, i.Model?.Id, i.Model?.Status, Iso(ExpiresLocked(i)), ExpiredLocked(i, Now));

    /// <summary>
    /// The ageing control: the invites of the invited address <paramref name="email"/> (every invite when null) become
    /// <paramref name="days"/> older, as if sent that long before; null when the address has none.
    /// </summary>
    public IReadOnlyList<InviteView>? AgeInvites(double days, string? email)
    {
        lock (_gate)
        {
            var aged = _invites.Where(i => email is null || string.Equals(i.Email, email, StringComparison.OrdinalIgnoreCase)).ToList();
            if (email is not null && aged.Count == 0) return null;
            foreach (var invite in aged) invite.CreatedAt = invite.CreatedAt.AddDays(-days);
            WakeLifecycle();
            return aged.Select(ViewLocked).ToList();
        }
    }

    /// <summary>Deletes a person's model and its photos (the invite reads deleted, the member is gone, model.deleted is sent).</summary>
    public DeleteOutcome DeleteModel(string modelId)
    {
        lock (_gate)
        {
            if (!_byModelId.TryGetValue(modelId, out var invite)) return DeleteOutcome.NotFound;
            if (invite.Model!.Status == ModelStatus.Deleted) return DeleteOutcome.AlreadyDeleted;
            SetStageLocked(invite, Stage.Deleted, null, null, null);
            WakeLifecycle();
            return DeleteOutcome.Deleted;
        }
    }

    private static string NewId(int hexChars) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(hexChars / 2));

    private string? TeamNameLocked(string? teamId) => teamId is null ? null : _teams.FirstOrDefault(t => t.Id == teamId)?.Name;

    /// <summary>
    /// Puts an invite at <paramref name="stage"/>, creating what the stage implies: the member and the model once signed up,
    /// the photos once completed. <paramref name="modelStatus"/> overrides the model's status the stage implies.
    /// </summary>
    private void SetStageLocked(SandboxInvite invite, string stage, string? modelStatus, bool? favorite, int? photos, int? favoritePhoto = null)
    {
        var wasLive = invite.Valid;
        if (invite.Stage == Stage.Pending) _pending--;
        if (stage == Stage.Pending) _pending++;
        invite.Stage = stage;
        if (stage is not (Stage.Pending or Stage.Revoked)) invite.Used = true;
        if (wasLive && !invite.Valid) _liveByEmail.Remove(invite.Email);
        if (!wasLive && invite.Valid) _liveByEmail[invite.Email] = invite;
        invite.LastMovedAt = DateTime.UtcNow;

        if (Stage.Rank(stage) >= Stage.Rank(Stage.Accepted))
        {
            if (invite.Member is null && invite.ActiveEmail is null && People.SignsUpElsewhere(invite.Email, PersonalAddressShare))
                invite.ActiveEmail = People.PersonalAddress(invite.Email);
            invite.Member ??= new SandboxMember { Id = NewId(24), Name = Portrait.NameOf(invite.AccountEmail), JoinedAt = Now };
            if (invite.Model is null)
            {
                invite.Model = new SandboxModel { Id = NewId(24), Uid = NewId(10), Title = invite.Member.Name, CreatedAt = Now };
                _byModelId[invite.Model.Id] = invite;
                RaiseLocked(EventCreated, invite);
            }
        }
        var model = invite.Model;
        if (model is null) return;
        var statusBefore = model.Status;
        var hadPhotos = model.Photos.Count > 0;
        var favoriteBefore = model.Photos.FirstOrDefault(p => p.LikedStatus == "loved")?.Id;
        model.Status = modelStatus ?? stage switch
        {
            Stage.Accepted or Stage.Uploading => ModelStatus.Onboarding,
            Stage.Generating => ModelStatus.GeneratingHeadshots,
            Stage.Completed => ModelStatus.Active,
            Stage.Deleted => ModelStatus.Deleted,
            _ => model.Status,
        };
        if (stage == Stage.Completed)
        {
            model.FinishedAt ??= Now;
            if (model.Photos.Count == 0)
                for (var i = 0; i < (photos ?? DefaultPhotoCount); i++)
                    model.Photos.Add(new SandboxPhoto { Id = NewId(24), Index = i, CreatedAt = model.FinishedAt.Value });
        }
        if (stage == Stage.Deleted)
            foreach (var p in model.Photos) p.Status = "deleted";
        if (favorite is { } love && model.Photos.Count > 0)
        {
            foreach (var p in model.Photos.Where(p => p.LikedStatus == "loved")) p.LikedStatus = "none";
            if (love) model.Photos[favoritePhoto is int n ? n - 1 : FavoriteIndex(invite.Email, model.Photos.Count)].LikedStatus = "loved";
        }

        // The model's webhooks, in the order things happened.
        if (model.Status != statusBefore)
        {
            if (model.Status == ModelStatus.Deleted) model.DeletedAt ??= Now;
            RaiseLocked(model.Status == ModelStatus.Deleted ? EventDeleted : EventStatusUpdated, invite);
        }
        if (!hadPhotos && model.Photos.Count > 0 && model.Status != ModelStatus.Deleted) RaiseLocked(EventPhotosReady, invite);
        var favoriteAfter = model.Photos.FirstOrDefault(p => p.LikedStatus == "loved")?.Id;
        if (favoriteAfter is not null && favoriteAfter != favoriteBefore) RaiseLocked(EventFavoriteSelected, invite);
    }

    private static int FavoriteIndex(string email, int count) =>
        (int)(BitConverter.ToUInt32(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(email.ToLowerInvariant()))) % (uint)count);

    /// <param name="FavoritePhoto">Which photo (1..the model's photos) becomes the favorite, instead of the one chosen from the address.</param>
    public sealed record AdvanceRequest(string To, bool? Favorite, int? Photos, string? ModelStatus, string? ActiveEmail, int? FavoritePhoto = null);

    /// <summary>The control's move: forward only (a failed model may restart), creating what each stage passed implies.</summary>
    public (AdvanceOutcome Outcome, InviteView? Invite, string? Message) Advance(string email, AdvanceRequest request)
    {
        lock (_gate)
        {
            var invite = _liveByEmail.GetValueOrDefault(email)
                ?? _invites.LastOrDefault(i => i.Valid && string.Equals(i.ActiveEmail, email, StringComparison.OrdinalIgnoreCase));
            if (invite is null) return (AdvanceOutcome.NotFound, null, $"No live invite for {email}.");
            if (request.To != Stage.Deleted && ExpiredLocked(invite, Now))
                return (AdvanceOutcome.Expired, null,
                    $"The invite of {invite.Email} expired on {Iso(ExpiresLocked(invite))} unused, so it cannot be used; revoke it and invite again for a fresh link.");
            var target = request.To == Stage.Failed ? Stage.Generating : request.To;
            var backwards = request.To switch
            {
                Stage.Deleted => false,
                Stage.Failed => Stage.Rank(invite.Stage) > Stage.Rank(Stage.Generating),
                _ => Stage.Rank(target) < Stage.Rank(invite.Stage),
            };
            if (backwards)
                return (AdvanceOutcome.Backwards, null, $"{email} is already {invite.Stage}; people only move forward (a model fails before it completes).");
            if ((request.Favorite == true || request.FavoritePhoto != null) && target != Stage.Completed)
                return (AdvanceOutcome.Invalid, null, "favorite needs \"to\": \"completed\".");
            var photoCount = invite.Model?.Photos.Count is > 0 and var made ? made : request.Photos ?? DefaultPhotoCount;
            if (request.FavoritePhoto is int chosen && (chosen < 1 || chosen > photoCount || request.Favorite == false))
                return (AdvanceOutcome.Invalid, null, $"favoritePhoto must be a photo's number from 1 to {photoCount}, with favorite true or left out.");
            if (request.ModelStatus is { } ms && !AllowedModelStatus(request.To).Contains(ms))
                return (AdvanceOutcome.Invalid, null, $"modelStatus for {request.To} must be one of: {string.Join(", ", AllowedModelStatus(request.To))}.");
            if (request.ActiveEmail is not null) invite.ActiveEmail = request.ActiveEmail;

            // Pass through every stage on the way, so each one's records are made in order.
            for (var rank = Math.Max(Stage.Rank(invite.Stage), 0) + 1; target != Stage.Deleted && rank < Stage.Rank(target); rank++)
                SetStageLocked(invite, new[] { Stage.Pending, Stage.Accepted, Stage.Uploading, Stage.Generating, Stage.Completed }[rank], null, null, null);
            var modelStatus = request.ModelStatus ?? (request.To == Stage.Failed ? ModelStatus.Failed : null);
            SetStageLocked(invite, target, modelStatus, target == Stage.Completed ? request.Favorite ?? (request.FavoritePhoto != null ? true : null) : null, request.Photos, request.FavoritePhoto);
            WakeLifecycle();
            return (AdvanceOutcome.Moved, ViewLocked(invite), null);
        }
    }

    private static string[] AllowedModelStatus(string to) => to switch
    {
        Stage.Accepted or Stage.Uploading => new[] { ModelStatus.Onboarding, ModelStatus.Waiting },
        Stage.Generating => new[] { ModelStatus.Waiting, ModelStatus.Pending, ModelStatus.GeneratingHeadshots },
        Stage.Completed => new[] { ModelStatus.Active },
        Stage.Failed => new[] { ModelStatus.Failed },
        _ => new[] { ModelStatus.Deleted },
    };

    /// <summary>
    /// The timed lifecycle: every live person whose last move is <see cref="LifecycleSeconds"/> old moves one stage, until
    /// completed with a favorite (a failed model restarts). Answers when the next move is due, or null when none is.
    /// </summary>
    public DateTime? LifecycleStep(DateTime realNow)
    {
        lock (_gate)
        {
            if (LifecycleSeconds <= 0) return null;
            var period = TimeSpan.FromSeconds(LifecycleSeconds);
            DateTime? next = null;
            foreach (var invite in _invites)
            {
                if (!invite.Valid || IsDone(invite) || ExpiredLocked(invite, realNow.AddSeconds(ClockSkewSeconds))) continue;
                var due = (invite.LastMovedAt > _lifecycleSince ? invite.LastMovedAt : _lifecycleSince) + period;
                if (due <= realNow)
                {
                    if (invite.Model?.Status == ModelStatus.Failed) SetStageLocked(invite, Stage.Generating, null, null, null);
                    else if (invite.Stage == Stage.Completed) SetStageLocked(invite, Stage.Completed, null, true, null);
                    else
                    {
                        var to = new[] { Stage.Accepted, Stage.Uploading, Stage.Generating, Stage.Completed }[Stage.Rank(invite.Stage)];
                        SetStageLocked(invite, to, null, to == Stage.Completed ? true : null, null);
                    }
                    if (IsDone(invite)) continue;
                    due = invite.LastMovedAt + period;
                }
                if (next is null || due < next) next = due;
            }
            return next;
        }
    }

    private static bool IsDone(SandboxInvite invite) =>
        invite.Stage == Stage.Completed && invite.Model is { } m && (m.Photos.Count == 0 || m.Photos.Any(p => p.LikedStatus == "loved"));

    /// <summary>Waits until something may have changed the timed lifecycle's schedule, or <paramref name="timeout"/>.</summary>
    public Task WaitLifecycleAsync(TimeSpan timeout, CancellationToken cancellationToken) => _lifecycleWake.WaitAsync(timeout, cancellationToken);

    private void WakeLifecycle()
    {
        if (_lifecycleWake.CurrentCount == 0) _lifecycleWake.Release();
    }

    // ---- v2 reads: copies made under the lock ----

    public IReadOnlyList<Team> Teams()
    {
        lock (_gate) return _teams.ToList();
    }

    public bool TeamExists(string teamId)
    {
        lock (_gate) return _teams.Any(t => t.Id == teamId);
    }

    public IReadOnlyList<V2InviteView> V2Invites()
    {
        lock (_gate) return InvitesInOrderLocked().Select(V2InviteLocked).ToList();
    }

    /// <summary>The live invite for the invited address, else its newest one. A sign-up address finds nothing, as the contract says.</summary>
    public V2InviteView? V2Invite(string email)
    {
        lock (_gate)
        {
            var invite = _liveByEmail.GetValueOrDefault(email)
                ?? _invites.Where(i => string.Equals(i.Email, email, StringComparison.OrdinalIgnoreCase)).MaxBy(i => i.CreatedAt);
            return invite is null ? null : V2InviteLocked(invite);
        }
    }

    private V2InviteView V2InviteLocked(SandboxInvite i) =>
        new(i.Email, i.Stage, i.Model?.Id, i.TeamId, TeamNameLocked(i.TeamId), Iso(i.CreatedAt), InviteExpiresAtField ? Iso(ExpiresLocked(i)) : null);

    public IReadOnlyList<MemberView> Members()
    {
        lock (_gate)
        {
            return Sandbox.ListOrder.Apply(ListOrder, _invites.Where(i => i.Member is not null && Stage.MemberStatus(i.Stage) is not null), i => i.Member!.JoinedAt)
                .Select(i => new MemberView(i.Member!.Id, i.AccountEmail, i.Member.Name, Stage.MemberStatus(i.Stage)!, i.TeamId, TeamNameLocked(i.TeamId),
                    i.Model?.Id, i.Model?.Status, Iso(i.Member.JoinedAt)))
                .ToList();
        }
    }

    public IReadOnlyList<ModelView> Models()
    {
        lock (_gate) return Sandbox.ListOrder.Apply(ListOrder, _invites.Where(i => i.Model is not null), i => i.Model!.CreatedAt).Select(ModelLocked).ToList();
    }

    public ModelView? Model(string modelId)
    {
        lock (_gate) return _byModelId.TryGetValue(modelId, out var invite) ? ModelLocked(invite) : null;
    }

    private ModelView ModelLocked(SandboxInvite i)
    {
        var m = i.Model!;
        return new ModelView(m.Id, m.Uid, i.AccountEmail, m.Title, m.Status, i.TeamId, TeamNameLocked(i.TeamId), false, Iso(m.CreatedAt),
            m.FinishedAt is { } f ? Iso(f) : null);
    }

    /// <summary>A model's photos, or null when there is no such model.</summary>
    public IReadOnlyList<PhotoView>? Photos(string modelId)
    {
        lock (_gate)
            return _byModelId.TryGetValue(modelId, out var invite)
                ? Sandbox.ListOrder.Apply(ListOrder, invite.Model!.Photos, p => p.CreatedAt).Select(p => PhotoLocked(invite, p)).ToList()
                : null;
    }

    /// <summary>Every model's loved photo, in model order.</summary>
    public IReadOnlyList<PhotoView> Favorites()
    {
        lock (_gate)
        {
            return Sandbox.ListOrder.Apply(ListOrder, _invites.Where(i => i.Model is { Status: not ModelStatus.Deleted }), i => i.Model!.CreatedAt)
                .SelectMany(i => i.Model!.Photos.Where(p => p.Status == "active" && p.LikedStatus == "loved").Select(p => PhotoLocked(i, p)))
                .ToList();
        }
    }

    public PhotoView? Photo(string modelId, string photoId)
    {
        lock (_gate)
        {
            if (!_byModelId.TryGetValue(modelId, out var invite)) return null;
            var photo = invite.Model!.Photos.FirstOrDefault(p => p.Id == photoId);
            return photo is null ? null : PhotoLocked(invite, photo);
        }
    }

    private PhotoView PhotoLocked(SandboxInvite i, SandboxPhoto p) =>
        new(p.Id, i.Model!.Id, p.Status, p.LikedStatus, Iso(p.CreatedAt), i.AccountEmail, i.Model.Title, i.TeamId, TeamNameLocked(i.TeamId),
            i.Email.ToLowerInvariant(), p.Index, i.Model.Status);

    // ---- teams ----

    public (TeamOutcome Outcome, OrganizationInfo? Organization) CreateTeam(string name)
    {
        lock (_gate)
        {
            if (_teams.Any(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))) return (TeamOutcome.Duplicate, null);
            _teams.Add(new Team("team_" + NewId(16), name));
            return (TeamOutcome.Done, OrganizationLocked());
        }
    }

    public (TeamOutcome Outcome, OrganizationInfo? Organization) RenameTeam(string teamId, string name)
    {
        lock (_gate)
        {
            var index = _teams.FindIndex(t => t.Id == teamId);
            if (index < 0) return (TeamOutcome.NotFound, null);
            if (_teams.Any(t => t.Id != teamId && string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))) return (TeamOutcome.Duplicate, null);
            _teams[index] = _teams[index] with { Name = name };
            return (TeamOutcome.Done, OrganizationLocked());
        }
    }

    /// <summary>Deletes a team; its people are left without one.</summary>
    public (TeamOutcome Outcome, OrganizationInfo? Organization) DeleteTeam(string teamId)
    {
        lock (_gate)
        {
            if (_teams.RemoveAll(t => t.Id == teamId) == 0) return (TeamOutcome.NotFound, null);
            foreach (var invite in _invites.Where(i => i.TeamId == teamId)) invite.TeamId = null;
            return (TeamOutcome.Done, OrganizationLocked());
        }
    }

    /// <summary>
    /// Moves existing members into a team, by their own address (the one they signed up with; an invited address that
    /// differs finds nobody, as the contract assumes): all of them, or none when one is unknown.
    /// </summary>
    public (TeamOutcome Outcome, string? TeamName, IReadOnlyList<string> Unknown) AssignMembers(string teamId, IReadOnlyList<string> emails)
    {
        lock (_gate)
        {
            var team = _teams.FirstOrDefault(t => t.Id == teamId);
            if (team is null) return (TeamOutcome.NotFound, null, Array.Empty<string>());
            var members = _invites.Where(i => i.Member is not null && Stage.MemberStatus(i.Stage) is not null).ToList();
            SandboxInvite? Find(string e) => members.Where(i => string.Equals(i.AccountEmail, e, StringComparison.OrdinalIgnoreCase)).MaxBy(i => i.Member!.JoinedAt);
            var unknown = emails.Where(e => Find(e) is null).ToList();
            if (unknown.Count > 0) return (TeamOutcome.UnknownMember, team.Name, unknown);
            foreach (var e in emails) Find(e)!.TeamId = teamId;
            return (TeamOutcome.Done, team.Name, Array.Empty<string>());
        }
    }

    // ---- the photo host's switches and journal ----

    /// <summary>The fault this photo download gets, if any: a scripted one first, else a seeded draw at the photo fault rate.</summary>
    public string? DrawPhotoFault()
    {
        lock (_gate)
        {
            _photoRequests++;
            string? kind = null;
            if (_scriptedPhotoFaults.Count > 0) kind = _scriptedPhotoFaults.Dequeue();
            else if (PhotoFaultRate > 0 && _photoFaultRandom.NextDouble() < PhotoFaultRate)
                kind = PhotoFaultKind.Transient[_photoFaultRandom.Next(PhotoFaultKind.Transient.Length)];
            if (kind is not null) _photoFaultCounts[kind]++;
            return kind;
        }
    }

    public void RecordPhoto(PhotoJournalEntry entry)
    {
        lock (_gate)
        {
            if (_photoJournal.Count == JournalCapacity) _photoJournal.Dequeue();
            _photoJournal.Enqueue(entry);
        }
    }

    public IReadOnlyList<PhotoJournalEntry> PhotoJournal()
    {
        lock (_gate) return _photoJournal.ToList();
    }
}

public static class PhotoFaultKind
{
    public const string CutMidFile = "cut-mid-file";
    public const string Http500 = "http-500";
    public const string Http503 = "http-503";
    public const string DropBefore = "drop-before";
    public const string Slow = "slow";
    public const string Html200 = "html-200";
    public const string EndlessBody = "endless-body";
    public const string OversizedBody = "oversized-body";

    public const string NotJpeg = "not-jpeg";
    public const string CorruptJpeg = "corrupt-jpeg";
    public const string HugeDimensions = "huge-dimensions";

    public static readonly string[] All = { CutMidFile, Http500, Http503, DropBefore, Slow, Html200, NotJpeg, CorruptJpeg, HugeDimensions, EndlessBody, OversizedBody };

    /// <summary>What <c>photoFaultRate</c> draws from.</summary>
    public static readonly string[] Transient = { CutMidFile, Http500, Http503, DropBefore };
}

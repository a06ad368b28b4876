using System.Globalization;

namespace HeadshotPro.Sandbox;

public static class InviteStatus
{
    public const string Pending = "pending-invite";
    public const string Revoked = "revoked";
    public const string WaitingForUpload = "waiting-for-upload";
    public const string GeneratingHeadshots = "generating-headshots";
    public const string Active = "active";
    public const string Deleted = "deleted";

    public static readonly string[] All = { Pending, Revoked, WaitingForUpload, GeneratingHeadshots, Active, Deleted };

    /// <summary>A live invite blocks a second one for its address; revoked and deleted ones do not.</summary>
    public static bool IsLive(string status) => status is not (Revoked or Deleted);
}

public sealed class SandboxInvite
{
    public required string Id { get; init; }
    public required string Email { get; init; }
    public string? TeamId { get; set; }
    /// <summary>When the invite was sent (the sandbox's clock); the ageing control moves it back.</summary>
    public required DateTime CreatedAt { get; set; }
    /// <summary>Where the person is, in the v2 vocabulary (<see cref="Stage"/>); the v1 status follows from it.</summary>
    public string Stage { get; set; } = Sandbox.Stage.Pending;
    public string Status => Sandbox.Stage.ToV1(Stage);
    public string? ActiveEmail { get; set; }
    public bool Used { get; set; }
    public string Link => "https://www.headshotpro.com/auth/signup?invite=" + Id;
    public bool Valid => InviteStatus.IsLive(Status);
    /// <summary>The team member, once the person signed up.</summary>
    public SandboxMember? Member { get; set; }
    /// <summary>The person's model, once they signed up.</summary>
    public SandboxModel? Model { get; set; }
    /// <summary>When the person last moved (real clock), for the timed lifecycle.</summary>
    public DateTime LastMovedAt { get; set; }
    public string AccountEmail => ActiveEmail ?? Email;
}

public sealed record Team(string Id, string Name);

public static class FaultKind
{
    public const string Retry429 = "retry-429";
    public const string Html503 = "html-503";
    public const string DropBeforeProcessing = "drop-before";
    public const string DropAfterProcessing = "drop-after";
    public const string Http408 = "http-408";
    public const string Http500 = "http-500";
    public const string Http502 = "http-502";
    public const string Http504 = "http-504";
    public const string MessageNotError = "message-not-error";
    public const string NoCode = "no-code";
    public const string Empty503 = "empty-503";
    public const string Truncated200 = "truncated-200";
    public const string Garbled200 = "garbled-200";
    public const string RetryAfterSeconds = "retry-after-seconds";
    public const string RetryAfterZero = "retry-after-zero";
    public const string RetryAfterDate = "retry-after-date";
    public const string RetryAfterLong = "retry-after-long";
    public const string Redirect = "redirect";
    public const string UnknownCharset = "unknown-charset";
    public const string Huge200 = "huge-200";
    public const string Gateway401 = "gateway-401";
    public const string RateLimitOutlier = "rate-limit-outlier";

    /// <summary>Every kind: what <c>nextFaults</c> accepts and the state counts.</summary>
    public static readonly string[] All =
    {
        Retry429, Html503, DropBeforeProcessing, DropAfterProcessing, Http408, Http500, Http502, Http504, MessageNotError, NoCode,
        Empty503, Truncated200, Garbled200, RetryAfterSeconds, RetryAfterZero, RetryAfterDate, RetryAfterLong, Redirect, UnknownCharset, Huge200,
        Gateway401, RateLimitOutlier,
    };

    /// <summary>No fault: in <c>nextFaults</c>, a request answered as it would be, so a script can reach past a command's first requests.</summary>
    public const string None = "none";

    /// <summary>What <c>nextFaults</c> accepts: every kind, and <see cref="None"/>.</summary>
    public static readonly string[] Scriptable = All.Append(None).ToArray();

    /// <summary>The passing troubles of a healthy service, which <c>--fault-rate</c> draws from; the rest only come by <c>nextFaults</c>.</summary>
    public static readonly string[] Transient =
    {
        Retry429, Html503, DropBeforeProcessing, DropAfterProcessing, Http408, Http500, Http502, Http504, Empty503, Truncated200,
    };

    /// <summary>Kinds after which the request has been processed (an invite created, a credit reserved).</summary>
    public static readonly string[] Processed = { DropAfterProcessing, Truncated200, Garbled200, UnknownCharset, Huge200, RateLimitOutlier };
}

/// <summary>
/// The order of the API's lists (the contract promises none; the vendor's may be newest first): by <c>createdAt</c>
/// (members by <c>joinedAt</c>), oldest or newest first. A model's photos, made at one instant, come in their order or its reverse.
/// </summary>
public static class ListOrder
{
    public const string OldestFirst = "oldest-first";
    public const string NewestFirst = "newest-first";

    public static readonly string[] All = { OldestFirst, NewestFirst };

    /// <summary><paramref name="items"/> oldest first by <paramref name="createdAt"/> (ties in the order given), or that reversed.</summary>
    public static List<T> Apply<T, TKey>(string order, IEnumerable<T> items, Func<T, TKey> createdAt)
    {
        var oldestFirst = items.OrderBy(createdAt).ToList();
        if (order == NewestFirst) oldestFirst.Reverse();
        return oldestFirst;
    }
}

/// <summary>How <c>X-RateLimit-Reset</c> is written: the contract's ISO-8601, or the odd forms real servers and proxies send.</summary>
public static class ResetFormat
{
    public const string Iso = "iso";
    public const string UnixSeconds = "unix-seconds";
    public const string UnixMs = "unix-ms";
    public const string DeltaSeconds = "delta-seconds";
    public const string Huge = "huge";
    public const string Infinity = "infinity";
    public const string Garbage = "garbage";
    public const string Negative = "negative";
    public const string Multiple = "multiple";

    public static readonly string[] All = { Iso, UnixSeconds, UnixMs, DeltaSeconds, Huge, Infinity, Garbage, Negative, Multiple };
}

public sealed record JournalEntry(string Method, string Path, int Status, DateTime Time, string Authorization, string? Fault,
    string? Expect, string? ContentType, bool ClientGone);

public enum InviteOutcome { Created, AlreadyExists, UserExists, InviteLimitExceeded, InsufficientCredits, UnknownTeam }

public enum RevokeOutcome { Revoked, NotFound }

/// <summary>Everything the sandbox remembers, behind one lock so concurrent clients see one consistent organization.</summary>
public sealed partial class SandboxState
{
    private const int JournalCapacity = 10_000;

    private readonly object _gate = new();
    private readonly SandboxOptions _startup;
    private readonly List<SandboxInvite> _invites = new();
    private readonly Dictionary<string, SandboxInvite> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SandboxInvite> _liveByEmail = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, (DateTime Start, int Count)> _windows = new(StringComparer.Ordinal);
    private readonly Queue<JournalEntry> _journal = new();
    private readonly Queue<string> _scriptedFaults = new();
    private readonly Dictionary<string, long> _faultCounts = new();
    private Random _faultRandom;
    private decimal _credits;
    private int _pending;
    private long _requests;
    private long _rateLimited;
    private int _inFlight;
    private int _mostInFlight;

    public SandboxState(SandboxOptions startup)
    {
        _startup = startup;
        ApiKey = startup.ApiKey;
        _faultRandom = new Random(startup.FaultSeed);
        _photoFaultRandom = new Random(startup.FaultSeed);
        Reset();
    }

    public string ApiKey { get; }

    /// <summary>The organization as it is now (its teams change through the v2 API).</summary>
    public OrganizationInfo Organization
    {
        get { lock (_gate) return OrganizationLocked(); }
    }

    private OrganizationInfo OrganizationLocked() => new("org_sandbox", "Sandbox Corp", "https://sandbox.example", _teams.ToList());

    public int LatencyMs { get; private set; }

    private CancellationTokenSource _latencyLowered = new();

    /// <summary>Cancelled when <see cref="LatencyMs"/> is lowered, so requests held by the longer latency end sooner.</summary>
    public CancellationToken LatencyLowered
    {
        get { lock (_gate) return _latencyLowered.Token; }
    }

    private CancellationTokenSource? SetLatencyLocked(int latency)
    {
        var lowered = latency < LatencyMs ? _latencyLowered : null;
        if (lowered != null) _latencyLowered = new CancellationTokenSource();
        LatencyMs = latency;
        return lowered;
    }
    public int RateLimit { get; private set; }
    public int RateWindowSeconds { get; private set; }
    public double FaultRate { get; private set; }
    public int FaultSeed { get; private set; }
    public int? InviteLimit { get; private set; }
    /// <summary>Which methods the credits endpoint answers: the seed documents POST, the later reference GET.</summary>
    public string CreditsMethods { get; private set; } = "GET, POST";
    public int ClockSkewSeconds { get; private set; }
    public bool CancelOnDisconnect { get; private set; }
    public string ResetHeaderFormat { get; private set; } = ResetFormat.Iso;
    public string ListOrder { get; private set; } = Sandbox.ListOrder.OldestFirst;

    /// <summary>The sandbox's clock: real UTC plus the configured skew. Every time it sends is on this clock.</summary>
    public DateTime Now => DateTime.UtcNow.AddSeconds(ClockSkewSeconds);

    /// <summary>Back to the start-up options: no invites, the start-up balance, zeroed counters and windows.</summary>
    public void Reset()
    {
        CancellationTokenSource? lowered;
        lock (_gate)
        {
            _invites.Clear();
            _byId.Clear();
            ResetPeopleLocked();
            ResetWebhooksLocked();
            _liveByEmail.Clear();
            _windows.Clear();
            _journal.Clear();
            _scriptedFaults.Clear();
            _faultCounts.Clear();
            foreach (var kind in FaultKind.All) _faultCounts[kind] = 0;
            _credits = _startup.Credits;
            _pending = 0;
            _requests = 0;
            _rateLimited = 0;
            _mostInFlight = _inFlight;
            lowered = SetLatencyLocked(_startup.LatencyMs);
            RateLimit = _startup.RateLimit;
            RateWindowSeconds = _startup.RateWindowSeconds;
            FaultRate = _startup.FaultRate;
            FaultSeed = _startup.FaultSeed;
            InviteLimit = _startup.InviteLimit;
            CreditsMethods = "GET, POST";
            ClockSkewSeconds = _startup.ClockSkewSeconds;
            CancelOnDisconnect = _startup.CancelOnDisconnect;
            ResetHeaderFormat = _startup.ResetHeaderFormat;
            ListOrder = _startup.ListOrder;
            ResetServiceLocked();
            _faultRandom = new Random(FaultSeed);
            _photoFaultRandom = new Random(FaultSeed);
        }
        lowered?.Cancel();
        WakeLifecycle();
    }

    public sealed record SettingsChange(int? LatencyMs, int? RateLimit, int? RateWindowSeconds, double? FaultRate,
        int? FaultSeed, bool SetInviteLimit, int? InviteLimit, IReadOnlyList<string>? NextFaults, string? CreditsMethods = null,
        int? ClockSkewSeconds = null, bool? CancelOnDisconnect = null, string? ResetHeaderFormat = null,
        int? LifecycleSeconds = null, int? PhotoLinkSeconds = null, IReadOnlyList<string>? PhotoFaults = null, double? PhotoFaultRate = null,
        int? PhotoLatencyMs = null, bool SetWebhookUrl = false, string? WebhookUrl = null, string? WebhookSecret = null,
        double[]? WebhookRetrySchedule = null, string? ListOrder = null, double? PersonalAddressShare = null,
        bool SetPagingFault = false, string? PagingFault = null,
        int? ShrinkWindowSeconds = null, bool SetOutageAfterRequests = false, int? OutageAfterRequests = null,
        bool SetOutageSeconds = false, double? OutageSeconds = null,
        double? InviteLinkDays = null, bool? InviteExpiresAtField = null, IReadOnlyList<string>? ExistingUsers = null,
        bool SetDownloadLinksLimit = false, int? DownloadLinksLimit = null, int? LatencyJitterMs = null);

    public void Apply(SettingsChange change)
    {
        CancellationTokenSource? lowered = null;
        lock (_gate)
        {
            if (change.LatencyMs is { } latency) lowered = SetLatencyLocked(latency);
            if (change.RateLimit is { } limit) { RateLimit = limit; _windows.Clear(); }
            if (change.RateWindowSeconds is { } window) { RateWindowSeconds = window; _windows.Clear(); }
            if (change.FaultRate is { } rate) FaultRate = rate;
            if (change.FaultSeed is { } seed) { FaultSeed = seed; _faultRandom = new Random(seed); }
            if (change.SetInviteLimit) InviteLimit = change.InviteLimit;
            if (change.CreditsMethods is { } methods) CreditsMethods = methods;
            if (change.ClockSkewSeconds is { } skew) ClockSkewSeconds = skew;
            if (change.CancelOnDisconnect is { } cancel) CancelOnDisconnect = cancel;
            if (change.ResetHeaderFormat is { } format) ResetHeaderFormat = format;
            if (change.ListOrder is { } order) ListOrder = order;
            if (change.NextFaults is { } faults) foreach (var f in faults) _scriptedFaults.Enqueue(f);
            ApplyPeopleSettingsLocked(change);
            ApplyWebhookSettingsLocked(change);
            ApplyServiceSettingsLocked(change);
        }
        lowered?.Cancel();
        WakeLifecycle();
    }

    public void SetCredits(decimal credits)
    {
        lock (_gate) _credits = credits;
    }

    public decimal Credits
    {
        get { lock (_gate) return _credits; }
    }

    public void EnterRequest()
    {
        lock (_gate) _mostInFlight = Math.Max(_mostInFlight, ++_inFlight);
    }

    public void LeaveRequest()
    {
        lock (_gate) _inFlight--;
    }

    public readonly record struct RateDecision(bool Enabled, bool Allowed, int Limit, int Remaining, DateTime Reset);

    /// <summary>Counts one request against its key's fixed window, on the real clock: a window lasts its real length whatever the skew.</summary>
    public RateDecision CountRequest(string key, DateTime now)
    {
        lock (_gate)
        {
            _requests++;
            if (RateLimit <= 0) return new RateDecision(false, true, 0, 0, now);
            var window = TimeSpan.FromSeconds(RateWindowSeconds);
            if (!_windows.TryGetValue(key, out var w) || now >= w.Start + window) w = (now, 0);
            w.Count++;
            _windows[key] = w;
            var allowed = w.Count <= RateLimit;
            if (!allowed) _rateLimited++;
            return new RateDecision(true, allowed, RateLimit, Math.Max(0, RateLimit - w.Count), w.Start + window);
        }
    }

    /// <summary>The fault this request gets, if any: a scripted one first, else a seeded draw at the fault rate.</summary>
    public string? DrawFault()
    {
        lock (_gate)
        {
            string? kind = null;
            if (_scriptedFaults.Count > 0)
            {
                kind = _scriptedFaults.Dequeue();
                if (kind == FaultKind.None) return null;
            }
            else if (FaultRate > 0 && _faultRandom.NextDouble() < FaultRate)
                kind = FaultKind.Transient[_faultRandom.Next(FaultKind.Transient.Length)];
            if (kind is not null) _faultCounts[kind]++;
            return kind;
        }
    }

    public (InviteOutcome Outcome, SandboxInvite? Invite) CreateInvite(string email, string? teamId)
    {
        lock (_gate)
        {
            if (teamId is not null && !_teams.Any(t => t.Id == teamId)) return (InviteOutcome.UnknownTeam, null);
            if (_liveByEmail.TryGetValue(email, out var existing)) return (InviteOutcome.AlreadyExists, existing);
            if (_existingUsers.Contains(email)) return (InviteOutcome.UserExists, null);
            if (InviteLimit is { } limit && _pending >= limit)
                return (InviteOutcome.InviteLimitExceeded, null);
            if (_credits < 1) return (InviteOutcome.InsufficientCredits, null); // an invite reserves one whole credit
            var invite = new SandboxInvite
            {
                Id = Guid.NewGuid().ToString("N")[..20],
                Email = email,
                TeamId = teamId,
                CreatedAt = Now,
                LastMovedAt = DateTime.UtcNow,
            };
            _credits--;
            _pending++;
            _invites.Add(invite);
            _byId[invite.Id] = invite;
            _liveByEmail[email] = invite;
            WakeLifecycle();
            return (InviteOutcome.Created, invite);
        }
    }

    public RevokeOutcome RevokeInvite(string email)
    {
        lock (_gate)
        {
            if (!_liveByEmail.Remove(email, out var invite)) return RevokeOutcome.NotFound;
            if (invite.Stage == Stage.Pending) { _credits++; _pending--; }
            invite.Stage = Stage.Revoked;
            return RevokeOutcome.Revoked;
        }
    }

    /// <summary>A copy of one invite's fields, so callers never read a half-updated invite.</summary>
    public InviteView? FindInvite(string id)
    {
        lock (_gate) return _byId.TryGetValue(id, out var invite) ? ViewLocked(invite) : null;
    }

    /// <summary>Every invite, in the list order.</summary>
    public IReadOnlyList<InviteView> ListInvites()
    {
        lock (_gate) return InvitesInOrderLocked().Select(ViewLocked).ToList();
    }

    private List<SandboxInvite> InvitesInOrderLocked() => Sandbox.ListOrder.Apply(ListOrder, _invites, i => i.CreatedAt);

    /// <summary>Moves an invite along its lifecycle (a control endpoint: the real service does this when people use their invite).</summary>
    public InviteView? SetInviteStatus(string id, string status, string? activeEmail)
    {
        lock (_gate)
        {
            if (!_byId.TryGetValue(id, out var invite)) return null;
            var wasLive = invite.Valid;
            if (!wasLive && _liveByEmail.ContainsKey(invite.Email) && InviteStatus.IsLive(status))
                throw new InvalidOperationException("another live invite has that address");
            if (activeEmail is not null) invite.ActiveEmail = activeEmail;
            SetStageLocked(invite, Stage.FromV1(status), null, null, null);
            return ViewLocked(invite);
        }
    }

    public void Record(JournalEntry entry)
    {
        lock (_gate)
        {
            if (_journal.Count == JournalCapacity) _journal.Dequeue();
            _journal.Enqueue(entry);
        }
    }

    public IReadOnlyList<JournalEntry> Journal()
    {
        lock (_gate) return _journal.ToList();
    }

    public object Snapshot()
    {
        lock (_gate)
        {
            return new
            {
                credits = _credits,
                invites = _invites.Select(ViewLocked).ToList(),
                teams = _teams.ToList(),
                counters = new
                {
                    requests = _requests,
                    rateLimited = _rateLimited,
                    inFlight = _inFlight,
                    mostInFlight = _mostInFlight,
                    faults = new Dictionary<string, long>(_faultCounts),
                    photoRequests = _photoRequests,
                    photoFaults = new Dictionary<string, long>(_photoFaultCounts),
                },
                settings = new
                {
                    latencyMs = LatencyMs,
                    latencyJitterMs = LatencyJitterMs,
                    rateLimit = RateLimit,
                    rateWindowSeconds = RateWindowSeconds,
                    faultRate = FaultRate,
                    faultSeed = FaultSeed,
                    inviteLimit = InviteLimit,
                    creditsMethods = CreditsMethods,
                    clockSkewSeconds = ClockSkewSeconds,
                    cancelOnDisconnect = CancelOnDisconnect,
                    resetHeaderFormat = ResetHeaderFormat,
                    listOrder = ListOrder,
                    personalAddressShare = PersonalAddressShare,
                    pendingScriptedFaults = _scriptedFaults.ToList(),
                    lifecycleSeconds = LifecycleSeconds,
                    photoLinkSeconds = PhotoLinkSeconds,
                    photoLatencyMs = PhotoLatencyMs,
                    photoFaultRate = PhotoFaultRate,
                    pendingPhotoFaults = _scriptedPhotoFaults.ToList(),
                    webhookUrl = WebhookUrl,
                    webhookRetrySchedule = WebhookRules.Text(WebhookRetrySchedule),
                    pagingFault = PagingFault,
                    outageAfterRequests = _outageAfterRequests,
                    outageSeconds = _outageSeconds,
                    inviteLinkDays = InviteLinkDays,
                    inviteExpiresAtField = InviteExpiresAtField,
                    existingUsers = _existingUsers.Order(StringComparer.OrdinalIgnoreCase).ToList(),
                    downloadLinksLimit = DownloadLinksLimit,
                },
            };
        }
    }

    public static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string HttpDate(DateTime utc) => utc.ToString("r", CultureInfo.InvariantCulture);
}

public sealed record OrganizationInfo(string Uid, string Name, string Website, IReadOnlyList<Team> Teams);

/// <param name="ExpiresAt">When the invite's link expires (<c>createdAt</c> + the link days); <paramref name="Expired"/>: pending past that.</param>
public sealed record InviteView(string Id, string Email, string Status, string? TeamId, string CreatedAt, bool Valid, bool Used, string Link, string? ActiveEmail,
    string Stage, string? MemberId, string? ModelId, string? ModelStatus, string ExpiresAt, bool Expired);

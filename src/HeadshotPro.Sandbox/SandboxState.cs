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
    public string? TeamId { get; init; }
    public required DateTime CreatedAt { get; init; }
    public string Status { get; set; } = InviteStatus.Pending;
    public string? ActiveEmail { get; set; }
    public bool Used { get; set; }
    public string Link => "https://www.headshotpro.com/auth/signup?invite=" + Id;
    public bool Valid => InviteStatus.IsLive(Status);
}

public sealed record Team(string Id, string Name);

public static class FaultKind
{
    public const string Retry429 = "retry-429";
    public const string Html503 = "html-503";
    public const string DropBeforeProcessing = "drop-before";
    public const string DropAfterProcessing = "drop-after";

    public static readonly string[] All = { Retry429, Html503, DropBeforeProcessing, DropAfterProcessing };
}

public sealed record JournalEntry(string Method, string Path, int Status, DateTime Time, string Authorization, string? Fault);

public enum InviteOutcome { Created, AlreadyExists, InviteLimitExceeded, InsufficientCredits, UnknownTeam }

public enum RevokeOutcome { Revoked, NotFound }

/// <summary>Everything the sandbox remembers, behind one lock so concurrent clients see one consistent organization.</summary>
public sealed class SandboxState
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
    private int _credits;
    private int _pending;
    private long _requests;
    private long _rateLimited;

    public SandboxState(SandboxOptions startup)
    {
        _startup = startup;
        ApiKey = startup.ApiKey;
        Organization = new OrganizationInfo("org_sandbox", "Sandbox Corp", "https://sandbox.example",
            new[] { new Team("team_marketing", "Marketing"), new Team("team_engineering", "Engineering") });
        _faultRandom = new Random(startup.FaultSeed);
        Reset();
    }

    public string ApiKey { get; }
    public OrganizationInfo Organization { get; }

    public int LatencyMs { get; private set; }
    public int RateLimit { get; private set; }
    public int RateWindowSeconds { get; private set; }
    public double FaultRate { get; private set; }
    public int FaultSeed { get; private set; }
    public int? InviteLimit { get; private set; }
    /// <summary>Which methods the credits endpoint answers: the seed documents POST, the later reference GET.</summary>
    public string CreditsMethods { get; private set; } = "GET, POST";

    /// <summary>Back to the start-up options: no invites, the start-up balance, zeroed counters and windows.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _invites.Clear();
            _byId.Clear();
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
            LatencyMs = _startup.LatencyMs;
            RateLimit = _startup.RateLimit;
            RateWindowSeconds = _startup.RateWindowSeconds;
            FaultRate = _startup.FaultRate;
            FaultSeed = _startup.FaultSeed;
            InviteLimit = _startup.InviteLimit;
            CreditsMethods = "GET, POST";
            _faultRandom = new Random(FaultSeed);
        }
    }

    public sealed record SettingsChange(int? LatencyMs, int? RateLimit, int? RateWindowSeconds, double? FaultRate,
        int? FaultSeed, bool SetInviteLimit, int? InviteLimit, IReadOnlyList<string>? NextFaults, string? CreditsMethods = null);

    public void Apply(SettingsChange change)
    {
        lock (_gate)
        {
            if (change.LatencyMs is { } latency) LatencyMs = latency;
            if (change.RateLimit is { } limit) { RateLimit = limit; _windows.Clear(); }
            if (change.RateWindowSeconds is { } window) { RateWindowSeconds = window; _windows.Clear(); }
            if (change.FaultRate is { } rate) FaultRate = rate;
            if (change.FaultSeed is { } seed) { FaultSeed = seed; _faultRandom = new Random(seed); }
            if (change.SetInviteLimit) InviteLimit = change.InviteLimit;
            if (change.CreditsMethods is { } methods) CreditsMethods = methods;
            if (change.NextFaults is { } faults) foreach (var f in faults) _scriptedFaults.Enqueue(f);
        }
    }

    public void SetCredits(int credits)
    {
        lock (_gate) _credits = credits;
    }

    public int Credits
    {
        get { lock (_gate) return _credits; }
    }

    public readonly record struct RateDecision(bool Enabled, bool Allowed, int Limit, int Remaining, DateTime Reset);

    /// <summary>Counts one request against its key's fixed window.</summary>
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
            if (_scriptedFaults.Count > 0) kind = _scriptedFaults.Dequeue();
            else if (FaultRate > 0 && _faultRandom.NextDouble() < FaultRate)
                kind = FaultKind.All[_faultRandom.Next(FaultKind.All.Length)];
            if (kind is not null) _faultCounts[kind]++;
            return kind;
        }
    }

    public (InviteOutcome Outcome, SandboxInvite? Invite) CreateInvite(string email, string? teamId)
    {
        lock (_gate)
        {
            if (teamId is not null && !Organization.Teams.Any(t => t.Id == teamId)) return (InviteOutcome.UnknownTeam, null);
            if (_liveByEmail.TryGetValue(email, out var existing)) return (InviteOutcome.AlreadyExists, existing);
            if (InviteLimit is { } limit && _pending >= limit)
                return (InviteOutcome.InviteLimitExceeded, null);
            if (_credits <= 0) return (InviteOutcome.InsufficientCredits, null);
            var invite = new SandboxInvite
            {
                Id = Guid.NewGuid().ToString("N")[..20],
                Email = email,
                TeamId = teamId,
                CreatedAt = DateTime.UtcNow,
            };
            _credits--;
            _pending++;
            _invites.Add(invite);
            _byId[invite.Id] = invite;
            _liveByEmail[email] = invite;
            return (InviteOutcome.Created, invite);
        }
    }

    public RevokeOutcome RevokeInvite(string email)
    {
        lock (_gate)
        {
            if (!_liveByEmail.Remove(email, out var invite)) return RevokeOutcome.NotFound;
            if (invite.Status == InviteStatus.Pending) { _credits++; _pending--; }
            invite.Status = InviteStatus.Revoked;
            return RevokeOutcome.Revoked;
        }
    }

    /// <summary>A copy of one invite's fields, so callers never read a half-updated invite.</summary>
    public InviteView? FindInvite(string id)
    {
        lock (_gate) return _byId.TryGetValue(id, out var invite) ? InviteView.Of(invite) : null;
    }

    public IReadOnlyList<InviteView> ListInvites()
    {
        lock (_gate) return _invites.Select(InviteView.Of).ToList();
    }

    /// <summary>Moves an invite along its lifecycle (a control endpoint: the real service does this when people use their invite).</summary>
    public InviteView? SetInviteStatus(string id, string status, string? activeEmail)
    {
        lock (_gate)
        {
            if (!_byId.TryGetValue(id, out var invite)) return null;
            var wasLive = invite.Valid;
            if (!wasLive && _liveByEmail.ContainsKey(invite.Email) && InviteStatus.IsLive(status))
                throw new InvalidOperationException("another live invite has that address");
            if (invite.Status == InviteStatus.Pending) _pending--;
            if (status == InviteStatus.Pending) _pending++;
            invite.Status = status;
            if (status != InviteStatus.Pending && status != InviteStatus.Revoked) invite.Used = true;
            if (activeEmail is not null) invite.ActiveEmail = activeEmail;
            if (wasLive && !invite.Valid) _liveByEmail.Remove(invite.Email);
            if (!wasLive && invite.Valid) _liveByEmail[invite.Email] = invite;
            return InviteView.Of(invite);
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
                invites = _invites.Select(InviteView.Of).ToList(),
                counters = new
                {
                    requests = _requests,
                    rateLimited = _rateLimited,
                    faults = new Dictionary<string, long>(_faultCounts),
                },
                settings = new
                {
                    latencyMs = LatencyMs,
                    rateLimit = RateLimit,
                    rateWindowSeconds = RateWindowSeconds,
                    faultRate = FaultRate,
                    faultSeed = FaultSeed,
                    inviteLimit = InviteLimit,
                    creditsMethods = CreditsMethods,
                    pendingScriptedFaults = _scriptedFaults.ToList(),
                },
            };
        }
    }

    public static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

public sealed record OrganizationInfo(string Uid, string Name, string Website, IReadOnlyList<Team> Teams);

public sealed record InviteView(string Id, string Email, string Status, string? TeamId, string CreatedAt, bool Valid, bool Used, string Link, string? ActiveEmail)
{
    public static InviteView Of(SandboxInvite i) =>
        new(i.Id, i.Email, i.Status, i.TeamId, SandboxState.Iso(i.CreatedAt), i.Valid, i.Used, i.Link, i.ActiveEmail);
}

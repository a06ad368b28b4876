using System.Globalization;

namespace HeadshotPro.Sandbox;

/// <summary>Start-up options of the sandbox, as given on its command line.</summary>
public sealed record SandboxOptions
{
    /// <summary>The documented key the sandbox accepts unless told otherwise.</summary>
    public const string DefaultApiKey = "hsp_sandbox_key_0123456789abcdef";

    public string Urls { get; init; } = "http://127.0.0.1:5080";
    public string ApiKey { get; init; } = DefaultApiKey;
    /// <summary>The starting balance; fractional balances (12.75) are the vendor's Lite package.</summary>
    public decimal Credits { get; init; } = 100;
    public int LatencyMs { get; init; }
    /// <summary>Up to this many milliseconds more each request waits (a seeded draw): requests are processed in an order of their own.</summary>
    public int LatencyJitterMs { get; init; }
    /// <summary>Requests per window and key; 0 turns rate limiting (and its headers) off.</summary>
    public int RateLimit { get; init; } = 300;
    public int RateWindowSeconds { get; init; } = 60;
    public double FaultRate { get; init; }
    public int FaultSeed { get; init; } = 1;
    /// <summary>Most pending invites at once; null means no limit.</summary>
    public int? InviteLimit { get; init; }
    /// <summary>Seconds the sandbox's clock is ahead of real UTC (negative: behind).</summary>
    public int ClockSkewSeconds { get; init; }
    /// <summary>Stop work on a request when its client hangs up, instead of finishing it as a real server does.</summary>
    public bool CancelOnDisconnect { get; init; }
    /// <summary>How <c>X-RateLimit-Reset</c> is written; one of <see cref="ResetFormat.All"/>.</summary>
    public string ResetHeaderFormat { get; init; } = ResetFormat.Iso;
    /// <summary>Seconds between a person's moves in the timed lifecycle (invited → … → completed with a favorite); 0 = off.</summary>
    public int LifecycleSeconds { get; init; }
    /// <summary>Size of a main photo in bytes (a thumbnail stays small; an original is twice this).</summary>
    public int PhotoBytes { get; init; } = 1_000_000;
    /// <summary>Where photo links point (the "CDN"); null = the sandbox's own root + <c>photos/</c>.</summary>
    public string? PhotoBaseUrl { get; init; }
    /// <summary>How long a signed photo link is valid.</summary>
    public int PhotoLinkSeconds { get; init; } = 86_400;
    /// <summary>Megabytes of encoded photos the photo host keeps in memory (the most recently served).</summary>
    public int PhotoCacheMegabytes { get; init; } = 64;
    /// <summary>The documented webhook secret the sandbox signs with unless told otherwise (64 hex characters, as the contract's).</summary>
    public const string DefaultWebhookSecret = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    /// <summary>Where webhooks are posted; null = none are sent.</summary>
    public string? WebhookUrl { get; init; }
    public string WebhookSecret { get; init; } = DefaultWebhookSecret;
    /// <summary>
    /// Seconds before each retry of a delivery that failed (the first attempt is at once), as text (so options compare by
    /// value): the contract's 0, 5 min, 15 min, 1 h.
    /// </summary>
    public string WebhookRetrySchedule { get; init; } = "0,300,900,3600";
    /// <summary>The share (0..1) of people who sign up with a personal address instead of the one invited; see <see cref="People.PersonalAddress"/>.</summary>
    public double PersonalAddressShare { get; init; }
    /// <summary>The order of every list the API answers; one of <see cref="ListOrder.All"/>.</summary>
    public string ListOrder { get; init; } = Sandbox.ListOrder.OldestFirst;
    /// <summary>How paged v2 lists misbehave, one of <see cref="PagingFaultKind.All"/>; null = correct paging.</summary>
    public string? PagingFault { get; init; }
    /// <summary>After this many <c>/api/</c> requests were handled, the server stops listening (an outage); null = never.</summary>
    public int? OutageAfterRequests { get; init; }
    /// <summary>How long an outage lasts; null = until the process ends.</summary>
    public double? OutageSeconds { get; init; }

    public const string Usage =
        "usage: HeadshotPro.Sandbox [--urls URL] [--api-key KEY] [--credits N] [--latency-ms N] [--latency-jitter-ms N] " +
        "[--rate-limit N] [--rate-window-seconds N] [--fault-rate 0..1] [--fault-seed N] [--invite-limit N] " +
        "[--clock-skew-seconds -86400..86400] [--cancel-on-disconnect] " +
        "[--reset-header-format iso|unix-seconds|unix-ms|delta-seconds|huge|infinity|garbage|negative|multiple] " +
        "[--lifecycle-seconds N] [--photo-bytes N] [--photo-base-url URL] [--photo-link-seconds N] [--photo-cache-mb N] " +
        "[--webhook-url URL] [--webhook-secret 64HEX] [--webhook-retry-schedule S,S,...] " +
        "[--personal-address-share 0..1] [--list-order oldest-first|newest-first] " +
        "[--paging-fault ignore-offset|repeat-page|always-more] [--outage-after-requests N] [--outage-seconds S]";
    /// <summary>Parses the command line; throws <see cref="ArgumentException"/> with a one-line message when it is wrong.</summary>
    public static SandboxOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SandboxOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            var inlineValue = (string?)null;
            var eq = name.IndexOf('=');
            if (name.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                inlineValue = name[(eq + 1)..];
                name = name[..eq];
            }
            string Value()
            {
                if (inlineValue is not null) return inlineValue;
                if (i + 1 >= args.Count) throw new ArgumentException($"option {name} needs a value");
                return args[++i];
            }
            options = name switch
            {
                "--urls" => options with { Urls = NonEmpty(name, Value()) },
                "--api-key" => options with { ApiKey = NonEmpty(name, Value()) },
                "--credits" => options with { Credits = Credit(name, Value()) },
                "--latency-ms" => options with { LatencyMs = Int(name, Value(), 0, 3_600_000) },
                "--latency-jitter-ms" => options with { LatencyJitterMs = Int(name, Value(), 0, 3_600_000) },
                "--rate-limit" => options with { RateLimit = Int(name, Value(), 0, int.MaxValue) },
                "--rate-window-seconds" => options with { RateWindowSeconds = Int(name, Value(), 1, 86_400) },
                "--fault-rate" => options with { FaultRate = Rate(name, Value()) },
                "--fault-seed" => options with { FaultSeed = Int(name, Value(), int.MinValue, int.MaxValue) },
                "--invite-limit" => options with { InviteLimit = Int(name, Value(), 0, int.MaxValue) },
                "--clock-skew-seconds" => options with { ClockSkewSeconds = Int(name, Value(), -86_400, 86_400) },
                "--cancel-on-disconnect" => options with { CancelOnDisconnect = inlineValue is null || Bool(name, inlineValue) },
                "--reset-header-format" => options with { ResetHeaderFormat = OneOf(name, Value(), ResetFormat.All) },
                "--lifecycle-seconds" => options with { LifecycleSeconds = Int(name, Value(), 0, 86_400) },
                "--photo-bytes" => options with { PhotoBytes = Int(name, Value(), 0, 100_000_000) },
                "--photo-base-url" => options with { PhotoBaseUrl = BaseUrl(name, Value()) },
                "--photo-link-seconds" => options with { PhotoLinkSeconds = Int(name, Value(), 0, 31_536_000) },
                "--photo-cache-mb" => options with { PhotoCacheMegabytes = Int(name, Value(), 1, 4096) },
                "--webhook-url" => options with { WebhookUrl = WebhookRules.Url(name, Value()) },
                "--webhook-secret" => options with { WebhookSecret = WebhookRules.Secret(name, Value()) },
                "--outage-after-requests" => options with { OutageAfterRequests = Int(name, Value(), 1, int.MaxValue) },
                "--outage-seconds" => options with { OutageSeconds = Seconds(name, Value()) },
                "--paging-fault" => options with { PagingFault = OneOf(name, Value(), PagingFaultKind.All) },
                "--webhook-retry-schedule" => options with { WebhookRetrySchedule = WebhookRules.Text(WebhookRules.Schedule(name, Value())) },
                "--personal-address-share" => options with { PersonalAddressShare = Rate(name, Value()) },
                "--list-order" => options with { ListOrder = OneOf(name, Value(), Sandbox.ListOrder.All) },
                _ => throw new ArgumentException($"unknown option '{args[i]}'. {Usage}"),
            };
        }
        return options;
    }

    private static string NonEmpty(string name, string value) =>
        string.IsNullOrWhiteSpace(value) ? throw new ArgumentException($"option {name} needs a non-empty value") : value;

    private static int Int(string name, string value, int min, int max)
    {
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
            throw new ArgumentException($"option {name} must be a whole number from {min} to {max}, not '{value}'");
        return n;
    }

    private static double Seconds(string name, string value) =>
        double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds <= 86_400
            ? seconds
            : throw new ArgumentException($"option {name} must be a number of seconds above 0, up to 86400 (fractions allowed), not '{value}'");

    private static decimal Credit(string name, string value) =>
        decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var credits) && credits <= int.MaxValue
            ? credits
            : throw new ArgumentException($"option {name} must be a number of credits from 0 (fractions allowed, e.g. 12.75), not '{value}'");

    private static string BaseUrl(string name, string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"option {name} must be an absolute http or https URL, not '{value}'");
        return value.EndsWith('/') ? value : value + "/";
    }

    private static bool Bool(string name, string value) =>
        bool.TryParse(value, out var b) ? b : throw new ArgumentException($"option {name} takes no value, or =true or =false, not '{value}'");

    private static string OneOf(string name, string value, string[] allowed) =>
        allowed.Contains(value) ? value : throw new ArgumentException($"option {name} must be one of {string.Join(", ", allowed)}, not '{value}'");

    private static double Rate(string name, string value)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) || r < 0 || r > 1 || double.IsNaN(r))
            throw new ArgumentException($"option {name} must be a number from 0 to 1, not '{value}'");
        return r;
    }
}

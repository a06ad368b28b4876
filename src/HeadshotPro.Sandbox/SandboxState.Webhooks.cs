using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace HeadshotPro.Sandbox;

/// <summary>One event's delivery to the webhook URL: what is sent, and every attempt.</summary>
public sealed class WebhookDelivery
{
    public required string Id { get; init; }
    public required string EventId { get; init; }
    public required string Event { get; init; }
    public required string ModelId { get; init; }
    public required string Url { get; init; }
    /// <summary>The body as signed (and, unless tampered, as sent), byte for byte.</summary>
    public required string Body { get; init; }
    /// <summary>The secret's UTF-8 text: the HMAC key, as the module reads it.</summary>
    public required byte[] Key { get; init; }
    public required double[] Schedule { get; init; }
    public required long Generation { get; init; }
    /// <summary>signature, body, stale, future or unsigned (from the send control); null for a true delivery.</summary>
    public string? Tamper { get; init; }
    public double TamperSeconds { get; init; }
    public List<WebhookAttempt> Attempts { get; } = new();
    /// <summary>pending, delivered (a 2xx) or failed (every retry used).</summary>
    public string State { get; set; } = "pending";
}

public sealed record WebhookAttempt(int Number, DateTime Time, string Timestamp, string? Signature, int Status, string? Error);

public static class WebhookTamper
{
    public static readonly string[] All = { "signature", "body", "stale", "future", "unsigned" };
}

/// <summary>Webhooks: lifecycle events signed and queued for the sender, the delivery journal, and the send control.</summary>
public sealed partial class SandboxState
{
    public const string EventCreated = "model.created";
    public const string EventStatusUpdated = "model.status.updated";
    public const string EventPhotosReady = "model.photos_ready";
    public const string EventFavoriteSelected = "model.favorite_selected";
    public const string EventDeleted = "model.deleted";

    private readonly List<WebhookDelivery> _deliveries = new();
    private readonly Channel<WebhookDelivery> _outbox = Channel.CreateUnbounded<WebhookDelivery>(new UnboundedChannelOptions { SingleReader = true });
    private long _webhookGeneration;

    public string? WebhookUrl { get; private set; }
    private string _webhookSecret = SandboxOptions.DefaultWebhookSecret;
    public double[] WebhookRetrySchedule { get; private set; } = Array.Empty<double>();

    /// <summary>Deliveries in the order their events happened; the sender makes each one's first attempt in that order.</summary>
    public ChannelReader<WebhookDelivery> WebhookOutbox => _outbox.Reader;

    private void ResetWebhooksLocked()
    {
        WebhookUrl = _startup.WebhookUrl;
        _webhookSecret = _startup.WebhookSecret;
        WebhookRetrySchedule = WebhookRules.Schedule("--webhook-retry-schedule", _startup.WebhookRetrySchedule);
        _deliveries.Clear();
        _webhookGeneration++;
    }

    private void ApplyWebhookSettingsLocked(SettingsChange change)
    {
        if (change.SetWebhookUrl) WebhookUrl = change.WebhookUrl;
        if (change.WebhookSecret is { } secret) _webhookSecret = secret;
        if (change.WebhookRetrySchedule is { } schedule) WebhookRetrySchedule = schedule;
    }

    /// <summary>Queues one event about <paramref name="invite"/>'s model, when a webhook URL is set.</summary>
    private WebhookDelivery? RaiseLocked(string eventName, SandboxInvite invite, string? tamper = null, double tamperSeconds = 0)
    {
        if (WebhookUrl is null || invite.Model is null) return null;
        var eventId = "evt_" + NewId(24);
        var delivery = new WebhookDelivery
        {
            Id = "dlv_" + NewId(16),
            EventId = eventId,
            Event = eventName,
            ModelId = invite.Model.Id,
            Url = WebhookUrl,
            Body = EventBodyLocked(eventId, eventName, invite),
            Key = Encoding.UTF8.GetBytes(_webhookSecret),
            Schedule = WebhookRetrySchedule,
            Generation = _webhookGeneration,
            Tamper = tamper,
            TamperSeconds = tamperSeconds,
        };
        if (_deliveries.Count == JournalCapacity) _deliveries.RemoveAt(0);
        _deliveries.Add(delivery);
        _outbox.Writer.TryWrite(delivery);
        return delivery;
    }

    /// <summary>The contract's body: <c>{id, event, createdAt, objectType:"model", object:{_id, uid, title, trigger, status, …}}</c>, no address.</summary>
    private string EventBodyLocked(string eventId, string eventName, SandboxInvite invite)
    {
        var m = invite.Model!;
        var model = new JsonObject
        {
            ["_id"] = m.Id,
            ["uid"] = m.Uid,
            ["title"] = m.Title,
            ["trigger"] = "invite",
            ["status"] = m.Status,
            ["isDevelopment"] = false,
            ["finishedAt"] = m.FinishedAt is { } finished ? Iso(finished) : null,
            ["deletedAt"] = m.DeletedAt is { } deleted ? Iso(deleted) : null,
            ["inviteExpiresAt"] = Iso(ExpiresLocked(invite)),
            ["createdAt"] = Iso(m.CreatedAt),
            ["organization"] = OrganizationLocked().Uid,
        };
        var root = new JsonObject
        {
            ["id"] = eventId,
            ["event"] = eventName,
            ["createdAt"] = Iso(Now),
            ["objectType"] = "model",
            ["object"] = model,
        };
        return root.ToJsonString(Json.Options);
    }

    /// <summary>
    /// What one attempt sends: the timestamp (the sandbox's clock, or off by the tamper's seconds), the signature header
    /// (none when unsigned, a wrong one when tampered) and the body (changed after signing when tampered).
    /// </summary>
    public (string Timestamp, string? Signature, string Body) Prepare(WebhookDelivery d)
    {
        var now = new DateTimeOffset(Now).ToUnixTimeSeconds();
        var offset = (long)Math.Round(d.TamperSeconds > 0 ? d.TamperSeconds : 600);
        var timestamp = (d.Tamper switch { "stale" => now - offset, "future" => now + offset, _ => now }).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = Sign(d.Key, timestamp, d.Body);
        return d.Tamper switch
        {
            "unsigned" => (timestamp, null, d.Body),
            "signature" => (timestamp, signature[..^1] + (signature[^1] == '0' ? '1' : '0'), d.Body),
            "body" => (timestamp, signature, d.Body.Replace("\"objectType\":\"model\"", "\"objectType\":\"model\",\"tampered\":true", StringComparison.Ordinal)),
            _ => (timestamp, signature, d.Body),
        };
    }

    /// <summary><c>sha256=</c> + the lowercase hex HMAC-SHA256 of <c>"{timestamp}.{body}"</c>, keyed with the secret's UTF-8 text.</summary>
    public static string Sign(byte[] key, string timestamp, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(timestamp + "." + body)));

    public bool IsCurrent(WebhookDelivery d)
    {
        lock (_gate) return d.Generation == _webhookGeneration;
    }

    public void RecordAttempt(WebhookDelivery d, WebhookAttempt attempt, string state)
    {
        lock (_gate)
        {
            d.Attempts.Add(attempt);
            d.State = state;
        }
    }

    public IReadOnlyList<object> Deliveries()
    {
        lock (_gate) return _deliveries.Select(DeliveryView).ToList();
    }

    private static object DeliveryView(WebhookDelivery d) => new
    {
        id = d.Id,
        eventId = d.EventId,
        @event = d.Event,
        modelId = d.ModelId,
        url = d.Url,
        tamper = d.Tamper,
        body = d.Body,
        state = d.State,
        attempts = d.Attempts.Select(a => new
        {
            number = a.Number,
            time = Iso(a.Time),
            timestamp = a.Timestamp,
            signature = a.Signature,
            status = a.Status,
            error = a.Error,
        }).ToList(),
    };

    public object WebhookSettings()
    {
        lock (_gate) return new { success = true, url = WebhookUrl, retrySchedule = WebhookRules.Text(WebhookRetrySchedule), deliveries = _deliveries.Select(DeliveryView).ToList() };
    }

    /// <summary>
    /// The send control: one event about a person's model now, true or tampered. Null and a message when the person
    /// (by address, invited or active) or model is unknown, or when no webhook URL is set.
    /// </summary>
    public (int Status, object Body) SendWebhook(string eventName, string? email, string? modelId, string? tamper, double seconds)
    {
        lock (_gate)
        {
            if (WebhookUrl is null) return (409, Json.Error("No webhook URL: start with --webhook-url or set the webhookUrl setting.", "CONFLICT"));
            SandboxInvite? invite = null;
            if (modelId is not null) _byModelId.TryGetValue(modelId, out invite);
            else if (email is not null)
                invite = _liveByEmail.GetValueOrDefault(email)
                    ?? _invites.LastOrDefault(i => string.Equals(i.Email, email, StringComparison.OrdinalIgnoreCase) || string.Equals(i.ActiveEmail, email, StringComparison.OrdinalIgnoreCase));
            if (invite?.Model is null)
                return (404, Json.Error(invite is null ? $"No person or model '{modelId ?? email}'." : $"{email} has no model yet (advance them to accepted first).", "NOT_FOUND"));
            var delivery = RaiseLocked(eventName, invite, tamper, seconds)!;
            return (200, new { success = true, delivery = DeliveryView(delivery) });
        }
    }
}

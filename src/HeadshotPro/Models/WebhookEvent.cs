using System;

namespace HeadshotPro
{
    /// <summary>
    /// A HeadshotPro webhook delivery that passed verification (signature, timestamp, and the replay store when one is
    /// used): the event and the model it is about. Made only by ConvertFrom-HeadshotWebhook after verification.
    /// </summary>
    public sealed class WebhookEvent
    {
        /// <summary>The event's id (<c>evt_…</c>); the same id on every delivery attempt of one event.</summary>
        public string EventId { get; set; } = "";

        /// <summary>model.created, model.status.updated, model.photos_ready, model.favorite_selected or model.deleted.</summary>
        public string Event { get; set; } = "";
        public DateTimeOffset? CreatedAt { get; set; }
        public string? ObjectType { get; set; }

        /// <summary>The model's id (the event's <c>object._id</c>): what Get-HeadshotModel -Id and Get-HeadshotPhoto -ModelId take.</summary>
        public string? ModelId { get; set; }
        public string? ModelUid { get; set; }
        public string? ModelStatus { get; set; }
        public string? Title { get; set; }
        public string? Trigger { get; set; }
        public bool? IsDevelopment { get; set; }
        public DateTimeOffset? FinishedAt { get; set; }
        public DateTimeOffset? DeletedAt { get; set; }
        public DateTimeOffset? InviteExpiresAt { get; set; }
        public DateTimeOffset? ModelCreatedAt { get; set; }
        public string? Organization { get; set; }

        /// <summary>When HeadshotPro signed the delivery (its X-HeadshotPro-Timestamp).</summary>
        public DateTimeOffset SignedAt { get; set; }

        /// <summary>The Azure Automation webhook that received it, when it came as $WebhookData.</summary>
        public string? WebhookName { get; set; }

        /// <summary>Whether the event is one of the five the module knows (false only with -AllowUnknownEvent).</summary>
        public bool IsKnownEvent { get; set; }

        /// <summary>The event's <c>object</c> as sent, with every field (also ones the module does not know).</summary>
        public object? Object { get; set; }

        public override string ToString() => EventId;
    }
}

using System;

namespace HeadshotPro
{
    /// <summary>One invite, as created, fetched or listed. Fields the API did not return are null.</summary>
    public sealed class Invite
    {
        public string? Id { get; set; }
        public string Email { get; set; } = "";
        public string? Status { get; set; }
        public string? Link { get; set; }
        public string? TeamId { get; set; }
        public DateTime? CreatedAt { get; set; }

        public override string ToString() => Email;
    }
}

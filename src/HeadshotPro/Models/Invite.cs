using System;

namespace HeadshotPro
{
    /// <summary>One invite, as created, fetched or listed. Fields the API did not return are null.</summary>
    public sealed class Invite
    {
        public string? Id { get; set; }
        /// <summary>The address the invite was sent to.</summary>
        public string Email { get; set; } = "";

        /// <summary>The address the person signed up with, where the API gives it and it differs from <see cref="Email"/>.</summary>
        public string? ActiveEmail { get; set; }
        public string? Status { get; set; }
        public string? Link { get; set; }
        public string? TeamId { get; set; }
        public DateTime? CreatedAt { get; set; }

        public override string ToString() => Email;
    }
}

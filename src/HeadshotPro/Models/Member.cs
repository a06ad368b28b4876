using System;

namespace HeadshotPro
{
    /// <summary>A person in the organization's team (API v2): who they are, how far they are, and their model if any.</summary>
    public sealed class Member
    {
        public string? Id { get; set; }

        /// <summary>The address the person was invited at (the directory's), through the invite that links their model; where no invite does, the address the API gives.</summary>
        public string Email { get; set; } = "";

        /// <summary>The address the person signed up with, where it differs from <see cref="Email"/>.</summary>
        public string? SignUpEmail { get; set; }
        public string? Name { get; set; }

        /// <summary>accepted (signed up, nothing uploaded), pending (uploading or generating) or finished.</summary>
        public string? Status { get; set; }
        public string? TeamId { get; set; }
        public string? TeamName { get; set; }
        public string? ModelId { get; set; }
        public string? ModelStatus { get; set; }
        public DateTimeOffset? JoinedAt { get; set; }

        public override string ToString() => Email;
    }
}

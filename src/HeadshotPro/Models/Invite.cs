using System;

namespace HeadshotPro
{
    /// <summary>
    /// One invite, as created, fetched or listed. Fields the API did not return are null. Times, here as in every
    /// object of the module, are DateTimeOffset in this computer's time zone: shown, exported and serialized with
    /// their offset, never ambiguous.
    /// </summary>
    public sealed class Invite
    {
        public string? Id { get; set; }

        /// <summary>The address the invite was sent to: the one the directory knows, and the name every object of the module gives a person by.</summary>
        public string Email { get; set; } = "";

        /// <summary>The address the person signed up with, where it differs from <see cref="Email"/>.</summary>
        public string? SignUpEmail { get; set; }
        public string? Status { get; set; }
        public string? Link { get; set; }
        public string? TeamId { get; set; }

        /// <summary>The person's headshot session (Get-HeadshotModel), once they have one and the API says so.</summary>
        public string? ModelId { get; set; }

        /// <summary>The team's name, where the organization's teams are known.</summary>
        public string? TeamName { get; set; }

        public DateTimeOffset? CreatedAt { get; set; }

        /// <summary>When the invite's link expires: when the API says, else 30 days after <see cref="CreatedAt"/> (the vendor's invites page).</summary>
        public DateTimeOffset? ExpiresAt { get; set; }

        /// <summary>Still pending (never used) with its link expired: it can no longer be used; revoke it and invite again (Get-HeadshotInvite -Expired).</summary>
        public bool IsExpired => Status == Client.InviteStatus.Pending && ExpiresAt is DateTimeOffset at && at <= DateTimeOffset.Now;

        /// <summary>What this run did: Created, Existing (already there, with -SkipExisting) or Revoked; null when only read.</summary>
        public string? Outcome { get; set; }

        public override string ToString() => Email;
    }
}

using System;
using System.Collections.Generic;

namespace HeadshotPro.Client
{
    /// <summary>
    /// One vocabulary for invite statuses, v2's, in every cmdlet: pending, accepted, uploading, generating, completed,
    /// revoked, deleted. v1's names (pending-invite, waiting-for-upload, generating-headshots, active) are still accepted
    /// wherever a status is given, and whatever the API answers is written in v2's names.
    /// </summary>
    public static class InviteStatus
    {
        public const string Pending = "pending";
        public const string Revoked = "revoked";
        public const string Deleted = "deleted";

        public static readonly string[] Names = { Pending, "accepted", "uploading", "generating", "completed", Revoked, Deleted };

        private static readonly Dictionary<string, string> FromV1 = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["pending-invite"] = Pending,
            ["waiting-for-upload"] = "uploading",
            ["generating-headshots"] = "generating",
            ["active"] = "completed",
        };

        /// <summary>The v2 name of a status in either vocabulary; null for null, and an unknown name as it is.</summary>
        public static string? Normalize(string? status)
        {
            if (status == null) return null;
            if (FromV1.TryGetValue(status, out var v2)) return v2;
            foreach (var name in Names)
                if (string.Equals(name, status, StringComparison.OrdinalIgnoreCase)) return name;
            return status;
        }

        public static bool IsKnown(string status) => Array.IndexOf(Names, Normalize(status)) >= 0;

        /// <summary>An invite that blocks a new one for its address: anything but revoked or deleted.</summary>
        public static bool IsLive(string? status) => status != Revoked && status != Deleted;
    }
}

using System;
using System.Collections.Generic;
using System.Linq;

namespace HeadshotPro.Client.Api
{
    /// <summary>
    /// Joins the two invite lists into one: v1's items carry the id and link, v2's the status, model and team name, and
    /// neither carries the other's key. An invite is the same in both when its invited address and <c>createdAt</c> are;
    /// what that leaves unpaired is paired by address in <c>createdAt</c> order (lists read a moment apart, a server that
    /// rounds differently), then by <c>createdAt</c> alone (a v1 list that shows a used invite's sign-up address). Neither
    /// list's order matters.
    /// </summary>
    internal static class InviteJoin
    {
        /// <summary>Every v1 invite in v1's order, completed from its v2 twin; then any v2 invite without one (made between the two reads), without an id.</summary>
        public static IReadOnlyList<Invite> Join(IReadOnlyList<Invite> v1, IReadOnlyList<Invite> v2)
        {
            var twin = new Dictionary<Invite, Invite>();
            var unpaired = new HashSet<Invite>(v2);
            void Pair(Invite first, Invite second)
            {
                twin[first] = second;
                unpaired.Remove(second);
            }

            foreach (var invite in v1)
            {
                var same = unpaired.FirstOrDefault(o => SameAddress(o, invite) && o.CreatedAt == invite.CreatedAt && invite.CreatedAt != null);
                if (same != null) Pair(invite, same);
            }
            foreach (var byAddress in v1.Where(i => !twin.ContainsKey(i)).GroupBy(i => i.Email, StringComparer.OrdinalIgnoreCase))
            {
                var left = OldestFirst(byAddress).ToList();
                var right = OldestFirst(unpaired.Where(o => SameAddress(o, left[0]))).ToList();
                for (var n = 0; n < Math.Min(left.Count, right.Count); n++) Pair(left[n], right[n]);
            }
            foreach (var invite in v1.Where(i => !twin.ContainsKey(i) && i.CreatedAt != null))
            {
                var sameTime = unpaired.Where(o => o.CreatedAt == invite.CreatedAt).Take(2).ToList();
                if (sameTime.Count == 1) Pair(invite, sameTime[0]);
            }

            var joined = v1.Select(i => twin.TryGetValue(i, out var other) ? Merge(i, other) : i).ToList();
            joined.AddRange(v2.Where(unpaired.Contains));
            return joined;
        }

        private static bool SameAddress(Invite a, Invite b) => string.Equals(a.Email, b.Email, StringComparison.OrdinalIgnoreCase);

        private static IEnumerable<Invite> OldestFirst(IEnumerable<Invite> invites) => invites.OrderBy(i => i.CreatedAt ?? DateTimeOffset.MinValue);

        private static Invite Merge(Invite v1, Invite v2) => new Invite
        {
            Id = v1.Id,
            Email = v2.Email,
            SignUpEmail = SameAddress(v1, v2) ? null : v1.Email,
            Status = v2.Status ?? v1.Status,
            Link = v1.Link,
            TeamId = v2.TeamId ?? v1.TeamId,
            TeamName = v2.TeamName,
            ModelId = v2.ModelId,
            CreatedAt = v1.CreatedAt ?? v2.CreatedAt,
            ExpiresAt = v1.ExpiresAt ?? v2.ExpiresAt,
        };

        /// <summary>The invite a person is at now among <paramref name="invites"/>: the newest live one by <c>createdAt</c>, else the newest.</summary>
        public static Invite? Current(IEnumerable<Invite> invites)
        {
            var all = invites.ToList();
            return Newest(all.Where(i => InviteStatus.IsLive(i.Status))) ?? Newest(all);
        }

        /// <summary>The newest by <c>createdAt</c> (never by list order); null for none.</summary>
        public static Invite? Newest(IEnumerable<Invite> invites) =>
            invites.OrderByDescending(i => i.CreatedAt ?? DateTimeOffset.MinValue).FirstOrDefault();
    }
}

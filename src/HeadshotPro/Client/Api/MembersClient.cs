using System.Threading;
using System.Threading.Tasks;
using HeadshotPro.Client.Transport;
using Newtonsoft.Json.Linq;

namespace HeadshotPro.Client.Api
{
    /// <summary>The organization's team members (API v2 <c>GET organization/team</c>, paginated).</summary>
    public sealed class MembersClient : ApiClient
    {
        public static readonly string[] Statuses = { "accepted", "pending", "finished" };

        internal MembersClient(ApiTransport transport, ClientSettings settings) : base(transport, settings) { }

        /// <summary>One page of members, optionally of one stage (accepted, pending, finished).</summary>
        public Task<Page<Member>> ListPageAsync(string? status, int offset, int limit, CancellationToken cancellationToken, RequestOptions? options = null) =>
            V2PageAsync("organization/team", "members", MemberOf, offset, limit, options, cancellationToken, ("status", status));

        /// <summary>A lazy reader of the members list: a page is fetched only when the reader is asked for it.</summary>
        public PageReader<Member> Reader(string? status, RequestOptions? options, int offset = 0, long? most = null, int pageSize = Paging.DefaultLimit) =>
            new PageReader<Member>((o, l, ct) => ListPageAsync(status, o, l, ct, options), offset, pageSize, most);

        internal static Member MemberOf(JObject m) => new Member
        {
            Id = Text(m["id"]),
            Email = Text(m["email"]) ?? "",
            Name = Text(m["name"]),
            Status = Text(m["status"]),
            TeamId = Text(m["teamId"]),
            TeamName = Text(m["teamName"]),
            ModelId = Text(m["modelId"]),
            ModelStatus = Text(m["modelStatus"]),
            JoinedAt = DateOf(m["joinedAt"]),
        };
    }
}

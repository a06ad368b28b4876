using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HeadshotPro.Client;

namespace HeadshotPro.Commands
{
    /// <summary>The organization's invites, read at most once per command, by whichever worker needs them first.</summary>
    internal sealed class InviteList
    {
        private readonly object _gate = new object();
        private readonly HeadshotProClient _client;
        private Task<IReadOnlyList<Invite>>? _read;

        public InviteList(HeadshotProClient client) => _client = client;

        public Task<IReadOnlyList<Invite>> GetAsync(RequestOptions options, CancellationToken cancellationToken)
        {
            lock (_gate) return _read ??= _client.ListInvitesAsync(cancellationToken, options.WithoutVeto().WithLabel(null));
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HeadshotPro.Client;
using HeadshotPro.Client.Api;
using HeadshotPro.Client.Transport;

namespace HeadshotPro.Commands
{
    /// <summary>
    /// One command's view of who people are, through the service's own links: the invites (v2's list, which keeps the
    /// invited address and links each person's model; v1's for the ids), the members and the models — each read at
    /// most once per command, by whichever worker needs it first. Members, models and photos carry the address people
    /// signed up with; <see cref="Names"/> gives them the invited address instead, with the sign-up address beside it.
    /// </summary>
    internal sealed class People
    {
        /// <summary>Up to this many models are read one by one for their sign-up addresses; more, and the list is read.</summary>
        private const int MostModelsReadOneByOne = 3;

        private readonly HeadshotProClient _client;
        private readonly object _gate = new object();
        private Task<IReadOnlyList<Invite>>? _v2;
        private Task<IReadOnlyList<Invite>>? _joined;
        private Task<Names>? _names;
        private Task<IReadOnlyList<Member>>? _members;
        private Task<IReadOnlyList<Model>>? _models;
        private readonly Dictionary<string, Task<Model?>> _oneByOne = new Dictionary<string, Task<Model?>>();

        public People(HeadshotProClient client) => _client = client;

        /// <summary>A read shared by the command's items: no item's veto stops it, and no item's name is on it.</summary>
        private static RequestOptions Shared(RequestOptions options) => options.WithoutVeto().WithLabel(null);

        private Task<T> Once<T>(ref Task<T>? slot, Func<Task<T>> read)
        {
            lock (_gate) return slot ??= read();
        }

        /// <summary>v2's invites: invited address, status, model, team name; no id.</summary>
        public Task<IReadOnlyList<Invite>> V2InvitesAsync(RequestOptions options, CancellationToken ct) =>
            Once(ref _v2, () => _client.Invites.ListV2Async(ct, Shared(options)));

        /// <summary>Every invite with its id and its v2 status, model and team (<see cref="InviteJoin"/>): two requests.</summary>
        public Task<IReadOnlyList<Invite>> InvitesAsync(RequestOptions options, CancellationToken ct) =>
            Once(ref _joined, async () =>
            {
                var v1 = _client.Invites.ListAsync(ct, Shared(options));
                var v2 = V2InvitesAsync(options, ct);
                return InviteJoin.Join(await v1.ConfigureAwait(false), await v2.ConfigureAwait(false));
            });

        public Task<Names> NamesAsync(RequestOptions options, CancellationToken ct) =>
            Once(ref _names, async () => new Names(await V2InvitesAsync(options, ct).ConfigureAwait(false)));

        /// <summary>Every member, named by their invited address.</summary>
        public Task<IReadOnlyList<Member>> MembersAsync(RequestOptions options, CancellationToken ct) =>
            Once(ref _members, async () =>
            {
                var all = await _client.Members.Reader(null, Shared(options), pageSize: Paging.MaxLimit).RestAsync(ct).ConfigureAwait(false);
                var names = await NamesAsync(options, ct).ConfigureAwait(false);
                foreach (var member in all) names.Name(member);
                return (IReadOnlyList<Member>)all;
            });

        /// <summary>Every model, named by the invited address.</summary>
        public Task<IReadOnlyList<Model>> ModelsAsync(RequestOptions options, CancellationToken ct) =>
            Once(ref _models, async () =>
            {
                var all = await _client.Models.Reader(null, null, Shared(options), pageSize: Paging.MaxLimit).RestAsync(ct).ConfigureAwait(false);
                var names = await NamesAsync(options, ct).ConfigureAwait(false);
                foreach (var model in all) names.Name(model);
                return (IReadOnlyList<Model>)all;
            });

        /// <summary>A page fetch whose items are named by the invited address (<paramref name="name"/>) before they are handed on.</summary>
        public Func<int, int, CancellationToken, Task<Page<T>>> Named<T>(Func<int, int, CancellationToken, Task<Page<T>>> fetch, Action<Names, T> name, RequestOptions options) =>
            async (offset, limit, ct) =>
            {
                var names = NamesAsync(options, ct);
                var page = await fetch(offset, limit, ct).ConfigureAwait(false);
                foreach (var item in page.Items) name(await names.ConfigureAwait(false), item);
                return page;
            };

        /// <summary>One model by id, named by the invited address.</summary>
        public async Task<Model> ModelAsync(string id, RequestOptions options, CancellationToken ct)
        {
            var model = await _client.Models.GetAsync(id, ct, options).ConfigureAwait(false);
            (await NamesAsync(options, ct).ConfigureAwait(false)).Name(model);
            return model;
        }

        /// <summary>
        /// The addresses people signed up with, by model id, for <paramref name="modelIds"/>. The command's first few
        /// models are read one by one; past that, the models list is read once (a page holds 200) and answers every call.
        /// A model that is gone has none.
        /// </summary>
        public async Task<IReadOnlyDictionary<string, string>> SignUpAddressesAsync(IReadOnlyCollection<string> modelIds, RequestOptions options, CancellationToken ct)
        {
            var found = new Dictionary<string, string>();
            if (modelIds.Count == 0) return found;
            bool fromList;
            lock (_gate)
            {
                var fresh = modelIds.Where(id => !_oneByOne.ContainsKey(id)).Distinct().ToList();
                fromList = _models != null || _oneByOne.Count + fresh.Count > MostModelsReadOneByOne;
                if (!fromList) foreach (var id in fresh) _oneByOne[id] = OneModelAsync(id, options, ct);
            }
            if (fromList)
            {
                var all = await ModelsAsync(options, ct).ConfigureAwait(false);
                foreach (var model in all.Where(m => modelIds.Contains(m.Id))) found[model.Id] = model.SignUpEmail ?? model.Email;
                return found;
            }
            foreach (var id in modelIds)
                if (await _oneByOne[id].ConfigureAwait(false) is Model model) found[id] = model.Email;
            return found;
        }

        private async Task<Model?> OneModelAsync(string id, RequestOptions options, CancellationToken ct)
        {
            try
            {
                return await _client.Models.GetAsync(id, ct, Shared(options)).ConfigureAwait(false);
            }
            catch (HeadshotProApiException e) when (e.Kind == ApiErrorKind.NotFound)
            {
                return null;
            }
        }

        /// <summary>The invite a person is at now, by their invited address: the newest live one, else the newest (v2's list).</summary>
        public async Task<Invite?> CurrentInviteAsync(string address, RequestOptions options, CancellationToken ct) =>
            InviteJoin.Current((await V2InvitesAsync(options, ct).ConfigureAwait(false)).Where(i => string.Equals(i.Email, address, StringComparison.OrdinalIgnoreCase)));

        /// <summary>An invite by id (both lists), or null.</summary>
        public async Task<Invite?> InviteByIdAsync(string id, RequestOptions options, CancellationToken ct) =>
            (await InvitesAsync(options, ct).ConfigureAwait(false)).FirstOrDefault(i => i.Id == id);

        /// <summary>
        /// The model <paramref name="person"/> names: a piped model as it is (or read again with <paramref name="reread"/>), a
        /// ModelId by that id, an invite id through that invite, an address through the person's current invite
        /// (<c>modelId</c>), and only where no invite has the address, among the models by the address they carry.
        /// </summary>
        public async Task<Model> ModelOfAsync(PersonInput person, bool reread, RequestOptions options, CancellationToken ct)
        {
            if (person.Model != null && !reread) return person.Model;
            if (person.IsEvent && string.IsNullOrEmpty(person.ModelId))
                throw NoModel($"Event {person.Input} is about no model (it has no object._id).");
            var modelId = person.ModelId;
            if (modelId == null && person.InviteId != null)
            {
                var invite = await InviteByIdAsync(person.InviteId, options, ct).ConfigureAwait(false) ?? throw NoInvite(person.InviteId);
                modelId = invite.ModelId ?? throw NoModel(NoModelYet(invite));
            }
            if (modelId == null)
            {
                var address = person.Address!;
                var invite = await CurrentInviteAsync(address, options, ct).ConfigureAwait(false);
                if (invite != null) modelId = invite.ModelId ?? throw NoModel(NoModelYet(invite));
                else
                {
                    var models = await ModelsAsync(options, ct).ConfigureAwait(false);
                    return models.Where(m => Named(m.Email, m.SignUpEmail, address)).OrderBy(m => m.Status == "deleted" ? 0 : 1).ThenBy(m => m.CreatedAt ?? DateTimeOffset.MinValue).LastOrDefault()
                        ?? throw NoModel($"{address} has no invite and no model in the organization (Get-HeadshotInvite and Get-HeadshotMember show who is there).");
                }
            }
            return await ModelAsync(modelId, options, ct).ConfigureAwait(false);
        }

        /// <summary>
        /// Every model <paramref name="person"/> names: one, as <see cref="ModelOfAsync"/> finds it, except that an address
        /// gives every model its invites link, newest first (someone re-invited after signing up may have two).
        /// </summary>
        public async Task<IReadOnlyList<Model>> ModelsOfAsync(PersonInput person, RequestOptions options, CancellationToken ct)
        {
            if (person.Address == null || person.Model != null || person.ModelId != null || person.InviteId != null || person.IsEvent)
                return new[] { await ModelOfAsync(person, reread: false, options, ct).ConfigureAwait(false) };
            var linked = (await V2InvitesAsync(options, ct).ConfigureAwait(false))
                .Where(i => i.ModelId != null && string.Equals(i.Email, person.Address, StringComparison.OrdinalIgnoreCase))
                .OrderByDescending(i => i.CreatedAt ?? DateTimeOffset.MinValue).Select(i => i.ModelId!).Distinct().ToList();
            if (linked.Count == 0) return new[] { await ModelOfAsync(person, reread: false, options, ct).ConfigureAwait(false) };
            var models = new List<Model>();
            foreach (var id in linked) models.Add(await ModelAsync(id, options, ct).ConfigureAwait(false));
            return models;
        }

        /// <summary>The member <paramref name="person"/> names (by model, invite or address, as <see cref="ModelOfAsync"/>), or MemberNotFound saying why not.</summary>
        public async Task<Member> MemberOfAsync(PersonInput person, RequestOptions options, CancellationToken ct)
        {
            var members = await MembersAsync(options, ct).ConfigureAwait(false);
            var modelId = person.ModelId;
            Invite? invite = null;
            if (modelId == null && person.InviteId != null)
            {
                invite = await InviteByIdAsync(person.InviteId, options, ct).ConfigureAwait(false) ?? throw NoInvite(person.InviteId);
                modelId = invite.ModelId;
            }
            else if (modelId == null && person.Address != null)
            {
                invite = await CurrentInviteAsync(person.Address, options, ct).ConfigureAwait(false);
                modelId = invite?.ModelId;
            }
            var member = modelId != null ? members.FirstOrDefault(m => m.ModelId == modelId) : null;
            if (member == null && invite == null && person.Address != null) member = members.FirstOrDefault(m => Named(m.Email, m.SignUpEmail, person.Address));
            if (member != null) return member;
            var who = person.Address ?? person.Label;
            var why = invite == null ? $"{who} is not a member of the organization: they have no invite that was accepted."
                : $"{who} is not a member: their invite is {invite.Status ?? "not used"}{(invite.Status == InviteStatus.Pending ? " (not accepted yet)" : "")}.";
            throw new HeadshotProApiException(ApiErrorKind.NotFound, why, null, "NOT_FOUND").About("Member");
        }

        private static bool Named(string email, string? signUp, string address) =>
            string.Equals(email, address, StringComparison.OrdinalIgnoreCase) || string.Equals(signUp, address, StringComparison.OrdinalIgnoreCase);

        private static string NoModelYet(Invite invite) =>
            $"{invite.Email} has no model yet: their invite{(invite.Id != null ? " " + invite.Id : "")} is {invite.Status ?? "not used yet"} (a model is made once they sign up).";

        internal static HeadshotProApiException NoModel(string message) =>
            new HeadshotProApiException(ApiErrorKind.NotFound, message, null, "NOT_FOUND").About("Model");

        internal static HeadshotProApiException NoInvite(string id) =>
            new HeadshotProApiException(ApiErrorKind.NotFound, $"No invite has the id '{id}'.", null, "NOT_FOUND");
    }

    /// <summary>
    /// Who each model belongs to by the invited address, from v2's invites (which link the <c>modelId</c>). Where no invite
    /// links a model, the address the API gives stays the name.
    /// </summary>
    internal sealed class Names
    {
        private readonly Dictionary<string, string> _invited;
        private readonly Dictionary<string, string> _current;

        public Names(IEnumerable<Invite> v2Invites)
        {
            var linking = v2Invites.Where(i => !string.IsNullOrEmpty(i.ModelId) && i.Email.Length > 0).ToList();
            _invited = linking.GroupBy(i => i.ModelId!).ToDictionary(g => g.Key, g => InviteJoin.Newest(g)!.Email);
            _current = linking.GroupBy(i => i.Email, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => InviteJoin.Newest(g)!.ModelId!, StringComparer.OrdinalIgnoreCase);
        }

        /// <summary>
        /// The model of the person's newest invite that links one, when that is not <paramref name="modelId"/>: they were
        /// invited again (after a revoke) and have a newer model. Null for a person's current model and one no invite links.
        /// </summary>
        public string? NewerModelThan(string? modelId)
        {
            if (modelId == null || !_invited.TryGetValue(modelId, out var invited) || !_current.TryGetValue(invited, out var current)) return null;
            return current == modelId ? null : current;
        }

        /// <summary>(invited address, sign-up address where it differs) of a model and the address the API gave with it.</summary>
        public (string Email, string? SignUp) Of(string? modelId, string? given)
        {
            if (modelId == null || !_invited.TryGetValue(modelId, out var invited) || string.IsNullOrEmpty(invited)) return (given ?? "", null);
            return (invited, string.IsNullOrEmpty(given) || string.Equals(given, invited, StringComparison.OrdinalIgnoreCase) ? null : given);
        }

        public void Name(Member member) => (member.Email, member.SignUpEmail) = Of(member.ModelId, member.SignUpEmail ?? member.Email);

        public void Name(Model model) => (model.Email, model.SignUpEmail) = Of(model.Id, model.SignUpEmail ?? model.Email);

        public void Name(Photo photo) => (photo.Email, photo.SignUpEmail) = Of(photo.ModelId, photo.SignUpEmail ?? photo.Email);
    }
}

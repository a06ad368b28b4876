using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using HeadshotPro.Client;

namespace HeadshotPro.Commands
{
    /// <summary>
    /// Headshots (API v2) as links: a model's photos, or with -Favorite the person's chosen one, or with -PhotoId those
    /// photos of one model; a team's favorites; without input, the organization's favorites. Each output object carries
    /// Email (the invited address), SignUpEmail, ModelId, PhotoId, Url, ExpiresAt and Variant.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "HeadshotPhoto", DefaultParameterSetName = OrganizationSet, SupportsPaging = true)]
    [OutputType(typeof(Photo))]
    public sealed class GetHeadshotPhoto : HeadshotProPipelineCmdlet
    {
        private const string OrganizationSet = "Organization";
        private const string ByModelIdSet = "ByModelId";
        private const string ByEmailSet = "ByEmail";
        private const string ByPhotoIdSet = "ByPhotoId";

        /// <summary>People (addresses, members, models, invites, webhook events, AD or Entra ID users, CSV rows) or teams.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByEmailSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Mail", "EmailAddress", "PrimarySmtpAddress", "UserPrincipalName")]
        public object[] Email { get; set; } = null!;

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByModelIdSet)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByPhotoIdSet)]
        [ValidateNotNullOrEmpty]
        public string[] ModelId { get; set; } = null!;

        /// <summary>These photos of the model (-ModelId, one), each read on its own with fresh links.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByPhotoIdSet)]
        [ValidateNotNullOrEmpty]
        public string[] PhotoId { get; set; } = null!;

        /// <summary>Only the person's chosen headshot. Without people or models the favorites are what is listed anyway.</summary>
        [Parameter(ParameterSetName = ByEmailSet)]
        [Parameter(ParameterSetName = ByModelIdSet)]
        [Parameter(ParameterSetName = OrganizationSet)]
        public SwitchParameter Favorite { get; set; }

        /// <summary>Only photos the person marked so (none, liked, loved).</summary>
        [Parameter(ParameterSetName = ByEmailSet)]
        [Parameter(ParameterSetName = ByModelIdSet)]
        [ValidateSet("none", "liked", "loved")]
        public string[]? LikedStatus { get; set; }

        /// <summary>Only the favorites of these teams (names or ids).</summary>
        [Parameter(ParameterSetName = OrganizationSet)]
        [ArgumentCompleter(typeof(TeamNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Team { get; set; }

        /// <summary>Which link each object carries: main (default), thumbnail or original.</summary>
        [Parameter]
        [ValidateSet("main", "thumbnail", "original")]
        public string Variant { get; set; } = "main";

        private People _people = null!;

        protected override string Activity => "Reading HeadshotPro photos";

        protected override string Describe(object target) =>
            (ParameterSetName == ByPhotoIdSet ? "Reading photo " : Favorite ? "Reading the favorite headshot of " : "Reading the headshots of ") + target;

        protected override System.Collections.ICollection? GivenItems =>
            ParameterSetName == ByModelIdSet ? ModelId : ParameterSetName == ByPhotoIdSet ? PhotoId : ParameterSetName == ByEmailSet ? Email : null;

        private Task<Model>? _modelOfPhotos;

        protected override void BeginInput()
        {
            if (Favorite && LikedStatus != null)
            {
                const string message = "-LikedStatus filters a model's photos; -Favorite is the one chosen photo. Give one or the other.";
                ThrowTerminatingError(ErrorRecords.Make(new ArgumentException(message), "FavoriteWithLikedStatus", ErrorCategory.InvalidArgument, LikedStatus, message,
                    "Leave out -LikedStatus, or -Favorite."));
            }
            if (ParameterSetName == ByPhotoIdSet && ModelId.Length != 1)
            {
                const string message = "-PhotoId names photos of one model, and several -ModelId were given.";
                ThrowTerminatingError(ErrorRecords.Make(new ArgumentException(message), "PhotoIdWithSeveralModels", ErrorCategory.InvalidArgument, ModelId, message,
                    "Give one -ModelId with -PhotoId (run the command once per model), or leave out -PhotoId for every photo of each model."));
            }
            _people = new People(Session.Client);
        }

        protected override void ProcessInput()
        {
            var client = Session.Client;
            if (ParameterSetName == ByPhotoIdSet)
            {
                var modelId = ModelId[0].Trim();
                var people = _people;
                var all = Variant != "main";
                _modelOfPhotos ??= people.ModelAsync(modelId, Requests, StopToken);
                var model = _modelOfPhotos;
                foreach (var given in PhotoId)
                {
                    var id = given.Trim();
                    Submit(id, async (options, ct) => Stamp(await client.Photos.GetAsync(modelId, id, all, ct, options).ConfigureAwait(false), await model.ConfigureAwait(false)));
                }
            }
            else if (ParameterSetName == ByModelIdSet)
            {
                foreach (var given in ModelId)
                {
                    var id = given.Trim();
                    var people = _people;
                    Submit(id, async (options, ct) => await PhotosOf(client, await people.ModelAsync(id, options, ct).ConfigureAwait(false), id, options, ct).ConfigureAwait(false));
                }
            }
            else if (ParameterSetName == ByEmailSet)
            {
                var people = _people;
                var variant = Variant;
                foreach (var input in Email)
                {
                    var person = AcceptPerson(input, "its photos are written once");
                    if (person == null) continue;
                    if (person.Team is Team team)
                        Submit(person.Target, async (options, ct) =>
                        {
                            var earlier = new ConcurrentDictionary<string, string>();
                            var read = people.Named<Photo>((o, l, c) => client.Photos.FavoritesPageAsync(team.Id, variant != "main", o, l, c, options), NameAndNoteEarlier(earlier), options);
                            var favorites = await new Client.Transport.PageReader<Photo>(read, pageSize: Client.Transport.Paging.MaxLimit).RestAsync(ct).ConfigureAwait(false);
                            return new Results(favorites.Where(p => !earlier.ContainsKey(p.PhotoId)).Select(p => p.WithVariant(variant)).ToList());
                        }, label: team.Name);
                    else
                        Submit(person.Target, async (options, ct) =>
                            await PhotosOf(client, await people.ModelOfAsync(person, reread: false, options, ct).ConfigureAwait(false), person.Label, options, ct).ConfigureAwait(false),
                            label: person.Label);
                }
            }
        }

        /// <summary>One model's photos (or its favorite) as the chosen variant's links, each with the person's addresses.</summary>
        private async Task<object?> PhotosOf(HeadshotProClient client, Model model, string target, Client.RequestOptions options, CancellationToken ct)
        {
            var all = Variant != "main";
            if (Favorite)
            {
                var favorite = await client.Photos.GetFavoriteAsync(model.Id, all, ct, options).ConfigureAwait(false)
                    ?? throw new HeadshotProApiException(ApiErrorKind.NotFound,
                        $"{(model.Email.Length > 0 ? model.Email : target)} has not chosen a favorite headshot yet (model {model.Id}, {model.Status}).", 200).About("Favorite");
                return Stamp(favorite, model);
            }
            var paging = PagingParameters;
            var skip = paging == null ? 0 : (int)Math.Min(paging.Skip, int.MaxValue);
            long? first = paging == null || paging.First == ulong.MaxValue ? (long?)null : (long)Math.Min(paging.First, long.MaxValue);
            // The photos list takes one liked status: with more, -Skip and -First count what is kept here.
            var liked = OnlyOne(LikedStatus);
            var keep = FilterHere<Photo>(null, null, LikedStatus, liked, p => p.TeamId, p => p.LikedStatus);
            var photos = await client.Photos.Reader(model.Id, liked, all, options, keep == null ? skip : 0, keep == null ? first : null).RestAsync(ct).ConfigureAwait(false);
            var kept = keep == null ? photos : photos.Where(keep).Skip(skip).Take((int)Math.Min(first ?? int.MaxValue, int.MaxValue));
            return new Results(kept.Select(p => Stamp(p, model)).ToList());
        }

        private Photo Stamp(Photo photo, Model model)
        {
            var stamped = photo.WithVariant(Variant);
            if (string.IsNullOrEmpty(stamped.Email) && model.Email.Length > 0) (stamped.Email, stamped.SignUpEmail) = (model.Email, model.SignUpEmail);
            stamped.Title ??= model.Title;
            stamped.TeamId ??= model.TeamId;
            stamped.TeamName ??= model.TeamName;
            return stamped;
        }

        protected override void EndInput()
        {
            if (ParameterSetName != OrganizationSet || Piped) return;
            System.Collections.Generic.HashSet<string>? teamIds = null;
            if (Team != null && (teamIds = ResolveTeams(Team)) == null) return;
            // The favorites list takes one team.
            var teamId = OnlyOne(teamIds);
            var client = Session.Client;
            var all = Variant != "main";
            var variant = Variant;
            var options = Requests;
            var earlier = new ConcurrentDictionary<string, string>();
            var named = _people.Named<Photo>((o, l, ct) => client.Photos.FavoritesPageAsync(teamId, all, o, l, ct, options), NameAndNoteEarlier(earlier), options);
            var inTeams = FilterHere<Photo>(teamIds, teamId, null, null, p => p.TeamId, p => p.LikedStatus);
            WritePaged((offset, most) => new Client.Transport.PageReader<Photo>(async (o, l, ct) =>
            {
                var page = await named(o, l, ct).ConfigureAwait(false);
                return page.Select(p => p.WithVariant(variant));
            }, offset, Client.Transport.Paging.DefaultLimit, most),
                p =>
                {
                    if (earlier.TryGetValue(p.PhotoId, out var newer))
                    {
                        WriteVerbose($"Passing over the favorite of {p.Email}'s earlier model {p.ModelId}: they were invited again, and model {newer} is theirs now. " +
                                     "Its photos are still there: Get-HeadshotPhoto -ModelId " + p.ModelId);
                        return false;
                    }
                    return inTeams == null || inTeams(p);
                }, Team, "Listing the organization's favorite headshots");
        }

        /// <summary>
        /// Names each favorite by the invited address, and notes those of a person's earlier model (invited again after a
        /// revoke, with a newer model since): a list of the organization's chosen headshots has each person's current one.
        /// </summary>
        private static Action<Names, Photo> NameAndNoteEarlier(ConcurrentDictionary<string, string> earlier) => (names, photo) =>
        {
            names.Name(photo);
            if (names.NewerModelThan(photo.ModelId) is string newer) earlier[photo.PhotoId] = newer;
        };
    }
}

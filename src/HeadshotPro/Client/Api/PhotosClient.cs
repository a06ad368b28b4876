using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HeadshotPro.Client.Transport;
using Newtonsoft.Json.Linq;

namespace HeadshotPro.Client.Api
{
    /// <summary>
    /// Headshots (API v2): a model's photos, one photo, its favorite, and the organization's favorites. Links are signed
    /// and expire (<see cref="Photo.ExpiresAt"/>); <see cref="RefreshAsync"/> asks again for one photo's, and
    /// <see cref="DownloadLinksAsync"/> for many photos' of one model in one call.
    /// </summary>
    public sealed class PhotosClient : ApiClient
    {
        public static readonly string[] LikedStatuses = { "none", "liked", "loved" };
        public static readonly string[] Variants = { "main", "thumbnail", "original" };

        internal PhotosClient(ApiTransport transport, ClientSettings settings) : base(transport, settings) { }

        /// <summary><c>include=all</c> brings thumbnail and original links as well as main.</summary>
        private static string Include(bool allVariants) => allVariants ? "all" : "main";

        /// <summary>One page of a model's active photos, optionally only those the person liked or loved.</summary>
        public async Task<Page<Photo>> ListPageAsync(string modelId, string? likedStatus, bool allVariants, int offset, int limit,
            CancellationToken cancellationToken, RequestOptions? options = null)
        {
            try
            {
                return await V2PageAsync("organization/models/" + Segment(modelId) + "/photos", "photos", p => PhotoOf(p, modelId), offset, limit, options, cancellationToken,
                    ("likedStatus", likedStatus), ("include", Include(allVariants))).ConfigureAwait(false);
            }
            catch (HeadshotProApiException e) when (e.Kind == ApiErrorKind.NotFound)
            {
                throw e.About("Model");
            }
        }

        /// <summary>One photo of a model; one that is gone (or a model that is) is NotFound about a Photo.</summary>
        public async Task<Photo> GetAsync(string modelId, string photoId, bool allVariants, CancellationToken cancellationToken, RequestOptions? options = null)
        {
            JObject body;
            try
            {
                body = await V2Async(Get, "organization/models/" + Segment(modelId) + "/photos/" + Segment(photoId) + Paging.Query(("include", Include(allVariants))),
                    null, options, cancellationToken).ConfigureAwait(false);
            }
            catch (HeadshotProApiException e) when (e.Kind == ApiErrorKind.NotFound)
            {
                throw e.About("Photo");
            }
            return PhotoOf(body["photo"] as JObject ?? throw Unexpected("The photo answer has no 'photo' object."), modelId);
        }

        /// <summary>
        /// Fresh links of a model's photos in one call (<c>POST …/photos/download</c> without <c>photoIds</c>): of every photo
        /// the API gives. Each comes as a photo with its id, links and expiry only.
        /// </summary>
        public async Task<IReadOnlyList<Photo>> DownloadLinksAsync(string modelId, bool allVariants, CancellationToken cancellationToken, RequestOptions? options = null)
        {
            var request = new JObject { ["include"] = Include(allVariants) };
            JObject body;
            try
            {
                body = await V2Async(Post, "organization/models/" + Segment(modelId) + "/photos/download", request, options, cancellationToken).ConfigureAwait(false);
            }
            catch (HeadshotProApiException e) when (e.Kind == ApiErrorKind.NotFound)
            {
                throw e.About("Photo");
            }
            var expiresAt = DateOf(body["expiresAt"]);
            return ListOf(body, "downloads", d =>
            {
                var photo = PhotoOf(d, modelId);
                photo.PhotoId = Text(d["photoId"]) ?? photo.PhotoId;
                photo.ExpiresAt ??= expiresAt;
                return photo;
            });
        }

        /// <summary>A lazy reader of a model's photos.</summary>
        public PageReader<Photo> Reader(string modelId, string? likedStatus, bool allVariants, RequestOptions? options, int offset = 0, long? most = null, int pageSize = Paging.DefaultLimit) =>
            new PageReader<Photo>((o, l, ct) => ListPageAsync(modelId, likedStatus, allVariants, o, l, ct, options), offset, pageSize, most);

        /// <summary>The person's chosen headshot, or null when they have not chosen one yet (<c>{photo:null}</c>).</summary>
        public async Task<Photo?> GetFavoriteAsync(string modelId, bool allVariants, CancellationToken cancellationToken, RequestOptions? options = null)
        {
            JObject body;
            try
            {
                body = await V2Async(Get, "organization/models/" + Segment(modelId) + "/photos/favorite" + Paging.Query(("include", Include(allVariants))), null, options, cancellationToken).ConfigureAwait(false);
            }
            catch (HeadshotProApiException e) when (e.Kind == ApiErrorKind.NotFound)
            {
                throw e.About("Model");
            }
            if (!(body["photo"] is JObject photo)) return null;
            var favorite = PhotoOf(photo, modelId);
            favorite.IsFavorite = true;
            return favorite;
        }

        /// <summary>One page of the organization's favorites (each person's chosen headshot), optionally of one team.</summary>
        public async Task<Page<Photo>> FavoritesPageAsync(string? teamId, bool allVariants, int offset, int limit, CancellationToken cancellationToken, RequestOptions? options = null)
        {
            try
            {
                return await V2PageAsync("organization/photos/favorites", "photos", p =>
                {
                    var photo = PhotoOf(p, null);
                    photo.IsFavorite = true;
                    return photo;
                }, offset, limit, options, cancellationToken, ("teamId", teamId), ("include", Include(allVariants))).ConfigureAwait(false);
            }
            catch (HeadshotProApiException e) when (e.Kind == ApiErrorKind.NotFound && teamId != null)
            {
                throw e.About("Team");
            }
        }

        public PageReader<Photo> FavoritesReader(string? teamId, bool allVariants, RequestOptions? options, int offset = 0, long? most = null, int pageSize = Paging.DefaultLimit) =>
            new PageReader<Photo>((o, l, ct) => FavoritesPageAsync(teamId, allVariants, o, l, ct, options), offset, pageSize, most);

        /// <summary>
        /// The same photo with fresh links (the old ones expire after 24 hours), read on its own. A photo no longer there is
        /// NotFound about a Photo. <see cref="FreshLinks"/> refreshes many photos of one model in one call.
        /// </summary>
        public async Task<Photo> RefreshAsync(Photo photo, CancellationToken cancellationToken, RequestOptions? options = null) =>
            Refreshed(await GetAsync(photo.ModelId, photo.PhotoId, photo.Variant != "main", cancellationToken, options).ConfigureAwait(false), photo);

        /// <summary><paramref name="photo"/> as <paramref name="fresh"/> links it: the fresh links and expiry, and what the old one knew besides.</summary>
        internal static Photo Refreshed(Photo fresh, Photo photo)
        {
            var copy = fresh.WithVariant(photo.Variant);
            copy.Email ??= photo.Email;
            copy.SignUpEmail ??= photo.SignUpEmail;
            copy.Title ??= photo.Title;
            copy.TeamId ??= photo.TeamId;
            copy.TeamName ??= photo.TeamName;
            copy.Status ??= photo.Status;
            copy.LikedStatus ??= photo.LikedStatus;
            copy.CreatedAt ??= photo.CreatedAt;
            copy.IsFavorite |= photo.IsFavorite;
            return copy;
        }

        internal static Photo PhotoOf(JObject p, string? modelId)
        {
            var urls = new Dictionary<string, Uri>(StringComparer.OrdinalIgnoreCase);
            if (p["urls"] is JObject links)
                foreach (var link in links.Properties())
                    if (Text(link.Value) is string text && Uri.TryCreate(text, UriKind.Absolute, out var uri)) urls[link.Name] = uri;
            var photo = new Photo
            {
                PhotoId = Text(p["id"]) ?? Text(p["_id"]) ?? "",
                ModelId = Text(p["modelId"]) ?? modelId ?? "",
                Email = Text(p["email"]),
                Title = Text(p["title"]),
                TeamId = Text(p["teamId"]),
                TeamName = Text(p["teamName"]),
                Status = Text(p["status"]),
                LikedStatus = Text(p["likedStatus"]),
                CreatedAt = DateOf(p["createdAt"]),
                ExpiresAt = DateOf(p["expiresAt"]),
                Urls = urls,
            };
            return photo.WithVariant("main");
        }
    }
}

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
    /// Headshots (API v2): a model's photos, its favorite, and the organization's favorites. Links are signed and
    /// expire (<see cref="Photo.ExpiresAt"/>); <see cref="RefreshAsync"/> asks again for fresh ones.
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
        /// The same photo with fresh links (the old ones expire after 24 hours): the favorite is read again, any other
        /// photo is looked for page by page among its model's photos. A photo no longer there is NotFound about a Photo.
        /// </summary>
        public async Task<Photo> RefreshAsync(Photo photo, CancellationToken cancellationToken, RequestOptions? options = null)
        {
            var all = photo.Variant != "main";
            Photo? fresh = null;
            if (photo.IsFavorite)
            {
                var favorite = await GetFavoriteAsync(photo.ModelId, all, cancellationToken, options).ConfigureAwait(false);
                if (favorite?.PhotoId == photo.PhotoId) fresh = favorite;
            }
            if (fresh == null)
            {
                var reader = Reader(photo.ModelId, null, all, options, pageSize: Paging.MaxLimit);
                IReadOnlyList<Photo>? page;
                while (fresh == null && (page = await reader.NextAsync(cancellationToken).ConfigureAwait(false)) != null)
                    fresh = page.FirstOrDefault(p => p.PhotoId == photo.PhotoId);
            }
            if (fresh == null)
                throw new HeadshotProApiException(ApiErrorKind.NotFound, $"Photo {photo.PhotoId} of model {photo.ModelId} is no longer among its active photos.", 404, "NOT_FOUND").About("Photo");
            fresh.Email ??= photo.Email;
            fresh.SignUpEmail ??= photo.SignUpEmail;
            fresh.Title ??= photo.Title;
            fresh.TeamId ??= photo.TeamId;
            fresh.TeamName ??= photo.TeamName;
            fresh.IsFavorite |= photo.IsFavorite;
            return fresh.WithVariant(photo.Variant);
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

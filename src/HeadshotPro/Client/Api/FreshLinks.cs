using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace HeadshotPro.Client.Api
{
    /// <summary>
    /// Fresh links for one run's photos (links expire after 24 hours). The first photo of a model that needs them asks the
    /// download-links endpoint for the links of every photo of that model in one call; the run's other photos of that
    /// model take theirs from that answer while its links last. A photo the answer does not hold (past the endpoint's
    /// limit), or every photo of a model whose answer was refused (not found, not allowed, not understood), is read on its
    /// own — which also says whether it is gone.
    /// </summary>
    public sealed class FreshLinks
    {
        private readonly PhotosClient _photos;
        private readonly object _gate = new object();
        private readonly Dictionary<(string ModelId, bool AllVariants), Task<Dictionary<string, Photo>?>> _byModel =
            new Dictionary<(string, bool), Task<Dictionary<string, Photo>?>>();

        public FreshLinks(PhotosClient photos) => _photos = photos;

        /// <summary>The photo with fresh links; NotFound about a Photo when it is gone.</summary>
        public async Task<Photo> RefreshAsync(Photo photo, RequestOptions? options, CancellationToken cancellationToken)
        {
            var key = (photo.ModelId, photo.Variant != "main");
            Task<Dictionary<string, Photo>?> batch;
            lock (_gate)
            {
                if (!_byModel.TryGetValue(key, out batch) || batch.IsFaulted || batch.IsCanceled || batch.Status == TaskStatus.RanToCompletion && Stale(batch.Result))
                    _byModel[key] = batch = ReadAsync(key.ModelId, key.Item2, options?.WithSent(null).WithLabel(null), cancellationToken);
            }
            var links = await batch.ConfigureAwait(false);
            return links != null && links.TryGetValue(photo.PhotoId, out var fresh)
                ? PhotosClient.Refreshed(fresh, photo)
                : await _photos.RefreshAsync(photo, cancellationToken, options).ConfigureAwait(false);
        }

        /// <summary>Links that have expired since they were read: the next photo asks again.</summary>
        private static bool Stale(Dictionary<string, Photo>? links) =>
            links != null && links.Values.Any(p => p.ExpiresAt is DateTimeOffset at && at <= DateTimeOffset.UtcNow);

        /// <summary>Every photo's links of one model, by photo id; null when the endpoint will not give them.</summary>
        private async Task<Dictionary<string, Photo>?> ReadAsync(string modelId, bool allVariants, RequestOptions? options, CancellationToken cancellationToken)
        {
            try
            {
                var links = await _photos.DownloadLinksAsync(modelId, allVariants, cancellationToken, options).ConfigureAwait(false);
                var byId = new Dictionary<string, Photo>(StringComparer.Ordinal);
                foreach (var photo in links) byId[photo.PhotoId] = photo;
                return byId;
            }
            catch (HeadshotProApiException e) when (e.Kind == ApiErrorKind.NotFound || e.Kind == ApiErrorKind.InvalidRequest || e.Kind == ApiErrorKind.Forbidden)
            {
                return null;
            }
        }
    }
}

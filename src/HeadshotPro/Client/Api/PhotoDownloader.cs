using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using HeadshotPro.Client.Imaging;
using HeadshotPro.Client.Transport;

namespace HeadshotPro.Client.Api
{
    /// <summary>
    /// Saves photos from the photo host (the vendor's CDN) to files: streamed to a temporary file in the target folder and
    /// renamed into place only when complete, so there is never a half file under the final name; each file carries its
    /// <see cref="PhotoStamp"/> (which photo it holds). Uses the photo-host
    /// connection (no API key, no pacer); its own timeouts and retries; an expired link is refreshed from the API once
    /// (through the run's <see cref="FreshLinks"/>, so many photos of one person take one call).
    /// Whatever the host sends is bounded: a body past the size cap or still arriving at the per-attempt deadline ends
    /// that photo (PhotoTooLarge, PhotoDownloadTimedOut), never a disk filled or a download that never ends.
    /// </summary>
    public sealed class PhotoDownloader
    {
        public const int MaxAttempts = 4;

        /// <summary>The largest photo saved unless a caller allows more: far above any headshot, even an original.</summary>
        public const long DefaultMaxBytes = 50L * 1024 * 1024;

        /// <summary>The most a download waits for the photo host's headers.</summary>
        public static readonly TimeSpan HeadersTimeout = TimeSpan.FromSeconds(30);

        /// <summary>The most a download waits for the next bytes of a body once it has started.</summary>
        public static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(30);

        private const int MaxRedirects = 3;
        private const int BufferBytes = 81920;
        private static readonly TimeSpan BackoffBase = TimeSpan.FromMilliseconds(500);
        private static readonly TimeSpan BackoffCap = TimeSpan.FromSeconds(8);
        private static readonly TimeSpan MostRetryAfter = TimeSpan.FromSeconds(30);

        private readonly PhotoHostConnection _host;
        private readonly PhotosClient _photos;
        private readonly TimeSpan _deadline;
        private readonly Random _jitter = new Random();

        /// <param name="deadline">The most one attempt may take, headers and body (the connection's -TimeoutSec).</param>
        internal PhotoDownloader(PhotoHostConnection host, PhotosClient photos, TimeSpan deadline)
        {
            _host = host;
            _photos = photos;
            _deadline = deadline;
        }

        /// <summary>
        /// Downloads <paramref name="photo"/> into <paramref name="folder"/> as <paramref name="fileName"/> (a plain file name
        /// the caller has checked). An existing file is replaced only with <paramref name="overwrite"/>; one that appears
        /// while downloading is left alone and the result says Skipped. A body larger than <paramref name="maxBytes"/> is
        /// not kept. Throws <see cref="HeadshotProApiException"/> (PhotoLinkExpired, PhotoDownloadFailed, PhotoTooLarge,
        /// PhotoDownloadTimedOut, NotFound about a Photo, UnexpectedResponse, or what the refresh threw) or
        /// <see cref="PhotoFileException"/>; a failed or cancelled download leaves no file behind. With <paramref name="form"/>,
        /// the file is the photo in that form (<see cref="DirectoryPhoto"/>), and a photo that cannot be made into it is a
        /// <see cref="PhotoImageException"/>. The file carries a <see cref="PhotoStamp"/> naming the photo (and the form).
        /// Expired links are refreshed through <paramref name="links"/>, shared by a run's downloads (by default, this one's own).
        /// </summary>
        public async Task<PhotoDownloadResult> DownloadAsync(Photo photo, string folder, string fileName, bool overwrite, long maxBytes, RequestOptions? options,
            DownloadProgress? progress, CancellationToken cancellationToken, PhotoForm? form = null, FreshLinks? links = null)
        {
            links ??= NewFreshLinks();
            var target = Path.Combine(folder, fileName);
            var current = photo;
            var refreshed = false;
            if (current.Url == null)
            {
                current = await RefreshAsync(links, current, "The photo carries no link", options, cancellationToken).ConfigureAwait(false);
                refreshed = true;
            }
            else if (current.ExpiresAt is DateTimeOffset expires && expires <= DateTimeOffset.UtcNow)
            {
                current = await RefreshAsync(links, current, $"The link expired at {expires.ToString("u", CultureInfo.InvariantCulture)}", options, cancellationToken).ConfigureAwait(false);
                refreshed = true;
            }

            var attempt = 0;
            while (true)
            {
                var vetoed = options?.Veto?.Invoke();
                if (vetoed != null) throw vetoed;
                attempt++;
                options?.Sent?.Invoke(true);
                var outcome = await AttemptAsync(current.Url!, target, overwrite, PhotoStamp.For(current.PhotoId, current.Variant, form?.Stamp), maxBytes, form, options, progress, attempt, cancellationToken).ConfigureAwait(false);
                switch (outcome.Kind)
                {
                    case OutcomeKind.Saved:
                    case OutcomeKind.AppearedMeanwhile:
                        return new PhotoDownloadResult(current, target, outcome.Bytes, outcome.Kind == OutcomeKind.AppearedMeanwhile, refreshed, attempt, outcome.Made);
                    case OutcomeKind.LinkRefused when !refreshed:
                        current = await RefreshAsync(links, current, outcome.Message, options, cancellationToken).ConfigureAwait(false);
                        refreshed = true;
                        attempt--; // a refused link is not a failed attempt
                        continue;
                    case OutcomeKind.LinkRefused:
                        throw new HeadshotProApiException(ApiErrorKind.PhotoLinkExpired,
                            $"{outcome.Message}, also with the fresh link the API gave.", outcome.Status);
                    case OutcomeKind.Gone:
                        throw new HeadshotProApiException(ApiErrorKind.NotFound, outcome.Message, outcome.Status).About("Photo");
                    case OutcomeKind.Final:
                        throw outcome.Error ?? new HeadshotProApiException(ApiErrorKind.PhotoDownloadFailed, outcome.Message, outcome.Status);
                }

                if (attempt >= MaxAttempts)
                    throw new HeadshotProApiException(ApiErrorKind.PhotoDownloadFailed,
                        $"{outcome.Message} (attempt {attempt} of {MaxAttempts}; no partial file was left).", outcome.Status);
                var delay = outcome.RetryAfter is TimeSpan asked ? (asked > MostRetryAfter ? MostRetryAfter : asked) : Backoff(attempt);
                options?.Observer?.Waiting($"retry {attempt + 1} of {MaxAttempts} of a photo download after {outcome.Short}", delay);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>What a run shares to refresh its photos' links.</summary>
        public FreshLinks NewFreshLinks() => new FreshLinks(_photos);

        /// <summary>Fresh links from the API (through <paramref name="links"/>); what cannot be had is PhotoLinkExpired.</summary>
        private static async Task<Photo> RefreshAsync(FreshLinks links, Photo photo, string why, RequestOptions? options, CancellationToken cancellationToken)
        {
            if (string.IsNullOrEmpty(photo.ModelId) || string.IsNullOrEmpty(photo.PhotoId))
                throw new HeadshotProApiException(ApiErrorKind.PhotoLinkExpired, $"{why}, and the photo has no ModelId and PhotoId to ask the API for a fresh link.");
            try
            {
                var fresh = await links.RefreshAsync(photo, options, cancellationToken).ConfigureAwait(false);
                if (fresh.Url == null)
                    throw new HeadshotProApiException(ApiErrorKind.PhotoLinkExpired, $"{why}, and the API gave no {photo.Variant} link for photo {photo.PhotoId}.");
                return fresh;
            }
            catch (HeadshotProApiException e) when (e.Kind != ApiErrorKind.NotFound && e.Kind != ApiErrorKind.Unauthorized && e.Kind != ApiErrorKind.PhotoLinkExpired)
            {
                throw new HeadshotProApiException(ApiErrorKind.PhotoLinkExpired, $"{why}, and asking the API for a fresh link failed: {e.Message}",
                    e.StatusCode, e.Code, e.ServerMessage, e);
            }
        }

        private enum OutcomeKind
        {
            Saved,
            AppearedMeanwhile,
            LinkRefused,
            Gone,
            Transient,
            Final,
        }

        private sealed class Outcome
        {
            public OutcomeKind Kind;
            public int? Status;
            public long Bytes;
            public string Message = "";
            public string Short = "";
            public TimeSpan? RetryAfter;
            public Exception? Error;
            public MadePhoto? Made;
        }

        private async Task<Outcome> AttemptAsync(Uri url, string target, bool overwrite, PhotoStamp? stamp, long maxBytes, PhotoForm? form, RequestOptions? options, DownloadProgress? progress, int attempt,
            CancellationToken cancellationToken)
        {
            var outcome = new Outcome();
            var stopwatch = Stopwatch.StartNew();
            var shown = Shown(url);
            string? temp = null;
            string? registered = null;
            long counted = 0;
            try
            {
                using (var deadline = new CancellationTokenSource(_deadline))
                using (var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token))
                {
                    attemptCts.CancelAfter(HeadersTimeout);
                    HttpResponseMessage? response = null;
                    try
                    {
                        (response, shown) = await SendFollowingRedirectsAsync(url, attemptCts.Token).ConfigureAwait(false);
                        var status = (int)response.StatusCode;
                        outcome.Status = status;
                        if (status >= 200 && status < 300)
                        {
                            var type = response.Content.Headers.ContentType?.MediaType ?? "";
                            if (!IsImage(type))
                            {
                                outcome.Kind = OutcomeKind.Final;
                                outcome.Error = new HeadshotProApiException(ApiErrorKind.UnexpectedResponse,
                                    $"GET {shown} answered HTTP {status} with {type}, not an image (a captive portal or a proxy's page?).", status);
                                return outcome;
                            }
                            var length = response.Content.Headers.ContentLength;
                            if (length > maxBytes)
                            {
                                TooLarge(outcome, $"GET {shown} announced {Size(length.Value)}, more than the {Size(maxBytes)} allowed for a photo (-MaximumDownloadSize); it was not downloaded.", status);
                                return outcome;
                            }
                            temp = registered = TempPathFor(target);
                            progress?.TempCreated(temp);
                            long written = 0, stamped = 0;
                            using (attemptCts.Token.Register(response.Dispose))
                            using (var file = stamp == null || form != null ? OpenTemp(temp) : stamp.Into(OpenTemp(temp)))
                            using (var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
                            {
                                var buffer = new byte[BufferBytes];
                                while (true)
                                {
                                    attemptCts.CancelAfter(StallTimeout);
                                    var read = await body.ReadAsync(buffer, 0, buffer.Length, attemptCts.Token).ConfigureAwait(false);
                                    if (read == 0) break;
                                    if (written + read > maxBytes)
                                    {
                                        TooLarge(outcome, $"GET {shown} sent more than the {Size(maxBytes)} allowed for a photo (-MaximumDownloadSize) and had not ended; nothing was kept.", status);
                                        return outcome;
                                    }
                                    await WriteAsync(file, buffer, read, temp, cancellationToken).ConfigureAwait(false);
                                    written += read;
                                    counted += read;
                                    progress?.Received(read);
                                    if (length is long most && written > most) break;
                                }
                                await FlushAsync(file, temp, cancellationToken).ConfigureAwait(false);
                                stamped = PhotoStamp.Added(file);
                            }
                            if (length is long expected && written != expected)
                            {
                                Transient(outcome, $"GET {shown} sent {written:N0} of its {expected:N0} bytes", "an incomplete body");
                                return outcome;
                            }
                            outcome.Bytes = written + stamped;
                            if (form != null)
                            {
                                var made = TempPathFor(target);
                                progress?.TempCreated(made);
                                try
                                {
                                    outcome.Made = DirectoryPhoto.Make(temp, made, form, stamp, cancellationToken);
                                }
                                catch
                                {
                                    TryDelete(made);
                                    progress?.TempRemoved(made);
                                    throw;
                                }
                                TryDelete(temp);
                                progress?.TempRemoved(temp);
                                temp = registered = made;
                                outcome.Bytes = outcome.Made.Bytes;
                            }
                            outcome.Kind = Place(temp, target, overwrite) ? OutcomeKind.Saved : OutcomeKind.AppearedMeanwhile;
                            if (outcome.Kind == OutcomeKind.AppearedMeanwhile) (outcome.Bytes, outcome.Made) = (new FileInfo(target).Length, null);
                            else temp = null;
                            counted = 0;
                            return outcome;
                        }

                        outcome.Message = $"GET {shown} answered HTTP {status}";
                        outcome.Short = "HTTP " + status.ToString(CultureInfo.InvariantCulture);
                        if (status == 401 || status == 403)
                        {
                            outcome.Kind = OutcomeKind.LinkRefused;
                            outcome.Message = $"The photo host refused the link of photo {shown} (HTTP {status}: expired or not valid)";
                        }
                        else if (status == 404 || status == 410)
                        {
                            outcome.Kind = OutcomeKind.Gone;
                            outcome.Message = $"GET {shown} answered HTTP {status}: the photo is no longer on the photo host.";
                        }
                        else if (status == 408 || status == 425 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504)
                        {
                            outcome.Kind = OutcomeKind.Transient;
                            var retryAfter = response.Headers.RetryAfter;
                            if (retryAfter?.Delta is TimeSpan delta) outcome.RetryAfter = delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
                            else if (retryAfter?.Date is DateTimeOffset at) outcome.RetryAfter = at - DateTimeOffset.UtcNow < TimeSpan.Zero ? TimeSpan.Zero : at - DateTimeOffset.UtcNow;
                        }
                        else
                        {
                            outcome.Kind = OutcomeKind.Final;
                            outcome.Message += status >= 300 && status < 400 ? " (a redirect that is not followed)." : ".";
                        }
                        return outcome;
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        TimedOut(outcome, shown, deadline.IsCancellationRequested, counted);
                        return outcome;
                    }
                    catch (Exception e) when (!(e is PhotoFileException) && !(e is HeadshotProApiException) && (e is HttpRequestException || e is IOException || e is WebException || e is ObjectDisposedException))
                    {
                        if (cancellationToken.IsCancellationRequested) throw new OperationCanceledException(cancellationToken);
                        if (attemptCts.IsCancellationRequested)
                        {
                            TimedOut(outcome, shown, deadline.IsCancellationRequested, counted);
                            return outcome;
                        }
                        var failure = TransportFailure.Classify(e);
                        var what = $"GET {shown} failed: {failure.Describe(url.Host)}";
                        if (failure.Transient) Transient(outcome, what, outcome.Status == null ? "a connection failure" : "a connection cut mid-file");
                        else
                        {
                            outcome.Kind = OutcomeKind.Final;
                            outcome.Error = new HeadshotProApiException(failure.Kind == ApiErrorKind.ConnectionFailed ? ApiErrorKind.PhotoDownloadFailed : failure.Kind, what, outcome.Status, inner: e);
                            outcome.Message = what;
                        }
                        return outcome;
                    }
                    catch (RedirectRefusedException e)
                    {
                        outcome.Kind = OutcomeKind.Final;
                        outcome.Message = e.Message;
                        return outcome;
                    }
                    finally
                    {
                        response?.Dispose();
                    }
                }
            }
            finally
            {
                if (temp != null) TryDelete(temp);
                if (registered != null) progress?.TempRemoved(registered);
                if (counted > 0) progress?.Received(-counted);
                options?.Observer?.AttemptEnded("GET", shown, options.Label, outcome.Status, attempt, stopwatch.Elapsed,
                    outcome.Kind == OutcomeKind.Saved || outcome.Kind == OutcomeKind.AppearedMeanwhile ? null : outcome.Message);
            }
        }

        private static void TooLarge(Outcome outcome, string message, int status)
        {
            outcome.Kind = OutcomeKind.Final;
            outcome.Message = message;
            outcome.Error = new HeadshotProApiException(ApiErrorKind.PhotoTooLarge, message, status);
        }

        /// <summary>
        /// An attempt cancelled by a timer: past the attempt's deadline it ends the photo (the next attempt would be as
        /// slow); a stall, or headers that never came, is retried.
        /// </summary>
        private void TimedOut(Outcome outcome, string shown, bool pastDeadline, long received)
        {
            if (!pastDeadline)
            {
                Transient(outcome, $"GET {shown} got no {(outcome.Status == null ? "answer" : "further bytes")} within {(outcome.Status == null ? HeadersTimeout : StallTimeout).TotalSeconds:0} s",
                    "a timeout");
                return;
            }
            outcome.Kind = OutcomeKind.Final;
            outcome.Message = $"GET {shown} did not finish within {_deadline.TotalSeconds:0.#} s (-TimeoutSec, per attempt)" +
                (outcome.Status == null ? ": no answer came." : $": {Size(received)} had arrived; nothing was kept.");
            outcome.Error = new HeadshotProApiException(ApiErrorKind.PhotoDownloadTimedOut, outcome.Message, outcome.Status);
        }

        /// <summary>A size as people read it: 300 MB, 200 KB, 512 bytes.</summary>
        internal static string Size(long bytes) =>
            bytes >= 1024 * 1024 ? (bytes / (1024.0 * 1024.0)).ToString("0.#", CultureInfo.InvariantCulture) + " MB"
            : bytes >= 1024 ? (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KB"
            : bytes.ToString(CultureInfo.InvariantCulture) + " bytes";

        private static void Transient(Outcome outcome, string message, string shortText)
        {
            outcome.Kind = OutcomeKind.Transient;
            outcome.Message = message;
            outcome.Short = shortText;
        }

        /// <summary>image/*, a generic binary type, or none; never a page (text/html from a captive portal, XML or JSON errors).</summary>
        internal static bool IsImage(string mediaType) =>
            mediaType.Length == 0 || mediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase)
            || string.Equals(mediaType, "application/octet-stream", StringComparison.OrdinalIgnoreCase)
            || string.Equals(mediaType, "binary/octet-stream", StringComparison.OrdinalIgnoreCase);

        private sealed class RedirectRefusedException : Exception
        {
            public RedirectRefusedException(string message) : base(message) { }
        }

        /// <summary>
        /// GET with at most <see cref="MaxRedirects"/> redirects followed by hand: each hop is a new request with only the
        /// connection's default headers (no key ever), and never from https down to http.
        /// </summary>
        private async Task<(HttpResponseMessage Response, string Shown)> SendFollowingRedirectsAsync(Uri url, CancellationToken cancellationToken)
        {
            var current = url;
            for (var hop = 0; ; hop++)
            {
                HttpResponseMessage response;
                using (var request = new HttpRequestMessage(HttpMethod.Get, current))
                {
                    request.Headers.ExpectContinue = false;
                    response = await _host.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                }
                var status = (int)response.StatusCode;
                if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) return (response, Shown(current));
                var location = response.Headers.Location;
                if (location == null || hop >= MaxRedirects) return (response, Shown(current));
                var next = location.IsAbsoluteUri ? location : new Uri(current, location);
                response.Dispose();
                if (next.Scheme != Uri.UriSchemeHttps && next.Scheme != Uri.UriSchemeHttp)
                    throw new RedirectRefusedException($"GET {Shown(current)} redirected to a {next.Scheme} address, which is not followed.");
                if (current.Scheme == Uri.UriSchemeHttps && next.Scheme != Uri.UriSchemeHttps)
                    throw new RedirectRefusedException($"GET {Shown(current)} redirected from https to plain http ({Shown(next)}), which is not followed.");
                current = next;
            }
        }

        /// <summary>A link as messages and verbose lines show it: without its query (the signature).</summary>
        internal static string Shown(Uri url) => url.GetLeftPart(UriPartial.Path);

        /// <summary>A hidden temporary name beside the target, unique per attempt: <c>.ann@corp.example.jpg.1a2b3c4d.part</c>.</summary>
        internal static string TempPathFor(string target) =>
            Path.Combine(Path.GetDirectoryName(target) ?? ".", "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + TempSuffix);

        public const string TempSuffix = ".part";

        private static Stream OpenTemp(string temp)
        {
            try
            {
                // FileShare.Delete: a clean-up after Ctrl+C may remove it while a cancelled write still holds it.
                return new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.Delete, bufferSize: 1, useAsync: true); // writes are 80 KB pieces already
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new PhotoFileException($"Could not create {temp}: {e.Message}", e);
            }
        }

        private static async Task WriteAsync(Stream file, byte[] buffer, int count, string temp, CancellationToken cancellationToken)
        {
            try
            {
                await file.WriteAsync(buffer, 0, count, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new PhotoFileException($"Could not write {temp}: {e.Message}", e);
            }
        }

        private static async Task FlushAsync(Stream file, string temp, CancellationToken cancellationToken)
        {
            try
            {
                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new PhotoFileException($"Could not write {temp}: {e.Message}", e);
            }
        }

        /// <summary>
        /// Renames the complete temporary file to the target: replacing it only when <paramref name="overwrite"/>; false
        /// when the target appeared meanwhile and may not be replaced (the temporary file is then deleted by the caller).
        /// </summary>
        private static bool Place(string temp, string target, bool overwrite)
        {
            try
            {
                if (overwrite && File.Exists(target))
                {
                    try
                    {
                        File.Replace(temp, target, null);
                        return true;
                    }
                    catch (FileNotFoundException) when (File.Exists(temp))
                    {
                        // The target went away between the check and the replace.
                    }
                }
                File.Move(temp, target);
                return true;
            }
            catch (IOException) when (!overwrite && File.Exists(target))
            {
                return false;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new PhotoFileException($"Could not rename {temp} to {target}: {e.Message}", e);
            }
        }

        internal static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
            }
        }

        /// <summary>Full jitter: a random wait up to min(cap, base × 2^(attempt−1)).</summary>
        private TimeSpan Backoff(int attempt)
        {
            var ceiling = Math.Min(BackoffCap.TotalMilliseconds, BackoffBase.TotalMilliseconds * Math.Pow(2, attempt - 1));
            double fraction;
            lock (_jitter) fraction = _jitter.NextDouble();
            return TimeSpan.FromMilliseconds(ceiling * fraction);
        }
    }

    /// <summary>What one download did: the file, its size, whether it was there already, and the photo as last linked.</summary>
    public sealed class PhotoDownloadResult
    {
        internal PhotoDownloadResult(Photo photo, string path, long bytes, bool skipped, bool refreshed, int attempts, MadePhoto? made)
        {
            Photo = photo;
            Path = path;
            Bytes = bytes;
            Skipped = skipped;
            Refreshed = refreshed;
            Attempts = attempts;
            Made = made;
        }

        public Photo Photo { get; }
        public string Path { get; }
        public long Bytes { get; }
        public bool Skipped { get; }
        public bool Refreshed { get; }
        public int Attempts { get; }

        /// <summary>The directory form written, when one was asked for (null when the file was there already).</summary>
        public MadePhoto? Made { get; }
    }

    /// <summary>
    /// Shared by one run's downloads: bytes received (for progress) and the temporary files being written, so a run that
    /// is stopped can wait for its downloads to clean up and remove what is left.
    /// </summary>
    public sealed class DownloadProgress
    {
        private readonly ConcurrentDictionary<string, byte> _temps = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        private long _bytes;

        /// <summary>Bytes received by downloads that are complete or still going (a failed attempt's bytes are taken back).</summary>
        public long BytesReceived => Interlocked.Read(ref _bytes);

        public int TemporaryFiles => _temps.Count;

        internal void Received(long bytes) => Interlocked.Add(ref _bytes, bytes);

        internal void TempCreated(string path) => _temps[path] = 0;

        internal void TempRemoved(string path) => _temps.TryRemove(path, out _);

        /// <summary>Waits up to <paramref name="bound"/> for downloads to remove their temporary files, then removes what is left.</summary>
        public void CleanUp(TimeSpan bound)
        {
            var deadline = DateTime.UtcNow + bound;
            while (!_temps.IsEmpty && DateTime.UtcNow < deadline) Thread.Sleep(10);
            foreach (var path in _temps.Keys)
            {
                PhotoDownloader.TryDelete(path);
                _temps.TryRemove(path, out _);
            }
        }
    }

    /// <summary>A photo could not be written to disk (the folder, a full disk, permissions); nothing partial is left.</summary>
    public sealed class PhotoFileException : IOException
    {
        public PhotoFileException(string message, Exception inner) : base(message, inner) { }
    }
}

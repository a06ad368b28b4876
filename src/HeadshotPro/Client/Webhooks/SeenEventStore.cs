using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;

namespace HeadshotPro.Client.Webhooks
{
    /// <summary>
    /// A file of event ids already accepted, each with the Unix time until which a delivery of it could still pass the
    /// timestamp check (its signed time + the tolerance). One line per id: <c>&lt;unix seconds&gt; &lt;escaped id&gt;</c>.
    /// Each check opens the file exclusively (FileShare.None: a sharing lock on Windows, an advisory lock that .NET
    /// takes and honours on Linux and macOS), retrying while another job holds it, then reads, prunes what has
    /// expired, records the id and writes the file back before letting go. It fails closed: a store that cannot be
    /// opened in time is an error, never a delivery accepted unchecked.
    /// </summary>
    internal static class SeenEventStore
    {
        /// <summary>How long a check waits for another job to let go of the file.</summary>
        public static readonly TimeSpan LockWait = TimeSpan.FromSeconds(15);

        /// <summary>True when the id was already there (a replay); otherwise it is recorded until <paramref name="keepUntilUnix"/>.</summary>
        public static bool CheckAndRecord(string path, string eventId, long keepUntilUnix, long nowUnix, CancellationToken cancellationToken)
        {
            using (var file = OpenExclusive(path, cancellationToken))
            {
                var kept = new List<KeyValuePair<string, long>>();
                var seen = false;
                var reader = new StreamReader(file, new UTF8Encoding(false), false, 4096, leaveOpen: true);
                string? line;
                while ((line = reader.ReadLine()) != null)
                {
                    var space = line.IndexOf(' ');
                    if (space <= 0 || !long.TryParse(line.Substring(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var until)) continue;
                    if (until < nowUnix) continue;
                    var id = Uri.UnescapeDataString(line.Substring(space + 1));
                    if (id == eventId)
                    {
                        seen = true;
                        until = Math.Max(until, keepUntilUnix);
                    }
                    kept.Add(new KeyValuePair<string, long>(id, until));
                }
                if (!seen) kept.Add(new KeyValuePair<string, long>(eventId, keepUntilUnix));

                var text = new StringBuilder();
                foreach (var entry in kept)
                    text.Append(entry.Value.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(Uri.EscapeDataString(entry.Key)).Append('\n');
                var bytes = new UTF8Encoding(false).GetBytes(text.ToString());
                file.Position = 0;
                file.SetLength(0);
                file.Write(bytes, 0, bytes.Length);
                file.Flush(true);
                return seen;
            }
        }

        private static FileStream OpenExclusive(string path, CancellationToken cancellationToken)
        {
            var clock = Stopwatch.StartNew();
            var random = new Random(Guid.NewGuid().GetHashCode());
            var attempts = 0;
            while (true)
            {
                try
                {
                    return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 4096, FileOptions.None);
                }
                catch (Exception e) when (e is DirectoryNotFoundException || e is UnauthorizedAccessException || e is PathTooLongException || e is NotSupportedException || e is ArgumentException)
                {
                    throw new WebhookVerificationException(WebhookFailure.StoreUnavailable, $"The seen-event store cannot be opened: {e.Message}", e);
                }
                catch (IOException e)
                {
                    // Held by another job (a sharing violation on Windows, a lock on Linux and macOS): wait a little and try again.
                    attempts++;
                    if (clock.Elapsed >= LockWait)
                        throw new WebhookVerificationException(WebhookFailure.StoreUnavailable,
                            $"The seen-event store stayed locked by another job for {LockWait.TotalSeconds:0} s ({attempts} attempts): {e.Message}", e);
                    cancellationToken.WaitHandle.WaitOne(random.Next(10, 20 + Math.Min(attempts, 20) * 10));
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
        }
    }
}

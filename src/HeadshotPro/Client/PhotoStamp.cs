using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace HeadshotPro.Client
{
    /// <summary>
    /// Which photo a saved JPEG holds: its photo id and variant, and the directory form it was made into if any, written into the file as a JPEG comment (a COM segment,
    /// <c>FF FE</c>) right after the start-of-image marker, and read back by walking the segments before the image data.
    /// Viewers, Graph, Exchange and AD take the file as it is; a file without the stamp (saved by something else) reads as
    /// null. Ids come from the server: one that is not plain printable ASCII, or too long, is not stamped.
    /// </summary>
    public sealed class PhotoStamp : IEquatable<PhotoStamp>
    {
        private const string Prefix = "HeadshotPro photo ";
        private const int MostIdCharacters = 200;

        /// <summary>The most segments read before the image data, so an odd file cannot keep a reader going.</summary>
        private const int MostSegments = 256;

        public PhotoStamp(string photoId, string variant, string? form = null)
        {
            PhotoId = photoId;
            Variant = variant;
            Form = form;
        }

        public string PhotoId { get; }
        public string Variant { get; }

        /// <summary>The directory form the file was made into (<see cref="Imaging.PhotoForm.Stamp"/>), or null for the photo as sent.</summary>
        public string? Form { get; }

        /// <summary>A stamp for a photo, or null when its id, variant or form cannot be written plainly.</summary>
        public static PhotoStamp? For(string? photoId, string? variant, string? form = null) =>
            Plain(photoId) && Plain(variant) && (form == null || Plain(form)) ? new PhotoStamp(photoId!, variant!, form) : null;

        private static bool Plain(string? text)
        {
            if (string.IsNullOrEmpty(text) || text!.Length > MostIdCharacters) return false;
            foreach (var c in text) if (c <= ' ' || c > '~') return false;
            return true;
        }

        /// <summary>The comment's text: "HeadshotPro photo {id} {variant}", and " {form}" for a directory form.</summary>
        public byte[] Comment() => Encoding.ASCII.GetBytes(Prefix + PhotoId + " " + Variant + (Form == null ? "" : " " + Form));

        /// <summary>The COM segment: <c>FF FE</c>, its length (two bytes, big-endian, counting themselves), then <see cref="Comment"/>.</summary>
        public byte[] Segment()
        {
            var text = Comment();
            var segment = new byte[4 + text.Length];
            segment[0] = 0xFF;
            segment[1] = 0xFE;
            segment[2] = (byte)((text.Length + 2) >> 8);
            segment[3] = (byte)(text.Length + 2);
            text.CopyTo(segment, 4);
            return segment;
        }

        /// <summary>The stamp of a JPEG file, or null: not a JPEG, no stamp, unreadable.</summary>
        public static PhotoStamp? ReadFile(string path)
        {
            try
            {
                using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096))
                    return Read(file);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return null;
            }
        }

        /// <summary>The stamp of the JPEG in <paramref name="stream"/> (read from where it stands), or null.</summary>
        public static PhotoStamp? Read(Stream stream)
        {
            var two = new byte[2];
            if (!Fill(stream, two) || two[0] != 0xFF || two[1] != 0xD8) return null;
            for (var segments = 0; segments < MostSegments; segments++)
            {
                if (!Fill(stream, two) || two[0] != 0xFF) return null;
                var marker = two[1];
                while (marker == 0xFF)
                {
                    var next = stream.ReadByte();
                    if (next < 0) return null;
                    marker = (byte)next;
                }
                if (marker == 0xDA || marker == 0xD9) return null; // the image data (or its end): no more segments
                if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue; // markers without a length
                if (!Fill(stream, two)) return null;
                var length = (two[0] << 8 | two[1]) - 2;
                if (length < 0) return null;
                var body = new byte[length];
                if (!Fill(stream, body)) return null;
                if (marker == 0xFE && Parse(body) is PhotoStamp stamp) return stamp;
            }
            return null;
        }

        private static PhotoStamp? Parse(byte[] body)
        {
            var text = Encoding.ASCII.GetString(body);
            if (!text.StartsWith(Prefix, StringComparison.Ordinal)) return null;
            var parts = text.Substring(Prefix.Length).Split(' ');
            return parts.Length == 2 ? For(parts[0], parts[1]) : parts.Length == 3 ? For(parts[0], parts[1], parts[2]) : null;
        }

        private static bool Fill(Stream stream, byte[] buffer)
        {
            var read = 0;
            while (read < buffer.Length)
            {
                var n = stream.Read(buffer, read, buffer.Length - read);
                if (n == 0) return false;
                read += n;
            }
            return true;
        }

        /// <summary>
        /// A stream that writes through to <paramref name="destination"/>, putting this stamp right after the JPEG's first
        /// two bytes when they are its start-of-image marker (anything else passes through unstamped). Writes must start
        /// with the file's first byte.
        /// </summary>
        public Stream Into(Stream destination) => new StampingStream(destination, Segment());

        /// <summary>How many bytes the stamp added to a stream made by <see cref="Into"/> (0 until the marker was seen, or if it never was).</summary>
        public static long Added(Stream stream) => stream is StampingStream stamping ? stamping.Added : 0;

        public bool Equals(PhotoStamp? other) => other != null && other.PhotoId == PhotoId && other.Variant == Variant && other.Form == Form;

        public override bool Equals(object? obj) => Equals(obj as PhotoStamp);

        public override int GetHashCode() => (PhotoId + " " + Variant + " " + Form).GetHashCode();

        public override string ToString() => PhotoId + " (" + Variant + (Form == null ? "" : ", " + Form) + ")";

        private sealed class StampingStream : Stream
        {
            private readonly Stream _inner;
            private readonly byte[] _segment;
            private readonly byte[] _head = new byte[2];
            private int _headBytes;
            private bool _decided;

            public StampingStream(Stream inner, byte[] segment)
            {
                _inner = inner;
                _segment = segment;
            }

            public long Added { get; private set; }

            public override async Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            {
                while (!_decided && count > 0)
                {
                    _head[_headBytes++] = buffer[offset++];
                    count--;
                    if (_headBytes < 2) continue;
                    _decided = true;
                    await _inner.WriteAsync(_head, 0, 2, cancellationToken).ConfigureAwait(false);
                    if (_head[0] == 0xFF && _head[1] == 0xD8)
                    {
                        await _inner.WriteAsync(_segment, 0, _segment.Length, cancellationToken).ConfigureAwait(false);
                        Added = _segment.Length;
                    }
                }
                if (count > 0) await _inner.WriteAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
            }

            public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

            public override async Task FlushAsync(CancellationToken cancellationToken)
            {
                if (!_decided && _headBytes > 0)
                {
                    _decided = true;
                    await _inner.WriteAsync(_head, 0, _headBytes, cancellationToken).ConfigureAwait(false);
                }
                await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

            protected override void Dispose(bool disposing)
            {
                if (disposing) _inner.Dispose();
                base.Dispose(disposing);
            }

            public override bool CanRead => false;
            public override bool CanSeek => false;
            public override bool CanWrite => true;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
        }
    }
}

using HeadshotPro.Client;

namespace HeadshotPro.Tests;

/// <summary>The stamp that says which photo a saved JPEG holds: written right after SOI, read back by walking the segments.</summary>
public sealed class PhotoStampTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hsp-stamp-" + Guid.NewGuid().ToString("N"));

    public PhotoStampTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A JPEG's outline: SOI, APP0 (JFIF), a quantization table, SOS, entropy-coded bytes (with FF 00 stuffing), EOI.</summary>
    private static byte[] Jpeg()
    {
        var app0 = new byte[] { 0xFF, 0xE0, 0, 16, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0 };
        var dqt = new byte[] { 0xFF, 0xDB, 0, 67, 0 }.Concat(Enumerable.Range(1, 64).Select(i => (byte)i)).ToArray();
        var sos = new byte[] { 0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0 };
        var data = new byte[] { 0x12, 0xFF, 0x00, 0x34, 0xFE, 0x56 };
        return new byte[] { 0xFF, 0xD8 }.Concat(app0).Concat(dqt).Concat(sos).Concat(data).Concat(new byte[] { 0xFF, 0xD9 }).ToArray();
    }

    private static async Task<byte[]> WriteThroughAsync(PhotoStamp stamp, byte[] content, int chunk)
    {
        using var memory = new MemoryStream();
        using (var stamped = stamp.Into(new NonClosingStream(memory)))
        {
            for (var at = 0; at < content.Length; at += chunk)
                await stamped.WriteAsync(content, at, Math.Min(chunk, content.Length - at));
            await stamped.FlushAsync();
            Assert.Equal(content.Length >= 2 && content[0] == 0xFF && content[1] == 0xD8 ? stamp.Segment().Length : 0, PhotoStamp.Added(stamped));
        }
        return memory.ToArray();
    }

    [Theory(Timeout = Limits.Test)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(81_920)]
    public async Task A_stamp_goes_right_after_SOI_in_whatever_pieces_the_bytes_come_and_reads_back(int chunk)
    {
        await Task.Yield(); // the streams below complete at once: yield so the Timeout counts
        var jpeg = Jpeg();
        var stamp = new PhotoStamp("65f1c0ffee0123456789abcd", "main");
        var written = await WriteThroughAsync(stamp, jpeg, chunk);
        Assert.Equal(jpeg.Take(2).Concat(stamp.Segment()).Concat(jpeg.Skip(2)), written);
        Assert.Equal(stamp, PhotoStamp.Read(new MemoryStream(written)));
        var path = Path.Combine(_folder, "ann.jpg");
        await File.WriteAllBytesAsync(path, written);
        Assert.Equal(stamp, PhotoStamp.ReadFile(path));
    }

    [Fact(Timeout = Limits.Test)]
    public Task A_stamp_after_other_segments_is_found_and_other_comments_are_not_stamps() => Task.Run(() =>
    {
        var jpeg = Jpeg();
        var stamp = new PhotoStamp("abc", "thumbnail");
        var other = System.Text.Encoding.ASCII.GetBytes("HeadshotPro photo"); // a comment that only looks like one
        var comment = new byte[] { 0xFF, 0xFE, 0, (byte)(other.Length + 2) }.Concat(other).ToArray();
        var app0End = 2 + 2 + (jpeg[4] << 8 | jpeg[5]);
        var later = jpeg.Take(app0End).Concat(comment).Concat(stamp.Segment()).Concat(jpeg.Skip(app0End)).ToArray();
        Assert.Equal(stamp, PhotoStamp.Read(new MemoryStream(later)));
        Assert.Null(PhotoStamp.Read(new MemoryStream(jpeg)));
        Assert.Null(PhotoStamp.Read(new MemoryStream(jpeg.Take(app0End).Concat(comment).Concat(jpeg.Skip(app0End)).ToArray())));
    });

    [Fact(Timeout = Limits.Test)]
    public async Task What_is_not_a_JPEG_passes_through_unstamped_and_odd_files_read_as_no_stamp()
    {
        await Task.Yield(); // the streams below complete at once: yield so the Timeout counts
        var page = System.Text.Encoding.ASCII.GetBytes("<html>captive portal</html>");
        Assert.Equal(page, await WriteThroughAsync(new PhotoStamp("a", "main"), page, 5));
        Assert.Equal(new byte[] { 0xFF }, await WriteThroughAsync(new PhotoStamp("a", "main"), new byte[] { 0xFF }, 1));
        Assert.Null(PhotoStamp.Read(new MemoryStream(page)));

        var stamped = await WriteThroughAsync(new PhotoStamp("a", "main"), Jpeg(), 100);
        Assert.Null(PhotoStamp.Read(new MemoryStream(stamped.Take(20).ToArray()))); // cut inside the stamp
        Assert.Null(PhotoStamp.ReadFile(Path.Combine(_folder, "missing.jpg")));
        // A file of nothing but empty segments is read only so far.
        var endless = new byte[] { 0xFF, 0xD8 }.Concat(Enumerable.Repeat(new byte[] { 0xFF, 0xE1, 0, 2 }, 10_000).SelectMany(b => b)).ToArray();
        Assert.Null(PhotoStamp.Read(new MemoryStream(endless)));
    }

    [Theory(Timeout = Limits.Test)]
    [InlineData("", "main")]
    [InlineData("has space", "main")]
    [InlineData("naïve", "main")]
    [InlineData("ok", "")]
    [InlineData("ok", "line\nbreak")]
    public Task Ids_that_cannot_be_written_plainly_get_no_stamp(string photoId, string variant) => Task.Run(() =>
    {
        Assert.Null(PhotoStamp.For(photoId, variant));
        Assert.Null(PhotoStamp.For(new string('x', 201), "main"));
        Assert.NotNull(PhotoStamp.For(new string('x', 200), "main"));
    });

    /// <summary>A stream whose disposal leaves the memory stream readable.</summary>
    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}

using BitMiracle.LibJpeg.Classic;

namespace HeadshotPro.Sandbox;

/// <summary>
/// The photo host's JPEGs, made with the module's own JPEG library (BitMiracle.LibJpeg.NET): baseline JFIF, YCbCr 4:2:0.
/// And the COM segments that pad a photo to a given size while it stays a valid JPEG.
/// </summary>
public static class Jpeg
{
    /// <summary>The largest payload of one COM segment (its length field counts itself: 65535 − 2).</summary>
    public const int MaxCommentPayload = 65533;

    /// <summary>Where the COM padding goes: after SOI and the 18-byte JFIF APP0 segment that <see cref="Encode"/> writes first.</summary>
    public const int HeaderBytes = 2 + 18;

    /// <summary>Encodes a <paramref name="width"/>×<paramref name="height"/> image whose pixel colours <paramref name="pixel"/> gives (as 0xRRGGBB).</summary>
    public static byte[] Encode(int width, int height, Func<int, int, int> pixel, int quality = 85)
    {
        if (width is < 1 or > 65500 || height is < 1 or > 65500) throw new ArgumentOutOfRangeException(nameof(width));
        var output = new MemoryStream(width * height / 2 + 1024);
        var encoder = new jpeg_compress_struct();
        encoder.jpeg_stdio_dest(output);
        encoder.Image_width = width;
        encoder.Image_height = height;
        encoder.Input_components = 3;
        encoder.In_color_space = J_COLOR_SPACE.JCS_RGB;
        encoder.jpeg_set_defaults();
        encoder.jpeg_set_quality(Math.Clamp(quality, 1, 100), true);
        encoder.jpeg_start_compress(true);
        var row = new[] { new byte[width * 3] };
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var rgb = pixel(x, y);
                row[0][x * 3] = (byte)(rgb >> 16);
                row[0][x * 3 + 1] = (byte)(rgb >> 8);
                row[0][x * 3 + 2] = (byte)rgb;
            }
            encoder.jpeg_write_scanlines(row, 1);
        }
        encoder.jpeg_finish_compress();
        var bytes = output.ToArray();
        if (bytes[2] != 0xFF || bytes[3] != 0xE0 || (bytes[4] << 8 | bytes[5]) != HeaderBytes - 4)
            throw new InvalidOperationException("The encoder did not start with an 18-byte JFIF APP0 segment, where the padding goes.");
        return bytes;
    }

    /// <summary>
    /// COM segments of exactly <paramref name="bytes"/> bytes in all (0, or at least 4), filled with <paramref name="filler"/> text,
    /// to be placed right after the APP0 segment: how a photo is padded to a given size and stays a valid JPEG.
    /// </summary>
    public static IEnumerable<ReadOnlyMemory<byte>> CommentPadding(long bytes, byte[] filler)
    {
        if (bytes == 0) yield break;
        if (bytes < 4) throw new ArgumentOutOfRangeException(nameof(bytes), "a COM segment takes at least 4 bytes");
        var segments = (bytes + MaxCommentPayload + 4 - 1) / (MaxCommentPayload + 4);
        var chunk = new byte[MaxCommentPayload + 4];
        for (var i = 0; i < chunk.Length; i++) chunk[i] = filler[i % filler.Length];
        for (var s = 0; s < segments; s++)
        {
            var size = (int)(bytes / segments + (s < bytes % segments ? 1 : 0)); // each at least 4, at most MaxCommentPayload + 4
            var payload = size - 2;
            chunk[0] = 0xFF;
            chunk[1] = 0xFE;
            chunk[2] = (byte)(payload >> 8);
            chunk[3] = (byte)payload;
            yield return chunk.AsMemory(0, size);
        }
    }
}

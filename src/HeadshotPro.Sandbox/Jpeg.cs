namespace HeadshotPro.Sandbox;

/// <summary>
/// A small baseline JPEG encoder (JFIF, 8-bit YCbCr 4:4:4, the standard Huffman tables of ITU T.81 Annex K), with no native
/// dependency, so the photo host serves real JPEG images anyone can open.
/// </summary>
public static class Jpeg
{
    private static readonly byte[] ZigZag =
    {
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
    };

    private static readonly byte[] LumaQuant =
    {
        16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
    };

    private static readonly byte[] ChromaQuant =
    {
        17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
    };

    private static readonly byte[] DcLumaBits = { 0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0 };
    private static readonly byte[] DcChromaBits = { 0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0 };
    private static readonly byte[] DcValues = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
    private static readonly byte[] AcLumaBits = { 0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d };
    private static readonly byte[] AcChromaBits = { 0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77 };

    private static readonly byte[] AcLumaValues =
    {
        0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08,
        0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
        0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59,
        0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
        0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6,
        0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
        0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
    };

    private static readonly byte[] AcChromaValues =
    {
        0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71, 0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91,
        0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0, 0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
        0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58,
        0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
        0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4,
        0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
        0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
    };

    private static readonly (ushort Code, byte Length)[] DcLuma = Codes(DcLumaBits, DcValues);
    private static readonly (ushort Code, byte Length)[] DcChroma = Codes(DcChromaBits, DcValues);
    private static readonly (ushort Code, byte Length)[] AcLuma = Codes(AcLumaBits, AcLumaValues);
    private static readonly (ushort Code, byte Length)[] AcChroma = Codes(AcChromaBits, AcChromaValues);

    /// <summary><c>Cos[u * 8 + x]</c> = C(u)/2 · cos((2x+1)uπ/16), so a 1-D DCT row is a dot product.</summary>
    private static readonly double[] Cos = BuildCos();

    /// <summary>The largest payload of one COM segment (its length field counts itself: 65535 − 2).</summary>
    public const int MaxCommentPayload = 65533;

    /// <summary>Encodes a <paramref name="width"/>×<paramref name="height"/> image whose pixel colours <paramref name="pixel"/> gives (as 0xRRGGBB).</summary>
    public static byte[] Encode(int width, int height, Func<int, int, int> pixel, int quality = 85)
    {
        if (width is < 1 or > 65535 || height is < 1 or > 65535) throw new ArgumentOutOfRangeException(nameof(width));
        quality = Math.Clamp(quality, 1, 100);
        var lq = Scale(LumaQuant, quality);
        var cq = Scale(ChromaQuant, quality);
        var output = new MemoryStream(width * height / 4 + 1024);

        output.Write([0xFF, 0xD8]); // SOI
        output.Write([0xFF, 0xE0, 0, 16, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]); // APP0 JFIF 1.1
        output.Write([0xFF, 0xDB, 0, 132, 0]); // DQT: two 8-bit tables in zigzag order
        foreach (var z in ZigZag) output.WriteByte(lq[z]);
        output.WriteByte(1);
        foreach (var z in ZigZag) output.WriteByte(cq[z]);
        output.Write([0xFF, 0xC0, 0, 17, 8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 3, 1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1]); // SOF0
        WriteHuffmanTable(output, 0x00, DcLumaBits, DcValues);
        WriteHuffmanTable(output, 0x10, AcLumaBits, AcLumaValues);
        WriteHuffmanTable(output, 0x01, DcChromaBits, DcValues);
        WriteHuffmanTable(output, 0x11, AcChromaBits, AcChromaValues);
        output.Write([0xFF, 0xDA, 0, 12, 3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]); // SOS

        var bits = new BitWriter(output);
        var y = new double[64];
        var cb = new double[64];
        var cr = new double[64];
        int dcY = 0, dcCb = 0, dcCr = 0;
        for (var by = 0; by < height; by += 8)
        {
            for (var bx = 0; bx < width; bx += 8)
            {
                for (var i = 0; i < 64; i++)
                {
                    // Edge blocks repeat the last row and column, as encoders usually do.
                    var rgb = pixel(Math.Min(bx + (i & 7), width - 1), Math.Min(by + (i >> 3), height - 1));
                    double r = (rgb >> 16) & 0xFF, g = (rgb >> 8) & 0xFF, b = rgb & 0xFF;
                    y[i] = 0.299 * r + 0.587 * g + 0.114 * b - 128;
                    cb[i] = -0.168736 * r - 0.331264 * g + 0.5 * b;
                    cr[i] = 0.5 * r - 0.418688 * g - 0.081312 * b;
                }
                dcY = EncodeBlock(bits, y, lq, dcY, DcLuma, AcLuma);
                dcCb = EncodeBlock(bits, cb, cq, dcCb, DcChroma, AcChroma);
                dcCr = EncodeBlock(bits, cr, cq, dcCr, DcChroma, AcChroma);
            }
        }
        bits.Flush();
        output.Write([0xFF, 0xD9]); // EOI
        return output.ToArray();
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

    /// <summary>Where the COM padding goes: after SOI and the 18-byte APP0 segment that <see cref="Encode"/> writes.</summary>
    public const int HeaderBytes = 2 + 18;

    private static int EncodeBlock(BitWriter bits, double[] block, byte[] quant, int previousDc, (ushort, byte)[] dc, (ushort, byte)[] ac)
    {
        Span<double> rows = stackalloc double[64];
        Span<int> q = stackalloc int[64];
        for (var yy = 0; yy < 8; yy++)
            for (var u = 0; u < 8; u++)
            {
                double s = 0;
                for (var x = 0; x < 8; x++) s += Cos[u * 8 + x] * block[yy * 8 + x];
                rows[yy * 8 + u] = s;
            }
        for (var v = 0; v < 8; v++)
            for (var u = 0; u < 8; u++)
            {
                double s = 0;
                for (var yy = 0; yy < 8; yy++) s += Cos[v * 8 + yy] * rows[yy * 8 + u];
                q[v * 8 + u] = (int)Math.Round(s / quant[v * 8 + u], MidpointRounding.AwayFromZero);
            }

        var diff = q[0] - previousDc;
        var category = Category(diff);
        bits.Write(dc[category]);
        if (category > 0) bits.Write(Magnitude(diff, category), category);

        var run = 0;
        for (var k = 1; k < 64; k++)
        {
            var value = q[ZigZag[k]];
            if (value == 0) { run++; continue; }
            while (run > 15) { bits.Write(ac[0xF0]); run -= 16; }
            var size = Category(value);
            bits.Write(ac[(run << 4) | size]);
            bits.Write(Magnitude(value, size), size);
            run = 0;
        }
        if (run > 0) bits.Write(ac[0x00]);
        return q[0];
    }

    private static int Category(int value)
    {
        var a = Math.Abs(value);
        var n = 0;
        while (a > 0) { n++; a >>= 1; }
        return n;
    }

    private static int Magnitude(int value, int size) => value >= 0 ? value : value + (1 << size) - 1;

    private static byte[] Scale(byte[] table, int quality)
    {
        var scale = quality < 50 ? 5000 / quality : 200 - 2 * quality;
        return table.Select(t => (byte)Math.Clamp((t * scale + 50) / 100, 1, 255)).ToArray();
    }

    private static double[] BuildCos()
    {
        var c = new double[64];
        for (var u = 0; u < 8; u++)
            for (var x = 0; x < 8; x++)
                c[u * 8 + x] = (u == 0 ? Math.Sqrt(0.5) : 1.0) / 2 * Math.Cos((2 * x + 1) * u * Math.PI / 16);
        return c;
    }

    private static (ushort, byte)[] Codes(byte[] counts, byte[] values)
    {
        var table = new (ushort, byte)[256];
        var code = 0;
        var k = 0;
        for (var length = 1; length <= 16; length++)
        {
            for (var i = 0; i < counts[length - 1]; i++) table[values[k++]] = ((ushort)code++, (byte)length);
            code <<= 1;
        }
        if (k != values.Length) throw new InvalidOperationException("Huffman table counts do not match its values.");
        return table;
    }

    private static void WriteHuffmanTable(Stream output, byte classAndId, byte[] counts, byte[] values)
    {
        var length = 2 + 1 + 16 + values.Length;
        output.Write([0xFF, 0xC4, (byte)(length >> 8), (byte)length, classAndId]);
        output.Write(counts);
        output.Write(values);
    }

    private sealed class BitWriter(Stream output)
    {
        private int _buffer;
        private int _count;

        public void Write((ushort Code, byte Length) code) => Write(code.Code, code.Length);

        public void Write(int value, int length)
        {
            for (var i = length - 1; i >= 0; i--)
            {
                _buffer = (_buffer << 1) | ((value >> i) & 1);
                if (++_count == 8) Emit();
            }
        }

        /// <summary>Pads the last byte with 1 bits, as T.81 asks.</summary>
        public void Flush()
        {
            while (_count != 0) Write(1, 1);
        }

        private void Emit()
        {
            output.WriteByte((byte)_buffer);
            if (_buffer == 0xFF) output.WriteByte(0); // byte stuffing
            _buffer = 0;
            _count = 0;
        }
    }
}

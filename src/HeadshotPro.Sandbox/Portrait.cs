using System.Security.Cryptography;
using System.Text;

namespace HeadshotPro.Sandbox;

/// <summary>
/// A stand-in headshot: a gradient backdrop, a head-and-shoulders silhouette and the person's initials, with colours drawn
/// from a seed (the address and the photo's number), so every person's photos look different and the same photo is the same
/// bytes every time. A fine grain over it gives the JPEG a photo's detail, so its bytes grow with its pixels as a photo's do.
/// </summary>
public static class Portrait
{
    /// <summary>5×7 glyphs for A–Z and 0–9, one string of 35 '#'/'.' cells each.</summary>
    private static readonly Dictionary<char, string> Font = new()
    {
        ['A'] = ".###.#...##...#######...##...##...#", ['B'] = "####.#...#####.#...##...##...#####.",
        ['C'] = ".###.#...##....#....#....#...#.###.", ['D'] = "####.#...##...##...##...##...#####.",
        ['E'] = "######....####.#....#....#....#####", ['F'] = "######....####.#....#....#....#....",
        ['G'] = ".###.#...##....#.####...##...#.####", ['H'] = "#...##...#######...##...##...##...#",
        ['I'] = ".###...#....#....#....#....#...###.", ['J'] = "..###...#....#....#....#.#..#..##..",
        ['K'] = "#...##..#.#.#..##...#.#..#..#.#...#", ['L'] = "#....#....#....#....#....#....#####",
        ['M'] = "#...###.###.#.##...##...##...##...#", ['N'] = "#...###..##.#.##..###...##...##...#",
        ['O'] = ".###.#...##...##...##...##...#.###.", ['P'] = "####.#...##...#####.#....#....#....",
        ['Q'] = ".###.#...##...##...##.#.##..#..##.#", ['R'] = "####.#...##...#####.#.#..#..#.#...#",
        ['S'] = ".#####....#.....###.....#....#####.", ['T'] = "#####..#....#....#....#....#....#..",
        ['U'] = "#...##...##...##...##...##...#.###.", ['V'] = "#...##...##...##...##...#.#.#...#..",
        ['W'] = "#...##...##...##.#.##.#.##.#.#.#.#.", ['X'] = "#...##...#.#.#...#...#.#.#...##...#",
        ['Y'] = "#...##...#.#.#...#....#....#....#..", ['Z'] = "#####....#...#...#...#...#....#####",
        ['0'] = ".###.#...##..###.#.###..##...#.###.", ['1'] = "..#...##....#....#....#....#...###.",
        ['2'] = ".###.#...#....#...#...#...#...#####", ['3'] = "#####...#...#.....#.....##...#.###.",
        ['4'] = "...#...##..#.#.#..#.#####...#....#.", ['5'] = "######....####.....#....##...#.###.",
        ['6'] = "..##..#...#....####.#...##...#.###.", ['7'] = "#####....#...#...#...#....#....#...",
        ['8'] = ".###.#...##...#.###.#...##...#.###.", ['9'] = ".###.#...##...#.####....#...#..##..",
    };

    /// <summary>"ann.smith@corp.example" → "Ann Smith": the name a person's member record shows.</summary>
    public static string NameOf(string email)
    {
        var local = email.Split('@')[0];
        var parts = local.Split(['.', '_', '-', '+'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) return local;
        return string.Join(' ', parts.Select(p => char.ToUpperInvariant(p[0]) + p[1..].ToLowerInvariant()));
    }

    public static string InitialsOf(string email)
    {
        var letters = NameOf(email).Split(' ').Select(p => char.ToUpperInvariant(p[0])).Where(Font.ContainsKey).Take(2);
        var text = new string(letters.ToArray());
        return text.Length > 0 ? text : "?";
    }

    /// <summary>The image of photo number <paramref name="index"/> of <paramref name="email"/>, as a pixel function for <see cref="Jpeg.Encode"/>.</summary>
    public static Func<int, int, int> Painter(string email, int index, int width, int height)
    {
        var seed = SHA256.HashData(Encoding.UTF8.GetBytes(email.ToLowerInvariant() + "#" + index));
        var top = Colour(seed[0] * 360 / 256.0, 0.35 + seed[1] / 1024.0, 0.80);
        var bottom = Colour(seed[2] * 360 / 256.0, 0.45 + seed[3] / 1024.0, 0.45);
        var skin = Colour(20 + seed[4] % 20, 0.35 + seed[5] / 2048.0, 0.55 + seed[6] / 1024.0);
        var shirt = Colour(seed[7] * 360 / 256.0, 0.55, 0.30 + seed[8] / 2048.0);
        var hair = Colour(25 + seed[9] % 15, 0.5, 0.10 + seed[10] / 1024.0);
        var initials = InitialsOf(email);
        double headX = width * (0.46 + seed[11] / 2560.0), headY = height * 0.40, headR = width * 0.19;
        double bodyY = height * 1.02, bodyRx = width * 0.44, bodyRy = height * 0.36;
        var cell = Math.Max(1, width / 40);
        var textWidth = initials.Length * 6 * cell - cell;
        var textX = (int)(width / 2.0 - textWidth / 2.0);
        var textY = (int)(height * 0.83);
        var grainSeed = BitConverter.ToUInt32(seed, 16);

        return (x, y) => Grain(Paint(x, y), x, y, grainSeed);

        int Paint(int x, int y)
        {
            // Initials on the shirt.
            if (y >= textY && y < textY + 7 * cell && x >= textX && x < textX + textWidth)
            {
                var cx = (x - textX) / cell;
                var glyph = cx / 6;
                var col = cx % 6;
                if (col < 5 && Font[initials[glyph]][(y - textY) / cell * 5 + col] == '#') return 0xF4F4F4;
            }
            double dx = (x - headX) / headR, dy = (y - headY) / (headR * 1.2);
            var head = dx * dx + dy * dy;
            if (head <= 1)
                return dy < -0.45 + 0.15 * Math.Sin(dx * 3 + seed[12]) ? hair : Shade(skin, 1.0 - 0.25 * Math.Max(0, dx));
            double ex = (x - width / 2.0) / bodyRx, ey = (y - bodyY) / bodyRy;
            if (ex * ex + ey * ey <= 1) return Shade(shirt, 1.0 - 0.2 * Math.Abs(ex));
            var t = (double)y / height;
            return Mix(top, bottom, t);
        }
    }

    /// <summary>The pixel lightened or darkened by up to <see cref="GrainAmplitude"/>, from a hash of its place: the same every time.</summary>
    private static int Grain(int rgb, int x, int y, uint seed)
    {
        var h = (uint)x * 0x9E3779B1u ^ (uint)y * 0x85EBCA77u ^ seed;
        h ^= h >> 15;
        h *= 0x2C1B3C6Du;
        h ^= h >> 12;
        var d = (int)(h % (2 * GrainAmplitude + 1)) - GrainAmplitude;
        return (Math.Clamp(((rgb >> 16) & 0xFF) + d, 0, 255) << 16) | (Math.Clamp(((rgb >> 8) & 0xFF) + d, 0, 255) << 8) | Math.Clamp((rgb & 0xFF) + d, 0, 255);
    }

    private const int GrainAmplitude = 12;

    private static int Colour(double hue, double saturation, double lightness)
    {
        var c = (1 - Math.Abs(2 * lightness - 1)) * saturation;
        var h = hue % 360 / 60;
        var x = c * (1 - Math.Abs(h % 2 - 1));
        var (r, g, b) = h switch
        {
            < 1 => (c, x, 0.0),
            < 2 => (x, c, 0.0),
            < 3 => (0.0, c, x),
            < 4 => (0.0, x, c),
            < 5 => (x, 0.0, c),
            _ => (c, 0.0, x),
        };
        var m = lightness - c / 2;
        return (Byte(r + m) << 16) | (Byte(g + m) << 8) | Byte(b + m);
    }

    private static int Byte(double v) => Math.Clamp((int)Math.Round(v * 255), 0, 255);

    private static int Shade(int rgb, double f) =>
        (Math.Clamp((int)(((rgb >> 16) & 0xFF) * f), 0, 255) << 16) | (Math.Clamp((int)(((rgb >> 8) & 0xFF) * f), 0, 255) << 8) | Math.Clamp((int)((rgb & 0xFF) * f), 0, 255);

    private static int Mix(int a, int b, double t)
    {
        int Channel(int shift) => (int)(((a >> shift) & 0xFF) * (1 - t) + ((b >> shift) & 0xFF) * t);
        return (Channel(16) << 16) | (Channel(8) << 8) | Channel(0);
    }
}

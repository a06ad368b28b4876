using StbImageSharp;

namespace HeadshotPro.Tests;

/// <summary>
/// A JPEG decoded by a second library (StbImageSharp), independent of the one the module and the sandbox use: what a
/// directory or a browser would see. Also checks it is a whole baseline JPEG (SandboxV2Tests.AssertJpeg).
/// </summary>
public sealed record Decoded(int Width, int Height, int Components, byte[] Pixels, long Bytes)
{
    public static Decoded File(string path) => Of(System.IO.File.ReadAllBytes(path));

    public static Decoded Of(byte[] jpeg)
    {
        var (width, height) = SandboxV2Tests.AssertJpeg(jpeg);
        var image = ImageResult.FromMemory(jpeg, ColorComponents.RedGreenBlue);
        Assert.Equal((width, height), (image.Width, image.Height));
        return new Decoded(image.Width, image.Height, 3, image.Data, jpeg.LongLength);
    }

    /// <summary>The mean of each colour channel over the square <paramref name="side"/> at (<paramref name="left"/>, <paramref name="top"/>).</summary>
    public (double R, double G, double B) Mean(int left, int top, int side)
    {
        double r = 0, g = 0, b = 0;
        for (var y = top; y < top + side; y++)
            for (var x = left; x < left + side; x++)
            {
                var i = (y * Width + x) * 3;
                r += Pixels[i];
                g += Pixels[i + 1];
                b += Pixels[i + 2];
            }
        var n = (double)side * side;
        return (r / n, g / n, b / n);
    }

    /// <summary>The mean over the centred square of the whole image.</summary>
    public (double R, double G, double B) CentredSquareMean()
    {
        var side = Math.Min(Width, Height);
        return Mean((Width - side) / 2, (Height - side) / 2, side);
    }
}

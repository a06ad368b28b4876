using System;
using System.IO;
using System.Threading;

namespace HeadshotPro.Client.Imaging
{
    /// <summary>
    /// Makes a photo into a directory form (<see cref="PhotoForm"/>): the centred square, resized, encoded at the highest
    /// quality of <see cref="Qualities"/> that fits the byte cap.
    /// </summary>
    public static class DirectoryPhoto
    {
        /// <summary>The qualities tried, best first; below the last a photo is not made.</summary>
        internal static readonly int[] Qualities = { 90, 85, 80, 75, 70, 60, 50, 40, 30, 20 };

        /// <summary>
        /// Reads the JPEG at <paramref name="source"/> and writes its <paramref name="form"/> to <paramref name="target"/>,
        /// a new file, carrying <paramref name="stamp"/> (when given) as a JPEG comment. Throws <see cref="PhotoImageException"/> (nothing is written) or <see cref="Api.PhotoFileException"/>.
        /// </summary>
        public static MadePhoto Make(string source, string target, PhotoForm form, PhotoStamp? stamp, CancellationToken cancellationToken)
        {
            SquareImage square;
            try
            {
                using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024))
                    square = JpegSquareReader.Read(input, cancellationToken);
            }
            catch (IOException e) when (!(e is Api.PhotoFileException))
            {
                throw new Api.PhotoFileException($"Could not read {source}: {e.Message}", e);
            }
            cancellationToken.ThrowIfCancellationRequested();
            var image = SquareResampler.Resize(square, form.PixelSize);
            var comment = stamp?.Comment();

            byte[]? jpeg = null;
            var quality = 0;
            foreach (var q in Qualities)
            {
                cancellationToken.ThrowIfCancellationRequested();
                jpeg = JpegSquareWriter.Encode(image, q, comment);
                quality = q;
                if (jpeg.LongLength <= form.MaxBytes) break;
            }
            if (jpeg!.LongLength > form.MaxBytes)
                throw new PhotoImageException(PhotoImageProblem.DoesNotFit,
                    $"as a {form.PixelSize}×{form.PixelSize} JPEG it is {jpeg.LongLength:N0} bytes even at quality {quality}, over the {form.MaxBytes:N0} bytes allowed");

            try
            {
                using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.Delete))
                    output.Write(jpeg, 0, jpeg.Length);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new Api.PhotoFileException($"Could not write {target}: {e.Message}", e);
            }
            return new MadePhoto(form.PixelSize, form.PixelSize, quality, jpeg.LongLength);
        }
    }

    /// <summary>What <see cref="DirectoryPhoto.Make"/> wrote: pixel size, the JPEG quality it took, and bytes.</summary>
    public sealed class MadePhoto
    {
        internal MadePhoto(int width, int height, int quality, long bytes)
        {
            Width = width;
            Height = height;
            Quality = quality;
            Bytes = bytes;
        }

        public int Width { get; }
        public int Height { get; }
        public int Quality { get; }
        public long Bytes { get; }
    }
}

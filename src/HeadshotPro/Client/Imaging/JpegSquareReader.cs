using System;
using System.IO;
using System.Threading;
using BitMiracle.LibJpeg.Classic;

namespace HeadshotPro.Client.Imaging
{
    /// <summary>
    /// Reads the centred square of a JPEG, row by row, keeping only the square and stopping at its last row. The header's
    /// width and height are checked against <see cref="MaxPixels"/> and <see cref="MaxSide"/> before anything is decoded.
    /// (The library's scaled decoding, which would decode a thumbnail from an eighth of the pixels, gives wrong pixels in
    /// 1.5.324 and is not used: docs/images.md.)
    /// </summary>
    internal static class JpegSquareReader
    {
        /// <summary>40 megapixels: beyond any headshot (a 24-megapixel camera original is 6,000×4,000).</summary>
        public const long MaxPixels = 40_000_000;

        public const int MaxSide = 16_384;

        /// <summary>The centred square of the JPEG in <paramref name="source"/>. Throws <see cref="PhotoImageException"/> (Unreadable, TooManyPixels).</summary>
        public static SquareImage Read(Stream source, CancellationToken cancellationToken)
        {
            var decoder = new jpeg_decompress_struct(new JpegErrors());
            try
            {
                decoder.jpeg_stdio_src(source);
                decoder.jpeg_read_header(true);
                int width = decoder.Image_width, height = decoder.Image_height;
                if (width > MaxSide || height > MaxSide || (long)width * height > MaxPixels)
                    throw new PhotoImageException(PhotoImageProblem.TooManyPixels,
                        $"its header says {width:N0}×{height:N0} pixels, more than the {MaxPixels / 1_000_000} megapixels ({MaxSide:N0} a side) a headshot is decoded at; it was not decoded");
                decoder.Out_color_space = OutputSpace(decoder.Jpeg_color_space);
                // Chroma is upsampled by repeating, not interpolating: the square is made smaller afterwards anyway.
                decoder.Do_fancy_upsampling = false;
                decoder.jpeg_start_decompress();

                int components = decoder.Output_components, outWidth = decoder.Output_width, outHeight = decoder.Output_height;
                var side = Math.Min(outWidth, outHeight);
                int left = (outWidth - side) / 2, top = (outHeight - side) / 2;
                var pixels = new byte[side * side * components];
                var row = new[] { new byte[outWidth * components] };
                while (decoder.Output_scanline < top + side)
                {
                    if ((decoder.Output_scanline & 63) == 0) cancellationToken.ThrowIfCancellationRequested();
                    var y = decoder.Output_scanline;
                    if (decoder.jpeg_read_scanlines(row, 1) != 1)
                        throw new PhotoImageException(PhotoImageProblem.Unreadable, "its data ended before its last row");
                    if (y >= top) Buffer.BlockCopy(row[0], left * components, pixels, (y - top) * side * components, side * components);
                }
                // Rows below the square are not needed: stop there.
                decoder.jpeg_abort_decompress();
                return new SquareImage(pixels, side, components);
            }
            catch (Exception e) when (!(e is PhotoImageException) && !(e is OperationCanceledException) && !(e is OutOfMemoryException) && !(e is IOException))
            {
                // The library's own checks on crafted data surface as index or argument exceptions: the same verdict.
                throw new PhotoImageException(PhotoImageProblem.Unreadable, e.Message, e);
            }
            finally
            {
                decoder.jpeg_destroy();
            }
        }

        private static J_COLOR_SPACE OutputSpace(J_COLOR_SPACE space)
        {
            switch (space)
            {
                case J_COLOR_SPACE.JCS_GRAYSCALE:
                    return J_COLOR_SPACE.JCS_GRAYSCALE;
                case J_COLOR_SPACE.JCS_YCbCr:
                case J_COLOR_SPACE.JCS_RGB:
                    return J_COLOR_SPACE.JCS_RGB;
                default:
                    throw new PhotoImageException(PhotoImageProblem.Unreadable, $"it is a {space.ToString().Substring(4)} JPEG; only colour (YCbCr, RGB) and greyscale photos are converted");
            }
        }
    }
}

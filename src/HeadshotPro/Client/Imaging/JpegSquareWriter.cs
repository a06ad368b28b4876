using System.IO;
using BitMiracle.LibJpeg.Classic;

namespace HeadshotPro.Client.Imaging
{
    /// <summary>Encodes a square image as a baseline JFIF JPEG at a given quality, with optimised Huffman tables and an optional comment (COM).</summary>
    internal static class JpegSquareWriter
    {
        public static byte[] Encode(SquareImage image, int quality, byte[]? comment = null)
        {
            var output = new MemoryStream();
            var encoder = new jpeg_compress_struct(new JpegErrors());
            try
            {
                encoder.jpeg_stdio_dest(output);
                encoder.Image_width = image.Side;
                encoder.Image_height = image.Side;
                encoder.Input_components = image.Components;
                encoder.In_color_space = image.Components == 1 ? J_COLOR_SPACE.JCS_GRAYSCALE : J_COLOR_SPACE.JCS_RGB;
                encoder.jpeg_set_defaults();
                encoder.jpeg_set_quality(quality, true);
                encoder.Optimize_coding = true;
                encoder.jpeg_start_compress(true);
                if (comment != null) encoder.jpeg_write_marker((int)JPEG_MARKER.COM, comment);
                var stride = image.Side * image.Components;
                var row = new[] { new byte[stride] };
                for (var y = 0; y < image.Side; y++)
                {
                    System.Buffer.BlockCopy(image.Pixels, y * stride, row[0], 0, stride);
                    encoder.jpeg_write_scanlines(row, 1);
                }
                encoder.jpeg_finish_compress();
            }
            finally
            {
                encoder.jpeg_destroy();
            }
            return output.ToArray();
        }
    }
}

using System;
using System.Globalization;

namespace HeadshotPro.Client.Imaging
{
    /// <summary>
    /// The form a directory takes a photo in: a square JPEG of <see cref="PixelSize"/> pixels a side and at most
    /// <see cref="MaxBytes"/> bytes, cropped from the centre of the photo.
    /// </summary>
    public sealed class PhotoForm
    {
        public const int SmallestPixelSize = 16;
        public const int LargestPixelSize = 4096;
        public const long SmallestMaxBytes = 1024;

        /// <summary>What Microsoft Graph's photo upload and Exchange's Set-UserPhoto take: 4 MB.</summary>
        public const long DirectoryMaxBytes = 4L * 1024 * 1024;

        /// <summary>
        /// AD thumbnailPhoto: 96×96 and 10,000 bytes. AD takes 100 KB, but Exchange Online picks up only a thumbnail of
        /// 10 KB or less; 10,000 is within that whether a KB is 1,000 or 1,024 bytes.
        /// </summary>
        public static readonly PhotoForm ActiveDirectory = new PhotoForm(96, 10_000);

        /// <summary>Entra ID (Graph PUT /users/{id}/photo/$value) and Exchange: 648×648, as Microsoft recommends, and 4 MB.</summary>
        public static readonly PhotoForm EntraId = new PhotoForm(648, DirectoryMaxBytes);

        public PhotoForm(int pixelSize, long maxBytes)
        {
            if (pixelSize < SmallestPixelSize || pixelSize > LargestPixelSize) throw new ArgumentOutOfRangeException(nameof(pixelSize));
            if (maxBytes < SmallestMaxBytes) throw new ArgumentOutOfRangeException(nameof(maxBytes));
            PixelSize = pixelSize;
            MaxBytes = maxBytes;
        }

        public int PixelSize { get; }
        public long MaxBytes { get; }

        /// <summary>The form <paramref name="destination"/> takes, with the admin's <paramref name="pixelSize"/> and <paramref name="maxBytes"/> where given.</summary>
        public static PhotoForm For(PhotoDestination? destination, int? pixelSize, long? maxBytes)
        {
            var preset = destination == PhotoDestination.ActiveDirectory ? ActiveDirectory : EntraId;
            return new PhotoForm(pixelSize ?? preset.PixelSize, maxBytes ?? preset.MaxBytes);
        }

        /// <summary>How a saved file's <see cref="PhotoStamp"/> names this form: "{side}x{side}-{max bytes}".</summary>
        public string Stamp => string.Format(CultureInfo.InvariantCulture, "{0}x{0}-{1}", PixelSize, MaxBytes);

        public override string ToString() =>
            string.Format(CultureInfo.InvariantCulture, "{0}×{0} JPEG of at most {1:N0} bytes", PixelSize, MaxBytes);
    }
}

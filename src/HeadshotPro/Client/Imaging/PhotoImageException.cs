using System;

namespace HeadshotPro.Client.Imaging
{
    /// <summary>Why a photo could not be made into a directory form.</summary>
    public enum PhotoImageProblem
    {
        /// <summary>The body is not a JPEG this module reads, or its data is corrupt or cut short.</summary>
        Unreadable,

        /// <summary>The header claims more pixels than <see cref="JpegSquareReader.MaxPixels"/>: not decoded.</summary>
        TooManyPixels,

        /// <summary>Even at the lowest quality the JPEG is over the byte cap.</summary>
        DoesNotFit,
    }

    /// <summary>A photo that could not be made into its directory form; nothing was written.</summary>
    public sealed class PhotoImageException : Exception
    {
        public PhotoImageException(PhotoImageProblem problem, string message, Exception? inner = null) : base(message, inner) => Problem = problem;

        public PhotoImageProblem Problem { get; }
    }
}

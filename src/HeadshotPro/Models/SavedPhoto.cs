using System;

namespace HeadshotPro
{
    /// <summary>
    /// A headshot saved to a file by Save-HeadshotPhoto: whose it is (<see cref="Email"/>, <see cref="ModelId"/>,
    /// <see cref="PhotoId"/>) and where it is (<see cref="Path"/>). Shaped like a FileInfo where scripts reach for one:
    /// <see cref="Name"/>, <see cref="FullName"/>, <see cref="Length"/>, <see cref="DirectoryName"/>, and ToString() is the
    /// full path, so <c>-InFile $_</c> and <c>[IO.File]::ReadAllBytes($_.Path)</c> both work.
    /// </summary>
    public sealed class SavedPhoto
    {
        /// <summary>The address the person was invited at (the directory's): what directory recipes find the user by.</summary>
        public string Email { get; set; } = "";

        /// <summary>The address the person signed up with, where it differs from <see cref="Email"/>.</summary>
        public string? SignUpEmail { get; set; }

        /// <summary>The file's full path.</summary>
        public string Path { get; set; } = "";

        /// <summary>The file's size in bytes.</summary>
        public long Bytes { get; set; }

        /// <summary>The pixel size of a directory form (-For, -PixelSize); null for a photo saved as the photo host sent it.</summary>
        public int? Width { get; set; }

        /// <inheritdoc cref="Width"/>
        public int? Height { get; set; }

        /// <summary>The JPEG quality a directory form was encoded at to fit its byte cap (90 down to 20).</summary>
        public int? Quality { get; set; }
        public string PhotoId { get; set; } = "";
        public string ModelId { get; set; } = "";

        /// <summary>main, thumbnail or original.</summary>
        public string Variant { get; set; } = "main";

        /// <summary>True when the file was there already holding this very photo (its id and variant) and was left alone (no -Force); Bytes is then that file's size.</summary>
        public bool Skipped { get; set; }

        /// <summary>Whether the photo is the person's chosen headshot.</summary>
        public bool IsFavorite { get; set; }

        public string Name => System.IO.Path.GetFileName(Path);
        public string FullName => Path;
        public long Length => Bytes;
        public string? DirectoryName => System.IO.Path.GetDirectoryName(Path);

        public override string ToString() => Path;
    }
}

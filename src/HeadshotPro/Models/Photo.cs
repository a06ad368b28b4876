using System;
using System.Collections.Generic;
using System.ComponentModel;

namespace HeadshotPro
{
    /// <summary>
    /// One headshot, as one variant's link: whose it is (<see cref="Email"/>, the invited address; <see cref="ModelId"/>), which photo
    /// (<see cref="PhotoId"/>), and a signed link to the image (<see cref="Url"/>, valid until <see cref="ExpiresAt"/>;
    /// the API gives fresh links when asked again). A downloader takes these from the pipeline, deserialized ones too.
    /// </summary>
    [TypeConverter(typeof(Commands.DeserializedPhotoConverter))]
    public sealed class Photo
    {
        /// <summary>The address the person was invited at (the directory's); where no invite links the model, the address the API gives.</summary>
        public string? Email { get; set; }

        /// <summary>The address the person signed up with, where it differs from <see cref="Email"/>.</summary>
        public string? SignUpEmail { get; set; }
        public string ModelId { get; set; } = "";
        public string PhotoId { get; set; } = "";

        /// <summary>main, thumbnail or original: which of the photo's links <see cref="Url"/> is.</summary>
        public string Variant { get; set; } = "main";
        public Uri? Url { get; set; }
        public DateTimeOffset? ExpiresAt { get; set; }

        /// <summary>active or deleted.</summary>
        public string? Status { get; set; }

        /// <summary>none, liked or loved.</summary>
        public string? LikedStatus { get; set; }

        /// <summary>Whether this is the person's chosen headshot (from -Favorite or the organization's favorites).</summary>
        public bool IsFavorite { get; set; }
        public string? Title { get; set; }
        public string? TeamId { get; set; }
        public string? TeamName { get; set; }
        public DateTimeOffset? CreatedAt { get; set; }

        /// <summary>Every link the API gave for the photo, by variant.</summary>
        public IReadOnlyDictionary<string, Uri> Urls { get; set; } = new Dictionary<string, Uri>();

        /// <summary>
        /// This photo as the link of <paramref name="variant"/>; when the API gave no link of that variant, the main
        /// link (and <see cref="Variant"/> says main).
        /// </summary>
        public Photo WithVariant(string variant)
        {
            var copy = (Photo)MemberwiseClone();
            if (Urls.TryGetValue(variant, out var url))
            {
                copy.Variant = variant;
                copy.Url = url;
            }
            else
            {
                copy.Variant = "main";
                copy.Url = Urls.TryGetValue("main", out var main) ? main : null;
            }
            return copy;
        }

        public override string ToString() => Url?.ToString() ?? PhotoId;
    }

    /// <summary>People put into a team by Add-HeadshotTeamMember -PassThru.</summary>
    public sealed class TeamAssignment
    {
        /// <summary>The address the person was invited at.</summary>
        public string Email { get; set; } = "";

        /// <summary>The address the person signed up with (the one the assignment was sent with), where it differs from <see cref="Email"/>.</summary>
        public string? SignUpEmail { get; set; }
        public string TeamId { get; set; } = "";
        public string TeamName { get; set; } = "";

        public override string ToString() => Email;
    }
}

using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;

namespace HeadshotPro.Commands
{
    /// <summary>
    /// Makes a photo that went through PowerShell's serialization (Export-Clixml and Import-Clixml, Start-Job,
    /// Invoke-Command, a child runbook) a <see cref="Photo"/> again, so it binds to Save-HeadshotPhoto. Such an object is a
    /// property bag named <c>Deserialized.HeadshotPro.Photo</c>: its ids and addresses are text, its link a Uri, its times
    /// a property bag (Export-Clixml) or their text (a job's output), its links by variant a hashtable. The ids are
    /// needed; a link that is missing, not http(s), or past its time is asked of the API again by the ids.
    /// </summary>
    public sealed class DeserializedPhotoConverter : PSTypeConverter
    {
        internal const string TypeName = "Deserialized.HeadshotPro.Photo";

        public override bool CanConvertFrom(object sourceValue, Type destinationType) =>
            destinationType == typeof(Photo) && sourceValue is PSObject source && source.TypeNames.Contains(TypeName);

        public override object ConvertFrom(object sourceValue, Type destinationType, IFormatProvider formatProvider, bool ignoreCase)
        {
            var source = (PSObject)sourceValue;
            var photoId = PersonInput.Text(source, nameof(Photo.PhotoId));
            var modelId = PersonInput.Text(source, nameof(Photo.ModelId));
            if (photoId == null || modelId == null)
                throw new PSInvalidCastException($"The deserialized photo carries no {(photoId == null ? "PhotoId" : "ModelId")}, so it names no photo to save.");
            var urls = new Dictionary<string, Uri>(StringComparer.OrdinalIgnoreCase);
            if (Value(source, nameof(Photo.Urls)) is IDictionary links)
                foreach (DictionaryEntry link in links)
                    if (Link(link.Value) is Uri uri && link.Key?.ToString() is string variant) urls[variant] = uri;
            var variantName = PersonInput.Text(source, nameof(Photo.Variant)) ?? "main";
            var url = Link(Value(source, nameof(Photo.Url)));
            if (url != null) urls[variantName] = url;
            return new Photo
            {
                PhotoId = photoId,
                ModelId = modelId,
                Email = PersonInput.Text(source, nameof(Photo.Email)),
                SignUpEmail = PersonInput.Text(source, nameof(Photo.SignUpEmail)),
                Variant = variantName,
                Url = url,
                ExpiresAt = url == null ? null : Time(Value(source, nameof(Photo.ExpiresAt))),
                Status = PersonInput.Text(source, nameof(Photo.Status)),
                LikedStatus = PersonInput.Text(source, nameof(Photo.LikedStatus)),
                IsFavorite = Value(source, nameof(Photo.IsFavorite)) is bool favorite ? favorite : bool.TryParse(PersonInput.Text(source, nameof(Photo.IsFavorite)), out var said) && said,
                Title = PersonInput.Text(source, nameof(Photo.Title)),
                TeamId = PersonInput.Text(source, nameof(Photo.TeamId)),
                TeamName = PersonInput.Text(source, nameof(Photo.TeamName)),
                CreatedAt = Time(Value(source, nameof(Photo.CreatedAt))),
                Urls = urls,
            };
        }

        public override bool CanConvertTo(object sourceValue, Type destinationType) => false;

        public override object ConvertTo(object sourceValue, Type destinationType, IFormatProvider formatProvider, bool ignoreCase) =>
            throw new PSInvalidCastException("A photo is made from a deserialized one, not the other way.");

        private static object? Value(PSObject source, string name)
        {
            var value = source.Properties[name]?.Value;
            return value is PSObject wrapped && !(wrapped.BaseObject is PSCustomObject) ? wrapped.BaseObject : value;
        }

        /// <summary>An http(s) link, given as a Uri or as text; anything else is no link.</summary>
        private static Uri? Link(object? value)
        {
            var uri = value as Uri ?? (Uri.TryCreate((value as PSObject)?.BaseObject as string ?? value as string, UriKind.Absolute, out var parsed) ? parsed : null);
            return uri != null && uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) ? uri : null;
        }

        /// <summary>A DateTimeOffset as serialization left it: itself, a property bag with its UtcTicks, or its text; else unknown.</summary>
        private static DateTimeOffset? Time(object? value)
        {
            switch (value)
            {
                case DateTimeOffset time:
                    return time;
                case DateTime time:
                    return new DateTimeOffset(time);
                case PSObject bag when bag.Properties["UtcTicks"]?.Value is long ticks:
                    return new DateTimeOffset(ticks, TimeSpan.Zero).ToLocalTime();
                case string text when DateTimeOffset.TryParse(text, CultureInfo.CurrentCulture, DateTimeStyles.None, out var parsed)
                                      || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out parsed):
                    return parsed;
                default:
                    return null;
            }
        }
    }
}

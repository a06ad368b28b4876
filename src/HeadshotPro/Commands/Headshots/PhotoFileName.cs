using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace HeadshotPro.Commands
{
    /// <summary>
    /// File names for saved photos: a -FileName template with tokens ({Email}, {PhotoId}, {ModelId}, {Variant}) filled
    /// from the photo, and the rule every name must pass — a plain file name that stays in the target folder on any
    /// system the files may be copied to. Values come from the server, so they are checked like input.
    /// </summary>
    internal static class PhotoFileName
    {
        public const string DefaultTemplate = "{Email}.jpg";
        public const int MostCharacters = 200;
        public static readonly string[] Tokens = { "Email", "PhotoId", "ModelId", "Variant" };

        private static readonly Regex TokenPattern = new Regex(@"\{([^{}]*)\}", RegexOptions.CultureInvariant);
        private static readonly char[] Separators = { '/', '\\' };
        private static readonly char[] Forbidden = "<>:\"|?*".ToCharArray();
        private static readonly string[] Reserved =
            { "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9" };

        /// <summary>Why a template cannot be used (unknown token, stray brace), or null.</summary>
        public static string? TemplateProblem(string template)
        {
            foreach (Match match in TokenPattern.Matches(template))
                if (!Tokens.Contains(match.Groups[1].Value, StringComparer.OrdinalIgnoreCase))
                    return $"it has the token {match.Value}; the tokens are {string.Join(", ", Tokens.Select(t => "{" + t + "}"))}";
            var rest = TokenPattern.Replace(template, "");
            if (rest.IndexOf('{') >= 0 || rest.IndexOf('}') >= 0) return "it has a brace that opens or closes no token";
            return null;
        }

        /// <summary>The name for <paramref name="photo"/>, or null and why not (a token without a value, an unsafe name).</summary>
        public static string? Render(string template, Photo photo, out string? problem)
        {
            string? missing = null;
            var name = TokenPattern.Replace(template, match =>
            {
                var token = Tokens.First(t => string.Equals(t, match.Groups[1].Value, StringComparison.OrdinalIgnoreCase));
                var value = ValueOf(token, photo);
                if (string.IsNullOrEmpty(value)) missing ??= token;
                return value ?? "";
            });
            if (missing != null)
            {
                problem = $"the photo has no {missing} for {{{missing}}} in -FileName";
                return null;
            }
            problem = Problem(name);
            return problem == null ? name : null;
        }

        private static string? ValueOf(string token, Photo photo)
        {
            switch (token)
            {
                case "Email": return photo.Email;
                case "PhotoId": return photo.PhotoId;
                case "ModelId": return photo.ModelId;
                default: return photo.Variant;
            }
        }

        /// <summary>
        /// Why <paramref name="name"/> is not a safe plain file name, or null: no path separator, no <c>..</c>, not rooted, no
        /// character Windows or Linux refuses (checked the same everywhere, as files travel), not hidden, no trailing dot
        /// or space, not a Windows device name, at most <see cref="MostCharacters"/> characters.
        /// </summary>
        public static string? Problem(string name)
        {
            if (string.IsNullOrWhiteSpace(name)) return "it is empty";
            if (name.IndexOfAny(Separators) >= 0) return "it contains a path separator (/ or \\)";
            if (name.Contains("..")) return "it contains '..'";
            if (Path.IsPathRooted(name)) return "it is a rooted path";
            foreach (var c in name)
            {
                if (c < 32 || c == 127 || Array.IndexOf(Forbidden, c) >= 0 || Path.GetInvalidFileNameChars().Contains(c))
                    return c < 32 || c == 127
                        ? string.Format(CultureInfo.InvariantCulture, "it contains the control character U+{0:X4}", (int)c)
                        : string.Format(CultureInfo.InvariantCulture, "it contains the character '{0}', not allowed in file names", c);
            }
            if (name.StartsWith(".", StringComparison.Ordinal)) return "it starts with a dot (a hidden file)";
            if (name.EndsWith(".", StringComparison.Ordinal) || name.EndsWith(" ", StringComparison.Ordinal) || name.StartsWith(" ", StringComparison.Ordinal))
                return "it starts or ends with a space, or ends with a dot";
            var stem = name.Split('.')[0].TrimEnd();
            if (Reserved.Contains(stem, StringComparer.OrdinalIgnoreCase)) return $"'{stem}' is a device name on Windows";
            if (name.Length > MostCharacters) return $"it is longer than {MostCharacters} characters";
            return null;
        }

        /// <summary>The name as an error message shows it: control characters escaped.</summary>
        public static string Printable(string name)
        {
            var text = new StringBuilder();
            foreach (var c in name) text.Append(c < 32 || c == 127 ? string.Format(CultureInfo.InvariantCulture, "\\u{0:X4}", (int)c) : c.ToString());
            return text.ToString();
        }
    }
}

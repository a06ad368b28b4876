using System.Linq;
using System.Text.RegularExpressions;

namespace HeadshotPro.Client
{
    /// <summary>Client-side address checks: cheap, before anything is sent. Non-ASCII local parts and domains are valid.</summary>
    public static class EmailAddress
    {
        private static readonly Regex Pattern = new Regex(
            @"^[^\s@""(),:;<>\[\]\\.]+(\.[^\s@""(),:;<>\[\]\\.]+)*@([^\s@""(),:;<>\[\]\\.]+\.)+[^\s@""(),:;<>\[\]\\.\d][^\s@""(),:;<>\[\]\\.]*$",
            RegexOptions.CultureInvariant);

        /// <summary>Characters copied in from chat and mail that show as nothing: zero-width spaces and joiners, the BOM.</summary>
        private static readonly char[] Invisible = { '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF' };

        public static string Normalize(string address) => address.Trim().Trim(Invisible).Trim();

        /// <summary>Valid: the shape of an address, at most 254 characters, and no control or invisible formatting character anywhere.</summary>
        public static bool IsValid(string address) =>
            address.Length <= 254 && Pattern.IsMatch(address) &&
            !address.Any(c => char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format);
    }
}

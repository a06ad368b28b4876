using System.Text.RegularExpressions;

namespace HeadshotPro.Client
{
    /// <summary>Client-side address checks: cheap, before anything is sent. Non-ASCII local parts and domains are valid.</summary>
    public static class EmailAddress
    {
        private static readonly Regex Pattern = new Regex(
            @"^[^\s@""(),:;<>\[\]\\.]+(\.[^\s@""(),:;<>\[\]\\.]+)*@([^\s@""(),:;<>\[\]\\.]+\.)+[^\s@""(),:;<>\[\]\\.\d][^\s@""(),:;<>\[\]\\.]*$",
            RegexOptions.CultureInvariant);

        public static string Normalize(string address) => address.Trim();

        public static bool IsValid(string address) => address.Length <= 254 && Pattern.IsMatch(address);
    }
}

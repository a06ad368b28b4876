using System;

namespace HeadshotPro.Client
{
    public static class BaseUriRules
    {
        /// <summary>
        /// The base URI to use, with a trailing slash, or null and the reason: https anywhere, plain http only on loopback
        /// (the sandbox), nothing else — so a key never crosses a network in clear text.
        /// </summary>
        public static Uri? Check(Uri uri, out string? problem)
        {
            problem = null;
            if (!uri.IsAbsoluteUri)
                problem = $"'{uri}' is not an absolute URI. Give one like {ClientSettings.DefaultBaseUri}.";
            else if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
                problem = $"'{uri}' uses plain http to a host other than this computer, which would send the API key unencrypted. Use https.";
            else if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
                problem = $"'{uri}' is not an http(s) URI. Give one like {ClientSettings.DefaultBaseUri}.";
            else if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
                problem = $"'{uri}' has a query or fragment; give only the API's base, like {ClientSettings.DefaultBaseUri}.";
            if (problem != null) return null;
            return new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
        }
    }
}

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
                problem = $"'{Shown(uri)}' is not an absolute URI (it needs https://). Give one like {ClientSettings.DefaultBaseUri}.";
            else if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
                problem = $"'{Shown(uri)}' uses plain http to a host other than this computer, which would send the API key unencrypted. Use https.";
            else if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
                problem = $"'{Shown(uri)}' is not an http(s) URI. Give one like {ClientSettings.DefaultBaseUri}.";
            else if (!string.IsNullOrEmpty(uri.UserInfo))
                problem = $"'{Shown(uri)}' has a user name or password in it; they would be kept and shown. Give only the API's base, like {ClientSettings.DefaultBaseUri}.";
            else if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
                problem = $"'{Shown(uri)}' has a query or fragment (not repeated here); give only the API's base, like {ClientSettings.DefaultBaseUri}.";
            if (problem != null) return null;
            return new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
        }

        /// <summary>
        /// Null when the proxy may be used with this base URI, else why not: an http(s) proxy without credentials in its
        /// address (give them with -ProxyCredential), and only for an https base, so the key never crosses it in clear.
        /// </summary>
        public static string? CheckProxy(Uri proxy, Uri baseUri)
        {
            if (!proxy.IsAbsoluteUri || (proxy.Scheme != Uri.UriSchemeHttp && proxy.Scheme != Uri.UriSchemeHttps))
                return $"The proxy '{Shown(proxy)}' is not an http(s) address like http://proxy.corp.example:8080.";
            if (!string.IsNullOrEmpty(proxy.UserInfo))
                return $"The proxy '{Shown(proxy)}' has a user name or password in it; they would be kept and shown. Give them with -ProxyCredential instead.";
            if (baseUri.Scheme == Uri.UriSchemeHttp)
                return $"The base URI {baseUri} is plain http: through a proxy the API key would cross it unencrypted. Use an https base URI, or no proxy for a local sandbox.";
            return null;
        }

        /// <summary>
        /// The address as messages and error targets show it: as given, without a query or fragment (where a key copied
        /// with it may sit; a scheme without queries, such as ftp, would keep one in its path) and with any user
        /// information replaced.
        /// </summary>
        public static string Shown(Uri uri)
        {
            var text = uri.OriginalString;
            var cut = text.IndexOfAny(new[] { '?', '#' });
            if (cut >= 0) text = text.Substring(0, cut);
            var scheme = text.IndexOf("://", StringComparison.Ordinal);
            if (scheme < 0) return text;
            var start = scheme + 3;
            var end = text.IndexOf('/', start);
            if (end < 0) end = text.Length;
            var at = end > start ? text.LastIndexOf('@', end - 1, end - start) : -1;
            return at < 0 ? text : text.Substring(0, start) + "****@" + text.Substring(at + 1);
        }
    }
}

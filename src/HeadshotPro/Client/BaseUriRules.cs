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
                problem = $"'{uri.OriginalString}' is not an absolute URI (it needs https://). Give one like {ClientSettings.DefaultBaseUri}.";
            else if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
                problem = $"'{uri}' uses plain http to a host other than this computer, which would send the API key unencrypted. Use https.";
            else if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
                problem = $"'{uri}' is not an http(s) URI. Give one like {ClientSettings.DefaultBaseUri}.";
            else if (!string.IsNullOrEmpty(uri.UserInfo))
                problem = $"'{Redacted(uri)}' has a user name or password in it; they would be kept and shown. Give only the API's base, like {ClientSettings.DefaultBaseUri}.";
            else if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
                problem = $"'{uri.GetLeftPart(UriPartial.Path)}' has a query or fragment (not repeated here); give only the API's base, like {ClientSettings.DefaultBaseUri}.";
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
                return $"The proxy '{proxy}' is not an http(s) address like http://proxy.corp.example:8080.";
            if (!string.IsNullOrEmpty(proxy.UserInfo))
                return $"The proxy '{Redacted(proxy)}' has a user name or password in it; they would be kept and shown. Give them with -ProxyCredential instead.";
            if (baseUri.Scheme == Uri.UriSchemeHttp)
                return $"The base URI {baseUri} is plain http: through a proxy the API key would cross it unencrypted. Use an https base URI, or no proxy for a local sandbox.";
            return null;
        }

        /// <summary>The address with its user information replaced, for messages.</summary>
        public static string Redacted(Uri uri) =>
            !uri.IsAbsoluteUri ? uri.OriginalString
            : string.IsNullOrEmpty(uri.UserInfo) ? uri.ToString() : uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.PathAndQuery, UriFormat.UriEscaped).Insert(uri.Scheme.Length + 3, "****@");
    }
}

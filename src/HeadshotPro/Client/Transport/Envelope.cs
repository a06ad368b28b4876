using Newtonsoft.Json.Linq;

namespace HeadshotPro.Client.Transport
{
    /// <summary>
    /// The v2 success envelope. The overview pages wrap a success in <c>data</c>; the endpoint examples put its keys at
    /// the top level. Both are read: <c>data</c> when it is an object, the body itself otherwise.
    /// </summary>
    internal static class Envelope
    {
        public static JObject Unwrap(JObject body) => body["data"] as JObject ?? body;
    }
}

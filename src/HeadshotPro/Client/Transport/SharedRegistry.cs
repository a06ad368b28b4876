using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;

namespace HeadshotPro.Client.Transport
{
    /// <summary>
    /// Connections shared by every session of the process that is made of the same parts, counted by their users and
    /// disposed when the last one lets go. Keys are digests, so a registry never holds a key or a password itself.
    /// </summary>
    internal sealed class SharedRegistry<T> where T : class, IDisposable
    {
        private readonly Dictionary<string, (T Value, int Users)> _entries = new Dictionary<string, (T, int)>(StringComparer.Ordinal);

        public int Count
        {
            get { lock (_entries) return _entries.Count; }
        }

        public T Acquire(string key, Func<T> create)
        {
            lock (_entries)
            {
                var entry = _entries.TryGetValue(key, out var found) ? found : (Value: create(), Users: 0);
                _entries[key] = (entry.Value, entry.Users + 1);
                return entry.Value;
            }
        }

        public void Release(string key)
        {
            T value;
            lock (_entries)
            {
                var entry = _entries[key];
                if (entry.Users > 1)
                {
                    _entries[key] = (entry.Value, entry.Users - 1);
                    return;
                }
                _entries.Remove(key);
                value = entry.Value;
            }
            value.Dispose();
        }

        /// <summary>A digest of the given parts and of the settings' proxy credentials.</summary>
        public static string Digest(ClientSettings settings, params string[] parts)
        {
            var credential = settings.ProxyCredential?.GetCredential(settings.Proxy ?? settings.BaseUri, "Basic");
            var text = string.Join("\n", parts) + "\n" + string.Join("\n", settings.Proxy?.AbsoluteUri ?? "",
                settings.ProxyUseDefaultCredentials ? "default-credentials" : "", credential?.Domain ?? "", credential?.UserName ?? "", credential?.Password ?? "");
            using (var sha = SHA256.Create()) return Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(text)));
        }
    }
}

using System;
using System.IO;
using System.Reflection;

namespace HeadshotPro.Loading
{
    /// <summary>
    /// When the module's AssemblyResolve handler answers (Windows PowerShell 5.1 only): for the module's own dependencies
    /// (<see cref="Newtonsoft"/>, <see cref="LibJpeg"/>), and only when the request comes from this module's own assembly.
    /// As PowerShell/PSResourceGet's handler does, the requester is checked, so the module never hands its copies to
    /// another module that failed to find its own version. Unlike PSResourceGet (whose dependencies load one another by
    /// reflection), a request without a requesting assembly is declined: HeadshotPro.dll references both statically, so
    /// its requests always carry it, and neither dependency has dependencies of its own.
    /// </summary>
    internal static class DependencyResolution
    {
        internal const string Newtonsoft = "Newtonsoft.Json";

        /// <summary>The JPEG library of the directory forms (docs/images.md).</summary>
        internal const string LibJpeg = "BitMiracle.LibJpeg.NET";

        private static readonly string[] Own = { Newtonsoft, LibJpeg };

        /// <summary>The file in the module's folder that answers the request, or null when the handler declines it.</summary>
        internal static string? FileFor(string requestedAssembly, Assembly? requestingAssembly, Assembly self)
        {
            if (requestingAssembly == null || !ReferenceEquals(requestingAssembly, self)) return null;
            string? name;
            try
            {
                name = new AssemblyName(requestedAssembly).Name;
            }
            catch (Exception e) when (e is ArgumentException || e is FileLoadException || e is FormatException)
            {
                return null;
            }
            foreach (var own in Own)
                if (string.Equals(name, own, StringComparison.OrdinalIgnoreCase)) return own + ".dll";
            return null;
        }
    }
}

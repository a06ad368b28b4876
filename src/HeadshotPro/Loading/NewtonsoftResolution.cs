using System;
using System.IO;
using System.Reflection;

namespace HeadshotPro.Loading
{
    /// <summary>
    /// When the module's AssemblyResolve handler answers (Windows PowerShell 5.1 only): for Newtonsoft.Json, and only
    /// when the request comes from this module's own assembly. As PowerShell/PSResourceGet's handler does, the requester
    /// is checked, so the module never hands its Newtonsoft.Json to another module that failed to find its own version.
    /// Unlike PSResourceGet (whose dependencies load one another by reflection), a request without a requesting
    /// assembly is declined: HeadshotPro.dll references Newtonsoft.Json statically, so its requests always carry it.
    /// </summary>
    internal static class NewtonsoftResolution
    {
        internal const string AssemblyName = "Newtonsoft.Json";

        internal static bool ShouldAnswer(string requestedAssembly, Assembly? requestingAssembly, Assembly self)
        {
            if (requestingAssembly == null || !ReferenceEquals(requestingAssembly, self)) return false;
            string? name;
            try
            {
                name = new System.Reflection.AssemblyName(requestedAssembly).Name;
            }
            catch (Exception e) when (e is ArgumentException || e is FileLoadException || e is FormatException)
            {
                return false;
            }
            return string.Equals(name, AssemblyName, StringComparison.OrdinalIgnoreCase);
        }
    }
}

using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace HeadshotPro.Loading
{
    /// <summary>
    /// Which PowerShells can run this module, as one pure rule the module initializer applies at import.
    /// <list type="bullet">
    /// <item>Windows PowerShell 5.1 (Desktop) on .NET Framework 4.7.2 or later: the module brings its own Newtonsoft.Json
    /// 13, which .NET Framework loads beside any other version another module brought.</item>
    /// <item>PowerShell 7.2 or later (Core): PowerShell itself carries Newtonsoft.Json 13, and the module uses that one.</item>
    /// <item>PowerShell 6.x, 7.0 and 7.1 carry Newtonsoft.Json 10–12, and .NET (Core) binds every request in the default
    /// load context to PowerShell's copy, so the module's first JSON call would fail with a FileLoadException. They are
    /// refused at import instead, with a message that names the versions that work.</item>
    /// </list>
    /// </summary>
    internal static class HostCompatibility
    {
        /// <summary>The first PowerShell (Core) whose Newtonsoft.Json is 13.</summary>
        internal static readonly Version MinimumCoreVersion = new Version(7, 2);

        internal static readonly Version MinimumDesktopVersion = new Version(5, 1);

        /// <summary>
        /// RuntimeInformation.FrameworkDescription on .NET Framework carries mscorlib's file version, not the product
        /// version: 4.7.2 is 4.7.3056 (4.7.3062 and later patches outside Windows 10 1803), 4.7.1 is 4.7.25xx–4.7.2xxx,
        /// 4.8 is 4.8.3761 and later.
        /// </summary>
        internal static readonly Version MinimumFrameworkFileVersion = new Version(4, 7, 3056);

        /// <summary>The Newtonsoft.Json assembly version this module is compiled against.</summary>
        internal const int NewtonsoftMajorVersion = 13;

        internal const string Supported =
            "HeadshotPro runs on Windows PowerShell 5.1 with .NET Framework 4.7.2 or later, and on PowerShell 7.2 or later.";

        private static readonly Regex FrameworkVersion = new Regex(@"^\.NET Framework (?<version>\d+(\.\d+){1,3})", RegexOptions.CultureInvariant);

        /// <summary>
        /// Null when the module can run here; otherwise the message to refuse the import with.
        /// </summary>
        /// <param name="edition">$PSEdition: Desktop or Core.</param>
        /// <param name="powerShellVersion">$PSVersionTable.PSVersion, or null when unknown.</param>
        /// <param name="frameworkDescription">RuntimeInformation.FrameworkDescription.</param>
        /// <param name="hostNewtonsoftVersion">On Core, the version of the Newtonsoft.Json the default load context
        /// binds to (pwsh's own, or a hosting application's); null when unknown or on Desktop.</param>
        internal static string? Refusal(string edition, Version? powerShellVersion, string frameworkDescription, Version? hostNewtonsoftVersion)
        {
            if (string.Equals(edition, "Desktop", StringComparison.OrdinalIgnoreCase))
            {
                if (powerShellVersion != null && powerShellVersion < MinimumDesktopVersion)
                    return Format("HeadshotPro cannot run on Windows PowerShell {0}. {1}", powerShellVersion, Supported);
                var match = FrameworkVersion.Match(frameworkDescription ?? string.Empty);
                if (match.Success && Version.TryParse(match.Groups["version"].Value, out var framework) && framework < MinimumFrameworkFileVersion)
                    return Format("HeadshotPro cannot run on {0}, older than .NET Framework 4.7.2. {1} Install .NET Framework 4.8 and start a new session.",
                        frameworkDescription, Supported);
                return null;
            }

            // Core (PowerShell 6 and later).
            if (powerShellVersion != null && powerShellVersion < MinimumCoreVersion)
                return Format("HeadshotPro cannot run on PowerShell {0} ({1}): that PowerShell carries Newtonsoft.Json {2}, older than the 13.0 the module needs, and cannot load a second copy. {3}",
                    powerShellVersion, frameworkDescription, hostNewtonsoftVersion?.ToString(2) ?? "12 or older", Supported);
            if (hostNewtonsoftVersion != null && hostNewtonsoftVersion.Major < NewtonsoftMajorVersion)
                return Format("HeadshotPro cannot run in this process (PowerShell {0}, {1}): it binds Newtonsoft.Json to version {2}, older than the 13.0 the module needs. {3}",
                    powerShellVersion?.ToString() ?? "of unknown version", frameworkDescription, hostNewtonsoftVersion.ToString(2), Supported);
            return null;
        }

        private static string Format(string format, params object?[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
    }
}

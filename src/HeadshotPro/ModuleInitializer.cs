using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using System.Runtime.InteropServices;
using HeadshotPro.Loading;

namespace HeadshotPro
{
    /// <summary>
    /// At import: refuse a PowerShell that cannot run the module (<see cref="HostCompatibility"/>), with a message that
    /// names the ones that can. Then, on Windows PowerShell 5.1 (.NET Framework), where PowerShell does not carry
    /// Newtonsoft.Json and the CLR may not look in a module's folder, answer for the module's dependencies (Newtonsoft.Json,
    /// the JPEG library) from the folder this assembly came from — only for this assembly's own requests
    /// (<see cref="DependencyResolution"/>).
    /// PowerShell 7.2+ already carries Newtonsoft.Json 13, which this module uses as it is.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly Assembly Self = typeof(ModuleInitializer).Assembly;

        private static readonly bool OnDotNetFramework =
            RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        public void OnImport()
        {
            var refusal = HostCompatibility.Refusal(
                OnDotNetFramework ? "Desktop" : "Core",
                PowerShellVersion(),
                RuntimeInformation.FrameworkDescription,
                OnDotNetFramework ? null : HostNewtonsoftVersion());
            if (refusal != null) throw new PlatformNotSupportedException(refusal);

            if (OnDotNetFramework) AppDomain.CurrentDomain.AssemblyResolve += ResolveDependency;
        }

        public void OnRemove(PSModuleInfo module)
        {
            if (OnDotNetFramework) AppDomain.CurrentDomain.AssemblyResolve -= ResolveDependency;
        }

        /// <summary>$PSVersionTable.PSVersion of the importing runspace; else System.Management.Automation's version
        /// (7.x.0.500 on PowerShell 7; 3.0.0.0 on Windows PowerShell, where it does not decide anything).</summary>
        private static Version? PowerShellVersion()
        {
            try
            {
                return Runspace.DefaultRunspace?.Version ?? typeof(PSObject).Assembly.GetName().Version;
            }
            catch (Exception)
            {
                return null;
            }
        }

        /// <summary>The Newtonsoft.Json the default load context binds to on .NET (Core): the one among the trusted
        /// platform assemblies (pwsh's own, in $PSHOME; a hosting application's, from its deps.json). Assemblies other
        /// modules loaded into load contexts of their own do not count, so they are not looked at.</summary>
        private static Version? HostNewtonsoftVersion()
        {
            try
            {
                var platform = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string;
                var path = platform?.Split(Path.PathSeparator)
                    .FirstOrDefault(p => string.Equals(Path.GetFileName(p), DependencyResolution.Newtonsoft + ".dll", StringComparison.OrdinalIgnoreCase));
                return path != null ? AssemblyName.GetAssemblyName(path).Version : null;
            }
            catch (Exception)
            {
                return null;  // unknown: the PowerShell version alone decides
            }
        }

        private static Assembly? ResolveDependency(object? sender, ResolveEventArgs args)
        {
            var file = DependencyResolution.FileFor(args.Name, args.RequestingAssembly, Self);
            if (file == null) return null;
            var path = Path.Combine(Path.GetDirectoryName(Self.Location)!, file);
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
    }
}

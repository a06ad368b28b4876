using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace HeadshotPro
{
    /// <summary>
    /// On Windows PowerShell 5.1 (.NET Framework) Newtonsoft.Json is not loaded by PowerShell, and the CLR does not look
    /// in a module's folder: answer for it, and only for it, from the folder this assembly came from.
    /// PowerShell 7 already carries Newtonsoft.Json 13, which this module uses as it is.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly bool OnDotNetFramework =
            RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        public void OnImport()
        {
            if (OnDotNetFramework) AppDomain.CurrentDomain.AssemblyResolve += ResolveNewtonsoftJson;
        }

        public void OnRemove(PSModuleInfo module)
        {
            if (OnDotNetFramework) AppDomain.CurrentDomain.AssemblyResolve -= ResolveNewtonsoftJson;
        }

        private static Assembly? ResolveNewtonsoftJson(object? sender, ResolveEventArgs args)
        {
            if (new AssemblyName(args.Name).Name != "Newtonsoft.Json") return null;
            var folder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;
            var path = Path.Combine(folder, "Newtonsoft.Json.dll");
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
    }
}

using System;
using System.Net;

namespace HeadshotPro.Client.Transport
{
    /// <summary>
    /// What only .NET Framework (Windows PowerShell 5.1) needs, per endpoint and never process-wide: its HttpClient
    /// runs on HttpWebRequest, whose ServicePoint for the endpoint would wait for <c>100 Continue</c> before each POST
    /// body and hold small POSTs back for Nagle's algorithm. A ServicePoint is dropped after 100 s idle and made anew
    /// with the defaults, so this is applied before every request, on the ServicePoint the request will use.
    /// </summary>
    internal static class DotNetFramework
    {
#pragma warning disable SYSLIB0014 // ServicePointManager is what .NET Framework's HttpClient uses.
        public static ServicePoint PrepareEndpoint(Uri address, Uri? proxy)
        {
            var servicePoint = proxy != null
                ? ServicePointManager.FindServicePoint(address, new WebProxy(proxy))
                : ServicePointManager.FindServicePoint(address, WebRequest.DefaultWebProxy);
            if (servicePoint.Expect100Continue) servicePoint.Expect100Continue = false;
            if (servicePoint.UseNagleAlgorithm) servicePoint.UseNagleAlgorithm = false;
            return servicePoint;
        }
#pragma warning restore SYSLIB0014
    }
}

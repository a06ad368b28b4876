using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>
/// Requests to an https API go through the proxy given to Connect as a CONNECT tunnel, so the proxy never sees the key;
/// a proxy that wants credentials gets them from -ProxyCredential, and one that refuses is its own error, not retried.
/// The tunnel leads to the plain-http sandbox, so the TLS handshake inside it fails: that failure proves the request
/// went through the tunnel (a trusted https endpoint is exercised end to end in tests/pester).
/// </summary>
public class ProxyTests
{
    private const string Connect = "Connect-HeadshotPro -ApiKey (ConvertTo-SecureString $key -AsPlainText -Force) -BaseUri $uri -Proxy $proxy";

    [Fact(Timeout = Limits.Test)]
    public async Task Requests_go_through_the_proxy_as_a_tunnel_the_proxy_cannot_read()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await using var proxy = new TestProxy();
        var https = new Uri($"https://localhost:{sandbox.Server.RootUri.Port}/api/v1/");
        using var host = new PowerShellHost();
        var result = host.Run(Connect, ("key", TestSandbox.Key), ("uri", https), ("proxy", proxy.Address));
        Assert.Equal("TlsConnectionFailed", result.Terminating?.FullyQualifiedErrorId.Split(',')[0]);
        var head = Assert.Single(proxy.Heads);
        Assert.StartsWith($"CONNECT localhost:{sandbox.Server.RootUri.Port} HTTP/1.1", head);
        Assert.DoesNotContain(TestSandbox.Key, head);
        Assert.DoesNotContain("Authorization: Bearer", head);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_proxy_that_wants_credentials_is_ProxyAuthenticationRequired_and_not_retried()
    {
        await Task.Yield(); // hand xUnit the task before the pipeline blocks, so the Timeout counts
        await using var proxy = new TestProxy("svc:S3cretPw");
        using var host = new PowerShellHost();
        var result = host.Run(Connect, ("key", TestSandbox.Key), ("uri", new Uri("https://server.headshotpro.example/api/v1/")), ("proxy", proxy.Address));
        Assert.Equal("ProxyAuthenticationRequired", result.Terminating?.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(System.Management.Automation.ErrorCategory.AuthenticationError, result.Terminating!.CategoryInfo.Category);
        Assert.Contains("-ProxyUseDefaultCredentials", result.Terminating.ErrorDetails.RecommendedAction);
        Assert.Single(proxy.Heads);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task ProxyCredential_is_given_to_the_proxy_that_asks_for_it()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await using var proxy = new TestProxy("svc:S3cretPw");
        var https = new Uri($"https://localhost:{sandbox.Server.RootUri.Port}/api/v1/");
        using var host = new PowerShellHost();
        var result = host.Run(Connect + " -ProxyCredential (New-Object pscredential 'svc', (ConvertTo-SecureString 'S3cretPw' -AsPlainText -Force))",
            ("key", TestSandbox.Key), ("uri", https), ("proxy", proxy.Address));
        // Past the proxy's 407 and through the tunnel, to the TLS handshake with the (plain-http) sandbox.
        Assert.Equal("TlsConnectionFailed", result.Terminating?.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains(proxy.Heads, h => h.Contains("Proxy-Authorization: Basic " + Convert.ToBase64String("svc:S3cretPw"u8.ToArray())));
        var error = result.Terminating!;
        Assert.DoesNotContain("S3cretPw", string.Join("\n", error.Exception.ToString(), error.TargetObject, error.ErrorDetails?.Message, error.ErrorDetails?.RecommendedAction));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_dead_proxy_is_named_in_the_error_so_the_admin_does_not_chase_the_service()
    {
        await Task.Yield(); // hand xUnit the task before the pipeline blocks, so the Timeout counts
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now: every connection to the proxy is refused
        using var host = new PowerShellHost();
        var result = host.Run(Connect, ("key", TestSandbox.Key), ("uri", new Uri("https://server.headshotpro.example/api/v1/")), ("proxy", new Uri($"http://127.0.0.1:{port}")));
        Assert.Equal("ServiceUnreachable", result.Terminating?.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains($"through the proxy http://127.0.0.1:{port}", result.Terminating!.Exception.Message);
    }
}

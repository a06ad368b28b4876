using System.Management.Automation;
using System.Net;
using System.Net.Http;
using System.Security.Authentication;
using HeadshotPro.Client;
using HeadshotPro.Client.Transport;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>
/// Transport settings that behave the same on Windows PowerShell 5.1 and PowerShell 7: everything on the handler or the
/// request, nothing on the process. The .NET Framework-only rules are small functions fed .NET Framework values here.
/// </summary>
public class TransportTests
{
#pragma warning disable SYSLIB0014, CS0618
    [Theory(Timeout = Limits.Test)]
    [InlineData((SecurityProtocolType)0, SslProtocols.None)]                                               // SystemDefault: the OS decides
    [InlineData(SecurityProtocolType.Ssl3 | SecurityProtocolType.Tls, SslProtocols.Tls12)]                  // .NET 4.5 defaults
    [InlineData(SecurityProtocolType.Tls | SecurityProtocolType.Tls11, SslProtocols.Tls12)]
    [InlineData(SecurityProtocolType.Tls12, SslProtocols.None)]
    [InlineData(SecurityProtocolType.Tls12 | SecurityProtocolType.Tls13, SslProtocols.None)]
    public Task TLS_1_2_is_added_for_this_handler_only_where_the_process_leaves_it_out(SecurityProtocolType process, SslProtocols expected) => Task.Run(() =>
        Assert.Equal(expected, SharedConnection.TlsProtocolsFor(process)));

    [Fact(Timeout = Limits.Test)]
    public Task The_process_wide_TLS_setting_is_never_changed() => Task.Run(() =>
    {
        var before = ServicePointManager.SecurityProtocol;
        using var client = new HeadshotProClient(new ClientSettings(new Uri("https://server.headshotpro.com/api/v1/"), "hsp_unit"));
        Assert.Equal(before, ServicePointManager.SecurityProtocol);
    });

    [Fact(Timeout = Limits.Test)]
    public Task On_NET_Framework_each_endpoint_waits_for_no_100_Continue_and_sends_small_posts_at_once() => Task.Run(() =>
    {
        var (expect, nagle) = (ServicePointManager.Expect100Continue, ServicePointManager.UseNagleAlgorithm);
        var endpoint = new Uri($"https://unit-{Guid.NewGuid():N}.example/api/v1/organization/invite");
        var servicePoint = DotNetFramework.PrepareEndpoint(endpoint, null);
        Assert.False(servicePoint.Expect100Continue);
        Assert.False(servicePoint.UseNagleAlgorithm);
        Assert.Equal((expect, nagle), (ServicePointManager.Expect100Continue, ServicePointManager.UseNagleAlgorithm));
        var throughProxy = DotNetFramework.PrepareEndpoint(endpoint, new Uri("http://proxy.corp.example:8080"));
        Assert.False(throughProxy.Expect100Continue);
    });
#pragma warning restore SYSLIB0014, CS0618

    [Fact(Timeout = Limits.Test)]
    public Task Requests_never_ask_for_100_Continue() => Task.Run(() =>
    {
        using var request = ApiTransport.NewRequest(HttpMethod.Post, "organization/invite", "{}");
        Assert.False(request.Headers.ExpectContinue);
    });

    [Fact(Timeout = Limits.Test)]
    public Task The_handler_carries_the_connection_limit_no_redirects_and_the_proxy_settings() => Task.Run(() =>
    {
        var baseUri = new Uri("https://server.headshotpro.com/api/v1/");
        using (var plain = SharedConnection.HandlerFor(new ClientSettings(baseUri, "k"), (SecurityProtocolType)0))
        {
            Assert.Equal(HeadshotProClient.MostConcurrentRequests, plain.MaxConnectionsPerServer);
            Assert.False(plain.AllowAutoRedirect);
            Assert.True(plain.UseProxy);
            var system = Assert.IsType<SharedConnection.SystemProxyExceptLoopback>(plain.Proxy); // the system's proxy, not for loopback
            Assert.True(system.IsBypassed(new Uri("http://127.0.0.1:5080/api/v1/")));
            Assert.True(system.IsBypassed(new Uri("http://[::1]:5080/api/v1/")));
            Assert.True(system.IsBypassed(new Uri("http://localhost:5080/api/v1/")));
            Assert.Null(system.GetProxy(new Uri("http://127.0.0.1:5080/api/v1/")));
            Assert.Null(plain.DefaultProxyCredentials);
        }
        using (var ntlm = SharedConnection.HandlerFor(new ClientSettings(baseUri, "k") { ProxyUseDefaultCredentials = true }, (SecurityProtocolType)0))
            Assert.Same(CredentialCache.DefaultCredentials, ntlm.Proxy!.Credentials);
        var credential = new NetworkCredential("svc", "pw");
        using (var given = SharedConnection.HandlerFor(new ClientSettings(baseUri, "k") { Proxy = new Uri("http://proxy.corp.example:8080"), ProxyCredential = credential }, (SecurityProtocolType)0))
        {
            var proxy = Assert.IsType<WebProxy>(given.Proxy);
            Assert.Equal(new Uri("http://proxy.corp.example:8080"), proxy.Address);
            Assert.Same(credential, proxy.Credentials);
        }
    });

    [Fact(Timeout = Limits.Test)]
    public async Task No_request_on_the_wire_carries_Expect()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var host = new PowerShellHost();
        host.Connect(sandbox);
        host.Run("'ann@corp.example', 'bob@corp.example' | New-HeadshotInvite; Revoke-HeadshotInvite ann@corp.example -Force; Get-HeadshotInvite");
        var journal = await sandbox.JournalAsync();
        Assert.Contains(journal, e => (string?)e!["method"] == "POST");
        NonEmpty.All(journal, e => Assert.Null((string?)e!["expect"]));
    }

    [Theory(Timeout = Limits.Test)]
    [InlineData("-BaseUri 'https://svc:S3cretPw@server.headshotpro.com/api/v1/'", "InvalidBaseUri")]
    [InlineData("-Proxy 'http://svc:S3cretPw@proxy.corp.example:8080'", "InvalidProxy")]
    [InlineData("-BaseUri 'http://127.0.0.1:5080/api/v1/' -Proxy 'http://proxy.corp.example:8080'", "InvalidProxy")]
    [InlineData("-ProxyCredential (New-Object pscredential 'svc', (ConvertTo-SecureString 'S3cretPw' -AsPlainText -Force))", "InvalidProxy")]
    [InlineData("-Proxy 'http://proxy.corp.example:8080' -ProxyUseDefaultCredentials -ProxyCredential (New-Object pscredential 'svc', (ConvertTo-SecureString 'S3cretPw' -AsPlainText -Force))", "InvalidProxy")]
    public Task Credentials_in_addresses_and_proxies_that_would_see_the_key_are_refused_before_any_request(string options, string errorId) => Task.Run(() =>
    {
        using var host = new PowerShellHost();
        var result = host.Run($"Connect-HeadshotPro -ApiKey (ConvertTo-SecureString 'hsp_unit_key_1234' -AsPlainText -Force) {options}");
        Assert.Equal(errorId, result.Terminating?.FullyQualifiedErrorId.Split(',')[0]);
        // The admin's own command line (InvocationInfo) holds what they typed; what the module says must not repeat it.
        var error = result.Terminating!;
        var said = string.Join("\n", error.Exception.ToString(), error.TargetObject, error.ErrorDetails?.Message, error.ErrorDetails?.RecommendedAction, error.CategoryInfo);
        Assert.DoesNotContain("S3cretPw", said);
    });

    /// <summary>A base URI copied from a browser or a wiki may carry a key in its query; the module repeats none of it.</summary>
    [Theory(Timeout = Limits.Test)]
    [InlineData("https://server.headshotpro.com/api/v1/?api_key=S3cretKey")]
    [InlineData("https://server.headshotpro.com/api/v1/#api_key=S3cretKey")]
    [InlineData("http://server.headshotpro.com/api/v1/?api_key=S3cretKey")]
    [InlineData("ftp://127.0.0.1/api/v1/?api_key=S3cretKey")]
    [InlineData("https://svc:S3cretKey@server.headshotpro.com/api/v1/?api_key=S3cretKey")]
    [InlineData("api/v1/?api_key=S3cretKey")]
    public Task A_key_in_the_base_URIs_query_appears_in_no_part_of_the_error(string uri) => Task.Run(() =>
    {
        using var host = new PowerShellHost();
        var result = host.Run("Connect-HeadshotPro -ApiKey (ConvertTo-SecureString 'hsp_unit_key_1234' -AsPlainText -Force) -BaseUri $uri", ("uri", uri));
        Assert.Equal("InvalidBaseUri", result.Terminating?.FullyQualifiedErrorId.Split(',')[0]);
        Assert.DoesNotContain("S3cretKey", string.Join("\n", PowerShellHost.Result.Describe(WithoutInvocation(result.Terminating!))));
        Assert.NotNull(result.Terminating!.TargetObject);
    });

    /// <summary>The record without its InvocationInfo, which holds the admin's own command line (what they typed, not what the module said).</summary>
    internal static ErrorRecord WithoutInvocation(ErrorRecord record) =>
        new(record.Exception, record.FullyQualifiedErrorId, record.CategoryInfo.Category, record.TargetObject) { ErrorDetails = record.ErrorDetails };

    [Fact(Timeout = Limits.Test)]
    public Task Progress_shows_in_any_interactive_host_and_never_without_a_user() => Task.Run(() =>
    {
        Assert.True(Commands.HeadshotProPipelineCmdlet.ShowsProgress("ConsoleHost", true, new[] { "pwsh" }));
        Assert.True(Commands.HeadshotProPipelineCmdlet.ShowsProgress("Visual Studio Code Host", true, new[] { "pwsh" }));
        Assert.True(Commands.HeadshotProPipelineCmdlet.ShowsProgress("Windows PowerShell ISE Host", true, new[] { "powershell_ise.exe" }));
        Assert.False(Commands.HeadshotProPipelineCmdlet.ShowsProgress("Default Host", true, new[] { "pwsh" }));
        Assert.False(Commands.HeadshotProPipelineCmdlet.ShowsProgress("ConsoleHost", false, new[] { "pwsh" }));
        Assert.False(Commands.HeadshotProPipelineCmdlet.ShowsProgress("ConsoleHost", true, new[] { "pwsh", "-NonInteractive", "-File", "run.ps1" }));
        Assert.False(Commands.HeadshotProPipelineCmdlet.ShowsProgress("ConsoleHost", true, new[] { "powershell.exe", "-noni", "-c", "x" }));
    });

    [Fact(Timeout = Limits.Test)]
    public Task Proxy_refusals_are_read_as_either_runtime_reports_them() => Task.Run(() =>
    {
        var refused = new HttpRequestException("The proxy tunnel request to proxy 'http://proxy:8080/' failed with status code '407'.", null, HttpStatusCode.ProxyAuthenticationRequired);
        Assert.Equal(ApiErrorKind.ProxyAuthenticationRequired, TransportFailure.Classify(refused).Kind);
        Assert.False(TransportFailure.Classify(refused).Transient);
    });

    [Fact(Timeout = Limits.Test)]
    public async Task Verbose_lines_arrive_while_a_long_wait_lasts_not_when_the_call_ends()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var host = new PowerShellHost();
        host.Connect(sandbox);
        await sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.RetryAfterSeconds } });
        var before = sandbox.Server.State.Journal().Count;
        // What the server had answered when the wait's line arrived: the 503 asking for 2 s, and not yet the retry after them.
        var answeredAtTheLine = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (shell, pending) = host.Begin("Get-HeadshotCredits -Verbose", watch: ps => ps.Streams.Verbose.DataAdded += (_, e) =>
        {
            if (ps.Streams.Verbose[e.Index].Message.StartsWith("Waiting")) answeredAtTheLine.TrySetResult(sandbox.Server.State.Journal().Count - before);
        });
        using var _ = shell;
        var answered = await answeredAtTheLine.Task.WaitAsync(Limits.Wait);
        await Task.Factory.FromAsync(pending, shell.EndInvoke);
        Assert.Equal(1, answered);
        Assert.Equal(2, sandbox.Server.State.Journal().Count - before);
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HeadshotPro.Client;
using HeadshotPro.Client.Transport;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>What a server or a gateway may send beyond the contract never breaks a run: each item gets a clear outcome.</summary>
public class OddAnswerTests
{
    private static HeadshotProClient ClientFor(TestSandbox sandbox, Action<ClientSettings>? configure = null)
    {
        var settings = new ClientSettings(sandbox.ApiBaseUri, TestSandbox.Key);
        configure?.Invoke(settings);
        return new HeadshotProClient(settings);
    }

    [Theory(Timeout = Limits.Test)]
    [InlineData("iso")]
    [InlineData("unix-seconds")]
    [InlineData("unix-ms")]
    [InlineData("delta-seconds")]
    [InlineData("huge")]
    [InlineData("infinity")]
    [InlineData("garbage")]
    [InlineData("negative")]
    [InlineData("multiple")]
    public async Task Every_reset_header_format_leaves_requests_working_and_overlapping(string format)
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { ResetHeaderFormat = format, LatencyMs = 50, RateLimit = 1000 });
        using var host = new PowerShellHost();
        host.Connect(sandbox);
        var result = host.Run("1..30 | ForEach-Object { \"user$_@corp.example\" } | New-HeadshotInvite -ThrottleLimit 5");
        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        Assert.Equal(30, result.Output.Count);
        // Unreadable reset headers fall back to a one-minute window, never to one request at a time (how many overlap at
        // 50 ms latency depends on the machine's load; that it is never more than the limit is BulkTests').
        Assert.InRange(TestSandbox.Counter(await sandbox.StateAsync(), "mostInFlight"), 2, 5);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_reset_header_that_cannot_be_read_falls_back_to_the_limit_over_a_minute()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { ResetHeaderFormat = "garbage", RateLimit = 10, RateWindowSeconds = 60 });
        using var client = ClientFor(sandbox, s => s.MaxRetryWait = TimeSpan.FromSeconds(5));
        for (var i = 0; i < 10; i++) await client.GetCreditsAsync(default);
        var window = client.RateLimitWindow;
        Assert.NotNull(window);
        Assert.Equal(0, window!.Value.Remaining);
        Assert.InRange((window.Value.ResetUtc - DateTime.UtcNow).TotalSeconds, 40, 61);
        var e = await Assert.ThrowsAsync<HeadshotProApiException>(() => client.GetCreditsAsync(default));
        Assert.Equal(ApiErrorKind.RateLimitRetriesExhausted, e.Kind);
        Assert.Equal(10, (await sandbox.JournalAsync()).Count); // it waited for the window rather than collecting 429s
    }

    [Theory(Timeout = Limits.Test)]
    [InlineData(FaultKind.UnknownCharset)]
    [InlineData(FaultKind.Garbled200)]
    [InlineData(FaultKind.Truncated200)]
    public async Task An_answer_that_cannot_be_read_as_sent_still_ends_in_one_invite(string fault)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var client = ClientFor(sandbox);
        await sandbox.SettingsAsync(new { nextFaults = new[] { fault } });
        var invite = await client.CreateInviteAsync("ann@corp.example", null, default);
        Assert.Equal(sandbox.Server.State.ListInvites().Single().Id, invite.Id);
        Assert.Equal(99, sandbox.Server.State.Credits);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_50_MB_answer_is_not_read_into_memory_and_fails_with_a_clear_error()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var client = ClientFor(sandbox);
        await sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.Huge200 } });
        var e = await Assert.ThrowsAsync<HeadshotProApiException>(() => client.GetCreditsAsync(default));
        Assert.Equal(ApiErrorKind.UnexpectedResponse, e.Kind);
        Assert.Contains("more than the 16 MB this module reads", e.Message);
        Assert.Equal(100, await client.GetCreditsAsync(default));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_503_asking_for_a_day_fails_at_once_quoting_its_Retry_After()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var host = new PowerShellHost();
        host.Connect(sandbox);
        await sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.None, FaultKind.RetryAfterLong } }); // past the balance read
        var watch = Stopwatch.StartNew();
        var result = host.Run("New-HeadshotInvite ann@corp.example, bob@corp.example -ThrottleLimit 1");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
        var error = Assert.Single(result.Errors);
        Assert.Equal("ServerError", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("Retry-After: 86400", error.ErrorDetails.Message);
        Assert.Contains("-MaxRetryWaitSec", error.ErrorDetails.Message);
        Assert.Equal("bob@corp.example", ((Invite)Assert.Single(result.Output).BaseObject).Email);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_redirect_is_not_followed_and_is_reported_with_its_Location()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var host = new PowerShellHost();
        host.Connect(sandbox);
        await sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.None, FaultKind.Redirect } }); // past the balance read
        var result = host.Run("New-HeadshotInvite ann@corp.example");
        var error = Assert.Single(result.Errors);
        Assert.Equal("ApiRedirected", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("https://login.example.net/", error.ErrorDetails.Message);
        Assert.DoesNotContain("ApiKeyRejected", result.AllText());
        Assert.Empty(sandbox.Server.State.ListInvites());
    }

    [Fact(Timeout = Limits.Test)]
    public async Task An_untrusted_certificate_fails_at_once_and_says_so()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var serverCertificate = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
        var handshakes = 0;
        using var stop = new CancellationTokenSource();
        var server = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var tcp = await listener.AcceptTcpClientAsync(stop.Token);
                Interlocked.Increment(ref handshakes);
                await using var tls = new SslStream(tcp.GetStream());
                try { await tls.AuthenticateAsServerAsync(serverCertificate); } catch (Exception e) when (e is AuthenticationException or IOException) { }
            }
        });

        using var client = new HeadshotProClient(new ClientSettings(new Uri($"https://localhost:{port}/api/v1/"), TestSandbox.Key));
        var e = await Assert.ThrowsAsync<HeadshotProApiException>(() => client.GetCreditsAsync(default));
        Assert.Equal(ApiErrorKind.TlsFailed, e.Kind);
        Assert.Contains("TLS", e.Message);
        Assert.Equal(1, handshakes);
        stop.Cancel();
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_host_that_does_not_exist_fails_at_once()
    {
        using var client = new HeadshotProClient(new ClientSettings(new Uri("https://headshotpro-test.invalid/api/v1/"), TestSandbox.Key));
        var watch = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<HeadshotProApiException>(() => client.GetCreditsAsync(default));
        Assert.Equal(ApiErrorKind.HostNotFound, e.Kind);
        Assert.Contains("headshotpro-test.invalid", e.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}: it was retried");
    }

    public static TheoryData<Exception, ApiErrorKind, bool> Failures => new()
    {
        // .NET: a SocketException or an AuthenticationException inside the HttpRequestException.
        { new HttpRequestException("x", new SocketException((int)SocketError.HostNotFound)), ApiErrorKind.HostNotFound, false },
        { new HttpRequestException("x", new SocketException((int)SocketError.ConnectionRefused)), ApiErrorKind.ConnectionFailed, true },
        { new HttpRequestException("x", new AuthenticationException("remote certificate is invalid")), ApiErrorKind.TlsFailed, false },
        { new HttpRequestException("x", new IOException("reset", new SocketException((int)SocketError.ConnectionReset))), ApiErrorKind.ConnectionFailed, true },
        // .NET Framework: a WebException whose status says what happened.
#pragma warning disable SYSLIB0014
        { new HttpRequestException("x", new WebException("name", WebExceptionStatus.NameResolutionFailure)), ApiErrorKind.HostNotFound, false },
        { new HttpRequestException("x", new WebException("proxy", WebExceptionStatus.ProxyNameResolutionFailure)), ApiErrorKind.HostNotFound, false },
        { new HttpRequestException("x", new WebException("trust", WebExceptionStatus.TrustFailure)), ApiErrorKind.TlsFailed, false },
        { new HttpRequestException("x", new WebException("channel", WebExceptionStatus.SecureChannelFailure)), ApiErrorKind.TlsFailed, false },
        { new HttpRequestException("x", new WebException("connect", WebExceptionStatus.ConnectFailure)), ApiErrorKind.ConnectionFailed, true },
        { new HttpRequestException("x", new WebException("closed", WebExceptionStatus.ConnectionClosed)), ApiErrorKind.ConnectionFailed, true },
#pragma warning restore SYSLIB0014
    };

    [Theory(Timeout = Limits.Test)]
    [MemberData(nameof(Failures))]
    public Task Connection_failures_are_read_as_either_runtime_reports_them(Exception error, ApiErrorKind kind, bool retried) => Task.Run(() =>
    {
        var failure = TransportFailure.Classify(error);
        Assert.Equal((kind, retried), (failure.Kind, failure.Transient));
    });
}

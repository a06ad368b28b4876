using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HeadshotPro.Tests;

/// <summary>
/// A forward proxy on loopback, as corporate ones behave for https: it reads each CONNECT request, may demand Basic
/// credentials with a 407, and otherwise tunnels the bytes to the target it was asked for. It keeps the request heads
/// it saw, which is all a proxy of an https connection can see.
/// </summary>
public sealed class TestProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly string? _credentials;

    /// <param name="requiredCredentials">"user:password" the proxy demands, or null for none.</param>
    public TestProxy(string? requiredCredentials = null)
    {
        _credentials = requiredCredentials is null ? null : Convert.ToBase64String(Encoding.ASCII.GetBytes(requiredCredentials));
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
    public ConcurrentQueue<string> Heads { get; } = new();

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var head = await ReadHeadAsync(stream);
        Heads.Enqueue(head);
        var lines = head.Split("\r\n");
        var target = lines[0].Split(' ');
        if (target.Length < 2 || target[0] != "CONNECT")
        {
            await WriteAsync(stream, "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            return;
        }
        if (_credentials is not null && !lines.Any(l => l.Equals("Proxy-Authorization: Basic " + _credentials, StringComparison.OrdinalIgnoreCase)))
        {
            await WriteAsync(stream, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"corp\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            return;
        }
        var hostPort = target[1].Split(':');
        using var upstream = new TcpClient();
        try { await upstream.ConnectAsync(hostPort[0], int.Parse(hostPort[1])); }
        catch (SocketException)
        {
            await WriteAsync(stream, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            return;
        }
        await WriteAsync(stream, "HTTP/1.1 200 Connection established\r\n\r\n");
        var upstreamStream = upstream.GetStream();
        await Task.WhenAny(stream.CopyToAsync(upstreamStream, _stop.Token), upstreamStream.CopyToAsync(stream, _stop.Token));
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1)
        {
            bytes.Add(one[0]);
            if (bytes.Count >= 4 && bytes[^1] == '\n' && bytes[^2] == '\r' && bytes[^3] == '\n' && bytes[^4] == '\r') break;
        }
        return Encoding.ASCII.GetString(bytes.ToArray()).TrimEnd();
    }

    private static Task WriteAsync(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _accepting;
    }
}

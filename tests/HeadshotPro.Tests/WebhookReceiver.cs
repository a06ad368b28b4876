using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace HeadshotPro.Tests;

/// <summary>
/// A webhook receiver on a free loopback port: a bare HTTP/1.1 server over a TcpListener that keeps each request's
/// headers and exact body bytes, and answers with the next scripted status (200 when none is scripted).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<Delivery> _received = Channel.CreateUnbounded<Delivery>();
    private readonly Task _loop;

    public sealed record Delivery(IReadOnlyDictionary<string, string> Headers, byte[] Body, DateTime At)
    {
        public string Text => Encoding.UTF8.GetString(Body);
        public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
    }

    public WebhookReceiver()
    {
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/hooks/headshotpro");
        _loop = Task.Run(AcceptAsync);
    }

    public Uri Url { get; }

    /// <summary>Statuses for the next requests, in order.</summary>
    public ConcurrentQueue<int> Answers { get; } = new();

    /// <summary>The next delivery received, within <paramref name="bound"/>.</summary>
    public async Task<Delivery> NextAsync(TimeSpan? bound = null)
    {
        using var timeout = new CancellationTokenSource(bound ?? Limits.Wait);
        return await _received.Reader.ReadAsync(timeout.Token);
    }

    public async Task<List<Delivery>> TakeAsync(int count, TimeSpan? bound = null)
    {
        var list = new List<Delivery>();
        for (var i = 0; i < count; i++) list.Add(await NextAsync(bound));
        return list;
    }

    /// <summary>Whatever has arrived so far, without waiting.</summary>
    public List<Delivery> Drain()
    {
        var list = new List<Delivery>();
        while (_received.Reader.TryRead(out var d)) list.Add(d);
        return list;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                while (true)
                {
                    var head = await ReadHeadAsync(stream);
                    if (head is null) return;
                    var lines = head.Split("\r\n");
                    var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
                    {
                        var colon = line.IndexOf(':');
                        var name = line[..colon].Trim();
                        var value = line[(colon + 1)..].Trim();
                        headers[name] = headers.TryGetValue(name, out var before) ? before + ", " + value : value;
                    }
                    var length = headers.TryGetValue("Content-Length", out var cl) ? int.Parse(cl) : 0;
                    var body = new byte[length];
                    var read = 0;
                    while (read < length)
                    {
                        var n = await stream.ReadAsync(body.AsMemory(read));
                        if (n == 0) return;
                        read += n;
                    }
                    _received.Writer.TryWrite(new Delivery(headers, body, DateTime.UtcNow));
                    var status = Answers.TryDequeue(out var scripted) ? scripted : 200;
                    var answer = Encoding.ASCII.GetBytes($"HTTP/1.1 {status} X\r\nContent-Length: 0\r\n\r\n");
                    await stream.WriteAsync(answer);
                }
            }
            catch (IOException) { }
            catch (SocketException) { }
        }
    }

    private static async Task<string?> ReadHeadAsync(NetworkStream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one) == 0) return null;
            bytes.Add(one[0]);
            var n = bytes.Count;
            if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n')
                return Encoding.ASCII.GetString(bytes.ToArray(), 0, n - 4);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try { await _loop; } catch (Exception) { }
        _stop.Dispose();
    }
}

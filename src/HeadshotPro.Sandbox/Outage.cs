using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace HeadshotPro.Sandbox;

/// <summary>
/// Kestrel's listening sockets, which an outage really closes: while it lasts, connecting is refused (nothing listens on
/// the port) and the connections that were open are closed (once the answer being sent on one has gone); afterwards the
/// same port listens again. Kestrel itself keeps running and never notices: its accept loop just waits.
/// </summary>
internal sealed class OutageListeners : IConnectionListenerFactory
{
    private readonly SocketTransportFactory _sockets;
    private readonly List<Listener> _listeners = new();

    public OutageListeners(IOptions<SocketTransportOptions> options, ILoggerFactory loggers) => _sockets = new SocketTransportFactory(options, loggers);

    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var listener = new Listener(_sockets, await _sockets.BindAsync(endpoint, cancellationToken).ConfigureAwait(false));
        lock (_listeners) _listeners.Add(listener);
        return listener;
    }

    /// <summary>Closes every listening socket and every open connection (once its answer, if any, has gone).</summary>
    public Task CloseAsync() => Task.WhenAll(Each().Select(l => l.CloseAsync()));

    /// <summary>Listens again on the same ports.</summary>
    public Task OpenAsync() => Task.WhenAll(Each().Select(l => l.OpenAsync()));

    private List<Listener> Each()
    {
        lock (_listeners) return _listeners.ToList();
    }

    private sealed class Listener : IConnectionListener
    {
        private readonly SocketTransportFactory _sockets;
        private readonly List<IConnectionListener> _closed = new();
        private readonly ConcurrentDictionary<ConnectionContext, byte> _open = new();
        private readonly CancellationTokenSource _unbound = new();
        private IConnectionListener? _current;
        private TaskCompletionSource _reopened = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Listener(SocketTransportFactory sockets, IConnectionListener first)
        {
            _sockets = sockets;
            _current = first;
            EndPoint = first.EndPoint;
        }

        public EndPoint EndPoint { get; }

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            while (!_unbound.IsCancellationRequested)
            {
                var reopened = Volatile.Read(ref _reopened).Task; // read before the listener, so a reopening in between is seen
                var current = Volatile.Read(ref _current);
                if (current is null)
                {
                    await Task.WhenAny(reopened, Task.Delay(Timeout.Infinite, _unbound.Token)).ConfigureAwait(false);
                    continue;
                }
                var connection = await current.AcceptAsync(cancellationToken).ConfigureAwait(false);
                if (connection is null) continue; // closed for an outage, or unbound
                _open[connection] = 0;
                connection.ConnectionClosed.Register(() => _open.TryRemove(connection, out _));
                return connection;
            }
            return null;
        }

        public async Task CloseAsync()
        {
            var current = Interlocked.Exchange(ref _current, null);
            if (current is null) return;
            await current.UnbindAsync().ConfigureAwait(false);
            lock (_closed) _closed.Add(current);
            foreach (var connection in _open.Keys) connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.RequestClose();
        }

        public async Task OpenAsync()
        {
            if (Volatile.Read(ref _current) is not null || _unbound.IsCancellationRequested) return;
            Volatile.Write(ref _current, await _sockets.BindAsync(EndPoint).ConfigureAwait(false));
            Interlocked.Exchange(ref _reopened, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }

        public async ValueTask UnbindAsync(CancellationToken cancellationToken = default)
        {
            _unbound.Cancel();
            if (Volatile.Read(ref _current) is { } current) await current.UnbindAsync(cancellationToken).ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync()
        {
            _unbound.Cancel();
            if (Interlocked.Exchange(ref _current, null) is { } current) await current.DisposeAsync().ConfigureAwait(false);
            List<IConnectionListener> closed;
            lock (_closed) closed = _closed.ToList();
            foreach (var listener in closed) await listener.DisposeAsync().ConfigureAwait(false);
            _unbound.Dispose();
        }
    }
}

/// <summary>
/// During an outage, a request that arrives on a connection opened before it is cut at once (on its own thread), as a
/// dead process would; requests being handled when it began finish first (their connections then close).
/// </summary>
internal sealed class Outage
{
    private volatile bool _on;

    public Task HandleAsync(HttpContext ctx, RequestDelegate next)
    {
        if (!_on) return next(ctx);
        ctx.Abort();
        return Task.CompletedTask;
    }

    public void Begin() => _on = true;

    public void End() => _on = false;
}

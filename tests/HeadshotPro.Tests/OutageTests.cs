using System.Net.Sockets;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>
/// The sandbox's outage is a real one: nothing listens on its port (connecting is refused) and open connections are cut,
/// as when a service's process dies; afterwards the same port answers again with the state it had.
/// </summary>
public class SandboxOutageTests
{
    private static async Task<SocketError?> RefusalAsync(TestSandbox sandbox)
    {
        try
        {
            using var client = sandbox.NewClient();
            await client.GetAsync("organization/credits");
            return null;
        }
        catch (HttpRequestException e)
        {
            // Refused when nothing listens; a connection already queued when the socket closed is reset instead.
            for (Exception? inner = e; inner != null; inner = inner.InnerException)
                if (inner is SocketException socket) return socket.SocketErrorCode;
            throw;
        }
    }

    [Fact(Timeout = Limits.Test)]
    public async Task An_outage_refuses_connections_and_ends_on_the_same_port_with_the_state_it_had()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { LatencyMs = 1000 });
        Assert.Equal(200, (await sandbox.InviteAsync("ann@corp.example")).Status);
        var handling = sandbox.InviteAsync("bob@corp.example");
        await sandbox.WaitForInFlightAsync(1);
        var outage = sandbox.Server.OutageAsync(TimeSpan.FromSeconds(3));
        Assert.Equal(SocketError.ConnectionRefused, await RefusalAsync(sandbox));
        Assert.NotNull(sandbox.Server.OutageStartedUtc);
        Assert.Equal(200, (await handling).Status); // what was being handled finishes first
        Assert.Equal(SocketError.ConnectionRefused, await RefusalAsync(sandbox));
        await outage;
        Assert.Null(await RefusalAsync(sandbox));
        Assert.Equal(new[] { "ann@corp.example", "bob@corp.example" }, sandbox.Server.State.ListInvites().Select(i => i.Email).Order());
    }

    [Fact(Timeout = Limits.Test)]
    public async Task An_outage_due_after_so_many_requests_begins_once_the_last_of_them_is_answered()
    {
        Assert.Equal((3, 2.5), SandboxOptions.Parse(new[] { "--outage-after-requests", "3", "--outage-seconds", "2.5" }) is var o ? (o.OutageAfterRequests, o.OutageSeconds) : default);
        Assert.Throws<ArgumentException>(() => SandboxOptions.Parse(new[] { "--outage-after-requests", "0" }));
        await using var sandbox = await TestSandbox.StartAsync();
        Assert.Null(sandbox.Server.OutageStartedUtc);
        Assert.Equal(400, (int)(await sandbox.Control.PostAsync("settings", TestSandbox.JsonBody(new { outageSeconds = -1 }))).StatusCode);
        await sandbox.SettingsAsync(new { outageAfterRequests = 2 });
        using var client = sandbox.NewClient();
        Assert.Equal(200, (int)(await client.GetAsync("organization/credits")).StatusCode);
        Assert.Equal(200, (int)(await client.GetAsync("organization/credits")).StatusCode);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await RefusalAsync(sandbox) != SocketError.ConnectionRefused && DateTime.UtcNow < deadline) { }
        Assert.Equal(SocketError.ConnectionRefused, await RefusalAsync(sandbox));
    }
}

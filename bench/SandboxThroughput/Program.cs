// Invites per second that a sandbox answers: N invites over HTTP from C concurrent loopback clients.
// usage: SandboxThroughput <api-base-uri> <api-key> [invites=20000] [clients=32]
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

var baseUri = new Uri(args[0]);
var key = args[1];
var total = args.Length > 2 ? int.Parse(args[2]) : 20_000;
var clients = args.Length > 3 ? int.Parse(args[3]) : 32;

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { BaseAddress = baseUri };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

async Task<int> InviteAsync(int i)
{
    using var body = new StringContent($"{{\"email\":\"bench{i}@corp.example\"}}", Encoding.UTF8, "application/json");
    using var response = await http.PostAsync("organization/invite", body);
    await response.Content.ReadAsByteArrayAsync();
    return (int)response.StatusCode;
}

for (var i = 0; i < 500; i++) await InviteAsync(-1 - i); // warm up: JIT, connections

var next = -1;
var failures = 0;
var watch = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
{
    int i;
    while ((i = Interlocked.Increment(ref next)) < total)
        if (await InviteAsync(i) != 200) Interlocked.Increment(ref failures);
}));
watch.Stop();
Console.WriteLine($"{total} invites, {clients} clients, {failures} failed: {watch.Elapsed.TotalSeconds:0.00} s, {total / watch.Elapsed.TotalSeconds:0} invites/s");

using System.Net.Http.Headers;
using System.Text;

namespace HeadshotPro.Sandbox;

/// <summary>
/// Posts the state's webhook deliveries: each first attempt in the order the events happened, then, while an attempt
/// gets no 2xx (an error status, no answer within 10 s, a refused connection), retries after the schedule's delays.
/// Each attempt is signed afresh with its own timestamp, as HeadshotPro's are. Redirects are not followed.
/// </summary>
internal sealed class WebhookSender : IDisposable
{
    public const string UserAgent = "HeadshotPro-Webhooks/sandbox";
    private readonly SandboxState _state;
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };

    public WebhookSender(SandboxState state) => _state = state;

    public async Task RunAsync(CancellationToken stopping)
    {
        await Task.Yield();
        try
        {
            await foreach (var delivery in _state.WebhookOutbox.ReadAllAsync(stopping).ConfigureAwait(false))
                await AttemptAsync(delivery, 1, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task AttemptAsync(WebhookDelivery delivery, int number, CancellationToken stopping)
    {
        if (!_state.IsCurrent(delivery)) return; // reset since
        var (timestamp, signature, body) = _state.Prepare(delivery);
        int status = 0;
        string? error = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
            request.Headers.TryAddWithoutValidation("X-HeadshotPro-Timestamp", timestamp);
            if (signature is not null) request.Headers.TryAddWithoutValidation("X-HeadshotPro-Signature", signature);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stopping).ConfigureAwait(false);
            status = (int)response.StatusCode;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            error = e is TaskCanceledException ? "no answer within 10 s" : e.Message;
        }
        var delivered = status is >= 200 and < 300;
        double? retryIn = !delivered && number - 1 < delivery.Schedule.Length ? delivery.Schedule[number - 1] : null;
        _state.RecordAttempt(delivery, new WebhookAttempt(number, _state.Now, timestamp, signature, status, error),
            delivered ? "delivered" : retryIn is null ? "failed" : "pending");
        if (retryIn is { } delay)
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(delay), stopping).ConfigureAwait(false);
                    await AttemptAsync(delivery, number + 1, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }, CancellationToken.None);
        }
    }

    public void Dispose() => _http.Dispose();
}

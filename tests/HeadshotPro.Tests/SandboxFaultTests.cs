using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

public class SandboxFaultTests
{
    [Fact(Timeout = Limits.Test)]
    public async Task Every_fault_is_counted_journaled_and_processed_only_when_its_kind_says_so()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Credits = 100 });
        using var http = sandbox.NewClient();
        foreach (var kind in FaultKind.All)
        {
            await sandbox.SettingsAsync(new { nextFaults = new[] { kind } });
            var email = $"{kind}@corp.example";
            using var request = new HttpRequestMessage(HttpMethod.Post, "organization/invite") { Content = TestSandbox.JsonBody(new { email }) };
            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                Assert.NotEqual(FaultKind.DropBeforeProcessing, kind);
                Assert.NotEqual(FaultKind.DropAfterProcessing, kind);
                var rateHeaders = response.Headers.Where(h => h.Key.StartsWith("X-RateLimit-", StringComparison.OrdinalIgnoreCase)).Count();
                Assert.True(kind is FaultKind.Html503 or FaultKind.Gateway401 ? rateHeaders == 0 : rateHeaders == 3, $"{kind}: {rateHeaders} X-RateLimit headers");
            }
            catch (HttpRequestException)
            {
                Assert.Contains(kind, new[] { FaultKind.DropBeforeProcessing, FaultKind.DropAfterProcessing });
            }

            var created = sandbox.Server.State.ListInvites().Any(i => i.Email == email);
            Assert.True(created == FaultKind.Processed.Contains(kind), $"{kind}: processed {created}");
            Assert.Equal(kind, (string?)(await sandbox.JournalAsync()).Last()!["fault"]);
        }

        var state = await sandbox.StateAsync();
        Assert.Equal(100 - FaultKind.Processed.Length, (int)state["credits"]!);
        var faults = state["counters"]!["faults"]!.AsObject();
        Assert.Equal(FaultKind.All.Order(), faults.Select(f => f.Key).Order());
        NonEmpty.All(faults, f => Assert.Equal(1, (long)f.Value!));
    }

    [Theory(Timeout = Limits.Test)]
    [InlineData(FaultKind.Http408, 408, "REQUEST_TIMEOUT")]
    [InlineData(FaultKind.Http500, 500, null)]
    [InlineData(FaultKind.Http502, 502, null)]
    [InlineData(FaultKind.Http504, 504, null)]
    [InlineData(FaultKind.NoCode, 500, null)]
    [InlineData(FaultKind.RetryAfterSeconds, 503, null)]
    [InlineData(FaultKind.RetryAfterZero, 503, null)]
    [InlineData(FaultKind.RetryAfterDate, 503, null)]
    [InlineData(FaultKind.RetryAfterLong, 503, null)]
    public async Task JSON_error_faults_have_the_error_shape_and_are_not_processed(string kind, int expectedStatus, string? expectedCode)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.SettingsAsync(new { nextFaults = new[] { kind } });
        var (status, body, response) = await sandbox.InviteAsync("ann@corp.example");

        Assert.Equal(expectedStatus, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var fields = body!.AsObject();
        Assert.False((bool)fields["success"]!);
        Assert.False(string.IsNullOrWhiteSpace((string?)fields["error"]));
        Assert.False(fields.ContainsKey("message"));
        if (expectedCode is null) Assert.False(fields.ContainsKey("code"), body.ToJsonString());
        else Assert.Equal(expectedCode, (string?)fields["code"]);
        Assert.Empty(sandbox.Server.State.ListInvites());
        Assert.Equal(100, sandbox.Server.State.Credits);
        Assert.Equal(expectedStatus, (int)(await sandbox.JournalAsync()).Single()!["status"]!);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Message_not_error_is_a_500_with_message_instead_of_error_and_no_code()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.MessageNotError } });
        var (status, body, _) = await sandbox.InviteAsync("ann@corp.example");
        Assert.Equal(500, status);
        var fields = body!.AsObject();
        Assert.False((bool)fields["success"]!);
        Assert.False(string.IsNullOrWhiteSpace((string?)fields["message"]));
        Assert.False(fields.ContainsKey("error"));
        Assert.False(fields.ContainsKey("code"));
        Assert.Empty(sandbox.Server.State.ListInvites());
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Empty_503_has_no_body_and_keeps_the_rate_limit_headers()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.Empty503 } });
        var (status, body, response) = await sandbox.InviteAsync("ann@corp.example");
        Assert.Equal(503, status);
        Assert.Null(body);
        Assert.Equal(0, response.Content.Headers.ContentLength);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.True(response.Headers.Contains("X-RateLimit-Reset"));
        Assert.Empty(sandbox.Server.State.ListInvites());
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Redirect_points_at_a_login_host_with_the_same_path_and_is_not_processed()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var http = sandbox.NewClient();
        await sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.Redirect, FaultKind.Redirect } });

        var (status, _, response) = await sandbox.SendAsync(HttpMethod.Post, "organization/invite", new { email = "ann@corp.example" }, http);
        Assert.Equal(307, status);
        Assert.Equal(new Uri("https://login.example.net/api/v1/organization/invite"), response.Headers.Location);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<html>", await response.Content.ReadAsStringAsync());
        Assert.Empty(sandbox.Server.State.ListInvites());

        (status, _, response) = await sandbox.SendAsync(HttpMethod.Get, "organization/invite/id/abc123", client: http);
        Assert.Equal(307, status);
        Assert.Equal(new Uri("https://login.example.net/api/v1/organization/invite/id/abc123"), response.Headers.Location);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Truncated_200_is_processed_then_promises_the_whole_body_and_sends_half_of_it()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var http = sandbox.NewClient();
        for (var i = 0; i < 5; i++)
        {
            await sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.Truncated200 } });
            using var request = new HttpRequestMessage(HttpMethod.Post, "organization/invite") { Content = TestSandbox.JsonBody(new { email = $"user{i}@corp.example" }) };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(200, (int)response.StatusCode);
            var promised = response.Content.Headers.ContentLength!.Value;
            await using var stream = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[promised];
            var received = 0;
            var e = await Record.ExceptionAsync(async () =>
            {
                int read;
                while ((read = await stream.ReadAsync(buffer.AsMemory(received))) > 0) received += read;
            });
            Assert.IsAssignableFrom<IOException>(e);
            Assert.Equal(promised / 2, received);
            Assert.StartsWith("{\"success\":true", Encoding.UTF8.GetString(buffer, 0, received));
        }
        Assert.Equal(5, sandbox.Server.State.ListInvites().Count);
        Assert.Equal(95, sandbox.Server.State.Credits);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Garbled_200_is_processed_and_answers_a_captive_portal_page()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.Garbled200 } });
        var (status, body, response) = await sandbox.InviteAsync("ann@corp.example");
        Assert.Equal(200, status);
        Assert.Null(body);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.ThrowsAny<JsonException>(() => JsonNode.Parse(text));
        Assert.True(response.Headers.Contains("X-RateLimit-Reset"));
        Assert.Equal("ann@corp.example", sandbox.Server.State.ListInvites().Single().Email);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Unknown_charset_is_processed_and_answers_the_normal_JSON_with_an_unknown_charset()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.UnknownCharset } });
        using var request = new HttpRequestMessage(HttpMethod.Post, "organization/invite") { Content = TestSandbox.JsonBody(new { email = "ann@corp.example" }) };
        using var response = await sandbox.Http.SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/json; charset=x-klingon", response.Content.Headers.GetValues("Content-Type").Single());
        var body = JsonNode.Parse(await response.Content.ReadAsByteArrayAsync())!;
        var invite = sandbox.Server.State.ListInvites().Single();
        Assert.Equal(invite.Id, (string?)body["id"]);
        Assert.True((bool)body["success"]!);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Huge_200_is_processed_and_streams_about_50_MB_of_JSON()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.Huge200 } });
        using var request = new HttpRequestMessage(HttpMethod.Post, "organization/invite") { Content = TestSandbox.JsonBody(new { email = "ann@corp.example" }) };
        using var response = await sandbox.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);

        await using var stream = await response.Content.ReadAsStreamAsync();
        var head = new MemoryStream();
        var tail = new Queue<byte>();
        var chunk = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(chunk)) > 0)
        {
            if (head.Length < 256) head.Write(chunk, 0, Math.Min(read, 256));
            for (var i = Math.Max(0, read - 2); i < read; i++) { tail.Enqueue(chunk[i]); if (tail.Count > 2) tail.Dequeue(); }
            total += read;
        }
        Assert.Equal(response.Content.Headers.ContentLength, total);
        Assert.InRange(total, 50L * 1024 * 1024, 51L * 1024 * 1024);
        var start = Encoding.UTF8.GetString(head.ToArray());
        var id = sandbox.Server.State.ListInvites().Single().Id;
        Assert.StartsWith("{\"success\":true,", start);
        Assert.Contains($"\"id\":\"{id}\",\"padding\":\"xxxx", start);
        Assert.Equal("\"}", Encoding.UTF8.GetString(tail.ToArray()));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Unknown_fault_kinds_are_refused()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var response = await sandbox.Control.PostAsync("settings", TestSandbox.JsonBody(new { nextFaults = new[] { "http-418" } }));
        Assert.Equal(400, (int)response.StatusCode);
    }
}

using System.Diagnostics;
using System.Management.Automation;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

public class ConnectionCmdletTests
{
    [Fact(Timeout = Limits.Test)]
    public async Task Connect_checks_the_key_at_once_and_a_wrong_key_stops_there()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var host = new PowerShellHost();
        var result = host.Run("Connect-HeadshotPro -ApiKey (ConvertTo-SecureString 'wrong-key-1234' -AsPlainText -Force) -BaseUri $uri",
            ("uri", sandbox.ApiBaseUri));
        Assert.NotNull(result.Terminating);
        Assert.Equal("ApiKeyRejected", result.Terminating!.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.AuthenticationError, result.Terminating.CategoryInfo.Category);
        Assert.Contains("Connect-HeadshotPro", result.Terminating.ErrorDetails.RecommendedAction);
        var journal = await sandbox.JournalAsync();
        Assert.Equal("GET /api/v1/organization 401", $"{journal.Single()!["method"]} {journal[0]!["path"]} {journal[0]!["status"]}");
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Connect_takes_a_credential_whose_password_is_the_key_and_shows_only_its_last_four_characters()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var host = new PowerShellHost();
        var result = host.Run("""
            $credential = [pscredential]::new('automation', (ConvertTo-SecureString $key -AsPlainText -Force))
            Connect-HeadshotPro -Credential $credential -BaseUri $uri -PassThru
            Get-HeadshotConnection
            """, ("key", TestSandbox.Key), ("uri", sandbox.ApiBaseUri));
        Assert.Null(result.Terminating);
        Assert.Equal(2, result.Output.Count);
        var connection = (Connection)result.Output[1].BaseObject;
        Assert.Equal(sandbox.ApiBaseUri, connection.BaseUri);
        Assert.Equal("****" + TestSandbox.Key[^4..], connection.ApiKeyHint);
        Assert.Equal("Connect-HeadshotPro", connection.Source);
        Assert.DoesNotContain(TestSandbox.Key, PSSerializer.Serialize(result.Output[1], 5));
    }

    [Theory(Timeout = Limits.Test)]
    [InlineData("http://server.headshotpro.com/api/v1/")]
    [InlineData("ftp://127.0.0.1/api/v1/")]
    public Task Plain_http_beyond_this_computer_and_other_schemes_are_refused_before_any_request(string uri) => Task.Run(() =>
    {
        using var host = new PowerShellHost();
        // InvalidBaseUri, not a connection error: the address was refused before anything was sent to it.
        var result = host.Run("Connect-HeadshotPro -ApiKey (ConvertTo-SecureString 'k' -AsPlainText -Force) -BaseUri $uri", ("uri", uri));
        Assert.Equal("InvalidBaseUri", result.Terminating!.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains(uri.Split(':')[0] == "http" ? "unencrypted" : "http(s)", result.Terminating.ErrorDetails.Message);
    });

    [Fact(Timeout = Limits.Test)]
    public Task Without_a_connection_or_environment_variables_cmdlets_say_how_to_connect() => Task.Run(() =>
    {
        Assert.Null(Environment.GetEnvironmentVariable("HEADSHOTPRO_API_KEY"));
        using var host = new PowerShellHost();
        foreach (var command in new[] { "Get-HeadshotCredits", "'a@corp.example' | New-HeadshotInvite", "Get-HeadshotInvite" })
        {
            var result = host.Run(command);
            Assert.Equal("NotConnected", result.Terminating?.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Contains("Connect-HeadshotPro", result.Terminating!.Exception.Message);
        }
        // Get-HeadshotConnection only reports: its error can be silenced to test for a connection.
        var connection = host.Run("Get-HeadshotConnection; 'went on'");
        Assert.Null(connection.Terminating);
        Assert.Equal("NotConnected", Assert.Single(connection.ErrorIds));
        Assert.Equal("went on", Assert.Single(connection.Output).BaseObject);
        Assert.Empty(host.Run("if (-not (Get-HeadshotConnection -ErrorAction SilentlyContinue)) { 'not connected' }").Errors);
    });

    [Fact(Timeout = Limits.Test)]
    public async Task Disconnect_forgets_the_connection()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var host = new PowerShellHost();
        host.Connect(sandbox);
        Assert.Null(host.Run("Disconnect-HeadshotPro").Terminating);
        Assert.Equal("NotConnected", host.Run("Get-HeadshotCredits").Terminating?.FullyQualifiedErrorId.Split(',')[0]);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Get_HeadshotCredits_emits_a_HeadshotPro_Credits_object()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Credits = 42 });
        using var host = new PowerShellHost();
        host.Connect(sandbox);
        var result = host.Run("Get-HeadshotCredits -Verbose");
        var credits = Assert.Single(result.Output);
        Assert.Equal("HeadshotPro.Credits", credits.TypeNames[0]);
        Assert.Equal(42m, credits.Properties["Credits"].Value);
        Assert.IsType<DateTimeOffset>(credits.Properties["RetrievedAt"].Value);
        Assert.Matches(@"^POST organization/credits -> 200 \(attempt 1, \d+ ms\)$", Assert.Single(result.Verbose));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Each_runspace_has_its_own_connection()
    {
        await using var first = await TestSandbox.StartAsync(new SandboxOptions { Credits = 1 });
        await using var second = await TestSandbox.StartAsync(new SandboxOptions { Credits = 2 });
        using var a = new PowerShellHost();
        using var b = new PowerShellHost();
        a.Connect(first);
        b.Connect(second);
        Assert.Equal(1m, a.Run("(Get-HeadshotCredits).Credits").Output.Single().BaseObject);
        Assert.Equal(2m, b.Run("(Get-HeadshotCredits).Credits").Output.Single().BaseObject);
    }
}

/// <summary>Connecting from environment variables. They are the process's, so these tests run alone.</summary>
[Collection(nameof(ProcessWide))]
public class EnvironmentConnectionTests
{
    [Fact(Timeout = Limits.Test)]
    public async Task The_environment_variables_connect_without_Connect_and_a_rejected_key_stops_the_run_after_one_request()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Credits = 1000 });
        try
        {
            Environment.SetEnvironmentVariable("HEADSHOTPRO_API_KEY", TestSandbox.Key);
            Environment.SetEnvironmentVariable("HEADSHOTPRO_BASE_URI", sandbox.ApiBaseUri.ToString());
            using var host = new PowerShellHost();
            var result = host.Run("(Get-HeadshotCredits).Credits; (Get-HeadshotConnection).Source");
            Assert.Null(result.Terminating);
            Assert.Equal(new object[] { 1000m, "Environment" }, result.Output.Select(o => o.BaseObject));

            Environment.SetEnvironmentVariable("HEADSHOTPRO_API_KEY", "hsp_wrong_key_0000");
            await sandbox.Control.PostAsync("reset", null);
            var rejected = host.Run("'y@corp.example', 'z@corp.example' | New-HeadshotInvite");
            Assert.Equal("ApiKeyRejected", rejected.Terminating?.FullyQualifiedErrorId.Split(',')[0]);
            // The one request is the balance read before the first invite.
            Assert.Equal(new[] { "POST /api/v1/organization/credits 401" },
                (await sandbox.JournalAsync()).Select(e => $"{e!["method"]} {e["path"]} {e["status"]}"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("HEADSHOTPRO_API_KEY", null);
            Environment.SetEnvironmentVariable("HEADSHOTPRO_BASE_URI", null);
        }
    }

    [Theory(Timeout = Limits.Test)]
    [InlineData("https://server.headshotpro.com/api/v1/?api_key=S3cretKey")]
    [InlineData("http://server.headshotpro.com/api/v1/?api_key=S3cretKey")]
    public Task A_key_in_the_query_of_HEADSHOTPRO_BASE_URI_appears_in_no_part_of_the_error(string uri) => Task.Run(() =>
    {
        try
        {
            Environment.SetEnvironmentVariable("HEADSHOTPRO_API_KEY", "hsp_unit_key_1234");
            Environment.SetEnvironmentVariable("HEADSHOTPRO_BASE_URI", uri);
            using var host = new PowerShellHost();
            foreach (var command in new[] { "Get-HeadshotCredits", "Connect-HeadshotPro -ApiKey (ConvertTo-SecureString 'hsp_unit_key_1234' -AsPlainText -Force)" })
            {
                var result = host.Run(command);
                Assert.Equal("InvalidBaseUri", result.Terminating?.FullyQualifiedErrorId.Split(',')[0]);
                Assert.DoesNotContain("S3cretKey", string.Join("\n", PowerShellHost.Result.Describe(TransportTests.WithoutInvocation(result.Terminating!))));
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable("HEADSHOTPRO_API_KEY", null);
            Environment.SetEnvironmentVariable("HEADSHOTPRO_BASE_URI", null);
        }
    });

    [Fact(Timeout = Limits.Test)]
    public async Task Connect_without_BaseUri_goes_where_HEADSHOTPRO_BASE_URI_says()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        try
        {
            Environment.SetEnvironmentVariable("HEADSHOTPRO_BASE_URI", sandbox.ApiBaseUri.ToString());
            using var host = new PowerShellHost();
            var result = host.Run("Connect-HeadshotPro -ApiKey (ConvertTo-SecureString $key -AsPlainText -Force) -PassThru", ("key", TestSandbox.Key));
            Assert.Null(result.Terminating);
            Assert.Equal(sandbox.ApiBaseUri, ((Connection)Assert.Single(result.Output).BaseObject).BaseUri);
        }
        finally
        {
            Environment.SetEnvironmentVariable("HEADSHOTPRO_BASE_URI", null);
        }
    }
}

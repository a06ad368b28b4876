using System.Management.Automation;
using HeadshotPro.Client;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>
/// Paging always ends, whatever the server's paging does: a page that brings nothing new or an offset that does not
/// advance ends the list with PagingMisbehaved (after writing what was new), and the list ends at its total even when the
/// server keeps saying there is more. Each list is read once; nothing is written twice.
/// </summary>
public class PagingTests
{
    /// <summary>120 members: three pages of 50.</summary>
    private static async Task<(TestSandbox Sandbox, PowerShellHost Host)> MembersAsync(string pagingFault)
    {
        var sandbox = await TestSandbox.StartAsync(new SandboxOptions { RateLimit = 0, Credits = 500 });
        await sandbox.PeopleAsync(V2Seed.Addresses("p", 120), "accepted");
        await sandbox.SettingsAsync(new { pagingFault });
        var host = new PowerShellHost();
        host.Connect(sandbox);
        return (sandbox, host);
    }

    private static List<string> Emails(PowerShellHost.Result result) => result.Output.Select(o => o.BaseObject).OfType<Member>().Select(m => m.Email).ToList();

    // Select-Object -First 1000 only bounds a client that would never stop (one that did wrote 350,000 members of 5).
    private const string Members = "Get-HeadshotMember | Select-Object -First 1000";

    [Fact(Timeout = Limits.Test)]
    public async Task The_sandboxs_paging_fault_is_an_option_and_a_setting_off_by_default()
    {
        Assert.Null(new SandboxOptions().PagingFault);
        Assert.Equal(PagingFaultKind.RepeatPage, SandboxOptions.Parse(new[] { "--paging-fault", "repeat-page" }).PagingFault);
        Assert.Throws<ArgumentException>(() => SandboxOptions.Parse(new[] { "--paging-fault", "sometimes" }));
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { PagingFault = PagingFaultKind.AlwaysMore });
        var (_, body, _) = await sandbox.SendAsync(HttpMethod.Get, "../v2/organization/team?offset=500");
        Assert.True((bool)body!["pagination"]!["hasMore"]!);
        Assert.Equal(400, (int)(await sandbox.Control.PostAsync("settings", TestSandbox.JsonBody(new { pagingFault = "sometimes" }))).StatusCode);
        await sandbox.SettingsAsync(new { pagingFault = (string?)null });
        Assert.Null((string?)(await sandbox.StateAsync())["settings"]!["pagingFault"]);
        (_, body, _) = await sandbox.SendAsync(HttpMethod.Get, "../v2/organization/team?offset=500");
        Assert.False((bool)body!["pagination"]!["hasMore"]!);
    }

    [Theory(Timeout = Limits.Test)]
    [InlineData(PagingFaultKind.IgnoreOffset)]
    [InlineData(PagingFaultKind.RepeatPage)]
    public async Task Pages_that_do_not_advance_end_the_list_after_one_page_with_an_error_that_says_its_paging_misbehaved(string pagingFault)
    {
        var (sandbox, host) = await MembersAsync(pagingFault);
        await using var _ = sandbox;
        using var __ = host;
        var result = host.Run(Members);
        var emails = Emails(result);
        Assert.Equal(50, emails.Count);
        Assert.Equal(emails.Count, emails.Distinct().Count());
        var error = Assert.Single(result.Errors);
        Assert.Equal(("PagingMisbehaved", ErrorCategory.InvalidResult), (error.FullyQualifiedErrorId.Split(',')[0], error.CategoryInfo.Category));
        Assert.Contains("paging misbehaved", error.ErrorDetails.Message);
        Assert.Contains("offset 50", error.ErrorDetails.Message);
        Assert.Equal(2, await sandbox.V2RequestsAsync("GET", "team"));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task The_list_ends_at_its_total_even_when_the_server_says_there_is_more()
    {
        var (sandbox, host) = await MembersAsync(PagingFaultKind.AlwaysMore);
        await using var _ = sandbox;
        using var __ = host;
        var result = host.Run(Members);
        Assert.Empty(result.Errors);
        Assert.Equal(V2Seed.Addresses("p", 120).Order(), Emails(result).Order());
        Assert.Equal(3, await sandbox.V2RequestsAsync("GET", "team"));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_client_reading_a_whole_list_gets_the_error_too_not_an_endless_list()
    {
        var (sandbox, host) = await MembersAsync(PagingFaultKind.IgnoreOffset);
        await using var _ = sandbox;
        host.Dispose();
        using var client = new HeadshotProClient(new ClientSettings(sandbox.ApiBaseUri, TestSandbox.Key));
        var reading = client.Members.Reader(null, null).RestAsync(default);
        var e = await Assert.ThrowsAsync<HeadshotProApiException>(() => reading.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(ApiErrorKind.PagingMisbehaved, e.Kind);
    }
}

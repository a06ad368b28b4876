using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>Dry runs never change anything, however -WhatIf arrives; -Force skips only the confirmation prompt.</summary>
public class DryRunTests
{
    private const string Wrapper = """
        function Remove-Leaver { [CmdletBinding(SupportsShouldProcess)] param($Email) Revoke-HeadshotInvite $Email -Force }
        function Add-Joiner { [CmdletBinding(SupportsShouldProcess)] param($Email) New-HeadshotInvite $Email }
        """;

    private static async Task<(TestSandbox, PowerShellHost, AnsweringHost)> StartAsync()
    {
        var sandbox = await TestSandbox.StartAsync();
        var answering = new AnsweringHost();
        var host = new PowerShellHost(answering);
        host.Connect(sandbox);
        Assert.Equal(200, (await sandbox.InviteAsync("ann@corp.example")).Status);
        return (sandbox, host, answering);
    }

    private static async Task<int> PostsAsync(TestSandbox sandbox, string path) =>
        (await sandbox.JournalAsync()).Count(e => (string?)e!["method"] == "POST" && (string?)e["path"] == "/api/v1/organization/" + path);

    [Theory(Timeout = Limits.Test)]
    [InlineData("$WhatIfPreference = $true; Revoke-HeadshotInvite ann@corp.example -Force")]
    [InlineData("Remove-Leaver ann@corp.example -WhatIf")]
    [InlineData("Revoke-HeadshotInvite ann@corp.example -Force -WhatIf")]
    [InlineData("$WhatIfPreference = $true; 'ann@corp.example' | Revoke-HeadshotInvite -Force -Confirm:$false")]
    public async Task Revoke_with_Force_still_honours_every_form_of_WhatIf(string script)
    {
        var (sandbox, host, answering) = await StartAsync();
        await using var _ = sandbox;
        using var __ = host;
        var result = host.Run(Wrapper + "\n" + script);
        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        Assert.Equal(0, await PostsAsync(sandbox, "invite/revoke"));
        Assert.Equal("pending-invite", sandbox.Server.State.ListInvites().Single().Status);
        Assert.Empty(answering.Prompts);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Revoke_with_Force_and_an_explicit_Confirm_asks_and_a_No_changes_nothing()
    {
        var (sandbox, host, answering) = await StartAsync();
        await using var _ = sandbox;
        using var __ = host;
        var result = host.Run("Revoke-HeadshotInvite ann@corp.example -Force -Confirm");
        Assert.Null(result.Terminating);
        Assert.Contains(answering.Prompts, p => p.Contains("ann@corp.example"));
        Assert.Equal(0, await PostsAsync(sandbox, "invite/revoke"));

        answering.Answer = "&Yes";
        result = host.Run("Revoke-HeadshotInvite ann@corp.example -Force -Confirm");
        Assert.Empty(result.Errors);
        Assert.Equal("revoked", sandbox.Server.State.ListInvites().Single().Status);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Revoke_with_Force_alone_does_not_prompt_and_without_it_a_High_impact_revoke_asks()
    {
        var (sandbox, host, answering) = await StartAsync();
        await using var _ = sandbox;
        using var __ = host;
        Assert.Equal(200, (await sandbox.InviteAsync("bob@corp.example")).Status);

        host.Run("Revoke-HeadshotInvite bob@corp.example");
        Assert.Single(answering.Prompts);
        Assert.Equal(0, await PostsAsync(sandbox, "invite/revoke"));

        var result = host.Run("Revoke-HeadshotInvite ann@corp.example -Force -Verbose");
        Assert.Single(answering.Prompts);
        Assert.Empty(result.Errors);
        Assert.Contains(result.Verbose, v => v.Contains("Performing the operation") && v.Contains("ann@corp.example"));
        Assert.Equal(1, await PostsAsync(sandbox, "invite/revoke"));
    }

    [Theory(Timeout = Limits.Test)]
    [InlineData("$WhatIfPreference = $true; New-HeadshotInvite cy@corp.example")]
    [InlineData("Add-Joiner cy@corp.example -WhatIf")]
    [InlineData("New-HeadshotInvite cy@corp.example -Confirm")]
    [InlineData("$ConfirmPreference = 'Medium'; 'cy@corp.example' | New-HeadshotInvite")]
    public async Task New_invites_honour_every_form_of_WhatIf_and_a_No_at_the_prompt(string script)
    {
        var (sandbox, host, _) = await StartAsync();
        await using var __ = sandbox;
        using var ___ = host;
        var result = host.Run(Wrapper + "\n" + script);
        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
        Assert.Equal(1, await PostsAsync(sandbox, "invite"));
    }
}

using System.Management.Automation;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>
/// Every input shape an admin pipes in — objects rebuilt to the real types of the ActiveDirectory, Microsoft.Graph and
/// ExchangeOnlineManagement modules (tests/HeadshotPro.TestShapes, served by the tests/shapes/DirectoryStandIns module),
/// hashtables and CSV rows — goes through New-HeadshotInvite and Revoke-HeadshotInvite -Force, and the sandbox's own
/// state says what happened.
/// </summary>
public class InputShapeTests
{
    private static readonly string[] People =
    {
        "@{ SamAccountName = 'ann'; GivenName = 'Ann'; Surname = 'Lee'; Mail = 'ann.lee@contoso.example'; UserPrincipalName = 'ann@corp.contoso.example'; Groups = 'NewHires' }",
        "@{ SamAccountName = 'bob'; GivenName = 'Bob'; Surname = 'Meyer'; Mail = 'bob.meyer@contoso.example'; UserPrincipalName = 'bob@corp.contoso.example'; Groups = 'NewHires' }",
        "@{ SamAccountName = 'eve'; GivenName = 'Eve'; Surname = 'Ng'; Mail = $null; UserPrincipalName = 'eve.ng@contoso.example' }",
        "@{ SamAccountName = 'svc'; GivenName = 'Service'; Mail = $null; UserPrincipalName = $null }",
        "@{ SamAccountName = 'gus'; GivenName = 'Gus'; Surname = 'Ito'; Mail = 'gus.ito@contoso.example'; UserPrincipalName = 'gus@corp.contoso.example'; Groups = 'Entra' }",
        "@{ SamAccountName = 'hal'; GivenName = 'Hal'; Surname = 'Ros'; Mail = 'hal.ros@contoso.example'; UserPrincipalName = 'hal@corp.contoso.example' }",
    };

    private static async Task<(TestSandbox Sandbox, PowerShellHost Host)> DirectoryAsync()
    {
        var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Credits = 100 });
        var host = new PowerShellHost();
        host.Connect(sandbox);
        host.SeedDirectory(People);
        return (sandbox, host);
    }

    private static string[] Emails(PowerShellHost.Result result) =>
        result.Output.Select(o => ((Invite)o.BaseObject).Email).Order().ToArray();

    private static (string Email, string Status)[] Server(TestSandbox sandbox) =>
        sandbox.Server.State.ListInvites().Select(i => (i.Email, i.Status)).OrderBy(i => i.Email).ToArray();

    private static string Describe(PowerShellHost.Result result) => result.AllText();

    /// <summary>What the module itself says in its error records (not the echoed command line).</summary>
    private static string Said(PowerShellHost.Result result) => string.Join("\n", result.Errors.SelectMany(e => new[]
        { e.Exception?.Message, e.ErrorDetails?.Message, e.ErrorDetails?.RecommendedAction }));

    private static Task<int> InviteOrRevokePostsAsync(TestSandbox sandbox) => sandbox.JournalAsync().ContinueWith(j =>
        j.Result.Count(e => (string?)e!["path"] is "/api/v1/organization/invite" or "/api/v1/organization/invite/revoke"));

    /// <summary>Invites what <paramref name="produce"/> outputs, then revokes it by the same objects; checks the server each time.</summary>
    private static async Task InviteThenRevokeAsync(string produce, string[] expected, (string Name, object? Value)[]? variables = null,
        Action<PowerShellHost.Result>? inspect = null)
    {
        var (sandbox, host) = await DirectoryAsync();
        await using var _ = sandbox;
        using var __ = host;
        variables ??= Array.Empty<(string, object?)>();

        var invited = host.Run($"{produce} | New-HeadshotInvite", variables);
        Assert.True(invited.Terminating is null && invited.Errors.Count == 0, Describe(invited));
        Assert.Equal(expected, Emails(invited));
        Assert.Equal(expected.Select(e => (e, "pending-invite")), Server(sandbox));
        inspect?.Invoke(invited);

        var revoked = host.Run($"{produce} | Revoke-HeadshotInvite -Force", variables);
        Assert.True(revoked.Terminating is null && revoked.Errors.Count == 0, Describe(revoked));
        Assert.Equal(expected.Select(e => (e, "revoked")), Server(sandbox));
        inspect?.Invoke(revoked);
    }

    [Theory(Timeout = Limits.Test)]
    [InlineData("Get-ADUser ann -Properties mail", "ann.lee@contoso.example")]
    [InlineData("Get-ADUser -Filter \"SamAccountName -eq 'ann'\" -Properties EmailAddress", "ann.lee@contoso.example")]
    [InlineData("Get-ADUser ann -Properties *", "ann.lee@contoso.example")]
    [InlineData("Get-ADGroupMember NewHires | Get-ADUser -Properties mail", "ann.lee@contoso.example", "bob.meyer@contoso.example")]
    // After a job or a remote session: PowerShell's serializer (remoting's depth 1) turns the ADUser, an IDictionary,
    // into a hashtable of ArrayLists typed Deserialized.Microsoft.ActiveDirectory.Management.ADUser.
    [InlineData("[System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize((Get-ADUser ann -Properties mail), 1))", "ann.lee@contoso.example")]
    [InlineData("Get-MgUser -Filter \"mail eq 'gus.ito@contoso.example'\"", "gus.ito@contoso.example")]
    [InlineData("Get-MgGroupMember -GroupId (Get-StandInGroupId Entra) -All | ForEach-Object { Get-MgUser -UserId $_.Id }", "gus.ito@contoso.example")]
    // Graph's group members carry their user fields only in AdditionalProperties, which count too.
    [InlineData("Get-MgGroupMember -GroupId (Get-StandInGroupId Entra) -All", "gus.ito@contoso.example")]
    [InlineData("Get-MgUser -UserId (Get-MgUser -Filter \"mail eq 'gus.ito@contoso.example'\").Id -Property Id, OtherMails, ProxyAddresses, UserPrincipalName", "gus@corp.contoso.example")]
    [InlineData("Get-EXORecipient hal", "hal.ros@contoso.example")]
    [InlineData("Get-Recipient hal", "hal.ros@contoso.example")]
    [InlineData("@{ Email = 'ivy@contoso.example' }", "ivy@contoso.example")]
    [InlineData("@{ mail = 'ivy@contoso.example'; Name = 'Ivy' }", "ivy@contoso.example")]
    [InlineData("[ordered]@{ 'E-mail' = ' ivy@contoso.example ' }", "ivy@contoso.example")]
    public async Task A_directory_object_or_a_dictionary_is_invited_and_revoked_at_its_address(string produce, params string[] expected) =>
        await InviteThenRevokeAsync(produce, expected);

    [Fact(Timeout = Limits.Test)]
    public async Task The_stand_ins_have_the_real_shapes()
    {
        var (sandbox, host) = await DirectoryAsync();
        await using var _ = sandbox;
        using var __ = host;
        var result = host.Run("""
            $u = Get-ADUser ann -Properties mail
            $u.GetType().FullName
            $u.mail.GetType().FullName
            ($u | Get-Member -MemberType Property).Name -join ','
            ((Get-ADUser ann) | Get-Member -MemberType Property).Name -contains 'mail'
            $u['mail'].GetType().FullName
            $d = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($u, 1))
            $d.PSObject.TypeNames[0]
            (Get-Recipient hal).PSObject.TypeNames[0]
            (Get-Recipient hal).PrimarySmtpAddress.GetType().FullName
            (Get-EXORecipient hal).GetType().FullName
            (Get-MgUser -Filter "mail eq 'gus.ito@contoso.example'").GetType().FullName
            """);
        Assert.True(result.Terminating is null && result.Errors.Count == 0, Describe(result));
        Assert.Equal(new[]
        {
            "Microsoft.ActiveDirectory.Management.ADUser", "System.String",
            "DistinguishedName,Enabled,GivenName,mail,Name,ObjectClass,ObjectGUID,SamAccountName,SID,Surname,UserPrincipalName",
            "False", "Microsoft.ActiveDirectory.Management.ADPropertyValueCollection",
            "Deserialized.Microsoft.ActiveDirectory.Management.ADUser",
            "Deserialized.Microsoft.Exchange.Data.Directory.Management.ReducedRecipient", "System.String",
            "Microsoft.Exchange.Management.RestApiClient.ExoRecipient", "Microsoft.Graph.PowerShell.Models.MicrosoftGraphUser",
        }, result.Output.Select(o => o.ToString()));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task The_adapter_registered_by_hand_with_Update_TypeData_gives_the_same_result()
    {
        // The recipe, without the stand-in module's types file: the bare types plus Update-TypeData -TypeAdapter.
        await using var sandbox = await TestSandbox.StartAsync();
        using var host = new PowerShellHost();
        host.Connect(sandbox);
        var result = host.Run("""
            Update-TypeData -TypeName Microsoft.ActiveDirectory.Management.ADUser -TypeAdapter Microsoft.ActiveDirectory.Management.ADEntityAdapter
            $u = [Microsoft.ActiveDirectory.Management.ADUser]::new()
            $u['SamAccountName'] = [Microsoft.ActiveDirectory.Management.ADPropertyValueCollection]::new('kim')
            $u['UserPrincipalName'] = [Microsoft.ActiveDirectory.Management.ADPropertyValueCollection]::new('kim@corp.contoso.example')
            $u['mail'] = [Microsoft.ActiveDirectory.Management.ADPropertyValueCollection]::new('kim.ho@contoso.example')
            $u | New-HeadshotInvite
            $u | Revoke-HeadshotInvite -Force
            """);
        Assert.True(result.Terminating is null && result.Errors.Count == 0, Describe(result));
        Assert.Equal(new[] { "kim.ho@contoso.example" }, Emails(result));
        Assert.Equal(new[] { ("kim.ho@contoso.example", "revoked") }, Server(sandbox));
    }

    [Theory(Timeout = Limits.Test)]
    [InlineData("mail")]
    [InlineData("E-mail")]
    [InlineData("EmailAddress")]
    [InlineData("Email Address")]
    [InlineData("email ")]
    public async Task Csv_rows_are_invited_and_revoked_whatever_the_address_header(string header)
    {
        var csv = Path.Combine(Path.GetTempPath(), $"headshot-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(csv, $"\"{header}\",Name\nivy@contoso.example,Ivy\njon@contoso.example,Jon\n");
        try
        {
            await InviteThenRevokeAsync("Import-Csv $csv", new[] { "ivy@contoso.example", "jon@contoso.example" }, new[] { ("csv", (object?)csv) });
        }
        finally
        {
            File.Delete(csv);
        }
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_semicolon_csv_works_with_Delimiter_and_without_it_is_refused_with_a_Delimiter_hint()
    {
        var csv = Path.Combine(Path.GetTempPath(), $"headshot-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(csv, "Email;Name\nivy@contoso.example;Ivy\n");
        try
        {
            await InviteThenRevokeAsync("Import-Csv $csv -Delimiter ';'", new[] { "ivy@contoso.example" }, new[] { ("csv", (object?)csv) });

            var (sandbox, host) = await DirectoryAsync();
            await using var _ = sandbox;
            using var __ = host;
            foreach (var command in new[] { "New-HeadshotInvite", "Revoke-HeadshotInvite -Force" })
            {
                var result = host.Run($"Import-Csv $csv | {command}", ("csv", csv));
                Assert.Null(result.Terminating);
                Assert.Equal("AddressPropertyMissing", Assert.Single(result.ErrorIds));
                Assert.Contains("-Delimiter ';'", result.Errors[0].ErrorDetails.Message);
                Assert.Contains("-Delimiter ';'", result.Errors[0].ErrorDetails.RecommendedAction);
                Assert.DoesNotContain("-Properties mail", Said(result));
            }
            Assert.Empty(Server(sandbox));
            Assert.Equal(0, await InviteOrRevokePostsAsync(sandbox));
        }
        finally
        {
            File.Delete(csv);
        }
    }

    [Fact(Timeout = Limits.Test)]
    public async Task An_ADUser_fetched_without_mail_is_refused_with_the_Properties_mail_hint_and_nothing_is_sent()
    {
        var (sandbox, host) = await DirectoryAsync();
        await using var _ = sandbox;
        using var __ = host;
        host.Run("New-HeadshotInvite ann.lee@contoso.example");
        var before = (await sandbox.JournalAsync()).Count;
        var shapes = new[]
        {
            "Get-ADUser ann",
            "Get-ADGroupMember NewHires | Get-ADUser",
            // Passed as an argument, the deserialized object keeps its type names (piped, it does not: see below).
            "New-HeadshotInvite -Email ([System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize((Get-ADUser ann), 1)))",
        };
        foreach (var shape in shapes)
        {
            foreach (var command in new[] { "New-HeadshotInvite", "Revoke-HeadshotInvite -Force" })
            {
                var result = host.Run(shape.StartsWith("New-HeadshotInvite", StringComparison.Ordinal)
                    ? (command.StartsWith("New", StringComparison.Ordinal) ? shape : shape.Replace("New-HeadshotInvite", "Revoke-HeadshotInvite -Force"))
                    : $"{shape} | {command}");
                Assert.True(result.Terminating is null, Describe(result));
                Assert.Empty(result.Output);
                NonEmpty.All(result.Errors, e =>
                {
                    Assert.Equal("AddressPropertyMissing", e.FullyQualifiedErrorId.Split(',')[0]);
                    Assert.Contains("-Properties mail", e.ErrorDetails.Message);
                    Assert.Contains("-Properties mail", e.ErrorDetails.RecommendedAction);
                    Assert.Contains("ADUser", e.ErrorDetails.Message);
                });
                Assert.NotEmpty(result.Errors);
            }
        }
        // Not one request: the invite made before is still pending.
        Assert.Equal(before, (await sandbox.JournalAsync()).Count);
        Assert.Equal(new[] { ("ann.lee@contoso.example", "pending-invite") }, Server(sandbox));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_deserialized_ADUser_fetched_without_mail_and_piped_is_refused_with_the_Properties_mail_hint()
    {
        var (sandbox, host) = await DirectoryAsync();
        await using var _ = sandbox;
        using var __ = host;
        foreach (var command in new[] { "New-HeadshotInvite", "Revoke-HeadshotInvite -Force" })
        {
            var result = host.Run("[System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize((Get-ADUser ann), 1)) | " + command);
            Assert.Empty(result.Output);
            Assert.Equal("AddressPropertyMissing", Assert.Single(result.ErrorIds));
            Assert.Contains("-Properties mail", result.Errors[0].ErrorDetails.Message);
        }
        Assert.Empty(Server(sandbox));
        Assert.Equal(0, await InviteOrRevokePostsAsync(sandbox));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_deserialized_ADUser_whose_fetched_mail_is_empty_and_piped_is_invited_at_its_UserPrincipalName_with_a_warning() =>
        await InviteThenRevokeAsync("[System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize((Get-ADUser eve -Properties mail), 1))",
            new[] { "eve.ng@contoso.example" }, inspect: result => Assert.Contains("eve.ng@contoso.example", Assert.Single(result.Warnings)));

    [Fact(Timeout = Limits.Test)]
    public async Task An_ADUser_whose_fetched_mail_is_empty_is_invited_and_revoked_at_its_UserPrincipalName_with_a_warning() =>
        await InviteThenRevokeAsync("Get-ADUser eve -Properties mail", new[] { "eve.ng@contoso.example" }, inspect: result =>
        {
            var warning = Assert.Single(result.Warnings);
            Assert.Contains("eve.ng@contoso.example", warning);
            Assert.Contains("(eve)", warning);
        });

    [Theory(Timeout = Limits.Test)]
    // mail was fetched (empty) and there is no UserPrincipalName either.
    [InlineData("Get-ADUser svc -Properties mail")]
    [InlineData("[pscustomobject]@{ Name = 'Gus'; Department = 'Sales' }")]
    [InlineData("@{ Name = 'Gus' }")]
    public async Task The_Properties_mail_hint_appears_only_when_mail_truly_was_not_fetched(string produce)
    {
        var (sandbox, host) = await DirectoryAsync();
        await using var _ = sandbox;
        using var __ = host;
        foreach (var command in new[] { "New-HeadshotInvite", "Revoke-HeadshotInvite -Force" })
        {
            var result = host.Run($"{produce} | {command}");
            Assert.True(result.Terminating is null, Describe(result));
            Assert.Empty(result.Output);
            Assert.NotEmpty(result.Errors);
            NonEmpty.All(result.ErrorIds, id => Assert.Equal("AddressPropertyMissing", id));
            Assert.DoesNotContain("-Properties mail", Said(result));
        }
        Assert.Empty(Server(sandbox));
        Assert.Equal(0, await InviteOrRevokePostsAsync(sandbox));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Get_ADGroupMember_output_is_refused_with_a_hint_to_pipe_it_through_Get_ADUser()
    {
        var (sandbox, host) = await DirectoryAsync();
        await using var _ = sandbox;
        using var __ = host;
        var result = host.Run("Get-ADGroupMember NewHires | New-HeadshotInvite");
        Assert.Empty(result.Output);
        NonEmpty.All(result.ErrorIds, id => Assert.Equal("AddressPropertyMissing", id));
        NonEmpty.All(result.Errors, e => Assert.Contains("pipe them through Get-ADUser -Properties mail", e.ErrorDetails.RecommendedAction));
        Assert.Empty(Server(sandbox));
    }
}

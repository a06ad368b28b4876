using System.Management.Automation;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>
/// A person is not an address: every object names its person by the invited address (the directory's) with the
/// sign-up address beside it, look-ups go through the service's own links, invites are listed from list calls, a
/// stale invite revokes nothing, piped input never widens what a command touches, and "the newest" is by createdAt.
/// </summary>
public class IdentityTests
{
    private const string Ann = "ann.lee@contoso.example", AnnSignUp = "ann.lee@contoso.personal.example";

    private static string? P(PSObject o, string name) => o.Properties[name]?.Value?.ToString();

    private static string Ids(PowerShellHost.Result result) => string.Join(", ", result.ErrorIds);

    /// <summary>Ann signs up with a personal address and finishes with a favorite; Bob (same address) is uploading; Cy is invited.</summary>
    private static async Task SeedAsync(TestSandbox sandbox)
    {
        Assert.Equal(200, (await sandbox.InviteAsync(Ann, "team_marketing")).Status);
        await sandbox.SettingsAsync(new { personalAddressShare = 1 });
        await sandbox.AdvanceAsync(Ann, "completed", favorite: true, photos: 3);
        await sandbox.SettingsAsync(new { personalAddressShare = 0 });
        await sandbox.PeopleAsync(new[] { "bob@contoso.example" }, "uploading", "team_engineering");
        Assert.Equal(200, (await sandbox.InviteAsync("cy@contoso.example")).Status);
    }

    private static async Task<int> RequestsAsync(TestSandbox sandbox, Func<string, bool> path) =>
        (await sandbox.JournalAsync()).Count(e => path((string)e!["path"]!));

    // ---- identity on every object ----

    [Fact(Timeout = Limits.Test)]
    public async Task Every_object_names_the_person_by_the_invited_address_with_the_sign_up_address_and_the_ids_beside_it()
    {
        var (sandbox, host) = await ConnectedAsync();
        await using var _ = sandbox;
        using var __ = host;
        await SeedAsync(sandbox);
        var modelId = sandbox.Server.State.ListInvites().Single(i => i.Email == Ann).ModelId;
        var folder = Path.Combine(Path.GetTempPath(), "hsp-identity-" + Guid.NewGuid().ToString("N"));
        try
        {
            var result = host.Run("""
                $objects = @(
                    Get-HeadshotInvite -Email $ann
                    Get-HeadshotMember | Where-Object ModelId -eq $modelId
                    Get-HeadshotModel | Where-Object Id -eq $modelId
                    Get-HeadshotModel -Id $modelId
                    Get-HeadshotPhoto -Team Marketing
                    Get-HeadshotPhoto -ModelId $modelId -Favorite
                    Get-HeadshotPhoto -ModelId $modelId -Favorite | Save-HeadshotPhoto -Path $folder
                    Add-HeadshotTeamMember -Team Engineering -Email $ann -PassThru
                )
                $objects | ForEach-Object { [pscustomobject]@{ Type = $_.GetType().Name; Email = $_.Email; SignUpEmail = $_.SignUpEmail; ModelId = $_.ModelId } }
                """, ("ann", Ann), ("modelId", modelId), ("folder", folder));
            Assert.True(result.Errors.Count == 0, Ids(result));
            Assert.Equal(new[] { "Invite", "Member", "Model", "Model", "Photo", "Photo", "SavedPhoto", "TeamAssignment" }, result.Output.Select(o => P(o, "Type")));
            NonEmpty.All(result.Output, o => Assert.Equal((Ann, AnnSignUp), (P(o, "Email"), P(o, "SignUpEmail"))));
            NonEmpty.All(result.Output.Where(o => P(o, "Type") != "TeamAssignment"), o => Assert.Equal(modelId, P(o, "ModelId")));
            Assert.True(File.Exists(Path.Combine(folder, Ann + ".jpg")), "the file is named after the invited address");

            // Someone who signed up with the invited address has no SignUpEmail; a report joined on Email loses nobody.
            var bob = Assert.Single(host.Run("Get-HeadshotMember -Status pending").Output);
            Assert.Equal(("bob@contoso.example", null), (P(bob, "Email"), P(bob, "SignUpEmail")));
            host.SeedDirectory("@{ SamAccountName = 'ann.lee'; Mail = 'ann.lee@contoso.example' }", "@{ SamAccountName = 'bob'; Mail = 'bob@contoso.example' }");
            var joined = host.Run("""
                $directory = Get-ADUser -Filter * -Properties mail
                $members = Get-HeadshotMember
                $directory | Where-Object { $_.mail -in $members.Email } | ForEach-Object mail
                """);
            Assert.Equal(new[] { Ann, "bob@contoso.example" }, joined.Output.Select(o => o.ToString()));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    // ---- look-ups through the service's links ----

    [Theory(Timeout = Limits.Test)]
    [InlineData("oldest-first")]
    [InlineData("newest-first")]
    public async Task The_invited_address_finds_someone_who_signed_up_elsewhere_in_every_cmdlet(string order)
    {
        var (sandbox, host) = await ConnectedAsync(new SandboxOptions { ListOrder = order });
        await using var _ = sandbox;
        using var __ = host;
        await SeedAsync(sandbox);

        var result = host.Run("""
            "$ann" | Get-HeadshotPhoto -Favorite
            Get-HeadshotModel -Email $ann
            Get-HeadshotMember -Email $ann
            Get-HeadshotInvite -Email $ann | Get-HeadshotPhoto -Favorite
            [pscustomobject]@{ mail = $ann; SamAccountName = 'ann' } | Get-HeadshotModel
            """, ("ann", Ann));
        Assert.True(result.Errors.Count == 0, Ids(result));
        Assert.Equal(new[] { "Photo", "Model", "Member", "Photo", "Model" }, result.Output.Select(o => o.BaseObject.GetType().Name));
        NonEmpty.All(result.Output, o => Assert.Equal(Ann, P(o, "Email")));

        // The team assignment sends the member's own address; no false "not a member".
        var assigned = host.Run("Add-HeadshotTeamMember -Team Engineering -Email $ann -PassThru", ("ann", Ann));
        Assert.True(assigned.Errors.Count == 0, Ids(assigned));
        Assert.Equal("team_engineering", sandbox.Server.State.Members().Single(m => m.Email == AnnSignUp).TeamId);
        // Someone invited but not signed up yet is not a member, and the message says they have not accepted.
        var notYet = host.Run("Add-HeadshotTeamMember -Team Engineering -Email cy@contoso.example");
        Assert.Equal("MemberNotFound", Assert.Single(notYet.ErrorIds));
        Assert.Contains("pending", notYet.Errors[0].ErrorDetails.Message);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task An_object_that_carries_a_ModelId_or_an_invite_Id_is_used_by_it_with_no_look_up()
    {
        var (sandbox, host) = await ConnectedAsync();
        await using var _ = sandbox;
        using var __ = host;
        await SeedAsync(sandbox);
        host.Run("$global:models = @(Get-HeadshotModel); $global:invites = @(Get-HeadshotInvite -Email $ann)", ("ann", Ann));
        var before = (await sandbox.JournalAsync()).Count;

        var result = host.Run("$models | Where-Object Status -eq 'active' | Get-HeadshotPhoto -Favorite; $invites | Get-HeadshotModel");
        Assert.True(result.Errors.Count == 0, Ids(result));
        Assert.Equal(new[] { "Photo", "Model" }, result.Output.Select(o => o.BaseObject.GetType().Name));
        var paths = (await sandbox.JournalAsync()).Skip(before).Select(e => (string)e!["path"]!).ToList();
        Assert.DoesNotContain(paths, p => p.EndsWith("/models") || p.Contains("/invites/") || p.EndsWith("/team"));
    }

    // ---- listing invites ----

    [Theory(Timeout = Limits.Bulk)]
    [InlineData("oldest-first")]
    [InlineData("newest-first")]
    public async Task Invites_are_listed_from_list_calls_in_v2_statuses_and_joined_to_their_ids_across_re_invites(string order)
    {
        var (sandbox, host) = await ConnectedAsync(new SandboxOptions { RateLimit = 0, Credits = 2000, ListOrder = order });
        await using var _ = sandbox;
        using var __ = host;
        var state = sandbox.Server.State;
        var stages = new[] { "pending", "accepted", "uploading", "generating", "completed", "revoked" };
        void Seed(int count)
        {
            state.Reset();
            for (var i = 0; i < count; i++)
            {
                var email = $"p{i:0000}@corp.example";
                Assert.Equal(InviteOutcome.Created, state.CreateInvite(email, null).Outcome);
                var stage = stages[i % stages.Length];
                if (stage == "revoked") state.RevokeInvite(email);
                else if (stage != "pending")
                    Assert.Equal(AdvanceOutcome.Moved, state.Advance(email, new SandboxState.AdvanceRequest(stage, null, 1, null, i % 3 == 1 ? $"p{i:0000}@home.example" : null)).Outcome);
            }
        }

        Seed(60);
        var before = (await sandbox.JournalAsync()).Count;
        var listed = host.Run("Get-HeadshotInvite");
        Assert.True(listed.Errors.Count == 0, Ids(listed));
        Assert.InRange((await sandbox.JournalAsync()).Count - before, 1, 3);
        Assert.Equal(60, listed.Output.Count);
        var byId = state.ListInvites().ToDictionary(i => i.Id);
        foreach (var o in listed.Output)
        {
            var invite = (Invite)o.BaseObject;
            var truth = byId[invite.Id!];
            Assert.Equal((truth.Email, truth.Stage, truth.ModelId, truth.ActiveEmail), (invite.Email, invite.Status, invite.ModelId, P(o, "SignUpEmail")));
        }
        var accepted = host.Run("Get-HeadshotInvite -Status accepted").Output.Select(o => ((Invite)o.BaseObject).Id).Order();
        Assert.Equal(state.ListInvites().Where(i => i.Stage == "accepted").Select(i => i.Id).Order(), accepted);

        // Re-invited people: each invite keeps its own id and status.
        Assert.Equal(InviteOutcome.Created, state.CreateInvite("p0005@corp.example", null).Outcome); // revoked above, invited again
        state.Advance("p0005@corp.example", new SandboxState.AdvanceRequest("accepted", null, null, null, "p5@home.example"));
        var again = host.Run("Get-HeadshotInvite -Email 'p0005@*'").Output.Select(o => (Invite)o.BaseObject).ToList();
        Assert.Equal(state.ListInvites().Where(i => i.Email == "p0005@corp.example").Select(i => (i.Id, i.Stage)).Order(), again.Select(i => (i.Id!, i.Status!)).Order());

        Seed(1000);
        before = (await sandbox.JournalAsync()).Count;
        listed = host.Run("Get-HeadshotInvite");
        Assert.True(listed.Errors.Count == 0, Ids(listed));
        Assert.Equal(1000, listed.Output.Count);
        Assert.InRange((await sandbox.JournalAsync()).Count - before, 1, 10);
        Assert.Equal(state.ListInvites().Count(i => i.Stage == "uploading"), listed.Output.Count(o => ((Invite)o.BaseObject).Status == "uploading"));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Every_Get_HeadshotInvite_help_example_writes_what_it_says()
    {
        var (sandbox, host) = await ConnectedAsync();
        await using var _ = sandbox;
        using var __ = host;
        await SeedAsync(sandbox);
        var accepted = host.Run("Get-HeadshotInvite -Status pending, accepted, uploading | Select-Object Email, CreatedAt");
        Assert.Equal(new[] { "bob@contoso.example", "cy@contoso.example" }, accepted.Output.Select(o => P(o, "Email")).Order());
        await sandbox.AdvanceAsync("cy@contoso.example", "accepted");
        Assert.Equal("cy@contoso.example", P(Assert.Single(host.Run("Get-HeadshotInvite -Status accepted").Output), "Email"));
        Assert.Equal("uploading", P(Assert.Single(host.Run("Get-HeadshotInvite -Email bob@contoso.example").Output), "Status"));
    }

    // ---- revoking by an invite object ----

    [Theory(Timeout = Limits.Test)]
    [InlineData("oldest-first")]
    [InlineData("newest-first")]
    public async Task A_stale_invite_object_revokes_nothing_and_a_current_one_revokes_itself(string order)
    {
        var (sandbox, host) = await ConnectedAsync(new SandboxOptions { ListOrder = order });
        await using var _ = sandbox;
        using var __ = host;
        var first = host.Run("$global:a = New-HeadshotInvite ann@corp.example; Revoke-HeadshotInvite ann@corp.example -Force; $global:b = New-HeadshotInvite ann@corp.example; $a.Id; $b.Id");
        Assert.True(first.Errors.Count == 0, Ids(first));
        var (a, b) = (first.Output[0].ToString(), first.Output[1].ToString());

        var stale = host.Run("$a | Revoke-HeadshotInvite -Force -PassThru");
        Assert.Empty(stale.Output);
        var error = Assert.Single(stale.Errors);
        Assert.Equal("InviteNotFound", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains(a, error.ErrorDetails.Message);
        Assert.Contains("revoked", error.ErrorDetails.Message);
        Assert.Equal("pending", sandbox.Server.State.FindInvite(b)!.Stage);

        var current = host.Run("$b | Revoke-HeadshotInvite -Force -PassThru");
        Assert.True(current.Errors.Count == 0, Ids(current));
        Assert.Equal((b, "revoked"), (P(Assert.Single(current.Output), "Id"), P(current.Output[0], "Status")));
        Assert.Equal("revoked", sandbox.Server.State.FindInvite(b)!.Stage);

        // By address, -PassThru names the invite that was live (the newest by createdAt), whatever the list order.
        var c = host.Run("(New-HeadshotInvite ann@corp.example).Id").Output.Single().ToString();
        Assert.Equal(c, P(Assert.Single(host.Run("Revoke-HeadshotInvite ann@corp.example -Force -PassThru").Output), "Id"));
    }

    // ---- pipeline input never widens scope ----

    [Fact(Timeout = Limits.Test)]
    public async Task A_team_piped_into_Get_HeadshotMember_narrows_to_it_and_a_revoke_after_it_touches_that_team_only()
    {
        var (sandbox, host) = await ConnectedAsync();
        await using var _ = sandbox;
        using var __ = host;
        await sandbox.PeopleAsync(new[] { "e1@corp.example", "e2@corp.example" }, "accepted", "team_engineering");
        await sandbox.PeopleAsync(new[] { "m1@corp.example", "m2@corp.example", "m3@corp.example" }, "accepted", "team_marketing");

        var result = host.Run("Get-HeadshotTeam Engineering | Get-HeadshotMember | Revoke-HeadshotInvite -Force -PassThru");
        Assert.True(result.Errors.Count == 0, Ids(result));
        Assert.Equal(new[] { "e1@corp.example", "e2@corp.example" }, result.Output.Select(o => P(o, "Email")).Order());
        Assert.Equal(new[] { "e1@corp.example", "e2@corp.example" }, sandbox.Server.State.ListInvites().Where(i => i.Stage == "revoked").Select(i => i.Email).Order());
    }

    [Theory(Timeout = Limits.Test)]
    [InlineData("Get-HeadshotMember")]
    [InlineData("Get-HeadshotModel")]
    [InlineData("Get-HeadshotPhoto")]
    [InlineData("Get-HeadshotInvite")]
    [InlineData("Get-HeadshotTeam")]
    public async Task Piped_input_that_names_no_one_lists_nothing_and_gets_one_error_each(string command)
    {
        var (sandbox, host) = await ConnectedAsync();
        await using var _ = sandbox;
        using var __ = host;
        await SeedAsync(sandbox);
        var result = host.Run($"[pscustomobject]@{{ Name = 'x' }}, [pscustomobject]@{{ Color = 'blue' }} | {command}");
        Assert.Empty(result.Output);
        Assert.Equal(2, result.Errors.Count);
        Assert.Null(result.Terminating);

        // Nothing at all piped (an empty upstream) lists nothing either.
        Assert.Empty(host.Run($"@() | {command}").Output);
    }

    [Theory(Timeout = Limits.Test)]
    [InlineData("Get-HeadshotMember", "bob@contoso.example")]
    [InlineData("Get-HeadshotModel", "bob@contoso.example")]
    [InlineData("Get-HeadshotPhoto", Ann)] // bob, still uploading, has no photos to narrow to
    [InlineData("Get-HeadshotInvite", "bob@contoso.example")]
    [InlineData("Get-HeadshotTeam", "bob@contoso.example")]
    public async Task A_piped_team_or_person_narrows_every_listing_command_to_it(string command, string someone)
    {
        var (sandbox, host) = await ConnectedAsync();
        await using var _ = sandbox;
        using var __ = host;
        await SeedAsync(sandbox);
        var team = host.Run($"Get-HeadshotTeam Marketing | {command}");
        Assert.True(team.Errors.Count == 0, Ids(team));
        Assert.Single(team.Output);
        NonEmpty.All(team.Output, o => Assert.True(P(o, "TeamName") == "Marketing" || P(o, "Name") == "Marketing", o.ToString()));

        var person = host.Run($"Import-Csv -LiteralPath $csv | {command}", ("csv", WriteCsv($"Email\n{someone}\n")));
        Assert.True(person.Errors.Count == 0, Ids(person));
        NonEmpty.All(person.Output, o => Assert.True(P(o, "Email") == someone || P(o, "Name") == "Engineering", o.ToString()));
        Assert.DoesNotContain(await sandbox.JournalAsync(), e => ((string)e!["path"]!).Contains("%40%7B"));
    }

    [Theory(Timeout = Limits.Test)]
    [InlineData("oldest-first")]
    [InlineData("newest-first")]
    public async Task Someone_invited_again_with_a_new_model_has_one_chosen_headshot_in_the_organizations_list_the_newest(string order)
    {
        var (sandbox, host) = await ConnectedAsync(new SandboxOptions { ListOrder = order });
        await using var _ = sandbox;
        using var __ = host;
        var folder = Path.Combine(Path.GetTempPath(), "hsp-" + Guid.NewGuid().ToString("n"));
        try
        {
            // Ann finishes, is revoked and invited again (into Marketing), and finishes once more: two models, each with a favorite.
            Assert.Equal(200, (await sandbox.InviteAsync(Ann)).Status);
            await sandbox.AdvanceAsync(Ann, "completed", favorite: true, photos: 2);
            Assert.Empty(host.Run($"Revoke-HeadshotInvite {Ann} -Force; $null = New-HeadshotInvite {Ann} -Team Marketing").Errors);
            await sandbox.AdvanceAsync(Ann, "completed", favorite: true, photos: 2);
            var models = host.Run($"Get-HeadshotModel | Where-Object Email -eq '{Ann}' | Sort-Object CreatedAt | ForEach-Object Id").Output.Select(o => o.ToString()).ToList();
            Assert.Equal(2, models.Count);

            var listed = host.Run("$VerbosePreference = 'Continue'; Get-HeadshotPhoto");
            Assert.Empty(listed.Errors);
            Assert.Equal(models[1], P(Assert.Single(listed.Output), "ModelId"));
            Assert.Contains(listed.Verbose, v => v.Contains($"earlier model {models[0]}") && v.Contains($"model {models[1]} is theirs now"));
            Assert.Equal(models[1], P(Assert.Single(host.Run("Get-HeadshotTeam Marketing | Get-HeadshotPhoto").Output), "ModelId"));

            // The directory gets the newest, with no DuplicateFileName; the earlier model's photos stay reachable by its id.
            var saved = host.Run("Get-HeadshotPhoto | Save-HeadshotPhoto -Path $folder -For ActiveDirectory", ("folder", folder));
            Assert.True(saved.Errors.Count == 0, Ids(saved));
            Assert.Equal(models[1], P(Assert.Single(saved.Output), "ModelId"));
            Assert.Equal(models[0], P(Assert.Single(host.Run($"Get-HeadshotPhoto -ModelId {models[0]} -Favorite").Output), "ModelId"));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    private static string WriteCsv(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), "hsp-identity-" + Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllText(path, text);
        return path;
    }

    // ---- the newest is by createdAt ----

    [Theory(Timeout = Limits.Test)]
    [InlineData("oldest-first")]
    [InlineData("newest-first")]
    public async Task An_invite_whose_answer_was_lost_is_this_runs_and_never_InviteAlreadyExists(string order)
    {
        var (sandbox, host) = await ConnectedAsync(new SandboxOptions { ListOrder = order });
        await using var _ = sandbox;
        using var __ = host;
        Assert.True(host.Run("$null = New-HeadshotInvite ann@corp.example; Revoke-HeadshotInvite ann@corp.example -Force").Errors.Count == 0);
        await sandbox.SettingsAsync(new { nextFaults = new[] { FaultKind.DropAfterProcessing } });

        var result = host.Run("New-HeadshotInvite ann@corp.example");
        Assert.True(result.Errors.Count == 0, Ids(result));
        var made = (Invite)Assert.Single(result.Output).BaseObject;
        Assert.Equal(("Created", sandbox.Server.State.ListInvites().Single(i => i.Stage == "pending").Id), (made.Outcome, made.Id));
    }
}

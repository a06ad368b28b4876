using System.Management.Automation;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>Remove-HeadshotModel: leavers' headshots deleted, by every way a person is named, in a hosted runspace against the sandbox.</summary>
public class RemoveModelTests
{
    private static async Task<int> DeletesAsync(TestSandbox sandbox, string? modelId = null) =>
        (await sandbox.JournalAsync()).Count(e => (string?)e!["method"] == "DELETE"
            && ((string)e["path"]!).StartsWith("/api/v2/organization/models/" + modelId, StringComparison.Ordinal));

    private static string ModelStatus(TestSandbox sandbox, string modelId) =>
        sandbox.Server.State.Model(modelId)?.Status ?? "none";

    /// <summary>ann signed up as ann@home.example; bob, cy and dee finished; eve has not signed up.</summary>
    private static async Task<(TestSandbox Sandbox, Dictionary<string, string> Models)> PeopleAsync()
    {
        var sandbox = await TestSandbox.StartAsync(new SandboxOptions { PhotoBytes = 0 });
        await sandbox.PeopleAsync(new[] { "ann@corp.example", "bob@corp.example", "cy@corp.example", "dee@corp.example" }, "completed", "team_marketing", favorite: true, photos: 3);
        var response = await sandbox.Control.PostAsync("people/ann%40corp.example/advance", TestSandbox.JsonBody(new { to = "completed", activeEmail = "ann@home.example" }));
        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal(200, (await sandbox.InviteAsync("eve@corp.example")).Status);
        var models = new Dictionary<string, string>();
        foreach (var name in new[] { "ann", "bob", "cy", "dee" })
            models[name] = (string)sandbox.Server.State.ListInvites().Single(i => i.Email == name + "@corp.example").ModelId!;
        return (sandbox, models);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task By_id_piped_model_member_and_invited_address_each_deletes_that_persons_model_and_photos()
    {
        var (sandbox, models) = await PeopleAsync();
        await using var _ = sandbox;
        using var host = new PowerShellHost();
        host.Connect(sandbox);

        var result = host.Run($"Remove-HeadshotModel -Id {models["bob"]} -Force -PassThru");
        Assert.Empty(result.Errors);
        var bob = Assert.Single(Out<Model>(result));
        Assert.Equal((models["bob"], "bob@corp.example", "deleted", "Deleted"), (bob.Id, bob.Email, bob.Status, bob.Outcome));

        result = host.Run("""
            Get-HeadshotModel -Email cy@corp.example | Remove-HeadshotModel -Force -PassThru
            Get-HeadshotMember | Where-Object Email -EQ dee@corp.example | Remove-HeadshotModel -Force -PassThru
            'ann@corp.example' | Remove-HeadshotModel -Force -PassThru
            """);
        Assert.Empty(result.Errors);
        var removed = Out<Model>(result).ToList();
        Assert.Equal(new[] { "cy@corp.example", "dee@corp.example", "ann@corp.example" }, removed.Select(m => m.Email));
        Assert.Equal(new[] { models["cy"], models["dee"], models["ann"] }, removed.Select(m => m.Id));
        NonEmpty.All(removed, m => Assert.Equal(("deleted", "Deleted"), (m.Status, m.Outcome)));
        // ann was found by the address she was invited at, though she signed up with another.
        Assert.Equal("ann@home.example", removed[2].SignUpEmail);

        foreach (var id in models.Values)
        {
            Assert.Equal("deleted", ModelStatus(sandbox, id));
            Assert.Equal(1, await DeletesAsync(sandbox, id));
            NonEmpty.All(sandbox.Server.State.Photos(id)!, p => Assert.Equal("deleted", p.Status));
        }
        Assert.Empty(Out<Photo>(host.Run("Get-HeadshotPhoto")));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Nobody_to_delete_is_an_error_for_that_input_only_unless_SkipMissing()
    {
        var (sandbox, models) = await PeopleAsync();
        await using var _ = sandbox;
        using var host = new PowerShellHost();
        host.Connect(sandbox);

        var result = host.Run("""
            'eve@corp.example', 'nobody@corp.example', 'not an address', (Get-HeadshotTeam Marketing), 'bob@corp.example' | Remove-HeadshotModel -Force -PassThru
            Remove-HeadshotModel -Id no_such_model -Force
            """);
        Assert.Equal("bob@corp.example", Assert.Single(Out<Model>(result)).Email);
        Assert.Equal(new[] { "InputNotAPerson", "InvalidEmailAddress", "ModelNotFound", "ModelNotFound", "ModelNotFound" }, result.ErrorIds.Order());
        var eve = result.Errors.Single(e => Equals(e.TargetObject, "eve@corp.example"));
        Assert.Equal(ErrorCategory.ObjectNotFound, eve.CategoryInfo.Category);
        Assert.Contains("no model yet", eve.ErrorDetails.Message);
        Assert.Contains(result.Errors, e => Equals(e.TargetObject, "no_such_model"));
        Assert.Equal(1, await DeletesAsync(sandbox));
        Assert.Equal("active", ModelStatus(sandbox, models["ann"]));

        result = host.Run("'eve@corp.example', 'nobody@corp.example' | Remove-HeadshotModel -Force -SkipMissing -PassThru -Verbose");
        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
        Assert.Contains(result.Verbose, v => v.Contains("Nothing to delete for eve@corp.example"));
        Assert.Contains(result.Verbose, v => v.Contains("Nothing to delete for nobody@corp.example"));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_second_delete_is_done_not_an_error_and_a_model_that_reads_deleted_is_not_sent_again()
    {
        var (sandbox, models) = await PeopleAsync();
        await using var _ = sandbox;
        using var host = new PowerShellHost();
        host.Connect(sandbox);
        host.Run("$stale = Get-HeadshotModel -Email bob@corp.example");

        Assert.Empty(host.Run("Remove-HeadshotModel -Email ann@corp.example, bob@corp.example -Force").Errors);
        Assert.Equal(2, await DeletesAsync(sandbox));

        // Run again: each reads deleted, so nothing is sent; -PassThru says AlreadyDeleted.
        var result = host.Run("'ann@corp.example' | Remove-HeadshotModel -Force -PassThru -Verbose");
        Assert.Empty(result.Errors);
        Assert.Equal(("deleted", "AlreadyDeleted"), (Assert.Single(Out<Model>(result)).Status, Out<Model>(result).Single().Outcome));
        Assert.Contains(result.Verbose, v => v.Contains("already deleted"));
        Assert.Equal(2, await DeletesAsync(sandbox));

        // A model object read before the delete still says active: the API's 400 ALREADY_DELETED is the same news.
        result = host.Run("$stale | Remove-HeadshotModel -Force -PassThru");
        Assert.Empty(result.Errors);
        Assert.Equal("AlreadyDeleted", Assert.Single(Out<Model>(result)).Outcome);
        Assert.Equal(3, await DeletesAsync(sandbox));

        // A delete whose answer was lost is sent again and answered ALREADY_DELETED: this run deleted it.
        host.Run($"$cy = Get-HeadshotModel -Id {models["cy"]}");
        await sandbox.SettingsAsync(new { nextFaults = new[] { "drop-after" } });
        result = host.Run("$cy | Remove-HeadshotModel -Force -PassThru");
        Assert.Empty(result.Errors);
        Assert.Equal("Deleted", Assert.Single(Out<Model>(result)).Outcome);
        Assert.Equal(2, await DeletesAsync(sandbox, models["cy"]));
        Assert.Equal("deleted", ModelStatus(sandbox, models["cy"]));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task WhatIf_sends_nothing_and_names_whose_model_and_how_many_photos()
    {
        var (sandbox, models) = await PeopleAsync();
        await using var _ = sandbox;
        var recording = new RecordingHost("ConsoleHost");
        using var host = new PowerShellHost(recording);
        host.Connect(sandbox);
        Assert.Empty(host.Run("Remove-HeadshotModel -Id " + models["dee"] + " -Force").Errors);

        var result = host.Run("""
            function Remove-Leaver { [CmdletBinding(SupportsShouldProcess)] param($Email) Remove-HeadshotModel -Email $Email -Force }
            'ann@corp.example', 'dee@corp.example' | Remove-HeadshotModel -WhatIf
            Remove-Leaver bob@corp.example -WhatIf
            $WhatIfPreference = $true; Get-HeadshotMember -Status finished | Where-Object Email -EQ cy@corp.example | Remove-HeadshotModel -Force -Confirm:$false
            """);
        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
        Assert.Equal(1, await DeletesAsync(sandbox));
        NonEmpty.All(new[] { "ann", "bob", "cy" }, name => Assert.Equal("active", ModelStatus(sandbox, models[name])));
        var lines = string.Join("\n", recording.Lines);
        Assert.Contains($"ann@corp.example (signed up as ann@home.example): model {models["ann"]}, active, 3 photos", lines);
        Assert.Contains($"bob@corp.example: model {models["bob"]}, active, 3 photos", lines);
        Assert.Contains($"cy@corp.example: model {models["cy"]}, active, 3 photos", lines);
        Assert.Contains($"dee@corp.example: model {models["dee"]} is already deleted", lines);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Without_Force_it_asks_naming_the_person_and_a_No_deletes_nothing()
    {
        var (sandbox, models) = await PeopleAsync();
        await using var _ = sandbox;
        var answering = new AnsweringHost();
        using var host = new PowerShellHost(answering);
        host.Connect(sandbox);

        Assert.Empty(host.Run("Remove-HeadshotModel -Email bob@corp.example").Errors);
        Assert.Contains(answering.Prompts, p => p.Contains("bob@corp.example") && p.Contains(models["bob"]) && p.Contains("3 photos"));
        Assert.Equal(0, await DeletesAsync(sandbox));

        answering.Answer = "&Yes";
        Assert.Empty(host.Run("Remove-HeadshotModel -Email bob@corp.example").Errors);
        Assert.Equal("deleted", ModelStatus(sandbox, models["bob"]));
        Assert.Equal(2, answering.Prompts.Count);

        // -Force: no prompt, and the run goes in parallel; -Confirm:$false the same.
        Assert.Empty(host.Run("'ann@corp.example', 'cy@corp.example' | Remove-HeadshotModel -Force").Errors);
        Assert.Empty(host.Run("Remove-HeadshotModel -Id " + models["dee"] + " -Confirm:$false").Errors);
        Assert.Equal(2, answering.Prompts.Count);
        NonEmpty.All(models.Values, id => Assert.Equal("deleted", ModelStatus(sandbox, id)));
    }
}

using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>Parameters take several values wherever several make sense, as the Microsoft modules' do (issue 20).</summary>
public class SeveralValuesTests
{
    private static IEnumerable<string> Emails(PowerShellHost.Result result) =>
        result.Output.Select(o => (string)o.Properties["Email"].Value).Order();

    [Fact(Timeout = Limits.Test)]
    public async Task Get_HeadshotTeam_takes_several_names_and_patterns_writes_each_team_once_and_one_error_per_name_not_found()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var host = new PowerShellHost();
        host.Connect(sandbox);

        var result = host.Run("Get-HeadshotTeam Engineering, Marketing");
        Assert.Empty(result.Errors);
        Assert.Equal(new[] { "Engineering", "Marketing" }, result.Output.Select(o => ((Team)o.BaseObject).Name).Order());

        result = host.Run("Get-HeadshotTeam Mark*, marketing, Finance, HR*");
        Assert.Equal("Marketing", ((Team)Assert.Single(result.Output).BaseObject).Name);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("TeamNotFound", (object)"Finance"), (error.FullyQualifiedErrorId.Split(',')[0], error.TargetObject));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Members_models_and_photos_take_several_statuses_teams_and_liked_statuses()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var host = new PowerShellHost();
        host.Connect(sandbox);
        await sandbox.PeopleAsync(new[] { "ann@corp.example" }, "completed", "team_marketing", favorite: true, photos: 3);
        await sandbox.PeopleAsync(new[] { "cy@corp.example" }, "generating", "team_marketing");
        await sandbox.PeopleAsync(new[] { "bob@corp.example" }, "accepted", "team_engineering");
        await sandbox.PeopleAsync(new[] { "dee@corp.example" }, "completed", favorite: true, photos: 2);

        var result = host.Run("Get-HeadshotMember -Status accepted, finished");
        Assert.Empty(result.Errors);
        Assert.Equal(new[] { "ann@corp.example", "bob@corp.example", "dee@corp.example" }, Emails(result));
        result = host.Run("Get-HeadshotMember -Team Marketing, Engineering");
        Assert.Equal(new[] { "ann@corp.example", "bob@corp.example", "cy@corp.example" }, Emails(result));
        result = host.Run("Get-HeadshotMember finished, pending -Team Marketing, Engineering -First 1 -Skip 1");
        Assert.Single(result.Output);
        Assert.Contains(Emails(result).Single(), new[] { "ann@corp.example", "cy@corp.example" });
        result = host.Run("'bob@corp.example', 'cy@corp.example' | Get-HeadshotMember -Status accepted, pending");
        Assert.Equal(new[] { "bob@corp.example", "cy@corp.example" }, Emails(result));

        result = host.Run("Get-HeadshotModel -Team Marketing, Engineering");
        Assert.Empty(result.Errors);
        Assert.Equal(new[] { "ann@corp.example", "bob@corp.example", "cy@corp.example" }, Emails(result));
        result = host.Run("Get-HeadshotModel -Status active, generatingHeadshots");
        Assert.Equal(new[] { "ann@corp.example", "cy@corp.example", "dee@corp.example" }, Emails(result));

        result = host.Run("Get-HeadshotPhoto -Team Marketing, Engineering");
        Assert.Empty(result.Errors);
        Assert.Equal(new[] { "ann@corp.example" }, Emails(result));
        result = host.Run("'ann@corp.example' | Get-HeadshotPhoto -LikedStatus liked, loved");
        Assert.Equal(new[] { "loved" }, result.Output.Select(o => (string)o.Properties["LikedStatus"].Value));
        result = host.Run("'ann@corp.example' | Get-HeadshotPhoto -LikedStatus none, loved");
        Assert.Equal(3, result.Output.Count);

        result = host.Run("Get-HeadshotMember -Team Marketing, Nowhere");
        Assert.Equal("TeamNotFound", Assert.Single(result.ErrorIds));
        Assert.Empty(result.Output);
    }
}

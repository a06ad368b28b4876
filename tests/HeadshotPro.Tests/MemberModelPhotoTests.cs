using System.Management.Automation;
using HeadshotPro.Sandbox;

namespace HeadshotPro.Tests;

/// <summary>Get-HeadshotMember, Get-HeadshotModel and Get-HeadshotPhoto in a hosted runspace against the v2 sandbox.</summary>
public class MemberModelPhotoTests
{
    [Fact(Timeout = Limits.Test)]
    public async Task Select_Object_First_5_fetches_one_page_and_First_Skip_go_to_the_server()
    {
        var (sandbox, host) = await ConnectedAsync(new SandboxOptions { RateLimit = 0, Credits = 500 });
        await using var _ = sandbox;
        using var __ = host;
        await sandbox.PeopleAsync(V2Seed.Addresses("p", 120), "accepted");

        var result = host.Run("Get-HeadshotMember | Select-Object -First 5");
        Assert.Empty(result.Errors);
        Assert.Equal(5, Out<Member>(result).Count());
        Assert.Equal(1, await sandbox.V2RequestsAsync("GET", "team"));

        result = host.Run("Get-HeadshotMember");
        Assert.Equal(120, Out<Member>(result).Count());
        Assert.Equal(1 + 3, await sandbox.V2RequestsAsync("GET", "team"));

        result = host.Run("Get-HeadshotMember -Skip 100 -First 7");
        Assert.Equal(V2Seed.Addresses("p", 120).Skip(100).Take(7), Out<Member>(result).Select(m => m.Email));
        Assert.Equal(1 + 3 + 1, await sandbox.V2RequestsAsync("GET", "team"));

        result = host.Run("Get-HeadshotMember -IncludeTotalCount -First 0");
        Assert.Empty(result.Errors);
        Assert.Equal(120UL, (ulong)Assert.Single(result.Output).BaseObject);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Members_by_status_and_by_team_and_an_unknown_team_is_TeamNotFound()
    {
        var (sandbox, host) = await ConnectedAsync();
        await using var _ = sandbox;
        using var __ = host;
        await sandbox.PeopleAsync(new[] { "ann@corp.example" }, "completed", "team_marketing");
        await sandbox.PeopleAsync(new[] { "bob@corp.example" }, "uploading", "team_engineering");
        await sandbox.PeopleAsync(new[] { "cy@corp.example" }, "accepted", "team_marketing");
        Assert.Equal(200, (await sandbox.InviteAsync("dee@corp.example")).Status);

        Assert.Equal(new[] { "ann@corp.example" }, Out<Member>(host.Run("Get-HeadshotMember finished")).Select(m => m.Email));
        Assert.Equal(new[] { "bob@corp.example" }, Out<Member>(host.Run("Get-HeadshotMember -Status pending")).Select(m => m.Email));
        Assert.Equal(new[] { "ann@corp.example", "cy@corp.example" }, Out<Member>(host.Run("Get-HeadshotMember -Team marketing")).Select(m => m.Email).Order());
        Assert.Equal(new[] { "cy@corp.example" }, Out<Member>(host.Run("Get-HeadshotMember -Team team_marketing -Skip 1")).Select(m => m.Email));

        var result = host.Run("Get-HeadshotMember -Team Sales");
        Assert.Equal("TeamNotFound", Assert.Single(result.ErrorIds));
        Assert.Equal(ErrorCategory.ObjectNotFound, result.Errors[0].CategoryInfo.Category);
        Assert.Equal("Sales", result.Errors[0].TargetObject);
        Assert.Equal(0, await sandbox.V2RequestsAsync("GET", "team") - 4);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Models_come_by_id_by_list_and_from_members_invites_addresses_and_directory_users()
    {
        var (sandbox, host) = await ConnectedAsync();
        await using var _ = sandbox;
        using var __ = host;
        await sandbox.PeopleAsync(new[] { "ann@corp.example" }, "completed", "team_marketing");
        await sandbox.PeopleAsync(new[] { "bob@corp.example" }, "generating");

        var listed = Out<Model>(host.Run("Get-HeadshotModel")).ToList();
        Assert.Equal(2, listed.Count);
        Assert.Equal("ann@corp.example", Assert.Single(Out<Model>(host.Run("Get-HeadshotModel -Status active"))).Email);
        Assert.Equal("ann@corp.example", Assert.Single(Out<Model>(host.Run("Get-HeadshotModel -Team Marketing"))).Email);
        var annId = listed.Single(m => m.Email == "ann@corp.example").Id;
        Assert.Equal("ann@corp.example", Assert.Single(Out<Model>(host.Run($"Get-HeadshotModel -Id {annId}"))).Email);

        host.SeedDirectory("@{ SamAccountName = 'bob'; Mail = 'bob@corp.example'; UserPrincipalName = 'bob.upn@corp.example' }");
        var result = host.Run("@(Get-HeadshotMember -Status finished) + @((Get-ADUser bob -Properties mail), 'nobody@corp.example', 'not an address') | Get-HeadshotModel");
        Assert.Equal(new[] { "ann@corp.example", "bob@corp.example" }, Out<Model>(result).Select(m => m.Email).Order());
        Assert.Equal(new[] { "InvalidEmailAddress", "ModelNotFound" }, result.ErrorIds.Order());
        var missing = result.Errors.Single(e => e.FullyQualifiedErrorId.StartsWith("ModelNotFound"));
        Assert.Equal(("nobody@corp.example", ErrorCategory.ObjectNotFound), (missing.TargetObject, missing.CategoryInfo.Category));
        // The models were read once for the addresses (one page), the member's model by its id.
        Assert.Equal(1, await sandbox.V2RequestsAsync("GET", "models/" + annId) - 1);

        result = host.Run("Get-HeadshotModel -Id no_such_model");
        Assert.Equal("ModelNotFound", Assert.Single(result.ErrorIds));
        Assert.Equal("no_such_model", result.Errors[0].TargetObject);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Photos_of_piped_people_carry_what_a_downloader_needs_in_the_variant_asked_for()
    {
        var (sandbox, host) = await ConnectedAsync();
        await using var _ = sandbox;
        using var __ = host;
        await sandbox.PeopleAsync(new[] { "ann@corp.example" }, "completed", "team_marketing", favorite: true, photos: 4);
        await sandbox.PeopleAsync(new[] { "bob@corp.example" }, "completed", photos: 2);
        var annModel = await sandbox.ModelIdAsync("ann@corp.example");

        var result = host.Run("'ann@corp.example', 'bob@corp.example' | Get-HeadshotPhoto -Variant thumbnail");
        Assert.Empty(result.Errors);
        var photos = Out<Photo>(result).ToList();
        Assert.Equal(6, photos.Count);
        NonEmpty.All(photos, p => Assert.Equal("thumbnail", p.Variant));
        NonEmpty.All(photos, p => Assert.Equal(p.Urls["thumbnail"], p.Url));
        NonEmpty.All(photos, p => Assert.True(p.ExpiresAt > DateTime.UtcNow && p.PhotoId.Length > 0 && p.ModelId.Length > 0));
        Assert.Equal(4, photos.Count(p => p.Email == "ann@corp.example" && p.ModelId == annModel));

        result = host.Run($"Get-HeadshotPhoto -ModelId {annModel} -LikedStatus loved");
        var loved = Assert.Single(Out<Photo>(result));
        Assert.Equal(("ann@corp.example", "main"), (loved.Email, loved.Variant));

        result = host.Run("Get-HeadshotModel -Status active | Get-HeadshotPhoto -First 1");
        Assert.Equal(2, Out<Photo>(result).Count());

        result = host.Run("Get-HeadshotPhoto -ModelId x -Favorite -LikedStatus loved");
        Assert.Equal("FavoriteWithLikedStatus", result.Terminating?.FullyQualifiedErrorId.Split(',')[0]);
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_favorite_not_chosen_yet_is_a_FavoriteNotChosen_error_for_that_person_only()
    {
        var (sandbox, host) = await ConnectedAsync();
        await using var _ = sandbox;
        using var __ = host;
        await sandbox.PeopleAsync(new[] { "ann@corp.example" }, "completed", favorite: true);
        await sandbox.PeopleAsync(new[] { "bob@corp.example" }, "completed");
        await sandbox.PeopleAsync(new[] { "cy@corp.example" }, "accepted");
        Assert.Equal(200, (await sandbox.InviteAsync("dee@corp.example")).Status);

        var result = host.Run("Get-HeadshotMember | Get-HeadshotPhoto -Favorite");
        var favorite = Assert.Single(Out<Photo>(result));
        Assert.Equal(("ann@corp.example", true), (favorite.Email, favorite.IsFavorite));
        Assert.Equal(new[] { "FavoriteNotChosen", "FavoriteNotChosen" }, result.ErrorIds);
        Assert.Equal(new[] { "bob@corp.example", "cy@corp.example" }, result.Errors.Select(e => (string)e.TargetObject).Order());
        NonEmpty.All(result.Errors, e => Assert.Equal(ErrorCategory.ObjectNotFound, e.CategoryInfo.Category));

        result = host.Run("Get-HeadshotPhoto -Email dee@corp.example -Favorite");
        Assert.Equal("ModelNotFound", Assert.Single(result.ErrorIds));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task The_organizations_favorites_are_paged_and_filtered_by_team()
    {
        var (sandbox, host) = await ConnectedAsync(new SandboxOptions { RateLimit = 0, Credits = 500 });
        await using var _ = sandbox;
        using var __ = host;
        await sandbox.PeopleAsync(V2Seed.Addresses("m", 60), "completed", "team_marketing", favorite: true, photos: 1);
        await sandbox.PeopleAsync(new[] { "eng@corp.example" }, "completed", "team_engineering", favorite: true, photos: 1);

        var result = host.Run("Get-HeadshotPhoto | Select-Object -First 3");
        Assert.Equal(3, Out<Photo>(result).Count());
        Assert.Equal(1, await sandbox.V2RequestsAsync("GET", "photos/favorites"));

        result = host.Run("Get-HeadshotPhoto -Team Marketing -Variant original");
        var photos = Out<Photo>(result).ToList();
        Assert.Equal(60, photos.Count);
        NonEmpty.All(photos, p => Assert.Equal(("Marketing", "original", true), (p.TeamName, p.Variant, p.IsFavorite)));
        Assert.Equal(1 + 2, await sandbox.V2RequestsAsync("GET", "photos/favorites"));

        result = host.Run("Get-HeadshotPhoto -Team Sales");
        Assert.Equal("TeamNotFound", Assert.Single(result.ErrorIds));

        // -Favorite, which an admin adds to say "the chosen ones", is what the organization's list is already.
        result = host.Run("Get-HeadshotPhoto -Favorite -Team Engineering");
        Assert.Empty(result.Errors);
        Assert.Equal("eng@corp.example", Assert.Single(Out<Photo>(result)).Email);
        Assert.Equal(3, Out<Photo>(host.Run("Get-HeadshotPhoto -Favorite -First 3")).Count());
    }

    [Fact(Timeout = Limits.Test)]
    public async Task Rate_limits_and_faults_are_waited_out_and_retried_for_v2_cmdlets_too()
    {
        var (sandbox, host) = await ConnectedAsync(new SandboxOptions { RateLimit = 6, RateWindowSeconds = 2 });
        await using var _ = sandbox;
        using var __ = host;
        await sandbox.PeopleAsync(new[] { "ann@corp.example", "bob@corp.example" }, "completed", favorite: true, photos: 1);
        await sandbox.SettingsAsync(new { nextFaults = new[] { "http-502", "drop-before" } });

        var result = host.Run("1..3 | ForEach-Object { Get-HeadshotCredits; Get-HeadshotMember } | Out-Null; Get-HeadshotMember | Get-HeadshotPhoto -Favorite -Verbose");
        Assert.Empty(result.Errors);
        Assert.Equal(2, Out<Photo>(result).Count());
        // Paced, not collecting 429s: a loaded machine may blur a 2 s window's edge for a request or two (as in PacingTests).
        Assert.InRange(TestSandbox.Counter(await sandbox.StateAsync(), "rateLimited"), 0, 2);
        Assert.Contains(result.Verbose, v => v.StartsWith("GET v2/organization/models/") && v.Contains("/photos/favorite"));
    }

    [Fact(Timeout = Limits.Test)]
    public async Task A_rejected_key_stops_a_v2_cmdlet_with_ApiKeyRejected()
    {
        var (sandbox, host) = await ConnectedAsync();
        await using var _ = sandbox;
        using var __ = host;
        host.Run("$env:HEADSHOTPRO_API_KEY = $null");
        var result = host.Run("Disconnect-HeadshotPro; $env:HEADSHOTPRO_API_KEY = 'hsp_wrong'; $env:HEADSHOTPRO_BASE_URI = $uri; try { Get-HeadshotMember } finally { $env:HEADSHOTPRO_API_KEY = $null; $env:HEADSHOTPRO_BASE_URI = $null }",
            ("uri", sandbox.ApiBaseUri.AbsoluteUri));
        Assert.Equal("ApiKeyRejected", result.Terminating?.FullyQualifiedErrorId.Split(',')[0]);
    }
}

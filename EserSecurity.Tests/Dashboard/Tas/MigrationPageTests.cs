using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Components;
using Bunit;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Grants;
using EserSecurity.Dashboard.Components.Pages.Tas;
using EserSecurity.Tests.Dashboard.Readiness;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace EserSecurity.Tests.Dashboard.Tas;

/// <summary>
/// TAS lists in school system A, none of them with an eSER grant: user.alpha1 as data entry at A1 (grantable),
/// user.alpha3 as IEP writer at A3 (needs the supervisor), local.alpha with an unmapped TAS role at A1.
/// </summary>
public sealed class MigrationPageTests
{
    private static async Task<(TestDatabase Database, TestState State)> ArrangeAsync()
    {
        var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var tas = await LegacyAccessState.CreateAsync(database, state);
        await LegacyAccessState.AddAsync(database, state.UserA1, state.LeaA, state.A1, tas.DataEntry);
        await LegacyAccessState.AddAsync(database, state.UserA3, state.LeaA, state.A3, tas.IepWriter);
        await LegacyAccessState.AddAsync(database, state.LocalA, state.LeaA, state.A1, tas.Gifted);
        return (database, state);
    }

    private static string Figure(IRenderedComponent<MigrationPage> page, string testId) => page.Find($"[data-testid={testId}]").TextContent.Trim();

    private static string StateOf(IRenderedComponent<MigrationPage> page, string name) =>
        page.FindAll("tbody tr").Single(r => r.QuerySelector(".grid-cell-main")?.TextContent.Trim() == name)
            .QuerySelector("[data-testid=migration-state]")!.TextContent.Trim();

    [Fact]
    public async Task DistrictCoordinator_SeesThePlanWithTotalsAndAStatePerSuggestion()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        await using var ctx = KnownReadinessState.Context(database, state.DistrictA);

        var page = ctx.Render<MigrationPage>(p => p.Add(x => x.SchoolSystemId, state.LeaA.Id));

        page.WaitForAssertion(() => Assert.Equal("3", Figure(page, "plan-people")));
        Assert.Equal("1", Figure(page, "plan-grantable"));
        Assert.Equal("1", Figure(page, "plan-supervisor"));
        Assert.Equal("1", Figure(page, "plan-not-migratable"));
        Assert.Equal("Grantable", StateOf(page, "user alpha1"));
        Assert.Equal("Needs supervisor endorsement", StateOf(page, "user alpha3"));
        Assert.Equal("Unmapped TAS role", StateOf(page, "local alpha"));
        // Only what can be migrated can be ticked, and each box names the person.
        Assert.Equal(["Select user alpha1 for Student Data Entry", "Select user alpha3 for IEP Forms Writer"],
            page.FindAll("tbody input[type=checkbox]").Select(c => c.AccessibleName()));
        Assert.Null(page.FindAll("tbody tr").Single(r => r.TextContent.Contains("local alpha")).QuerySelector("input[type=checkbox]"));
    }

    [Fact]
    public async Task SearchInTheUrl_NarrowsTheList_AndSaysWhenNobodyMatches()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        await using var ctx = KnownReadinessState.Context(database, state.DistrictA);
        var navigation = ctx.Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo($"tas/migration/{state.LeaA.Id}?search=user");

        var page = ctx.Render<MigrationPage>(p => p.Add(x => x.SchoolSystemId, state.LeaA.Id));

        page.WaitForAssertion(() => Assert.Equal(["user alpha1", "user alpha3"], Names(page)));
        await page.InvokeAsync(() => navigation.NavigateTo($"tas/migration/{state.LeaA.Id}?search=nobody"));
        page.WaitForAssertion(() => Assert.Contains("Nobody matches \"nobody\". Clear the search to see everyone.", page.Markup));
        Assert.Empty(Names(page));
    }

    private static List<string> Names(IRenderedComponent<MigrationPage> page) =>
        page.FindAll("tbody tr").Select(r => r.QuerySelector(".grid-cell-main")?.TextContent.Trim()).OfType<string>().ToList();

    [Fact]
    public async Task GrantSelected_GrantsTheSchoolRole_SendsTheIepRoleToTheSupervisor_AndSummarises()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        await using var ctx = KnownReadinessState.Context(database, state.DistrictA);
        var page = ctx.Render<MigrationPage>(p => p.Add(x => x.SchoolSystemId, state.LeaA.Id));
        page.WaitForAssertion(() => Assert.False(page.FindCheckbox("Select user alpha1 for Student Data Entry").IsChecked));

        await page.InvokeAsync(() => page.Find("input[aria-label='Select user alpha1 for Student Data Entry']").Change(true));
        await page.InvokeAsync(() => page.Find("input[aria-label='Select user alpha3 for IEP Forms Writer']").Change(true));
        page.WaitForAssertion(() => Assert.False(page.FindButton("Grant suggested roles (2)").HasAttribute("disabled")));
        await page.InvokeAsync(() => page.FindButton("Grant suggested roles (2)").Click());

        page.WaitForAssertion(() => Assert.Contains("1 granted, 1 sent to the special education supervisor.", page.Find("[data-testid=bulk-summary]").TextContent));
        await using var db = await database.OpenAsync();
        var grant = await db.AccessGrants.SingleAsync();
        Assert.Equal((state.UserA1.Id, state.SchoolRole.Id, GrantOrigin.TasMigration), (grant.StaffMemberId, grant.EserRoleId, grant.Origin));
        var request = await db.AccessRequests.SingleAsync();
        Assert.Equal((state.UserA3.Id, AccessRequestStatus.PendingSupervisor), (request.RequesterId, request.Status));
        // Migrated people leave the list; the pending request shows as such.
        page.WaitForAssertion(() => Assert.Equal("Request pending", StateOf(page, "user alpha3")));
        Assert.DoesNotContain(page.FindAll("tbody tr"), r => r.TextContent.Contains("user alpha1"));
    }

    [Fact]
    public async Task GrantAllGrantable_AsksFirst_ThenMigratesEverythingThatCanBe()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        await using var ctx = KnownReadinessState.Context(database, state.StateAdmin);
        var dialogs = ctx.Render<MudDialogProvider>();
        var page = ctx.Render<MigrationPage>(p => p.Add(x => x.SchoolSystemId, state.LeaA.Id));
        page.WaitForAssertion(() => Assert.Equal("1", Figure(page, "plan-grantable")));

        await page.InvokeAsync(() => page.FindButton("Grant all grantable").Click());
        dialogs.WaitForAssertion(() => Assert.Contains("Migrate all 2 suggestions of Alpha Parish Schools", dialogs.Markup));
        await dialogs.InvokeAsync(() => dialogs.FindButton("Grant all").Click());

        page.WaitForAssertion(() => Assert.Contains("1 granted, 1 sent to the special education supervisor.", page.Find("[data-testid=bulk-summary]").TextContent));
        page.WaitForAssertion(() => Assert.Equal("0", Figure(page, "plan-grantable")));
    }

    [Fact]
    public async Task OutsideTheCoordinatorsSchoolSystem_IsRefusedWithAReason()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        await using var ctx = KnownReadinessState.Context(database, state.DistrictB);

        var page = ctx.Render<MigrationPage>(p => p.Add(x => x.SchoolSystemId, state.LeaA.Id));

        page.WaitForAssertion(() => Assert.Contains("outside the school systems you coordinate", page.Markup));
        Assert.Empty(page.FindAll("[data-testid=migration-state]"));
    }
}

using Bunit;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace EserSecurity.Tests.Dashboard.Coordinators;

public sealed class CoordinatorTreeTests
{
    private static BunitContext Context(TestDatabase database, string username)
    {
        var ctx = DashboardContext.Create(database, username);
        ctx.Render<MudPopoverProvider>();
        return ctx;
    }

    [Fact]
    public async Task Tree_ShowsDistrictCoordinatorsSupervisorAndTheGapFlag()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using (var db = await database.OpenAsync())
        {
            await db.CoordinatorAssignments.Where(a => a.StaffMemberId == state.DistrictB.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.EndsOn, new DateOnly(2026, 11, 1)));
        }
        await using var ctx = Context(database, state.StateAdmin.Username!);

        var page = ctx.Render<EserSecurity.Dashboard.Components.Pages.Coordinators.Coordinators>();

        page.WaitForAssertion(() => Assert.Contains(state.DistrictA.FullName, page.Find("[data-testid=lea-101]").TextContent));
        var alpha = page.Find("[data-testid=lea-101]");
        Assert.Contains(state.SupervisorA.FullName, alpha.TextContent);
        Assert.DoesNotContain("breaks the minimum", alpha.TextContent);
        Assert.Contains("breaks the minimum", page.Find("[data-testid=lea-202]").TextContent);
        Assert.Contains("1 without a district coordinator", page.Find("[data-testid=coverage-summary]").TextContent);
    }

    [Fact]
    public async Task DistrictCoordinator_SeesSchoolsGroupsAndCoveredByDistrictFlags()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = Context(database, state.DistrictA.Username!);

        var page = ctx.Render<EserSecurity.Dashboard.Components.Pages.Coordinators.Coordinators>();

        // A single school system opens on its own.
        page.WaitForAssertion(() => Assert.Contains("covered by district", page.Find("[data-testid=school-101003]").TextContent));
        Assert.Contains($"{state.LocalA.FullName} (via Alpha North)", page.Find("[data-testid=school-101001]").TextContent);
        var group = page.Find("[data-testid='group-Alpha North']");
        Assert.Contains("Alpha Elementary, Alpha Middle", group.TextContent);
        Assert.Contains(state.LocalA.FullName, group.TextContent);
        Assert.Empty(page.FindAll("[data-testid=lea-202]"));
        // District coordinators may not assign district coordinators: only state administrators do.
        Assert.Empty(page.FindAll("button[aria-label^='Assign a district coordinator']"));
        Assert.NotEmpty(page.FindAll("button[aria-label^='Add local coordinator in']"));
    }

    [Fact]
    public async Task CoordinatorWhoseEmploymentEnded_IsFlaggedOnTheTree()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using (var db = await database.OpenAsync())
        {
            await db.StaffMembers.Where(s => s.Id == state.LocalA.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.EmploymentStatus, EmploymentStatus.Ended));
        }
        await using var ctx = Context(database, state.DistrictA.Username!);

        var page = ctx.Render<EserSecurity.Dashboard.Components.Pages.Coordinators.Coordinators>();

        page.WaitForAssertion(() => Assert.Contains($"{state.LocalA.FullName} — employment ended", page.Find("[data-testid='group-Alpha North']").TextContent));
    }

    [Fact]
    public async Task AssignmentMadeElsewhere_ShowsOnTheOpenTree()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = Context(database, state.DistrictA.Username!);
        var page = ctx.Render<EserSecurity.Dashboard.Components.Pages.Coordinators.Coordinators>();
        page.WaitForAssertion(() => Assert.Contains("covered by district", page.Find("[data-testid=school-101003]").TextContent));

        await database.Get<CoordinatorService>().AssignLocalCoordinatorAsync(TestState.CallerFor(state.StateAdmin), state.LeaA.Id, state.UserA3.Id,
            new LocalCoverage(state.A3.Id, null));

        page.WaitForAssertion(() => Assert.Contains(state.UserA3.FullName, page.Find("[data-testid=school-101003]").TextContent));
    }
}

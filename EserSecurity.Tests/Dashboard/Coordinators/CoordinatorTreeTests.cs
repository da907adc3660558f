using AngleSharp.Dom;
using Bunit;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using CoordinatorsPage = EserSecurity.Dashboard.Components.Pages.Coordinators.Coordinators;

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

        var page = ctx.Render<CoordinatorsPage>();

        page.WaitForAssertion(() => Assert.Equal(2, TreeItems(page).Count));
        var alpha = TreeItem(page, "101 · Alpha Parish Schools");
        Assert.Contains(state.DistrictA.FullName, Row(alpha));
        Assert.Contains(state.SupervisorA.FullName, Row(alpha));
        Assert.DoesNotContain("breaks the minimum", Row(alpha));
        var bravo = TreeItem(page, "202 · Bravo City Schools");
        Assert.Contains("No district coordinator — breaks the minimum of one", Row(bravo));
        Assert.Contains("2 school systems shown; 1 without a district coordinator.", Shown(page.Find("[data-testid=coverage-summary]")));
    }

    [Fact]
    public async Task Tree_IsATreeOfSchoolSystems_EachClosedWithOneTabStop()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = Context(database, state.StateAdmin.Username!);

        var page = ctx.Render<CoordinatorsPage>();

        page.WaitForAssertion(() => Assert.Equal(2, TreeItems(page).Count));
        Assert.Equal("School systems, schools and their coordinators", page.Find("[role=tree]").GetAttribute("aria-label"));
        Assert.Equal([("1", "1", "2", "false", "0"), ("1", "2", "2", "false", "-1")], TreeItems(page).Select(Position));
        // Only the tab stop's own actions follow it in the tab order.
        Assert.Equal("0", page.FindButton("Assign a district coordinator to Alpha Parish Schools").GetAttribute("tabindex"));
        Assert.Equal("-1", page.FindButton("Assign a district coordinator to Bravo City Schools").GetAttribute("tabindex"));
    }

    [Fact]
    public async Task OpeningASchoolSystem_ShowsItsGroupsAndSchoolsOneLevelDown_AndClosingHidesThem()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = Context(database, state.StateAdmin.Username!);
        var page = ctx.Render<CoordinatorsPage>();
        page.WaitForAssertion(() => Assert.Equal(2, TreeItems(page).Count));

        Toggle(TreeItem(page, "101 · Alpha Parish Schools"));

        page.WaitForAssertion(() => Assert.Equal("true", TreeItem(page, "101 · Alpha Parish Schools").GetAttribute("aria-expanded")));
        Assert.Equal(["101 · Alpha Parish Schools", "Group: Alpha North", "101001 · Alpha Elementary", "101003 · Alpha High", "101002 · Alpha Middle",
            "202 · Bravo City Schools"], TreeItems(page).Select(Title));
        Assert.Equal(("2", "4", "4", null, "-1"), Position(TreeItem(page, "101002 · Alpha Middle")));

        Toggle(TreeItem(page, "101 · Alpha Parish Schools"));

        page.WaitForAssertion(() => Assert.Equal("false", TreeItem(page, "101 · Alpha Parish Schools").GetAttribute("aria-expanded")));
        Assert.Equal(2, TreeItems(page).Count);
    }

    [Fact]
    public async Task FocusingAnItem_MakesItTheTabStop_WithItsActions()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = Context(database, state.DistrictA.Username!);
        var page = ctx.Render<CoordinatorsPage>();
        page.WaitForAssertion(() => Assert.Contains("Group: Alpha North", TreeItems(page).Select(Title)));

        TreeItem(page, "Group: Alpha North").FocusIn();

        page.WaitForAssertion(() => Assert.Equal("0", TreeItem(page, "Group: Alpha North").GetAttribute("tabindex")));
        Assert.Equal(["Group: Alpha North"], page.FindAll("[role=treeitem][tabindex='0']").Select(Title));
        Assert.Equal("0", page.FindButton("Edit group Alpha North").GetAttribute("tabindex"));
        Assert.Equal("-1", page.FindButton("Add local coordinator in Alpha Parish Schools").GetAttribute("tabindex"));
    }

    [Fact]
    public async Task DistrictCoordinator_SeesSchoolsGroupsAndCoveredByDistrictFlags()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = Context(database, state.DistrictA.Username!);

        var page = ctx.Render<CoordinatorsPage>();

        // A single school system opens on its own.
        page.WaitForAssertion(() => Assert.Equal("true", TreeItem(page, "101 · Alpha Parish Schools").GetAttribute("aria-expanded")));
        Assert.Equal(["101 · Alpha Parish Schools", "Group: Alpha North", "101001 · Alpha Elementary", "101003 · Alpha High", "101002 · Alpha Middle"],
            TreeItems(page).Select(Title));
        Assert.Equal(["1", "2", "2", "2", "2"], TreeItems(page).Select(i => i.GetAttribute("aria-level")));
        Assert.Contains("covered by district", Row(TreeItem(page, "101003 · Alpha High")));
        Assert.Contains($"{state.LocalA.FullName} (via Alpha North)", Row(TreeItem(page, "101001 · Alpha Elementary")));
        var group = TreeItem(page, "Group: Alpha North");
        Assert.Contains("Alpha Elementary, Alpha Middle", Row(group));
        Assert.Contains(state.LocalA.FullName, Row(group));
        // District coordinators may not assign district coordinators: only state administrators do.
        Assert.Empty(page.FindButtons("Assign a district coordinator to Alpha Parish Schools"));
        Assert.Single(page.FindButtons("Add local coordinator in Alpha Parish Schools"));
    }

    [Fact]
    public async Task SearchForASchool_OpensItsSchoolSystemAndMarksTheSchool()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = Context(database, state.StateAdmin.Username!);
        ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("coordinators?q=Alpha%20High");

        var page = ctx.Render<CoordinatorsPage>();

        page.WaitForAssertion(() => Assert.Equal("true", TreeItem(page, "101 · Alpha Parish Schools").GetAttribute("aria-expanded")));
        Assert.DoesNotContain("202 · Bravo City Schools", TreeItems(page).Select(Title));
        Assert.Equal(["101003 · Alpha High"], TreeItems(page).Where(i => i.QuerySelector(".node.match") is not null).Select(Title));
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

        var page = ctx.Render<CoordinatorsPage>();

        page.WaitForAssertion(() => Assert.Contains($"{state.LocalA.FullName} — employment ended", Row(TreeItem(page, "Group: Alpha North"))));
    }

    [Fact]
    public async Task AssignmentMadeElsewhere_ShowsOnTheOpenTree()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = Context(database, state.DistrictA.Username!);
        var page = ctx.Render<CoordinatorsPage>();
        page.WaitForAssertion(() => Assert.Contains("covered by district", Row(TreeItem(page, "101003 · Alpha High"))));

        await database.Get<CoordinatorService>().AssignLocalCoordinatorAsync(TestState.CallerFor(state.StateAdmin), state.LeaA.Id, state.UserA3.Id,
            new LocalCoverage(state.A3.Id, null));

        page.WaitForAssertion(() => Assert.Contains(state.UserA3.FullName, Row(TreeItem(page, "101003 · Alpha High"))));
        Assert.DoesNotContain("covered by district", Row(TreeItem(page, "101003 · Alpha High")));
    }

    [Fact]
    public async Task EndingALocalCoordinator_AsksWhy_AndTheTreeNoLongerShowsThem()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = Context(database, state.DistrictA.Username!);
        var dialogs = ctx.Render<MudDialogProvider>();
        var page = ctx.Render<CoordinatorsPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindButtons($"End {state.LocalA.FullName}'s assignment")));

        page.FindButton($"End {state.LocalA.FullName}'s assignment").Click();
        dialogs.WaitForAssertion(() => Assert.Contains($"{state.LocalA.FullName} stops receiving requests today.", dialogs.Find("[role=dialog]").TextContent));
        dialogs.Find("[role=dialog] textarea").Input("Moved to another school.");
        dialogs.FindButton("End assignment").Click();

        page.WaitForAssertion(() => Assert.DoesNotContain(state.LocalA.FullName, Row(TreeItem(page, "Group: Alpha North"))));
        Assert.Contains("covered by district", Row(TreeItem(page, "101001 · Alpha Elementary")));
        await using var db = await database.OpenAsync();
        Assert.Equal("Moved to another school.", (await db.CoordinatorAssignments.SingleAsync(a => a.StaffMemberId == state.LocalA.Id)).EndReason);
    }

    private static IReadOnlyList<IElement> TreeItems(IRenderedComponent<CoordinatorsPage> page) => page.FindAll("[role=tree] [role=treeitem]");

    /// <summary>The treeitem whose name (its content) starts with the title.</summary>
    private static IElement TreeItem(IRenderedComponent<CoordinatorsPage> page, string title) =>
        TreeItems(page).SingleOrDefault(i => Title(i) == title) ?? throw new ElementNotFoundException($"treeitem named '{title}…'");

    private static string Title(IElement item) => Shown(item.QuerySelector(".node-title")!);

    /// <summary>What the item's row shows.</summary>
    private static string Row(IElement item) => Shown(item);

    private static string Shown(IElement element) => string.Join(' ', element.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static (string? Level, string? Position, string? SetSize, string? Expanded, string? TabIndex) Position(IElement item) =>
        (item.GetAttribute("aria-level"), item.GetAttribute("aria-posinset"), item.GetAttribute("aria-setsize"), item.GetAttribute("aria-expanded"),
            item.GetAttribute("tabindex"));

    /// <summary>The mouse's way to open or close an item: its chevron (the keyboard's way is in the browser tests).</summary>
    private static void Toggle(IElement item) => item.QuerySelector(".tree-toggle")!.Click();
}

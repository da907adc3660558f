using Bunit;
using EserSecurity.Core.Administration;
using EserSecurity.Dashboard.Components.Pages.Administration;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace EserSecurity.Tests.Dashboard.Administration;

public sealed class StateAdministratorsPageTests
{
    [Fact]
    public async Task TheOnlyAdministrator_CannotBeEnded_AndThePageSaysWhy()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        var page = ctx.Render<StateAdministratorsPage>();

        page.WaitForAssertion(() => Assert.Contains(state.StateAdmin.FullName, page.Find("[data-testid=active-administrators]").TextContent));
        var end = page.FindButton($"End {state.StateAdmin.FullName} as state administrator");
        Assert.True(end.HasAttribute("disabled"));
        Assert.StartsWith("This is the last active state administrator", page.Find("[data-testid=cannot-end]").TextContent.Trim());
        Assert.Contains("No state administrator has been ended.", page.Find("[data-testid=ended-administrators]").TextContent);
    }

    [Fact]
    public async Task AddByStaffId_ListsThePerson_AndEndsNoLongerDisabled()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        var popovers = ctx.Render<MudPopoverProvider>();
        var page = ctx.Render<StateAdministratorsPage>();
        page.WaitForAssertion(() => page.FindByLabel("Person to add"));

        page.FindByLabel("Person to add").Input(state.UserA1.StaffId);
        // MudBlazor's search debounce runs on the injected clock, which this test holds: move it past the interval.
        database.Clock.Advance(TimeSpan.FromSeconds(1));
        popovers.WaitForAssertion(() => Assert.Single(popovers.FindAll(".mud-list-item")));
        popovers.Find(".mud-list-item").Click();
        page.WaitForAssertion(() => Assert.StartsWith(state.UserA1.FullName, ((AngleSharp.Html.Dom.IHtmlInputElement)page.FindByLabel("Person to add")).Value));
        await page.InvokeAsync(() => page.FindButton("Add state administrator").Click());

        page.WaitForAssertion(() => Assert.Equal($"{state.UserA1.FullName} is now a state administrator.",
            page.Find("[data-testid=administrators-message]").TextContent.Trim()));
        page.WaitForAssertion(() => Assert.Contains(state.UserA1.FullName, page.Find("[data-testid=active-administrators]").TextContent));
        Assert.False(page.FindButton($"End {state.StateAdmin.FullName} as state administrator").HasAttribute("disabled"));
        Assert.Contains(state.StateAdmin.FullName + ",", page.Find("[data-testid=active-administrators]").TextContent);
        await using var db = await database.OpenAsync();
        Assert.Equal(2, await db.StateAdministrators.CountAsync());
    }

    [Fact]
    public async Task Add_WithoutChoosingAPerson_SaysWhatToDo()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        var page = ctx.Render<StateAdministratorsPage>();
        page.WaitForAssertion(() => page.FindButton("Add state administrator"));

        await page.InvokeAsync(() => page.FindButton("Add state administrator").Click());

        page.WaitForAssertion(() => Assert.StartsWith("Choose the person to add", page.Find("[data-testid=add-administrator-error]").TextContent.Trim()));
    }

    [Fact]
    public async Task End_AsksForTheReason_ThenListsThePersonAsEndedWithIt()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await database.Get<StateAdministratorService>().AddAsync(TestState.CallerFor(state.StateAdmin), state.UserA1.Id);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        ctx.Render<MudPopoverProvider>();
        var dialogs = ctx.Render<MudDialogProvider>();
        var page = ctx.Render<StateAdministratorsPage>();
        page.WaitForAssertion(() => page.FindButton($"End {state.UserA1.FullName} as state administrator"));

        await page.InvokeAsync(() => page.FindButton($"End {state.UserA1.FullName} as state administrator").Click());
        dialogs.WaitForAssertion(() => dialogs.FindByLabel("Why the assignment ends"));
        await dialogs.InvokeAsync(() => dialogs.FindButton("End assignment").Click());
        dialogs.WaitForAssertion(() => Assert.Contains("Say why; it is kept in the record.", dialogs.Markup));
        dialogs.FindByLabel("Why the assignment ends").Input("Returned to the classroom.");
        await dialogs.InvokeAsync(() => dialogs.FindButton("End assignment").Click());

        page.WaitForAssertion(() => Assert.Equal($"{state.UserA1.FullName} is no longer a state administrator.",
            page.Find("[data-testid=administrators-message]").TextContent.Trim()));
        var ended = page.Find("[data-testid=ended-administrators]").TextContent;
        Assert.Contains(state.UserA1.FullName, ended);
        Assert.Contains("Returned to the classroom.", ended);
        Assert.DoesNotContain(state.UserA1.FullName, page.Find("[data-testid=active-administrators]").TextContent);
    }

    [Fact]
    public async Task AnotherAdministratorsChange_ShowsLive()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        var page = ctx.Render<StateAdministratorsPage>();
        page.WaitForAssertion(() => Assert.Contains(state.StateAdmin.FullName, page.Find("[data-testid=active-administrators]").TextContent));

        await database.Get<StateAdministratorService>().AddAsync(TestState.CallerFor(state.StateAdmin), state.UserB1.Id);

        page.WaitForAssertion(() => Assert.Contains(state.UserB1.FullName, page.Find("[data-testid=active-administrators]").TextContent));
    }

    [Fact]
    public async Task ACoordinator_IsRefusedThePage()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        var page = ctx.Render<StateAdministratorsPage>();

        page.WaitForAssertion(() => Assert.Equal("Only a state administrator may see the state administrators.",
            page.Find("[data-testid=administrators-denied]").TextContent.Trim()));
        Assert.Empty(page.FindButtons("Add state administrator"));
    }
}

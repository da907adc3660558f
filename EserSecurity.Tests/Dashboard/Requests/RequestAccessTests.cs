using Bunit;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Dashboard.Components.Pages.Requests;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace EserSecurity.Tests.Dashboard.Requests;

public sealed class RequestAccessTests
{
    private const string IepWarning = "Includes IEP Forms access: the special education supervisor must endorse it.";

    [Fact]
    public async Task ChoosingAnIepRole_ShowsTheIepFormsWarning_AndAnotherRoleDoesNot()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.UserA1.Username);
        var popovers = ctx.Render<MudPopoverProvider>();
        var page = ctx.Render<RequestAccess>();
        page.WaitForAssertion(() => Assert.Equal("", page.FindByRole("combobox", "Role").TextContent.Trim()));
        Assert.DoesNotContain(IepWarning, page.Markup);

        page.ChooseOption(popovers, "Role", "IEP Forms Writer");

        page.WaitForAssertion(() => Assert.Contains(IepWarning, page.Find("[aria-label='About the selected role']").TextContent));
        Assert.Equal("IEP Forms Writer", page.Find("[aria-label='About the selected role'] h2").TextContent.Trim());

        page.ChooseOption(popovers, "Role", "Student Data Entry");

        page.WaitForAssertion(() => Assert.Equal("Student Data Entry", page.Find("[aria-label='About the selected role'] h2").TextContent.Trim()));
        Assert.DoesNotContain(IepWarning, page.Markup);
    }

    [Fact]
    public async Task Submit_WithoutJustification_ShowsTheRefusal_AndStoresNothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.UserA1.Username);
        var popovers = ctx.Render<MudPopoverProvider>();
        var page = ctx.Render<RequestAccess>();
        page.WaitForAssertion(() => Assert.Equal("", page.FindByRole("combobox", "Role").TextContent.Trim()));
        page.ChooseOption(popovers, "Role", "Student Data Entry");

        page.FindButton("Submit request").Click();

        page.WaitForAssertion(() => Assert.Equal("Say why your duties need this role: the justification is required.",
            page.Find("[data-testid=request-error]").TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-testid=request-submitted]"));
        await using var db = await database.OpenAsync();
        Assert.False(await db.AccessRequests.AnyAsync());
    }

    [Fact]
    public async Task Submit_Valid_ConfirmsAndStoresTheRequestAtTheChosenSchool()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.UserA1.Username);
        var popovers = ctx.Render<MudPopoverProvider>();
        var page = ctx.Render<RequestAccess>();
        page.WaitForAssertion(() => Assert.Equal("", page.FindByRole("combobox", "Role").TextContent.Trim()));
        page.ChooseOption(popovers, "Role", "Student Data Entry");
        // The person's own school is offered first and chosen for them.
        page.WaitForAssertion(() => Assert.Equal("Alpha Elementary (101001) — your school", page.Find("[role=combobox][aria-label=School]").TextContent.Trim()));
        page.ChooseOption(popovers, "School", "Alpha High");

        page.FindByLabel("Why your duties need this role").Input("I cover attendance at Alpha High.");
        page.FindButton("Submit request").Click();

        page.WaitForAssertion(() => Assert.StartsWith("Request #", page.Find("[data-testid=request-submitted]").TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-testid=request-error]"));
        await using var db = await database.OpenAsync();
        var stored = await db.AccessRequests.SingleAsync();
        Assert.Contains($"Request #{stored.Id} submitted.", page.Find("[data-testid=request-submitted]").TextContent);
        Assert.Equal(state.UserA1.Id, stored.RequesterId);
        Assert.Equal(state.SchoolRole.Id, stored.EserRoleId);
        Assert.Equal(state.A3.Id, stored.SchoolId);
        Assert.Equal("I cover attendance at Alpha High.", stored.Justification);
        Assert.Equal(AccessRequestStatus.PendingCoordinator, stored.Status);
    }

    [Fact]
    public async Task Submit_SchoolSystemRole_IsStoredForTheWholeSchoolSystem()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.UserA1.Username);
        var popovers = ctx.Render<MudPopoverProvider>();
        var page = ctx.Render<RequestAccess>();
        page.WaitForAssertion(() => Assert.Equal("", page.FindByRole("combobox", "Role").TextContent.Trim()));

        page.ChooseOption(popovers, "Role", "LEA Reports");
        page.WaitForAssertion(() => Assert.Contains("granted for the whole school system: Alpha Parish Schools", page.Markup));
        Assert.Empty(page.FindAll("[role=combobox][aria-label=School]"));
        page.FindByLabel("Why your duties need this role").Input("I run the district's reports.");
        page.FindButton("Submit request").Click();

        page.WaitForAssertion(() => Assert.Matches(@"^Request #\d+ submitted\.\s+Follow it on\s+My requests\.$", page.Find("[data-testid=request-submitted]").TextContent.Trim()));
        await using var db = await database.OpenAsync();
        var stored = await db.AccessRequests.SingleAsync();
        Assert.Equal(state.LeaRole.Id, stored.EserRoleId);
        Assert.Null(stored.SchoolId);
        Assert.Equal(state.LeaA.Id, stored.SchoolSystemId);
    }
}

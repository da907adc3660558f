using Bunit;
using EserSecurity.Core.Coordinators;
using EserSecurity.Dashboard.Components.Layout;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.Components;

namespace EserSecurity.Tests.Dashboard.Layout;

public sealed class MainLayoutTests
{
    private static readonly RenderFragment PageBody = builder => builder.AddMarkupContent(0, "<p id='page-body'>page</p>");

    [Fact]
    public async Task LinkedPerson_SeesTheirNameAndThePage()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);

        var layout = ctx.Render<MainLayout>(p => p.Add(l => l.Body, PageBody));

        layout.WaitForAssertion(() => Assert.Equal("page", layout.Find("main #page-body").TextContent));
        Assert.Equal(state.DistrictA.FullName, layout.Find("[data-testid=signed-in-as]").TextContent.Trim());
        Assert.Contains("School systems", layout.Find("nav").TextContent);
        Assert.Equal("interactive", layout.Find("#circuit-state").GetAttribute("data-state"));
    }

    [Fact]
    public async Task AccountWithoutStaffRecord_IsToldHowToGetLinked_AndSeesNoPage()
    {
        await using var database = await TestDatabase.CreateAsync();
        await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, "nobody.here");

        var layout = ctx.Render<MainLayout>(p => p.Add(l => l.Body, PageBody));

        layout.WaitForAssertion(() => Assert.Contains("not linked", layout.Find("h1").TextContent));
        Assert.Empty(layout.FindAll("#page-body"));
        Assert.DoesNotContain("School systems", layout.Find("nav").TextContent);
    }

    [Fact]
    public async Task EveryIconButton_HasAnAccessibleName()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);

        var layout = ctx.Render<MainLayout>(p => p.Add(l => l.Body, PageBody));

        layout.WaitForAssertion(() => Assert.Equal("page", layout.Find("main #page-body").TextContent));
        foreach (var button in layout.FindAll("button"))
        {
            var name = button.GetAttribute("aria-label") ?? button.TextContent.Trim();
            Assert.False(string.IsNullOrWhiteSpace(name), button.OuterHtml);
        }
    }

    [Fact]
    public async Task BeingNamedDistrictCoordinator_ShowsTheirPagesInTheNavigationWithoutAReload()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.UserA3.Username);
        var layout = ctx.Render<MainLayout>(p => p.Add(l => l.Body, PageBody));
        layout.WaitForAssertion(() => Assert.Equal("interactive", layout.Find("#circuit-state").GetAttribute("data-state")));
        Assert.DoesNotContain("School systems", layout.Find("nav").TextContent);

        await database.Get<CoordinatorService>().AssignDistrictCoordinatorAsync(TestState.CallerFor(state.StateAdmin), state.LeaA.Id, state.UserA3.Id);

        layout.WaitForAssertion(() => Assert.Contains("School systems", layout.Find("nav").TextContent));
    }
}

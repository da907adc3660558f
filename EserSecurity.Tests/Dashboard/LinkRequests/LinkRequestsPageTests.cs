using Bunit;
using EserSecurity.Core.Identity;
using EserSecurity.Dashboard.Components.Pages.LinkRequests;
using EserSecurity.Tests.Support;

namespace EserSecurity.Tests.Dashboard.LinkRequests;

public sealed class LinkRequestsPageTests
{
    [Fact]
    public async Task AWaitingLinkRequest_ShowsLiveThatItWasEscalatedToTheStateAdministrators()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await LinkSetup.FileAsync(database, "new.alpha", state.LeaA, "12345678");
        database.Clock.Advance(TimeSpan.FromDays(20));
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        var page = ctx.Render<LinkRequestsPage>();
        page.WaitForAssertion(() => Assert.Contains("new.alpha", page.Find("tbody").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=follow-up]"));

        await database.Get<LinkRequestFollowUp>().RunAsync();

        page.WaitForAssertion(() => Assert.Equal("Escalated to state administrators Dec 18", page.Find("[data-testid=follow-up]").TextContent.Trim()));
    }
}

using Bunit;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Notifications;
using EserSecurity.Dashboard.Components.Layout;
using EserSecurity.Dashboard.Components.Pages.Notifications;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Tests.Dashboard.Notifications;

/// <summary>A state that turns notices off (<c>Notifications:Enabled=false</c>) sees no bell and no e-mail choices, and is told why.</summary>
public sealed class NoticesTurnedOffTests
{
    private static readonly RenderFragment PageBody = builder => builder.AddMarkupContent(0, "<p id='page-body'>page</p>");

    [Fact]
    public async Task WithNoticesOff_TheLayoutHasNoBell_AndThePageSaysSo_ListingEarlierNoticesWithoutEmailChoices()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await database.Get<AccessRequestService>().SubmitAsync(TestState.CallerFor(state.UserA1), new NewAccessRequest(state.SchoolRole.Id, state.A1.Id, "I enter evaluations."));
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        ctx.Services.Configure<NotificationOptions>(o => o.Enabled = false);

        var layout = ctx.Render<MainLayout>(p => p.Add(l => l.Body, PageBody));
        layout.WaitForAssertion(() => Assert.Equal("interactive", layout.Find("#circuit-state").GetAttribute("data-state")));
        Assert.Equal(state.DistrictA.FullName, layout.Find("[data-testid=signed-in-as]").TextContent.Trim());
        Assert.Empty(layout.FindAll("[data-testid=notification-bell]"));

        var page = ctx.Render<NotificationsPage>();
        page.WaitForAssertion(() => Assert.Contains($"{state.UserA1.FullName} asks for Student Data Entry at {state.A1.Name}", page.Markup));
        Assert.Contains("writes no notices", page.Find("[data-testid=notices-off]").TextContent);
        Assert.DoesNotContain(page.FindAll("h2"), h => h.TextContent.Contains("E-mail", StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=notification-choices]"));
    }

    [Fact]
    public async Task WithNoticesOn_TheLayoutHasTheBell_AndThePageOffersEmailChoices()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);

        var layout = ctx.Render<MainLayout>(p => p.Add(l => l.Body, PageBody));
        layout.WaitForAssertion(() => Assert.Single(layout.FindAll("[data-testid=notification-bell]")));

        var page = ctx.Render<NotificationsPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=notification-choices]")));
        Assert.Empty(page.FindAll("[data-testid=notices-off]"));
    }
}

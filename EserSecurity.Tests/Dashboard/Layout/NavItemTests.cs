using Bunit;
using EserSecurity.Core.Security;
using EserSecurity.Dashboard.Components.Layout;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MudBlazor;

namespace EserSecurity.Tests.Dashboard.Layout;

public sealed class NavItemTests
{
    [Theory]
    [InlineData("", NavLinkMatch.All)]
    [InlineData("queue", NavLinkMatch.Prefix)]
    public async Task NavItem_RendersTheMarkupOfMudNavLink_ActiveOrNot(string href, NavLinkMatch match)
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var ctx = DashboardContext.Create(database, signedInUsername: null);

        var ours = ctx.Render(InMenu(b =>
        {
            b.OpenComponent<NavItem>(0);
            b.AddComponentParameter(1, nameof(NavItem.Href), href);
            b.AddComponentParameter(2, nameof(NavItem.Icon), Icons.Material.Filled.Inbox);
            b.AddComponentParameter(3, nameof(NavItem.Match), match);
            b.AddComponentParameter(4, nameof(NavItem.ChildContent), (RenderFragment)(c => c.AddContent(0, "Approval queue")));
            b.CloseComponent();
        }));
        var mud = ctx.Render(InMenu(b =>
        {
            b.OpenComponent<MudNavLink>(0);
            b.AddComponentParameter(1, nameof(MudNavLink.Href), href);
            b.AddComponentParameter(2, nameof(MudNavLink.Icon), Icons.Material.Filled.Inbox);
            b.AddComponentParameter(3, nameof(MudNavLink.Match), match);
            b.AddComponentParameter(4, nameof(MudNavLink.ChildContent), (RenderFragment)(c => c.AddContent(0, "Approval queue")));
            b.CloseComponent();
        }));

        // The same classes, attributes (href, tab order, active state) and icon: the navigation looks and reads as before.
        ours.MarkupMatches(mud.Markup);
        Assert.Equal(href == "" ? 1 : 0, ours.FindAll("a.active").Count);
    }

    [Fact]
    public async Task DistrictCoordinatorsMenu_IsTwoComponentsPerLink_WithNoMudBlazorLinkOrIcon()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var scope = await database.Get<ScopeService>().GetScopeAsync(TestState.CallerFor(state.DistrictA));
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        var renders = new RenderLog();
        ctx.Services.AddSingleton<ILoggerFactory>(renders);

        var menu = ctx.Render<NavMenu>(p => p.Add(m => m.Scope, scope));

        // Every open page holds its navigation for as long as it stays open, and each component is a render tree and
        // state of its own: a link is our NavItem and the NavLink in it, nothing more.
        var links = menu.FindAll("nav[aria-label='Main navigation'] a").Count;
        Assert.Equal(19, links);
        Assert.Equal(links, renders.Created<NavItem>());
        Assert.Equal(links, renders.Created<NavLink>());
        Assert.Equal(0, renders.Created<MudNavLink>());
        Assert.Equal(0, renders.Created<MudIcon>());
        // The menu itself, its cascading context, the grouped links and the queue badge come on top of the links.
        Assert.InRange(renders.CreatedInAll, 2 * links, 2 * links + 10);
    }

    private static RenderFragment InMenu(RenderFragment link) => b =>
    {
        b.OpenComponent<MudNavMenu>(0);
        b.AddComponentParameter(1, nameof(MudNavMenu.ChildContent), link);
        b.CloseComponent();
    };
}

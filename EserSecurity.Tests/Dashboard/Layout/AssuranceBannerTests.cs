using Bunit;
using EserSecurity.Dashboard.Components.Layout;
using EserSecurity.Tests.Core.Assurance;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Tests.Dashboard.Layout;

public sealed class AssuranceBannerTests
{
    [Fact]
    public async Task Unsigned_ShowsOverdueBannerOnEveryPage_ThatLeavesLiveOnSigning()
    {
        var (database, state) = await AssuranceTestSupport.ArrangeAsync();
        await using var _ = database;
        var version = await AssuranceTestSupport.PublishAsync(database, state);
        await using var ctx = DashboardContext.Create(database, state.UserA1.Username);
        RenderFragment body = b => b.AddMarkupContent(0, "<p id='page-body'>page</p>");

        var layout = ctx.Render<MainLayout>(p => p.Add(l => l.Body, body));

        layout.WaitForAssertion(() => Assert.Contains("2026–27 confidentiality assurance is overdue", layout.Find("[data-testid=assurance-banner]").TextContent));
        Assert.Contains("due by July 30, 2026", layout.Find("[data-testid=assurance-banner]").TextContent);
        Assert.Equal("assurance/sign", layout.Find("[data-testid=assurance-banner] a").GetAttribute("href"));
        Assert.Equal("Sign confidentiality assurance", layout.Find("[data-testid=assurance-banner] a").TextContent.Trim());

        await AssuranceTestSupport.SignAsync(database, state.UserA1, version);

        layout.WaitForAssertion(() => Assert.Empty(layout.FindAll("[data-testid=assurance-banner]")));
        Assert.Equal("page", layout.Find("main #page-body").TextContent);
    }

    [Fact]
    public async Task InsideTheGracePeriod_TheBannerSaysDueAndByWhen()
    {
        var (database, state) = await AssuranceTestSupport.ArrangeAsync(new DateTimeOffset(2026, 7, 10, 12, 0, 0, TimeSpan.Zero));
        await using var _ = database;
        await AssuranceTestSupport.PublishAsync(database, state);
        await using var ctx = DashboardContext.Create(database, state.UserA1.Username);

        var banner = ctx.Render<AssuranceBanner>();

        banner.WaitForAssertion(() => Assert.Contains("is due: sign it by July 30, 2026", banner.Find("[data-testid=assurance-banner]").TextContent));
    }

    [Fact]
    public async Task NoStatementPublished_NoBanner_UntilOneIsPublished()
    {
        var (database, state) = await AssuranceTestSupport.ArrangeAsync();
        await using var _ = database;
        await using var ctx = DashboardContext.Create(database, state.UserA1.Username);
        var banner = ctx.Render<AssuranceBanner>();
        banner.WaitForState(() => banner.Instance is not null);
        Assert.Empty(banner.FindAll("[data-testid=assurance-banner]"));

        await AssuranceTestSupport.PublishAsync(database, state);

        banner.WaitForAssertion(() => Assert.Contains("2026–27 confidentiality assurance is overdue", banner.Find("[data-testid=assurance-banner]").TextContent));
    }

    [Fact]
    public async Task OnTheSigningPageItself_TheBannerStandsAside()
    {
        var (database, state) = await AssuranceTestSupport.ArrangeAsync();
        await using var _ = database;
        await AssuranceTestSupport.PublishAsync(database, state);
        await using var ctx = DashboardContext.Create(database, state.UserA1.Username);
        var banner = ctx.Render<AssuranceBanner>();
        banner.WaitForAssertion(() => Assert.Contains("2026–27 confidentiality assurance is overdue", banner.Find("[data-testid=assurance-banner]").TextContent));

        await banner.InvokeAsync(() => ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("assurance/sign"));

        banner.WaitForAssertion(() => Assert.Empty(banner.FindAll("[data-testid=assurance-banner]")));
    }
}

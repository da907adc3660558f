using EserSecurity.Core.Data;
using EserSecurity.DemoState;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EserSecurity.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class DocumentsBrowserTests(ConsoleServer server)
{
    private async Task<(int Own, int Other, string OwnCode)> SchoolSystemsAsync()
    {
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>().CreateDbContextAsync();
        var own = await db.StaffMembers.Where(s => s.Username == DemoPeople.DistrictCoordinator).Select(s => s.SchoolSystem!).SingleAsync();
        var other = await db.SchoolSystems.Where(s => s.Id != own.Id).OrderBy(s => s.Id).Select(s => s.Id).FirstAsync();
        return (own.Id, other, own.Code);
    }

    [Fact]
    public async Task StateAdministrator_DownloadsAOnePagerFromTheDocumentsPage_WhichPassesAxe()
    {
        var (own, _, code) = await SchoolSystemsAsync();
        var page = await server.SignInAsync(DemoPeople.StateAdmin);
        await page.GotoAsync($"/documents?doc=coordinator-setup&lea={own}");
        await ConsoleServer.WaitForCircuitAsync(page);
        await Assertions.Expect(page.Locator("iframe.preview")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download" }).First.ClickAsync());

        Assert.Equal($"coordinator-setup-{code}.pdf", download.SuggestedFilename);
        var path = await download.PathAsync();
        var bytes = await File.ReadAllBytesAsync(path!);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("authorized-users")]
    [InlineData("authorized-users-csv")]
    [InlineData("coordinator-setup")]
    [InlineData("gaining-access")]
    public async Task Coordinator_GetsTheirOwnDocument_ButNotAnotherSchoolSystemsByChangingTheId(string kind)
    {
        var (own, other, _) = await SchoolSystemsAsync();
        var page = await server.SignInAsync(DemoPeople.DistrictCoordinator);

        var mine = await page.Context.APIRequest.GetAsync($"/documents/files/{kind}/{own}");
        var theirs = await page.Context.APIRequest.GetAsync($"/documents/files/{kind}/{other}");

        Assert.Equal(200, mine.Status);
        Assert.Equal(403, theirs.Status);
        Assert.Contains("Documents page", await theirs.TextAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SignedOutVisitor_GetsNoDocument()
    {
        var (own, _, _) = await SchoolSystemsAsync();
        var context = await server.NewContextAsync();

        var response = await context.APIRequest.GetAsync($"/documents/files/authorized-users/{own}", new() { MaxRedirects = 0 });

        Assert.NotEqual(200, response.Status);
        await context.CloseAsync();
    }
}

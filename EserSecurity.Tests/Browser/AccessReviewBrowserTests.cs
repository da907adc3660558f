using EserSecurity.Core.Data;
using EserSecurity.Core.Reviews;
using EserSecurity.Core.Security;
using EserSecurity.DemoState;
using EserSecurity.Tests.Core.Documents;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EserSecurity.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class AccessReviewBrowserTests(ConsoleServer server)
{
    private AccessReviewService Reviews => server.Services.GetRequiredService<AccessReviewService>();

    private async Task<Caller> CallerOfAsync(string username) => (await TestPeople.FindAsync(server.Services, username))!.ToCaller();

    private static async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), $"review-{name}.png"), FullPage = true });

    [Fact]
    public async Task Review_FromOpeningToSignOff_WithTheReportDownloaded_PassesAxeOnEveryPageAndAfterALiveUpdate()
    {
        var district = await CallerOfAsync(DemoPeople.DistrictCoordinator);
        var supervisor = await CallerOfAsync(DemoPeople.SpedSupervisor);
        var schoolSystemId = (await server.Services.GetRequiredService<ScopeService>().GetScopeAsync(district)).DistrictSchoolSystemIds.Single();
        // The demo state comes with a review of this school system in progress; it is finished through Core first, so the
        // state administrator can open the next one.
        await FinishOpenReviewsAsync(schoolSystemId, district, supervisor);

        var admin = await server.SignInAsync(DemoPeople.StateAdmin);
        await admin.GotoAsync("/reviews");
        await ConsoleServer.WaitForCircuitAsync(admin);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Open review period" }).ClickAsync();
        await Assertions.Expect(admin.GetByTestId("open-review-result")).ToContainTextAsync("reviews opened");
        var reviewId = await OpenReviewIdAsync(schoolSystemId);
        await Assertions.Expect(admin.Locator($"a[href='reviews/{reviewId}']")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(admin);
        await ScreenshotAsync(admin, "list");

        var coordinator = await server.SignInAsync(DemoPeople.DistrictCoordinator);
        await coordinator.GotoAsync($"/reviews/{reviewId}");
        await ConsoleServer.WaitForCircuitAsync(coordinator);
        await Accessibility.AssertNoSeriousViolationsAsync(coordinator);
        // A grant without IEP Forms, so the coordinator's decision alone decides the item and the progress moves.
        var endRow = coordinator.Locator("tbody tr").Filter(new() { HasNotText = "IEP Forms", Has = coordinator.GetByRole(AriaRole.Button, new() { NameRegex = new("^End ") }) }).First;
        var endButton = endRow.GetByRole(AriaRole.Button, new() { NameRegex = new("^End ") });
        var endName = await endButton.GetAttributeAsync("aria-label");
        await endButton.ClickAsync();
        await coordinator.GetByLabel("Reason (the person sees it under their access)").FillAsync("No longer on the caseload.");
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Mark to end" }).ClickAsync();
        await Assertions.Expect(coordinator.GetByTestId("decision-outcome")).ToContainTextAsync("Marked to end");
        await Assertions.Expect(coordinator.GetByRole(AriaRole.Button, new() { Name = endName! })).ToHaveCountAsync(0);
        // The state administrator's progress view follows the decision live.
        var progressRow = admin.Locator("tr", new() { Has = admin.Locator($"a[href='reviews/{reviewId}']") });
        await Assertions.Expect(progressRow.GetByTestId("share-decided")).ToContainTextAsync("(1 of");
        await Accessibility.HoldAnimationsAsync(admin);
        await Accessibility.AssertNoSeriousViolationsAsync(admin);

        // The other coordinator keeps one grant on their own page; the first coordinator's open page follows without a reload.
        var other = await server.SignInAsync(DemoPeople.DistrictCoordinator2);
        await other.GotoAsync($"/reviews/{reviewId}");
        await ConsoleServer.WaitForCircuitAsync(other);
        var keepButton = other.GetByRole(AriaRole.Button, new() { NameRegex = new("^Keep ") }).First;
        var keepName = await keepButton.GetAttributeAsync("aria-label");
        await keepButton.ClickAsync();
        await Assertions.Expect(other.GetByTestId("decision-outcome")).ToContainTextAsync("Kept");
        await Assertions.Expect(coordinator.GetByRole(AriaRole.Button, new() { Name = keepName! })).ToHaveCountAsync(0);
        await Accessibility.HoldAnimationsAsync(coordinator);
        await Accessibility.AssertNoSeriousViolationsAsync(coordinator);
        await ScreenshotAsync(coordinator, "decided");
        await other.Context.CloseAsync();

        var coordinator2 = await CallerOfAsync(DemoPeople.DistrictCoordinator2);
        await Reviews.BulkDecideAsync(coordinator2, await UndecidedAsync(reviewId, coordinator2, asSupervisor: false), ReviewDecision.Keep, null, asSupervisor: false);
        var iep = await UndecidedAsync(reviewId, supervisor, asSupervisor: true);
        await Reviews.BulkDecideAsync(supervisor, iep, ReviewDecision.Keep, null, asSupervisor: true);
        var signing = await server.SignInAsync(DemoPeople.SpedSupervisor);
        await signing.GotoAsync($"/reviews/{reviewId}");
        await ConsoleServer.WaitForCircuitAsync(signing);
        await Assertions.Expect(signing.GetByTestId("sign-off-statement")).ToContainTextAsync("I reviewed these");
        await signing.GetByLabel("Type your full name to sign").FillAsync(supervisor.DisplayName);
        await signing.GetByRole(AriaRole.Button, new() { Name = "Sign off and end marked grants" }).ClickAsync();
        await Assertions.Expect(signing.GetByTestId("sign-off-result")).ToContainTextAsync("1 ended");
        await Assertions.Expect(signing.GetByTestId("signed-off")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(signing);
        await ScreenshotAsync(signing, "signed-off");

        var download = await signing.RunAndWaitForDownloadAsync(() => signing.GetByRole(AriaRole.Link, new() { Name = "Download report (PDF)" }).ClickAsync());
        var pdf = await File.ReadAllBytesAsync((await download.PathAsync())!);
        var text = PdfText.All(pdf);
        Assert.StartsWith("access-review-", download.SuggestedFilename);
        Assert.Contains($"Signed off by {supervisor.DisplayName}", text);
        Assert.Contains("No longer on the caseload.", text);

        await admin.Context.CloseAsync();
        await coordinator.Context.CloseAsync();
        await signing.Context.CloseAsync();
    }

    private async Task FinishOpenReviewsAsync(int schoolSystemId, Caller district, Caller supervisor)
    {
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>().CreateDbContextAsync();
        var open = await db.AccessReviews.Where(r => r.SchoolSystemId == schoolSystemId && r.Status != AccessReviewStatus.Completed)
            .Select(r => r.Id).ToListAsync();
        foreach (var id in open)
        {
            await Reviews.BulkDecideAsync(district, await UndecidedAsync(id, district, false), ReviewDecision.Keep, null, asSupervisor: false);
            await Reviews.BulkDecideAsync(supervisor, await UndecidedAsync(id, supervisor, true), ReviewDecision.Keep, null, asSupervisor: true);
            var items = (await Reviews.GetReviewAsync(supervisor, id)).Review.Items;
            await Reviews.SignOffAsync(supervisor, id, supervisor.DisplayName, items);
        }
    }

    private async Task<int> OpenReviewIdAsync(int schoolSystemId)
    {
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>().CreateDbContextAsync();
        return await db.AccessReviews.Where(r => r.SchoolSystemId == schoolSystemId && r.Status != AccessReviewStatus.Completed)
            .Select(r => r.Id).SingleAsync();
    }

    private async Task<IReadOnlyList<int>> UndecidedAsync(int reviewId, Caller caller, bool asSupervisor)
    {
        var items = await Reviews.ReadItemsAsync(caller, reviewId, new ReviewItemQuery(true, null, null, false, 0, 100_000));
        return items.Items
            .Where(i => asSupervisor ? i.NeedsSupervisor && i.SupervisorDecision == AccessReviewDecision.Undecided : i.Decision == AccessReviewDecision.Undecided)
            .Select(i => i.Id).ToList();
    }
}

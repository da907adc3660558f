using EserSecurity.Tests.Support;
using System.Globalization;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Data;
using EserSecurity.DemoState;
using EserSecurity.Core.Readiness;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace EserSecurity.Tests.Browser;

/// <summary>
/// axe-core on pages that a live update has just changed: a live change can bring content the first load never shows
/// (a highlighted row, a figure or a status that moved), so these pages are checked after the change as well.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveAccessibilityBrowserTests(ConsoleServer server)
{
    private async Task<Caller> CallerOfAsync(string username) =>
        (await TestPeople.FindAsync(server.Services, username))!.ToCaller();

    private static ILocator OpenButton(IPage page, int requestId) =>
        page.GetByRole(AriaRole.Button, new() { NameRegex = new($"^Open request {requestId} from ") });

    private static string Figure(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static async Task<int> FigureAsync(IPage page, string testId) =>
        int.Parse(await page.GetByTestId(testId).InnerTextAsync(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    [Fact]
    public async Task ObservingCoordinatorsQueue_AfterAnotherCoordinatorApproves_PassesAxeWithTheArrivedRowHighlighted()
    {
        // The observer's first page is the 25 oldest requests; approving the oldest brings the 26th into view.
        var coordinator = await CallerOfAsync(DemoPeople.DistrictCoordinator);
        var oldest = await server.Services.GetRequiredService<ApprovalQueue>()
            .GetCoordinatorQueueAsync(coordinator, new QueueQuery(Stage: QueueStage.PendingCoordinator, PageSize: 26));
        Assert.True(oldest.Items.Count == 26, "The demo school system has more requests waiting than one page shows.");
        var approved = oldest.Items[0];
        var arriving = oldest.Items[25];
        var staleAfter = TimeSpan.FromDays(server.Services.GetRequiredService<IOptions<QueueOptions>>().Value.StaleAfterDays);
        Assert.True(DateTimeOffset.UtcNow - arriving.SubmittedAt > staleAfter,
            "The arriving request is stale, so its age shows in the stale colour on the arrival highlight.");

        var observer = await server.SignInAsync(DemoPeople.DistrictCoordinator2);
        await observer.GotoAsync("/queue");
        await ConsoleServer.WaitForCircuitAsync(observer);
        await Assertions.Expect(OpenButton(observer, approved.Id)).ToBeVisibleAsync();
        await Assertions.Expect(OpenButton(observer, arriving.Id)).ToHaveCountAsync(0);

        var deciding = await server.SignInAsync(DemoPeople.DistrictCoordinator);
        await deciding.GotoAsync($"/queue?search={approved.StaffId}");
        await ConsoleServer.WaitForCircuitAsync(deciding);
        await OpenButton(deciding, approved.Id).ClickAsync();
        await deciding.GetByRole(AriaRole.Button, new() { Name = $"Approve request {approved.Id}" }).ClickAsync();
        await Assertions.Expect(deciding.GetByTestId("decision-outcome")).ToContainTextAsync("Approved");

        await Assertions.Expect(OpenButton(observer, approved.Id)).ToHaveCountAsync(0);
        var arrived = observer.Locator("tr.row-new");
        await Assertions.Expect(arrived).ToHaveCountAsync(1);
        await Assertions.Expect(arrived.GetByRole(AriaRole.Button, new() { NameRegex = new($"^Open request {arriving.Id} from ") })).ToBeVisibleAsync();
        await Accessibility.HoldAnimationsAsync(observer);
        await Accessibility.AssertNoSeriousViolationsAsync(observer);

        await observer.Context.CloseAsync();
        await deciding.Context.CloseAsync();
    }

    [Fact]
    public async Task ReadinessAndAssuranceStatusPages_AfterAPersonSignsElsewhere_PassAxe()
    {
        var coordinator = await CallerOfAsync(DemoPeople.DistrictCoordinator);
        var schoolSystemId = (await server.Services.GetRequiredService<ScopeService>().GetScopeAsync(coordinator)).DistrictSchoolSystemIds.Single();
        var signer = await UnsignedLegacyUserWithAGrantAsync(coordinator, schoolSystemId);

        var readiness = await server.SignInAsync(DemoPeople.DistrictCoordinator);
        await readiness.GotoAsync($"/readiness/{schoolSystemId}?reason=assurancenotsigned");
        await ConsoleServer.WaitForCircuitAsync(readiness);
        await Assertions.Expect(readiness.GetByTestId("total-assurance")).ToBeVisibleAsync();
        var withAssurance = await FigureAsync(readiness, "total-assurance");
        var ready = await FigureAsync(readiness, "total-ready");

        var status = await readiness.Context.NewPageAsync();
        await status.GotoAsync($"/assurance/status?search={signer.StaffId}");
        await ConsoleServer.WaitForCircuitAsync(status);
        var signerRow = status.Locator("tbody.mud-table-body tr", new() { HasText = signer.FullName });
        await Assertions.Expect(signerRow).ToContainTextAsync(new System.Text.RegularExpressions.Regex("Due|Overdue"));
        var signed = await FigureAsync(status, "status-signed");

        await SignAsync(signer);

        await Assertions.Expect(readiness.GetByTestId("total-assurance")).ToHaveTextAsync(Figure(withAssurance + 1));
        await Assertions.Expect(readiness.GetByTestId("total-ready")).ToHaveTextAsync(Figure(ready + 1));
        await Accessibility.AssertNoSeriousViolationsAsync(readiness);

        await Assertions.Expect(status.GetByTestId("status-signed")).ToHaveTextAsync(Figure(signed + 1));
        await Assertions.Expect(signerRow).ToContainTextAsync("Signed");
        await Accessibility.AssertNoSeriousViolationsAsync(status);

        await readiness.Context.CloseAsync();
    }

    /// <summary>
    /// An active staff member of the school system who can sign in, whom TAS lists there, who holds an eSER grant there and
    /// has not signed this year's assurance: signing makes them ready. Not one of the demo people, whom other tests use.
    /// </summary>
    private async Task<StaffMember> UnsignedLegacyUserWithAGrantAsync(Caller coordinator, int schoolSystemId)
    {
        var notSigned = await server.Services.GetRequiredService<ReadinessService>()
            .GetNotReadyAsync(coordinator, new NotReadyQuery(schoolSystemId, Reason: NotReadyReason.AssuranceNotSigned, PageSize: 500));
        var ids = notSigned.Items.Select(p => p.StaffMemberId).ToList();
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>().CreateDbContextAsync();
        var people = await db.StaffMembers.AsNoTracking()
            .Where(s => ids.Contains(s.Id) && s.SchoolSystemId == schoolSystemId && s.EmploymentStatus == EmploymentStatus.Active
                && s.Username != null && !DemoPeople.All.Contains(s.Username))
            .ToListAsync();
        Assert.True(people.Count > 0, "The demo school system has legacy users with a grant and this year's assurance unsigned.");
        return people.OrderBy(s => s.Id).First();
    }

    /// <summary>Signs this school year's assurance in a browser of the signer's own.</summary>
    private async Task SignAsync(StaffMember signer)
    {
        var statement = await server.Services.GetRequiredService<StatementService>().GetCurrentAsync(DateOnly.FromDateTime(DateTime.UtcNow))
            ?? throw new InvalidOperationException("The Small demo state publishes this school year's statement.");
        var page = await server.SignInAsync(signer.Username!);
        await page.GotoAsync("/assurance/sign");
        await ConsoleServer.WaitForCircuitAsync(page);
        foreach (var acknowledgement in statement.Acknowledgements)
        {
            await page.GetByText(acknowledgement, new() { Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = acknowledgement, Exact = true })).ToBeCheckedAsync();
        }
        await page.GetByLabel("Your full name").FillAsync(signer.FullName);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign statement" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("verification-code")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}

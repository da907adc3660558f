using EserSecurity.Tests.Support;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Data;
using EserSecurity.DemoState;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EserSecurity.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class QueueBrowserTests(ConsoleServer server)
{
    private async Task<string> StaffIdOfAsync(string username)
    {
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>().CreateDbContextAsync();
        return await db.StaffMembers.Where(s => s.Username == username).Select(s => s.StaffId).SingleAsync();
    }

    /// <summary>A request waiting for the demo district's coordinators, chosen from the database the console uses.</summary>
    private async Task<QueueRow> PendingRequestAsync(bool iepForms, int skip)
    {
        var coordinator = await TestPeople.FindAsync(server.Services, DemoPeople.DistrictCoordinator);
        var queue = await server.Services.GetRequiredService<ApprovalQueue>()
            .GetCoordinatorQueueAsync(coordinator!.ToCaller(), new QueueQuery(Stage: QueueStage.PendingCoordinator, PageSize: 200));
        // One request per person, so a filter on the requester shows exactly that row.
        return queue.Items.Where(r => r.GrantsIepForms == iepForms).GroupBy(r => r.RequesterId)
            .Where(g => g.Count() == 1).Select(g => g.Single()).Skip(skip).First();
    }

    private static ILocator OpenButton(IPage page, int requestId) =>
        page.GetByRole(AriaRole.Button, new() { NameRegex = new($"^Open request {requestId} from ") });

    private static async Task ChooseAsync(IPage page, string label, string option)
    {
        await page.GetByLabel(label, new() { Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = option }).First.ClickAsync();
    }

    [Fact]
    public async Task StaffUserSubmits_AndTheCoordinatorsOpenQueueShowsItWithoutReload()
    {
        var staffId = await StaffIdOfAsync(DemoPeople.StaffUser);
        var coordinator = await server.SignInAsync(DemoPeople.DistrictCoordinator);
        await coordinator.GotoAsync($"/queue?search={staffId}");
        await ConsoleServer.WaitForCircuitAsync(coordinator);
        await Assertions.Expect(coordinator.GetByTestId("grid-total")).ToHaveTextAsync("0 requests");

        var user = await server.SignInAsync(DemoPeople.StaffUser);
        await user.GotoAsync("/requests/new");
        await ConsoleServer.WaitForCircuitAsync(user);
        await ChooseAsync(user, "Role", "Read-Only Viewer");
        await user.GetByLabel("Why your duties need this role").FillAsync("I review my students' evaluations before IEP meetings.");
        await user.GetByRole(AriaRole.Button, new() { Name = "Submit request" }).ClickAsync();
        await Assertions.Expect(user.GetByTestId("request-submitted")).ToBeVisibleAsync();
        var requestId = int.Parse(System.Text.RegularExpressions.Regex.Match(await user.GetByTestId("request-submitted").InnerTextAsync(), @"#(\d+)").Groups[1].Value);

        await Assertions.Expect(OpenButton(coordinator, requestId)).ToBeVisibleAsync();
        await Assertions.Expect(coordinator.Locator("tr.row-new")).ToHaveCountAsync(1);
        await Assertions.Expect(coordinator.GetByTestId("grid-total")).ToHaveTextAsync("1 request");

        await user.GotoAsync("/requests/mine");
        await Assertions.Expect(user.GetByTestId("own-request").First).ToContainTextAsync("Read-Only Viewer");
        await coordinator.Context.CloseAsync();
        await user.Context.CloseAsync();
    }

    [Fact]
    public async Task OneCoordinatorApproves_AndTheOtherCoordinatorsOpenQueueDropsTheRow()
    {
        var request = await PendingRequestAsync(iepForms: false, skip: 0);
        var other = await server.SignInAsync(DemoPeople.DistrictCoordinator2);
        await other.GotoAsync($"/queue?search={request.StaffId}");
        await ConsoleServer.WaitForCircuitAsync(other);
        await Assertions.Expect(OpenButton(other, request.Id)).ToBeVisibleAsync();
        var badgeBefore = int.Parse(await other.GetByTestId("queue-badge").InnerTextAsync(), System.Globalization.NumberStyles.AllowThousands);

        var deciding = await server.SignInAsync(DemoPeople.DistrictCoordinator);
        await deciding.GotoAsync($"/queue?search={request.StaffId}");
        await ConsoleServer.WaitForCircuitAsync(deciding);
        await OpenButton(deciding, request.Id).ClickAsync();
        await deciding.GetByRole(AriaRole.Button, new() { Name = $"Approve request {request.Id}" }).ClickAsync();
        await Assertions.Expect(deciding.GetByTestId("decision-outcome")).ToContainTextAsync("Approved");

        await Assertions.Expect(OpenButton(other, request.Id)).ToHaveCountAsync(0);
        await Assertions.Expect(other.GetByTestId("queue-badge")).ToHaveTextAsync((badgeBefore - 1).ToString("N0"));
        await other.Context.CloseAsync();
        await deciding.Context.CloseAsync();
    }

    [Fact]
    public async Task CoordinatorApprovesIepFormsRequest_AndItAppearsInTheSupervisorsQueue()
    {
        var request = await PendingRequestAsync(iepForms: true, skip: 0);
        var supervisor = await server.SignInAsync(DemoPeople.SpedSupervisor);
        await supervisor.GotoAsync($"/supervisor?search={request.StaffId}");
        await ConsoleServer.WaitForCircuitAsync(supervisor);
        await Assertions.Expect(OpenButton(supervisor, request.Id)).ToHaveCountAsync(0);

        var coordinator = await server.SignInAsync(DemoPeople.DistrictCoordinator);
        await coordinator.GotoAsync($"/queue?search={request.StaffId}");
        await ConsoleServer.WaitForCircuitAsync(coordinator);
        await OpenButton(coordinator, request.Id).ClickAsync();
        await coordinator.GetByRole(AriaRole.Button, new() { Name = $"Approve request {request.Id}" }).ClickAsync();
        await Assertions.Expect(coordinator.GetByTestId("decision-outcome")).ToContainTextAsync("special education supervisor");

        await Assertions.Expect(OpenButton(supervisor, request.Id)).ToBeVisibleAsync();
        await OpenButton(supervisor, request.Id).ClickAsync();
        await supervisor.GetByRole(AriaRole.Button, new() { Name = $"Endorse request {request.Id}" }).ClickAsync();
        await Assertions.Expect(supervisor.GetByTestId("decision-outcome")).ToContainTextAsync("is granted");
        await Assertions.Expect(OpenButton(supervisor, request.Id)).ToHaveCountAsync(0);
        await supervisor.Context.CloseAsync();
        await coordinator.Context.CloseAsync();
    }

    [Fact]
    public async Task RequestQueueAndMyRequestsPages_PassAxe()
    {
        var user = await server.SignInAsync(DemoPeople.StaffUser);
        await user.GotoAsync("/requests/new");
        await ConsoleServer.WaitForCircuitAsync(user);
        await ChooseAsync(user, "Role", "IEP Forms Writer");
        await Assertions.Expect(user.GetByText("the special education supervisor must endorse it")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(user);
        await user.GotoAsync("/requests/mine");
        await ConsoleServer.WaitForCircuitAsync(user);
        await Accessibility.AssertNoSeriousViolationsAsync(user);

        var coordinator = await server.SignInAsync(DemoPeople.DistrictCoordinator);
        await coordinator.GotoAsync("/queue");
        await ConsoleServer.WaitForCircuitAsync(coordinator);
        await coordinator.GetByRole(AriaRole.Button, new() { NameRegex = new("^Open request ") }).First.ClickAsync();
        await Assertions.Expect(coordinator.GetByRole(AriaRole.Region, new() { NameRegex = new("^Request \\d+") })).ToBeVisibleAsync();
        await Assertions.Expect(coordinator.GetByRole(AriaRole.Textbox, new() { NameRegex = new("^Access ends \\(last day\\) for request ") })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(coordinator);
        await coordinator.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "queue-detail.png") });

        var supervisor = await server.SignInAsync(DemoPeople.SpedSupervisor);
        await supervisor.GotoAsync("/supervisor");
        await ConsoleServer.WaitForCircuitAsync(supervisor);
        await Accessibility.AssertNoSeriousViolationsAsync(supervisor);
        await user.Context.CloseAsync();
        await coordinator.Context.CloseAsync();
        await supervisor.Context.CloseAsync();
    }
}

using EserSecurity.Core.AccessRequests;
using EserSecurity.DemoState;
using EserSecurity.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EserSecurity.Tests.Browser;

/// <summary>Two console instances over one PostgreSQL database: a decision on one reaches the pages open on the other.</summary>
[Collection(TwoConsolesCollection.Name)]
[Trait("Database", "PostgresOnly")]
public sealed class TwoConsolesBrowserTests(TwoConsolesServer server)
{
    private static ILocator OpenButton(IPage page, int requestId) =>
        page.GetByRole(AriaRole.Button, new() { NameRegex = new($"^Open request {requestId} from ") });

    [Fact]
    public async Task CoordinatorApprovesOnTheFirstConsole_AndTheSameQueueOpenOnTheSecondDropsTheRowWithoutReload()
    {
        var coordinator = await TestPeople.FindAsync(server.Services, DemoPeople.DistrictCoordinator);
        var queue = await server.Services.GetRequiredService<ApprovalQueue>()
            .GetCoordinatorQueueAsync(coordinator!.ToCaller(), new QueueQuery(Stage: QueueStage.PendingCoordinator, PageSize: 200));
        // One request per person, so a filter on the requester shows exactly that row.
        var request = queue.Items.Where(r => !r.GrantsIepForms).GroupBy(r => r.RequesterId)
            .Where(g => g.Count() == 1).Select(g => g.Single()).First();

        var watching = await server.SignInAsync(DemoPeople.DistrictCoordinator2, server.SecondBaseUrl);
        await watching.GotoAsync($"/queue?search={request.StaffId}");
        await ConsoleServer.WaitForCircuitAsync(watching);
        await Assertions.Expect(OpenButton(watching, request.Id)).ToBeVisibleAsync();
        var badgeBefore = int.Parse(await watching.GetByTestId("queue-badge").InnerTextAsync(), System.Globalization.NumberStyles.AllowThousands);

        var deciding = await server.SignInAsync(DemoPeople.DistrictCoordinator);
        await deciding.GotoAsync($"/queue?search={request.StaffId}");
        await ConsoleServer.WaitForCircuitAsync(deciding);
        await OpenButton(deciding, request.Id).ClickAsync();
        await deciding.GetByRole(AriaRole.Button, new() { Name = $"Approve request {request.Id}" }).ClickAsync();
        await Assertions.Expect(deciding.GetByTestId("decision-outcome")).ToContainTextAsync("Approved");

        await Assertions.Expect(OpenButton(watching, request.Id)).ToHaveCountAsync(0);
        await Assertions.Expect(watching.GetByTestId("grid-total")).ToHaveTextAsync("0 requests");
        await Assertions.Expect(watching.GetByTestId("queue-badge")).ToHaveTextAsync((badgeBefore - 1).ToString("N0"));
        await watching.Context.CloseAsync();
        await deciding.Context.CloseAsync();
    }
}

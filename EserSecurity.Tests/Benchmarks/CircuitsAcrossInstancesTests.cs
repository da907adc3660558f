extern alias benchmarks;

using System.Globalization;
using benchmarks::EserSecurity.Benchmarks.Circuits;
using EserSecurity.DemoState;
using EserSecurity.Tests.Browser;

namespace EserSecurity.Tests.Benchmarks;

/// <summary>
/// The circuit load benchmark's headless client over two console instances sharing one PostgreSQL database, as the
/// circuits command with --instances 2 holds them: a decision made on the first reaches circuits open on both.
/// </summary>
[Collection(TwoConsolesCollection.Name)]
[Trait("Database", "PostgresOnly")]
public sealed class CircuitsAcrossInstancesTests(TwoConsolesServer server)
{
    [Fact]
    public async Task QueueCircuitsOnTwoInstances_WhenACoordinatorApprovesOnTheFirst_EachReceivesTheBatchThatDropsItsRow()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        // One sign-in cookie for both instances: the sign-in keys are shared through the database.
        var observer = await server.SignInAsync(DemoPeople.DistrictCoordinator2);
        var cookie = string.Join("; ", (await observer.Context.CookiesAsync()).Select(c => $"{c.Name}={c.Value}"));
        await observer.Context.CloseAsync();
        var decider = new BrowserDecider(await server.SignInAsync(DemoPeople.DistrictCoordinator));
        await decider.OpenQueueAsync();

        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false });
        string[] urls = [server.BaseUrl, server.SecondBaseUrl];
        var circuits = new List<QueueCircuit>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                circuits.Add(await QueueCircuit.OpenAsync(http, urls[CircuitLoadOptions.InstanceOf(i, urls.Length)], "/queue", cookie, timeout.Token));
            }
            var requestId = await decider.FirstRequestAsync();
            var totalsBefore = circuits.Select(c => TotalOf(c.Total)).ToList();
            await decider.PrepareAsync(requestId);
            var drops = circuits.Select(c => c.WatchRowDrop(requestId)).ToList();

            await decider.ApproveAsync(requestId);
            var dropped = await Task.WhenAll(drops).WaitAsync(timeout.Token);

            Assert.All(circuits, c => Assert.Null(c.Failure));
            Assert.Equal(totalsBefore.Select(t => t - 1), circuits.Select(c => TotalOf(c.Total)));
            Assert.All(dropped, d => Assert.True(d.Edits > 0, $"The row's batch had {d.Edits} edits."));
        }
        finally
        {
            foreach (var circuit in circuits)
            {
                await circuit.DisposeAsync();
            }
        }
    }

    private static int TotalOf(string? total) =>
        int.Parse((total ?? throw new InvalidOperationException("The circuit never showed a total.")).Split(' ')[0], NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
}

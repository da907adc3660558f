using System.Net;
using EserSecurity.Tests.Support;

namespace EserSecurity.Tests.Dashboard.Hosting;

/// <summary>The document and CSV downloads in a test server with the console's sign-in, over real Core services (<see cref="DownloadHost"/>).</summary>
public sealed class DocumentEndpointLimitTests
{
    [Fact]
    public async Task PastThePerPersonLimit_ADownloadIsRefusedWithWhatToDo_AndOthersStillGetTheirs()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var host = await DownloadHost.StartAsync(database, new Dictionary<string, string?> { ["Documents:PerPersonPerMinute"] = "2" });
        var admin = await host.SignInAsync(state.StateAdmin.Username!);
        var coordinator = await host.SignInAsync(state.DistrictA.Username!);
        var csv = $"/documents/files/authorized-users-csv/{state.LeaA.Id}";

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(csv)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(csv)).StatusCode);
        var refused = await admin.GetAsync(csv);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("more documents in the last minute than the console makes for one person. Wait 60 seconds and try again.",
            await refused.Content.ReadAsStringAsync());
        Assert.Equal(TimeSpan.FromSeconds(60), refused.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.OK, (await coordinator.GetAsync(csv)).StatusCode);

        database.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(csv)).StatusCode);
    }
}

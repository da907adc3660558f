using System.Net;
using System.Text;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Grants;
using EserSecurity.Dashboard.Hosting;
using EserSecurity.Tests.Support;

namespace EserSecurity.Tests.Dashboard.Audit;

/// <summary>The audit log's CSV download in a test server with the console's sign-in (<see cref="DownloadHost"/>).</summary>
public sealed class AuditLogExportTests
{
    [Fact]
    public async Task TheExportLinkOfThePage_DownloadsTheEventsItsFiltersSelect()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var grant = await GrantSetup.AddAsync(database, state.UserA3, state.SchoolRole, state.LeaA, state.A3);
        await database.Get<GrantService>().EndAsync(TestState.CallerFor(state.DistrictA), grant.Id, "Left the program.");
        await using var host = await DownloadHost.StartAsync(database);
        var coordinator = await host.SignInAsync(state.DistrictA.Username!);
        var url = DocumentEndpoints.AuditLogCsvUrl(DocumentEndpoints.AuditQueryOf(state.UserA3.Id, null, "accessgrant", "2026-11-28", "2026-11-28", "oldest"));

        using var response = await coordinator.GetAsync("/" + url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audit-log-101-2026-11-28.csv", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        var lines = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains($",{state.DistrictA.FullName},{state.DistrictA.Id},AccessGrant.Ended,AccessGrant,{grant.Id},101,", lines[1]);

        var refused = await coordinator.GetAsync($"/documents/files/audit-log?lea={state.LeaB.Id}");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("Open the Audit log page and choose from your own school systems and people.", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public void TheFiltersOfAUrl_ComeBackAsTheyWere_AndValuesThatDoNotParseAreLeftOut()
    {
        var query = DocumentEndpoints.AuditQueryOf(7, 3, "SECURITY", "2026-11-01", "2026-11-30", "oldest");

        Assert.Equal(new AuditQuery(7, 3, "Security", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), AuditSort.OldestFirst), query);
        Assert.Equal("documents/files/audit-log?person=7&lea=3&show=security&from=2026-11-01&to=2026-11-30&sort=oldest", DocumentEndpoints.AuditLogCsvUrl(query));
        Assert.Equal(new AuditQuery(), DocumentEndpoints.AuditQueryOf(null, null, "nothing", "yesterday", "30/11/2026", "sideways"));
    }
}

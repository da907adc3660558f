using System.Net;
using System.Text;
using EserSecurity.Core.Audit;
using EserSecurity.Dashboard.Hosting;
using EserSecurity.Tests.Support;

namespace EserSecurity.Tests.Dashboard.People;

/// <summary>The complete-history downloads of the person page, in a test server with the console's sign-in (<see cref="DownloadHost"/>).</summary>
public sealed class PersonHistoryDownloadTests
{
    [Fact]
    public async Task StateAdministrator_DownloadsThePdfAndTheCsv_ADistrictCoordinatorIsRefusedWithWhereToGo()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var host = await DownloadHost.StartAsync(database);
        var administrator = await host.SignInAsync(state.StateAdmin.Username!);

        using var pdf = await administrator.GetAsync("/" + DocumentEndpoints.PersonHistoryUrl(state.UserA1.Id, PersonHistoryFormat.Pdf));
        using var csv = await administrator.GetAsync("/" + DocumentEndpoints.PersonHistoryUrl(state.UserA1.Id, PersonHistoryFormat.Csv));

        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"history-{state.UserA1.StaffId}-2026-11-28.pdf", pdf.Content.Headers.ContentDisposition?.FileNameStar ?? pdf.Content.Headers.ContentDisposition?.FileName);
        Assert.StartsWith("%PDF", Encoding.ASCII.GetString(await pdf.Content.ReadAsByteArrayAsync())[..4]);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        var lines = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF').Split("\r\n");
        Assert.Equal("Section,Source,Time (UTC),Who,What,Details,School system,Record", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("Audit events,Live,", StringComparison.Ordinal) && l.Contains(PersonHistory.RetrievedAction, StringComparison.Ordinal));

        var coordinator = await host.SignInAsync(state.DistrictA.Username!);
        using var refused = await coordinator.GetAsync("/" + DocumentEndpoints.PersonHistoryUrl(state.UserA1.Id, PersonHistoryFormat.Csv));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("Open the person's page as a state administrator.", await refused.Content.ReadAsStringAsync());
    }
}

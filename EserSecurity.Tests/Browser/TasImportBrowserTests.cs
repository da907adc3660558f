using EserSecurity.Core.Data;
using EserSecurity.DemoState;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EserSecurity.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class TasImportBrowserTests(ConsoleServer server)
{
    /// <summary>
    /// Two new rows for demo people who already held SER access (a second mapped TAS role at the same school, so the
    /// count of legacy SER users other tests see stays the same) and one row for a school system that does not exist.
    /// </summary>
    private async Task<byte[]> DemoReportAsync()
    {
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>().CreateDbContextAsync();
        var held = await db.LegacySerAccess.AsNoTracking()
            .Where(l => l.SchoolId != null)
            .Select(l => new { l.StaffMemberId, l.SchoolId, l.TasRoleId, l.StaffMember!.StaffId, l.StaffMember.LastName, l.StaffMember.FirstName,
                l.StaffMember.Email, LeaCode = l.School!.SchoolSystem!.Code, l.School.SiteCode })
            .OrderBy(l => l.StaffMemberId).ThenBy(l => l.SchoolId)
            .ToListAsync();
        var mappedRoles = await db.TasRoles.AsNoTracking().Where(t => t.EserRoleId != null).OrderBy(t => t.Name).Select(t => new { t.Id, t.Name }).ToListAsync();
        var rows = held
            .GroupBy(l => (l.StaffMemberId, l.SchoolId))
            .Select(g => (Person: g.First(), Role: mappedRoles.FirstOrDefault(r => g.All(l => l.TasRoleId != r.Id))))
            .Where(x => x.Role is not null)
            .Take(2)
            .ToList();
        Assert.Equal(2, rows.Count);
        var csv = new TasReportCsv();
        foreach (var (person, role) in rows)
        {
            csv.Line(string.Join(",", person.StaffId, TasReportCsv.Quote(person.LastName), TasReportCsv.Quote(person.FirstName), person.Email,
                person.LeaCode, person.SiteCode, "SER", TasReportCsv.Quote(role!.Name), "Active"));
        }
        var first = rows[0].Person;
        csv.Line(string.Join(",", first.StaffId, TasReportCsv.Quote(first.LastName), TasReportCsv.Quote(first.FirstName), first.Email,
            "998", "998001", "SER", TasReportCsv.Quote(rows[0].Role!.Name), "Active"));
        return csv.ToBytes();
    }

    [Fact]
    public async Task StateAdministrator_UploadsPreviewsCommits_ThenTheSameFileHasNothingToImport_ThenSeesTheReadinessBoard()
    {
        var file = await DemoReportAsync();
        var page = await server.SignInAsync(DemoPeople.StateAdmin);
        await page.GetByRole(AriaRole.Link, new() { Name = "Import TAS report" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Import TAS User Report" })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        await page.GetByLabel("TAS User Report file (.csv)").SetInputFilesAsync(
            new FilePayload { Name = "user-report-by-application.csv", MimeType = "text/csv", Buffer = file });
        await Assertions.Expect(page.GetByTestId("chosen-file")).ToContainTextAsync("user-report-by-application.csv");
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("count-ToAdd")).ToHaveTextAsync("2");
        await Assertions.Expect(page.GetByTestId("count-UnknownSchoolSystem")).ToHaveTextAsync("1");
        await Assertions.Expect(page.GetByTestId("findings")).ToContainTextAsync("998");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Import 2 rows" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("import-message")).ToContainTextAsync("2 row(s) added, 0 updated");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Import 2 rows" })).ToBeDisabledAsync();

        // The same file again: its preview finds the two rows recorded and nothing left to import.
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("count-Unchanged")).ToHaveTextAsync("2");
        await Assertions.Expect(page.GetByTestId("nothing-to-import")).ToContainTextAsync("changes nothing");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true })).ToBeDisabledAsync();

        // Then the readiness board, where the imported legacy access counts.
        await page.GetByRole(AriaRole.Link, new() { Name = "Go-live readiness" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Go-live readiness", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("countdown")).ToContainTextAsync("days to go-live");
        await Assertions.Expect(page.GetByTestId("readiness-row").First).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task RolesAndKeyDatesPages_PassAxe()
    {
        var page = await server.SignInAsync(DemoPeople.StateAdmin);

        await page.GetByRole(AriaRole.Link, new() { Name = "Roles and TAS mapping" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("tas-roles")).ToContainTextAsync("SER");
        await Assertions.Expect(page.GetByTestId("eser-roles")).ToContainTextAsync("Offered");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "Key dates" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("key-dates")).ToContainTextAsync("Go-live");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Add weekly Q&A sessions" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await page.Context.CloseAsync();
    }
}

using EserSecurity.Core.Data;
using EserSecurity.Core.Staff;
using EserSecurity.DemoState;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EserSecurity.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class DirectoryImportBrowserTests(ConsoleServer server)
{
    /// <summary>Where the screenshots of each step go, to look at after a run.</summary>
    private static readonly string Screenshots = Path.Combine(Path.GetTempPath(), "eser-directory-import-screens");

    private sealed record DemoPerson(int Id, string StaffId, string LastName, string FirstName, string Email, string Position, string? Username,
        string SiteCode);

    /// <summary>
    /// Four active people of one school system with two or more schools who hold nothing else in the console (no role,
    /// request, assignment, legacy access or signature), so what the import does to them changes no other test's figures.
    /// </summary>
    private async Task<(string LeaCode, string OtherSite, IReadOnlyList<DemoPerson> People)> QuietPeopleAsync()
    {
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>().CreateDbContextAsync();
        var featured = new[] { DemoPeople.StateAdmin, DemoPeople.DistrictCoordinator, DemoPeople.DistrictCoordinator2, DemoPeople.LocalCoordinator,
            DemoPeople.SpedSupervisor, DemoPeople.StaffUser };
        var quiet = await db.StaffMembers.AsNoTracking()
            .Where(s => s.EmploymentStatus == EmploymentStatus.Active && s.SchoolSystemId != null && s.Schools.Count == 1
                && (s.Username == null || !featured.Contains(s.Username))
                && !db.AccessGrants.Any(g => g.StaffMemberId == s.Id) && !db.AccessRequests.Any(r => r.RequesterId == s.Id)
                && !db.CoordinatorAssignments.Any(a => a.StaffMemberId == s.Id) && !db.SupervisorAssignments.Any(a => a.StaffMemberId == s.Id)
                && !db.StateAdministrators.Any(a => a.StaffMemberId == s.Id) && !db.LegacySerAccess.Any(l => l.StaffMemberId == s.Id)
                && !db.AssuranceSignatures.Any(a => a.StaffMemberId == s.Id) && !db.StaffDirectoryChanges.Any(c => c.StaffMemberId == s.Id)
                && db.Schools.Count(x => x.SchoolSystemId == s.SchoolSystemId) > 1)
            .OrderBy(s => s.SchoolSystemId).ThenBy(s => s.Id)
            .Select(s => new { s.SchoolSystemId, LeaCode = s.SchoolSystem!.Code, Person = new DemoPerson(s.Id, s.StaffId, s.LastName, s.FirstName,
                s.Email, s.Position, s.Username, s.Schools.Select(x => x.School!.SiteCode).First()) })
            .Take(200)
            .ToListAsync();
        var group = quiet.GroupBy(q => q.SchoolSystemId).First(g => g.Count() >= 4);
        var people = group.Take(4).Select(q => q.Person).ToList();
        var otherSite = await db.Schools.AsNoTracking().Where(x => x.SchoolSystemId == group.Key && x.SiteCode != people[2].SiteCode)
            .OrderBy(x => x.SiteCode).Select(x => x.SiteCode).FirstAsync();
        return (group.First().LeaCode, otherSite, people);
    }

    private static DirectoryCsv StaffFile(string lea, string otherSite, IReadOnlyList<DemoPerson> p, string newStaffId, bool withMistakes)
    {
        var csv = DirectoryCsv.Staff()
            .Row(p[0].StaffId, p[0].LastName, p[0].FirstName, p[0].Email, lea, p[0].SiteCode, p[0].Position, "Active", "", p[0].Username ?? "")
            .Row(p[1].StaffId, p[1].LastName, p[1].FirstName, "updated." + p[1].Email, lea, p[1].SiteCode, p[1].Position, "Active", "", p[1].Username ?? "")
            .Row(p[2].StaffId, p[2].LastName, p[2].FirstName, p[2].Email, lea, otherSite, p[2].Position, "Active", "", p[2].Username ?? "")
            .Row(p[3].StaffId, p[3].LastName, p[3].FirstName, p[3].Email, lea, p[3].SiteCode, p[3].Position, "Ended", "2026-11-20", p[3].Username ?? "")
            .Row(newStaffId, "Guidry", "Aimée", "aimee.guidry@example.org", lea, p[0].SiteCode, "Teacher", "Active", "", "");
        return withMistakes
            ? csv.Row("12AB", "Doe", "Jane", "jane.doe@example.org", lea, p[0].SiteCode, "Teacher", "Active", "", "")
                .Row("700000009", "Roe", "Rick", "rick.roe@example.org", lea, lea + "999", "Teacher", "Active", "", "")
            : csv;
    }

    private static async Task ShotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Screenshots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });
    }

    private static async Task UploadAndPreviewAsync(IPage page, string name, byte[] file)
    {
        await page.GetByLabel("Staff directory file (.csv)").SetInputFilesAsync(new FilePayload { Name = name, MimeType = "text/csv", Buffer = file });
        await Assertions.Expect(page.GetByTestId("chosen-file")).ToContainTextAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
    }

    [Fact]
    public async Task StateAdministrator_PreviewsAStaffFile_FixesItsBlockingRows_Commits_AndOpensAPersonWithTheirChanges()
    {
        var (lea, otherSite, people) = await QuietPeopleAsync();
        var newStaffId = $"7{Random.Shared.Next(10_000_000, 99_999_999)}";
        var page = await server.SignInAsync(DemoPeople.StateAdmin);
        await page.GetByRole(AriaRole.Link, new() { Name = "Import staff directory" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Import staff directory", Level = 1 })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // A file with mistakes: the preview puts every row in its category and the commit stays disabled.
        await UploadAndPreviewAsync(page, "staff-with-mistakes.csv", StaffFile(lea, otherSite, people, newStaffId, withMistakes: true).ToBytes());
        await Assertions.Expect(page.GetByTestId("count-Invalid")).ToHaveTextAsync("1");
        await Assertions.Expect(page.GetByTestId("count-UnknownSchool")).ToHaveTextAsync("1");
        await Assertions.Expect(page.GetByTestId("commit-blocked")).ToContainTextAsync("1 invalid row");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Import 4 rows" })).ToBeDisabledAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await ShotAsync(page, "1-blocked");

        // The corrected file (Windows-1252, as Excel saves it): new, updated, unchanged, moved schools, ended; the rest of the school system kept.
        await UploadAndPreviewAsync(page, "staff.csv", StaffFile(lea, otherSite, people, newStaffId, withMistakes: false).ToBytes(encoding: DirectoryCsv.Windows1252));
        await Assertions.Expect(page.GetByTestId("count-New")).ToHaveTextAsync("1");
        await Assertions.Expect(page.GetByTestId("count-Updated")).ToHaveTextAsync("1");
        await Assertions.Expect(page.GetByTestId("count-Unchanged")).ToHaveTextAsync("1");
        await Assertions.Expect(page.GetByTestId("count-MovedSchools")).ToHaveTextAsync("1");
        await Assertions.Expect(page.GetByTestId("count-Ended")).ToHaveTextAsync("1");
        await Assertions.Expect(page.GetByTestId("read-as-windows-1252")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("findings")).ToContainTextAsync("Guidry, Aimée");
        await Assertions.Expect(page.GetByTestId("findings")).ToContainTextAsync($"Email: {people[1].Email} → updated.{people[1].Email}");
        await Assertions.Expect(page.GetByTestId("not-in-file")).ToContainTextAsync("Not in this file");
        await Assertions.Expect(page.GetByRole(AriaRole.Radio, new() { Name = "Keep them as they are" })).ToBeCheckedAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await ShotAsync(page, "2-preview");

        await page.GetByRole(AriaRole.Button, new() { Name = "Import 4 rows" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("import-message")).ToContainTextAsync("Imported staff.csv: 1 new");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Import 4 rows" })).ToBeDisabledAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await ShotAsync(page, "3-imported");

        // The same file again: nothing to import.
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("count-Unchanged")).ToHaveTextAsync("5");
        await Assertions.Expect(page.GetByTestId("nothing-to-import")).ToContainTextAsync("changes nothing");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true })).ToBeDisabledAsync();

        // The moved person's page shows the change with its effective date.
        await page.GetByRole(AriaRole.Link, new() { Name = $"{people[2].LastName}, {people[2].FirstName}" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"{people[2].FirstName} {people[2].LastName}", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("directory-changes")).ToContainTextAsync(otherSite);
        await Assertions.Expect(page.GetByTestId("person-facts")).ToContainTextAsync(people[2].StaffId);
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await ShotAsync(page, "4-person");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SchoolDirectoryPage_PassesAxe_AndStaffUsersSeeNoDirectoryLinks()
    {
        var page = await server.SignInAsync(DemoPeople.StateAdmin);
        await page.GetByRole(AriaRole.Link, new() { Name = "Import school directory" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Import school directory", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("School directory file (.csv)")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await ShotAsync(page, "5-schools");
        await page.Context.CloseAsync();

        var staff = await server.SignInAsync(DemoPeople.StaffUser);
        await Assertions.Expect(staff.GetByRole(AriaRole.Link, new() { Name = "Home" })).ToBeVisibleAsync();
        await Assertions.Expect(staff.GetByRole(AriaRole.Link, new() { Name = "Import staff directory" })).ToHaveCountAsync(0);
        await Assertions.Expect(staff.GetByRole(AriaRole.Link, new() { Name = "Import school directory" })).ToHaveCountAsync(0);
        await staff.Context.CloseAsync();
    }
}

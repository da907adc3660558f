using Bunit;
using EserSecurity.Core.Directories;
using EserSecurity.Core.Staff;
using EserSecurity.Dashboard.Components.Pages.Directories;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace EserSecurity.Tests.Dashboard.Directories;

public sealed class StaffDirectoryImportPageTests
{
    private const string NewStaffId = "800000001";

    /// <summary>
    /// One row in each category an Alpha file can have without blocking: unchanged, updated (e-mail), moved schools, ended,
    /// moved from Bravo, new. Alpha's supervisor is not in it.
    /// </summary>
    private static byte[] AlphaFile(TestState state) => DirectoryCsv.Staff()
        .Person(state.DistrictA, "101", "")                                                     // 2 unchanged
        .Row(state.UserA1.StaffId, state.UserA1.LastName, state.UserA1.FirstName, "new.alpha1@example.org", "101", "101001",
            state.UserA1.Position, "Active", "", state.UserA1.Username!)                        // 3 updated: e-mail
        .Person(state.UserA3, "101", "101002")                                                  // 4 moved schools
        .Person(state.LocalA, "101", "101001", "Ended", "2026-11-01")                           // 5 ended
        .Person(state.UserB1, "101", "101002")                                                  // 6 moved from Bravo
        .Row(NewStaffId, "Thibodeaux", "Renée", "renee.thibodeaux@example.org", "101", "101003", "Teacher", "Active", "", "") // 7 new
        .ToBytes();

    private static async Task<IRenderedComponent<StaffDirectoryImportPage>> PreviewAsync(
        BunitContext ctx, byte[] file, IRenderedComponent<StaffDirectoryImportPage>? page = null) =>
        await ImportPageSteps.UploadAndPreviewAsync(ctx, page, file, "staff-directory.csv");

    [Fact]
    public async Task Preview_PutsEveryRowInItsCategory_WithLineReasonAndChangingFields_AndKeepsPeopleNotInTheFileByDefault()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        ctx.Render<MudPopoverProvider>();

        var page = await PreviewAsync(ctx, AlphaFile(state));

        page.WaitForAssertion(() => Assert.Equal("1", page.Figure(DirectoryRowCategory.New)));
        Assert.Equal("1", page.Figure(DirectoryRowCategory.Updated));
        Assert.Equal("1", page.Figure(DirectoryRowCategory.Unchanged));
        Assert.Equal("1", page.Figure(DirectoryRowCategory.MovedSchools));
        Assert.Equal("1", page.Figure(DirectoryRowCategory.Ended));
        Assert.Equal("1", page.Figure(DirectoryRowCategory.MovedSchoolSystem));
        Assert.Equal("0", page.Figure(DirectoryRowCategory.Invalid));
        var rows = page.PreviewRows();
        Assert.Equal(6, rows.Count);
        Assert.StartsWith("3", rows[1]);
        Assert.Contains("Email: user.alpha1@example.org → new.alpha1@example.org", rows[1]);
        Assert.Contains("Moved schools", rows[2]);
        Assert.Contains("Site Codes: 101003 → 101002", rows[2]);
        Assert.Contains("Employment ends on 2026-11-01", rows[3]);
        Assert.Contains("Moves from LEA 202 to LEA 101", rows[4]);
        Assert.Contains("Thibodeaux, Renée", rows[5]);
        Assert.Equal($"people/{state.UserA1.Id}", page.FindByRole("link", "alpha1, user").GetAttribute("href"));

        var notInFile = page.Find("[data-testid=not-in-file]");
        Assert.Contains("Not in this file (1)", notInFile.TextContent);
        Assert.Contains("alpha, supervisor", notInFile.TextContent);
        Assert.True(((AngleSharp.Html.Dom.IHtmlInputElement)RadioNamed(page, "Keep them as they are")).IsChecked);
        page.WaitForAssertion(() => Assert.False(page.FindButton("Import 5 rows").HasAttribute("disabled")));
        await using var db = await database.OpenAsync();
        Assert.Equal(state.UserA1.Email, await db.StaffMembers.Where(s => s.Id == state.UserA1.Id).Select(s => s.Email).SingleAsync());
    }

    [Fact]
    public async Task Commit_WritesTheFileAndSaysWhat_ThenTheSameFileHasNothingToImport()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        ctx.Render<MudPopoverProvider>();
        var file = AlphaFile(state);
        var page = await PreviewAsync(ctx, file);
        page.WaitForAssertion(() => Assert.False(page.FindButton("Import 5 rows").HasAttribute("disabled")));

        await page.InvokeAsync(() => page.FindButton("Import 5 rows").Click());

        page.WaitForAssertion(() => Assert.Contains("Imported staff-directory.csv: 1 new", page.Find("[data-testid=import-message]").TextContent));
        Assert.Contains("1 ending employment", page.Find("[data-testid=import-message]").TextContent);
        Assert.True(page.FindButton("Import 5 rows").HasAttribute("disabled"));
        await using (var db = await database.OpenAsync())
        {
            Assert.Equal("new.alpha1@example.org", await db.StaffMembers.Where(s => s.Id == state.UserA1.Id).Select(s => s.Email).SingleAsync());
            Assert.Equal(EmploymentStatus.Ended, await db.StaffMembers.Where(s => s.Id == state.LocalA.Id).Select(s => s.EmploymentStatus).SingleAsync());
            Assert.Equal(EmploymentStatus.Active, await db.StaffMembers.Where(s => s.Id == state.SupervisorA.Id).Select(s => s.EmploymentStatus).SingleAsync());
            Assert.True(await db.StaffMembers.AnyAsync(s => s.StaffId == NewStaffId && s.FirstName == "Renée"));
        }

        await PreviewAsync(ctx, file, page);

        page.WaitForAssertion(() => Assert.Equal("6", page.Figure(DirectoryRowCategory.Unchanged)));
        Assert.Contains("changes nothing", page.Find("[data-testid=nothing-to-import]").TextContent);
        Assert.True(page.FindButton("Import").HasAttribute("disabled"));
    }

    [Fact]
    public async Task MarkingThePeopleNotInTheFileEnded_EndsThemOnCommit()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        ctx.Render<MudPopoverProvider>();
        var page = await PreviewAsync(ctx, AlphaFile(state));
        page.WaitForAssertion(() => Assert.Contains("Mark them ended on Nov 1, 2026", page.Find("[data-testid=not-in-file]").TextContent));

        await page.InvokeAsync(() => RadioNamed(page, "Mark them ended on Nov 1, 2026 (the file's latest status date)").Click());
        page.WaitForAssertion(() => Assert.False(page.FindButton("Import 5 rows and end 1 person not in the file").HasAttribute("disabled")));
        await page.InvokeAsync(() => page.FindButton("Import 5 rows and end 1 person not in the file").Click());

        page.WaitForAssertion(() => Assert.Contains("1 not in the file marked ended", page.Find("[data-testid=import-message]").TextContent));
        await using var db = await database.OpenAsync();
        var supervisor = await db.StaffMembers.AsNoTracking().SingleAsync(s => s.Id == state.SupervisorA.Id);
        Assert.Equal(EmploymentStatus.Ended, supervisor.EmploymentStatus);
        Assert.Equal(new DateOnly(2026, 11, 1), supervisor.EmploymentEndedOn);
    }

    [Fact]
    public async Task SameFileAgain_CanStillEndThePeopleItDoesNotList()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await database.Get<StaffDirectoryImportService>().CommitAsync(TestState.CallerFor(state.StateAdmin), new MemoryStream(AlphaFile(state)));
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        ctx.Render<MudPopoverProvider>();
        var page = await PreviewAsync(ctx, AlphaFile(state));
        page.WaitForAssertion(() => Assert.True(page.FindButton("Import").HasAttribute("disabled")));

        await page.InvokeAsync(() => RadioNamed(page, "Mark them ended on Nov 1, 2026 (the file's latest status date)").Click());
        page.WaitForAssertion(() => Assert.False(page.FindButton("End 1 person not in the file").HasAttribute("disabled")));
        Assert.Empty(page.FindAll("[data-testid=nothing-to-import]"));
        await page.InvokeAsync(() => page.FindButton("End 1 person not in the file").Click());

        page.WaitForAssertion(() => Assert.Contains("1 not in the file marked ended", page.Find("[data-testid=import-message]").TextContent));
        await using var db = await database.OpenAsync();
        Assert.Equal(EmploymentStatus.Ended, await db.StaffMembers.Where(s => s.Id == state.SupervisorA.Id).Select(s => s.EmploymentStatus).SingleAsync());
    }

    [Fact]
    public async Task BlockingRows_DisableTheCommitWithTheReason_AndNothingIsWritten()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        ctx.Render<MudPopoverProvider>();
        var file = DirectoryCsv.Staff()
            .Row(state.UserA1.StaffId, state.UserA1.LastName, state.UserA1.FirstName, "changed@example.org", "101", "101001", "Teacher", "Active", "", "")
            .Row("12AB", "Doe", "Jane", "jane@example.org", "101", "101001", "Teacher", "Active", "", "")          // 3 invalid Staff ID
            .Person(state.UserA3, "101", "101999")                                                             // 4 unknown school
            .ToBytes();

        var page = await PreviewAsync(ctx, file);

        page.WaitForAssertion(() => Assert.Equal("1", page.Figure(DirectoryRowCategory.Invalid)));
        Assert.Equal("1", page.Figure(DirectoryRowCategory.UnknownSchool));
        Assert.Contains("12AB", page.PreviewRows()[1]);
        var blocked = page.Find("[data-testid=commit-blocked]").TextContent;
        Assert.Contains("1 invalid row", blocked);
        Assert.Contains("line 3", blocked);
        Assert.True(page.FindButton("Import 1 row").HasAttribute("disabled"));
        await using var db = await database.OpenAsync();
        Assert.Equal(state.UserA1.Email, await db.StaffMembers.Where(s => s.Id == state.UserA1.Id).Select(s => s.Email).SingleAsync());
    }

    [Fact]
    public async Task DistrictCoordinator_SeesAnotherSchoolSystemsRowAsOutOfScope_WithoutItsName()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        ctx.Render<MudPopoverProvider>();
        var file = DirectoryCsv.Staff().Person(state.UserA3, "101", "101002").Person(state.UserB1, "202", "202001", lastName: "Renamed").ToBytes();

        var page = await PreviewAsync(ctx, file);

        page.WaitForAssertion(() => Assert.Equal("1", page.Figure(DirectoryRowCategory.OutOfScope)));
        Assert.Contains("Rows for other school systems than yours are reported", page.Markup);
        Assert.DoesNotContain("Renamed", page.PreviewRows()[1]);
        Assert.Contains("outside the school systems you coordinate", page.PreviewRows()[1]);
    }

    [Fact]
    public async Task FileWithoutRequiredColumns_IsRefusedNamingThem()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        var file = DirectoryCsv.Staff("Staff ID", "Last Name", "First Name").Row(state.UserA1.StaffId, "alpha1", "user").ToBytes();

        var page = await PreviewAsync(ctx, file);

        page.WaitForAssertion(() => Assert.Contains("Email", page.Find("[data-testid=import-message]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=preview-figures]"));
    }

    [Fact]
    public async Task StaffMember_IsToldWhoMayImport()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.UserA1.Username);

        var page = ctx.Render<StaffDirectoryImportPage>();

        page.WaitForAssertion(() => Assert.Contains("Only state administrators and district security coordinators import the staff directory",
            page.Find("[data-testid=import-not-allowed]").TextContent));
        Assert.Empty(page.FindComponents<InputFile>());
    }

    private static AngleSharp.Dom.IElement RadioNamed<T>(IRenderedComponent<T> page, string name) where T : Microsoft.AspNetCore.Components.IComponent =>
        page.FindAll("input[type=radio]").Single(r => r.AccessibleName() == name);
}

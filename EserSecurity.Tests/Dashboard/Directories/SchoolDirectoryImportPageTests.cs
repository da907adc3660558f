using Bunit;
using EserSecurity.Core.Directories;
using EserSecurity.Core.Imports;
using EserSecurity.Dashboard.Components.Pages.Directories;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace EserSecurity.Tests.Dashboard.Directories;

public sealed class SchoolDirectoryImportPageTests
{
    private static byte[] File() => DirectoryCsv.Schools()
        .Row("101", "Alpha Parish Schools", "101001", "Alpha Elementary", "Open")      // 2 unchanged
        .Row("101", "Alpha Parish Schools", "101003", "Alpha High", "Closed")          // 3 closed
        .Row("101", "Alpha Parish Schools", "101002", "Alpha Middle School", "Open")   // 4 updated: name
        .Row("303", "Charlie Parish Schools", "303001", "Charlie Elementary", "Open")  // 5 new, with its school system
        .ToBytes();

    [Fact]
    public async Task StateAdministrator_PreviewsCommitsAndReimports_AClosedSchoolKeepsItsRecord()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        ctx.Render<MudPopoverProvider>();

        var page = await ImportPageSteps.UploadAndPreviewAsync<SchoolDirectoryImportPage>(ctx, null, File(), "schools.csv");

        page.WaitForAssertion(() => Assert.Equal("1", page.Figure(DirectoryRowCategory.Closed)));
        Assert.Equal("1", page.Figure(DirectoryRowCategory.New));
        Assert.Equal("1", page.Figure(DirectoryRowCategory.Updated));
        Assert.Equal("1", page.Figure(DirectoryRowCategory.Unchanged));
        var rows = page.PreviewRows();
        Assert.StartsWith("3", rows[1]);
        Assert.Contains("Status: Open → Closed", rows[1]);
        Assert.Contains("School Name: Alpha Middle → Alpha Middle School", rows[2]);
        Assert.Empty(page.FindAll("[data-testid=not-in-file]"));

        page.WaitForAssertion(() => Assert.False(page.FindButton("Import 3 rows").HasAttribute("disabled")));
        await page.InvokeAsync(() => page.FindButton("Import 3 rows").Click());

        page.WaitForAssertion(() => Assert.Contains("Imported schools.csv", page.Find("[data-testid=import-message]").TextContent));
        await using (var db = await database.OpenAsync())
        {
            Assert.NotNull(await db.Schools.Where(s => s.Id == state.A3.Id).Select(s => s.ClosedOn).SingleAsync());
            Assert.True(await db.Schools.AnyAsync(s => s.SiteCode == "303001" && s.SchoolSystem!.Code == "303"));
        }

        await ImportPageSteps.UploadAndPreviewAsync(ctx, page, File(), "schools.csv");

        page.WaitForAssertion(() => Assert.Equal("4", page.Figure(DirectoryRowCategory.Unchanged)));
        Assert.Contains("changes nothing", page.Find("[data-testid=nothing-to-import]").TextContent);
        Assert.True(page.FindButton("Import").HasAttribute("disabled"));
    }

    [Fact]
    public async Task CommitWhileAnotherImportCommits_SaysItIsWaiting_ThenImports()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        ctx.Render<MudPopoverProvider>();
        var page = await ImportPageSteps.UploadAndPreviewAsync<SchoolDirectoryImportPage>(ctx, null, File(), "schools.csv");
        page.WaitForAssertion(() => Assert.False(page.FindButton("Import 3 rows").HasAttribute("disabled")));
        var otherImport = await database.Get<ImportCommitGate>().EnterAsync(CancellationToken.None);

        await page.InvokeAsync(() => page.FindButton("Import 3 rows").Click());

        page.WaitForAssertion(() => Assert.Equal("Waiting for another import to finish; this one starts as soon as it has",
            page.Find("[data-testid=import-progress] [role=status]").TextContent.Trim()));
        await using (var db = await database.OpenAsync())
        {
            Assert.False(await db.Schools.AnyAsync(s => s.SiteCode == "303001"));
        }

        otherImport.Dispose();

        page.WaitForAssertion(() => Assert.Contains("Imported schools.csv", page.Find("[data-testid=import-message]").TextContent));
        await using var after = await database.OpenAsync();
        Assert.True(await after.Schools.AnyAsync(s => s.SiteCode == "303001"));
    }

    [Fact]
    public async Task DistrictCoordinator_IsToldOnlyStateAdministratorsImportTheSchoolDirectory()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);

        var page = ctx.Render<SchoolDirectoryImportPage>();

        page.WaitForAssertion(() => Assert.Contains("Only state administrators import the school directory",
            page.Find("[data-testid=import-not-allowed]").TextContent));
        Assert.Empty(page.FindComponents<InputFile>());
    }
}

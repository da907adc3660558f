using Bunit;
using EserSecurity.Dashboard.Components.Pages.Tas;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace EserSecurity.Tests.Dashboard.Tas;

public sealed class TasImportPageTests
{
    private static async Task<IRenderedComponent<TasImportPage>> UploadAndPreviewAsync(BunitContext ctx, IRenderedComponent<TasImportPage>? page, byte[] file)
    {
        page ??= ctx.Render<TasImportPage>();
        page.WaitForAssertion(() => page.FindComponent<InputFile>());
        await page.InvokeAsync(() => page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(file, "tas-user-report.csv", contentType: "text/csv")));
        page.WaitForAssertion(() => Assert.False(page.FindButton("Preview").HasAttribute("disabled")));
        await page.InvokeAsync(() => page.FindButton("Preview").Click());
        return page;
    }

    [Fact]
    public async Task FileWithoutRequiredHeaders_IsRefusedNamingTheMissingOnes()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        ctx.Render<MudPopoverProvider>();
        var csv = new TasReportCsv("Staff ID", "Last Name", "First Name", "Email", "LEA code", "Application", "TAS Role")
            .Line($"{state.UserA1.StaffId},{state.UserA1.LastName},{state.UserA1.FirstName},,101,SER,SER Data Entry");

        var page = await UploadAndPreviewAsync(ctx, null, csv.ToBytes());

        page.WaitForAssertion(() => Assert.Contains("lacks the required columns Site code, Status", page.Find("[data-testid=import-message]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=preview-figures]"));
    }

    [Fact]
    public async Task Preview_ListsEveryCategoryWithLineNumbers_AndInvalidRowsBlockTheCommit()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await LegacyAccessState.CreateAsync(database, state);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        ctx.Render<MudPopoverProvider>();
        var csv = new TasReportCsv()
            .Row(state.UserA1, "101", "101001", LegacyAccessState.TasDataEntry)     // 2 to add
            .Line("12AB,Doe,Jane,,101,101001,SER,SER Data Entry,Active")           // 3 invalid Staff ID
            .Row(state.UserA3, "999", "999001", LegacyAccessState.TasDataEntry)     // 4 unknown school system
            .Row(state.UserA1, "101", "101001", LegacyAccessState.TasDataEntry)     // 5 duplicate of 2
            .Row(state.UserB1, "202", "202001", "SER Behaviour Plans");             // 6 to add, TAS role new to the catalog

        var page = await UploadAndPreviewAsync(ctx, null, csv.ToBytes());

        page.WaitForAssertion(() => Assert.Equal("2", page.Find("[data-testid=count-ToAdd]").TextContent.Trim()));
        Assert.Equal("1", page.Find("[data-testid=count-Invalid]").TextContent.Trim());
        Assert.Equal("1", page.Find("[data-testid=count-UnknownSchoolSystem]").TextContent.Trim());
        Assert.Equal("1", page.Find("[data-testid=count-Duplicate]").TextContent.Trim());
        Assert.Equal("0", page.Find("[data-testid=count-Unchanged]").TextContent.Trim());
        var rows = page.FindAll("[data-testid=findings] tbody tr").Select(r => r.TextContent).ToList();
        Assert.Equal(5, rows.Count);
        Assert.StartsWith("3", rows[1].Trim());
        Assert.Contains("Invalid", rows[1]);
        Assert.Contains("999", rows[2]);
        Assert.Contains("Unknown school system", rows[2]);
        Assert.Contains("SER Behaviour Plans", page.Find("[data-testid=unmapped-tas-roles]").TextContent);
        Assert.Contains("line 6", page.Find("[data-testid=unmapped-tas-roles]").TextContent);
        Assert.StartsWith("The file has 1 invalid row(s).", page.Find("[data-testid=commit-blocked]").TextContent.Trim());
        Assert.True(page.FindButton("Import 2 rows").HasAttribute("disabled"));
        await using var db = await database.OpenAsync();
        Assert.False(await db.LegacySerAccess.AnyAsync());
    }

    [Fact]
    public async Task CleanFile_Commits_AndTheSameFileAgainChangesNothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await LegacyAccessState.CreateAsync(database, state);
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        ctx.Render<MudPopoverProvider>();
        var file = new TasReportCsv()
            .Row(state.UserA1, "101", "101001", LegacyAccessState.TasDataEntry)
            .Row(state.UserA3, "101", "101003", LegacyAccessState.TasIepWriter)
            .Row(state.UserB1, "202", "202001", LegacyAccessState.TasDataEntry)    // another school system: reported only
            .ToBytes();

        var page = await UploadAndPreviewAsync(ctx, null, file);
        page.WaitForAssertion(() => Assert.False(page.FindButton("Import 2 rows").HasAttribute("disabled")));
        Assert.Equal("1", page.Find("[data-testid=count-OutOfScope]").TextContent.Trim());
        await page.InvokeAsync(() => page.FindButton("Import 2 rows").Click());

        page.WaitForAssertion(() => Assert.Contains("2 row(s) added, 0 updated", page.Find("[data-testid=import-message]").TextContent));
        await using (var db = await database.OpenAsync())
        {
            Assert.Equal(2, await db.LegacySerAccess.CountAsync());
        }

        await UploadAndPreviewAsync(ctx, page, file);

        page.WaitForAssertion(() => Assert.Equal("2", page.Find("[data-testid=count-Unchanged]").TextContent.Trim()));
        Assert.Contains("changes nothing", page.Find("[data-testid=nothing-to-import]").TextContent);
        Assert.True(page.FindButton("Import").HasAttribute("disabled"));
        await using var check = await database.OpenAsync();
        Assert.Equal(2, await check.LegacySerAccess.CountAsync());
    }

    [Fact]
    public async Task StaffUser_IsToldWhoMayImport()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.UserA1.Username);

        var page = ctx.Render<TasImportPage>();

        page.WaitForAssertion(() => Assert.Contains("Only state administrators and district security coordinators import", page.Markup));
        Assert.Empty(page.FindComponents<InputFile>());
    }
}

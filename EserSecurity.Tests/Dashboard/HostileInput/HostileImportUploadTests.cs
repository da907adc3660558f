using Bunit;
using EserSecurity.Core.Imports;
using EserSecurity.Dashboard.Components.Pages.Directories;
using EserSecurity.Dashboard.Components.Pages.Tas;
using EserSecurity.Dashboard.Components.Shared.Imports;
using EserSecurity.Tests.Core.Security.HostileInput;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;

namespace EserSecurity.Tests.Dashboard.HostileInput;

/// <summary>
/// The three import pages as a person uses them, fed hostile files and file names: each ends in a message on the page,
/// with no preview and nothing written; a file name is shown as text without what cannot be seen, never as markup, and
/// the file is staged under a name of the console's own in the staging folder.
/// </summary>
public sealed class HostileImportUploadTests
{
    public static TheoryData<string, string> RefusedFiles()
    {
        var cases = new TheoryData<string, string>();
        foreach (var page in new[] { "TAS User Report", "staff directory", "school directory" })
        {
            foreach (var file in HostileFiles.Refused.Keys)
            {
                cases.Add(page, file);
            }
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(RefusedFiles))]
    public Task UnreadableFile_EndsInAMessage_WithoutAPreview_AndWritesNothing(string page, string file) => page switch
    {
        "TAS User Report" => RefusedAsync<TasImportPage>(file, s => new TasReportCsv().Row(s.UserA1, "101", "101001", "SER Data Entry").ToBytes()),
        "staff directory" => RefusedAsync<StaffDirectoryImportPage>(file, s => DirectoryCsv.Staff().Person(s.UserA1, "101", "101001").ToBytes()),
        _ => RefusedAsync<SchoolDirectoryImportPage>(file, _ => DirectoryCsv.Schools().Row("101", "Alpha Parish Schools", "101009", "Alpha Academy", "Open").ToBytes()),
    };

    [Theory]
    [InlineData("TAS User Report")]
    [InlineData("staff directory")]
    [InlineData("school directory")]
    public Task FileOverTheLimit_IsRefusedBeforeItIsUploaded(string page) => page switch
    {
        "TAS User Report" => TooLargeAsync<TasImportPage>(),
        "staff directory" => TooLargeAsync<StaffDirectoryImportPage>(),
        _ => TooLargeAsync<SchoolDirectoryImportPage>(),
    };

    [Theory]
    [InlineData("../../etc/passwd.csv", "../../etc/passwd.csv")]
    [InlineData("C:\\x\\y.csv", "C:\\x\\y.csv")]
    [InlineData("report\u0000.csv", "report.csv")]
    [InlineData("report\r\nLocation: evil.csv", "reportLocation: evil.csv")]
    [InlineData("report\u202Evsc.exe", "reportvsc.exe")]
    [InlineData("<script>alert(1)</script>.csv", "<script>alert(1)</script>.csv")]
    [InlineData("<img src=x onerror=alert(1)>.csv", "<img src=x onerror=alert(1)>.csv")]
    public async Task PathOrMarkupInTheFileName_IsShownAsText_AndStagedOnlyInTheStagingFolder(string name, string shown)
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        ctx.Render<MudPopoverProvider>();

        var page = await ImportPageSteps.UploadAndPreviewAsync<TasImportPage>(ctx, null,
            new TasReportCsv().Row(state.UserA1, "101", "101001", "SER Data Entry").ToBytes(), name);

        page.WaitForAssertion(() => Assert.Equal("1", page.Figure(EserSecurity.Core.Tas.TasImportCategory.ToAdd)));
        Assert.StartsWith($"{shown} — ", page.Find("[data-testid=chosen-file]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=chosen-file] *"));
        Assert.DoesNotContain("<script", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", page.Markup, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.GetFullPath(Path.Combine(UploadedFile.DefaultFolder, name.Replace("\0", "", StringComparison.Ordinal)))));
        Assert.All(Directory.GetFiles(UploadedFile.DefaultFolder), f => Assert.Matches("^[0-9a-f]{32}\\.upload$", Path.GetFileName(f)));
    }

    [Fact]
    public async Task MarkupInAName_IsShownAsTextInThePreview()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        ctx.Render<MudPopoverProvider>();
        const string Markup = "<script>alert(1)</script>";

        var page = await ImportPageSteps.UploadAndPreviewAsync<StaffDirectoryImportPage>(ctx, null, DirectoryCsv.Staff()
            .Row("800000017", Markup, "<b>Bold</b>", "markup@example.org", "101", "101001", "Teacher", "Active", "", "").ToBytes(), "staff.csv");

        page.WaitForAssertion(() => Assert.Contains(page.PreviewRows(), r => r.Contains($"{Markup}, <b>Bold</b>", StringComparison.Ordinal)));
        Assert.Empty(page.FindAll("[data-testid=findings] script, [data-testid=findings] b"));
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page.Markup, StringComparison.Ordinal);
    }

    private static async Task RefusedAsync<TPage>(string file, Func<TestState, byte[]> validFile) where TPage : class, IComponent
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        ctx.Render<MudPopoverProvider>();
        var (make, says) = HostileFiles.Refused[file];
        var before = await DatabaseSnapshot.TakeAsync(database);

        var page = await ImportPageSteps.UploadAndPreviewAsync<TPage>(ctx, null, make(validFile(state)), "import.csv");

        page.WaitForAssertion(() => Assert.Contains(says, page.Find("[data-testid=import-message]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=preview-figures]"));
        Assert.Empty(page.FindAll("[data-testid=findings]"));
        await DatabaseSnapshot.AssertUnchangedAsync(database, before);
    }

    private static async Task TooLargeAsync<TPage>() where TPage : class, IComponent
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        ctx.Render<MudPopoverProvider>();
        var page = ctx.Render<TPage>();
        page.WaitForAssertion(() => page.FindComponent<InputFile>());
        var before = await DatabaseSnapshot.TakeAsync(database);

        await page.InvokeAsync(() => page.FindComponent<InputFile>().UploadFiles(
            InputFileContent.CreateFromBinary(new byte[CsvImportFile.MaxFileBytes + 1], "huge.csv", contentType: "text/csv")));

        page.WaitForAssertion(() => Assert.Contains($"the limit is {CsvImportFile.MaxFileBytes / (1024 * 1024)} MB",
            page.Find("[data-testid=import-message]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=chosen-file]"));
        Assert.True(page.FindButton("Preview").HasAttribute("disabled"));
        await DatabaseSnapshot.AssertUnchangedAsync(database, before);
    }
}

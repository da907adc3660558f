using System.Text;
using EserSecurity.Core.Directories;
using EserSecurity.Core.Imports;
using EserSecurity.Tests.Support;

namespace EserSecurity.Tests.Core.Directories;

/// <summary>Both directory files as states save them: any header order and case, BOM, CRLF or LF, quotes, Windows-1252, large files.</summary>
public sealed class DirectoryFileParsingTests
{
    private static async Task<(TestDatabase Db, TestState State)> ArrangeAsync()
    {
        var db = await TestDatabase.CreateAsync();
        return (db, await TestState.CreateAsync(db));
    }

    [Theory]
    [InlineData("\r\n", true)]
    [InlineData("\n", false)]
    public async Task StaffFile_HeadersInAnyOrderAndCase_WithBomAndEitherLineEnding_ReadsEveryField(string newline, bool bom)
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var csv = DirectoryCsv.Staff("status date", "EMPLOYMENT STATUS", "site_codes", "lea code", "E-mail", "first name", "LAST NAME", "Staff ID", "Position")
            .Row("2026-11-01", "Active", "101001;101002", "101", "renee.t@example.org", "Renée", "Thibodeaux, Jr.", "1234567", "Teacher, \"lead\"");

        var preview = await database.Get<StaffDirectoryImportService>().PreviewAsync(TestState.CallerFor(state.StateAdmin), csv.ToStream(newline, bom));

        var row = Assert.Single(preview.Rows);
        Assert.Equal(DirectoryRowCategory.New, row.Category);
        Assert.Equal(2, row.LineNumber);
        Assert.Equal("1234567", row.Key);
        Assert.Equal("Thibodeaux, Jr., Renée", row.Name);
        Assert.False(preview.ReadAsWindows1252);
    }

    [Fact]
    public async Task StaffFile_QuotedFieldsWithCommasQuotesAndLineBreaks_KeepTheirLineNumbers()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var csv = DirectoryCsv.Staff()
            .Row("1234567", "O'Neil \"Ned\"", "Anne\r\nMarie", "a@example.org", "101", "101001", "Teacher", "Active", "", "")
            .Row("1234568", "Thibodeaux, Renée", "Zoe", "z@example.org", "101", "101001", "Teacher", "Active", "", "");

        var preview = await database.Get<StaffDirectoryImportService>().PreviewAsync(TestState.CallerFor(state.StateAdmin), csv.ToStream());

        Assert.Equal([2, 4], preview.Rows.Select(r => r.LineNumber));
        Assert.Equal("O'Neil \"Ned\", Anne\r\nMarie", preview.Rows[0].Name);
        Assert.Equal("Thibodeaux, Renée, Zoe", preview.Rows[1].Name);
        // The quoted line break is read as part of the field; as a name it is refused, since it would break a list's line.
        Assert.Equal((DirectoryRowCategory.Invalid, DirectoryRowCategory.New), (preview.Rows[0].Category, preview.Rows[1].Category));
        Assert.Contains("(U+000D)", preview.Rows[0].Reason);
    }

    [Fact]
    public async Task StaffFile_SavedAsWindows1252_IsDetectedAndReadCorrectly()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var csv = DirectoryCsv.Staff().Row("1234567", "Thibodeaux, Renée", "Zoë", "r@example.org", "101", "101001", "Teacher", "Active", "", "");
        var bytes = csv.ToBytes(encoding: DirectoryCsv.Windows1252);
        Assert.Contains((byte)0xE9, bytes);

        var preview = await database.Get<StaffDirectoryImportService>().PreviewAsync(TestState.CallerFor(state.StateAdmin), new MemoryStream(bytes));

        Assert.True(preview.ReadAsWindows1252);
        Assert.Equal("Thibodeaux, Renée, Zoë", Assert.Single(preview.Rows).Name);
        Assert.Equal(DirectoryRowCategory.New, preview.Rows[0].Category);
    }

    [Fact]
    public async Task StaffFile_WithoutRequiredHeaders_IsRefusedNamingThem()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var csv = DirectoryCsv.Staff("Staff ID", "Last Name", "First Name", "Email", "LEA Code", "Site Codes", "Position")
            .Row("1234567", "Doe", "Jane", "j@example.org", "101", "101001", "Teacher");

        var error = await Assert.ThrowsAsync<ImportFileFormatException>(() =>
            database.Get<StaffDirectoryImportService>().PreviewAsync(TestState.CallerFor(state.StateAdmin), csv.ToStream()));

        Assert.Equal(["Employment Status", "Status Date"], error.MissingHeaders);
        Assert.Contains("lacks the required columns Employment Status, Status Date", error.Message);
    }

    [Fact]
    public async Task StaffFile_EmptyOrHeaderOnly_IsRefusedWithAMessage()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var service = database.Get<StaffDirectoryImportService>();

        var empty = await Assert.ThrowsAsync<ImportFileFormatException>(() => service.PreviewAsync(TestState.CallerFor(state.StateAdmin), new MemoryStream()));
        var headerOnly = await Assert.ThrowsAsync<ImportFileFormatException>(() => service.PreviewAsync(TestState.CallerFor(state.StateAdmin), DirectoryCsv.Staff().ToStream()));

        Assert.Contains("The file is empty", empty.Message);
        Assert.Contains("no data rows", headerOnly.Message);
    }

    [Fact]
    public async Task StaffFile_OfTenMegabytes_IsReadWhole()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var text = new StringBuilder(string.Join(",", DirectoryCsv.StaffHeader)).Append("\r\n");
        var rows = 0;
        while (text.Length < 10 * 1024 * 1024)
        {
            rows++;
            text.Append(FormattableString.Invariant($"{5_000_000 + rows},\"Thibodeaux, Renée\",Person{rows},p{rows}@example.org,101,101001;101002,Teacher,Active,2026-08-01,\r\n"));
        }
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        Assert.True(bytes.Length >= 10 * 1024 * 1024);

        var preview = await database.Get<StaffDirectoryImportService>().PreviewAsync(TestState.CallerFor(state.StateAdmin), new MemoryStream(bytes));

        Assert.Equal(rows, preview.RowsRead);
        Assert.Equal(rows, preview.Count(DirectoryRowCategory.New));
        Assert.Equal(rows + 1, preview.Rows[^1].LineNumber);
    }

    [Fact]
    public async Task SchoolFile_HeadersInAnyOrder_Windows1252_AndLf_AreRead()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var csv = DirectoryCsv.Schools("status", "school name", "SITE CODE", "lea_name", "LEA Code")
            .Row("Open", "École Sainte-Thérèse", "101009", "Alpha Parish Schools", "101");

        var preview = await database.Get<SchoolDirectoryImportService>().PreviewAsync(TestState.CallerFor(state.StateAdmin),
            csv.ToStream("\n", encoding: DirectoryCsv.Windows1252));

        var row = Assert.Single(preview.Rows);
        Assert.True(preview.ReadAsWindows1252);
        Assert.Equal(DirectoryRowCategory.New, row.Category);
        Assert.Equal("École Sainte-Thérèse", row.Name);
        Assert.Equal("101009", row.Key);
    }

    [Fact]
    public async Task SchoolFile_WithBomAndWithoutStatus_IsRefusedNamingTheMissingColumn()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var csv = DirectoryCsv.Schools("LEA Code", "LEA Name", "Site Code", "School Name").Row("101", "Alpha Parish Schools", "101001", "Alpha Elementary");

        var error = await Assert.ThrowsAsync<ImportFileFormatException>(() =>
            database.Get<SchoolDirectoryImportService>().PreviewAsync(TestState.CallerFor(state.StateAdmin), csv.ToStream(byteOrderMark: true)));

        Assert.Equal(["Status"], error.MissingHeaders);
    }

    [Fact]
    public async Task SchoolFile_WithBomAndCrlf_MatchesTheDirectoryAsRecorded()
    {
        var (database, state) = await ArrangeAsync();
        await using var _ = database;
        var csv = DirectoryCsv.Schools().Row("101", "Alpha Parish Schools", "101001", "Alpha Elementary", "open");

        var preview = await database.Get<SchoolDirectoryImportService>().PreviewAsync(TestState.CallerFor(state.StateAdmin), csv.ToStream(byteOrderMark: true));

        Assert.Equal(DirectoryRowCategory.Unchanged, Assert.Single(preview.Rows).Category);
    }
}

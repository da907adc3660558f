using EserSecurity.Core.Directories;
using EserSecurity.Core.Imports;
using EserSecurity.Core.Security;
using EserSecurity.Core.Tas;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.Security.HostileInput;

/// <summary>
/// Every CSV upload (staff directory, school directory, TAS User Report) fed what a hostile or careless uploader gives:
/// an empty file, an endless one, binary bytes, UTF-16, Latin-1, formula cells and markup in names. A file that cannot
/// be read is refused with a message before anything is written, in the preview and in the commit alike; a cell is
/// never run, only stored as the text it is.
/// </summary>
public sealed class HostileUploadTests
{
    /// <summary>An upload: a valid file for the test state, and its preview and commit as the state administrator.</summary>
    private sealed record Upload(
        Func<TestState, byte[]> ValidFile, string Header, string Row,
        Func<TestDatabase, Caller, Stream, Task> Preview, Func<TestDatabase, Caller, Stream, Task> Commit);

    private static readonly Dictionary<string, Upload> Uploads = new()
    {
        ["staff directory"] = new(
            s => DirectoryCsv.Staff().Person(s.UserA1, "101", "101001").ToBytes(),
            string.Join(",", DirectoryCsv.StaffHeader), "900000001,Doe,Jane,jane.doe@example.org,101,101001,Teacher,Active,,",
            (db, c, f) => db.Get<StaffDirectoryImportService>().PreviewAsync(c, f),
            (db, c, f) => db.Get<StaffDirectoryImportService>().CommitAsync(c, f)),
        ["school directory"] = new(
            _ => DirectoryCsv.Schools().Row("101", "Alpha Parish Schools", "101009", "Alpha Academy", "Open").ToBytes(),
            string.Join(",", DirectoryCsv.SchoolHeader), "101,Alpha Parish Schools,101009,Alpha Academy,Open",
            (db, c, f) => db.Get<SchoolDirectoryImportService>().PreviewAsync(c, f),
            (db, c, f) => db.Get<SchoolDirectoryImportService>().CommitAsync(c, f)),
        ["TAS User Report"] = new(
            s => new TasReportCsv().Row(s.UserA1, "101", "101001", "SER Data Entry").ToBytes(),
            string.Join(",", TasReportCsv.StandardHeader), "900000001,Doe,Jane,jane.doe@example.org,101,101001,SER,SER Data Entry,Active",
            (db, c, f) => db.Get<TasImportService>().PreviewAsync(c, f),
            (db, c, f) => db.Get<TasImportService>().CommitAsync(c, f)),
    };

    public static TheoryData<string, string, bool> RefusedFiles()
    {
        var cases = new TheoryData<string, string, bool>();
        foreach (var upload in Uploads.Keys)
        {
            foreach (var file in HostileFiles.Refused.Keys)
            {
                cases.Add(upload, file, false);
                cases.Add(upload, file, true);
            }
        }
        return cases;
    }

    public static TheoryData<string, bool> EveryUpload()
    {
        var cases = new TheoryData<string, bool>();
        foreach (var upload in Uploads.Keys)
        {
            cases.Add(upload, false);
            cases.Add(upload, true);
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(RefusedFiles))]
    public async Task UnreadableFile_IsRefusedWithAMessage_AndNothingIsWritten(string upload, string file, bool commit)
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var (make, says) = HostileFiles.Refused[file];
        var bytes = make(Uploads[upload].ValidFile(state));
        var before = await DatabaseSnapshot.TakeAsync(database);

        var refusal = await Assert.ThrowsAnyAsync<Exception>(() => Act(database, state, upload, commit, new MemoryStream(bytes)));

        Assert.IsType(upload == "TAS User Report" ? typeof(TasReportFormatException) : typeof(ImportFileFormatException), refusal);
        Assert.Contains(says, refusal.Message, StringComparison.Ordinal);
        await DatabaseSnapshot.AssertUnchangedAsync(database, before);
    }

    [Theory]
    [MemberData(nameof(EveryUpload))]
    public async Task FileOverTheLimit_IsRefusedSoonAfterTheLimit_WithoutReadingTheRest(string upload, bool commit)
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var endless = new EndlessCsvStream(Uploads[upload].Header, Uploads[upload].Row);
        var before = await DatabaseSnapshot.TakeAsync(database);

        var refusal = await Assert.ThrowsAnyAsync<Exception>(() => Act(database, state, upload, commit, endless));

        Assert.Contains($"larger than {CsvImportFile.MaxFileBytes / (1024 * 1024)} MB", refusal.Message, StringComparison.Ordinal);
        Assert.InRange(endless.BytesRead, CsvImportFile.MaxFileBytes, CsvImportFile.MaxFileBytes + (1024 * 1024));
        await DatabaseSnapshot.AssertUnchangedAsync(database, before);
    }

    [Theory]
    [InlineData("staff directory")]
    [InlineData("school directory")]
    public async Task DirectoryFileInLatin1_IsReadAsWindows1252_AndKeepsTheAccents(string upload)
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var file = upload == "staff directory"
            ? DirectoryCsv.Staff().Row("800000015", "Thibodeaux", "Renée", "renee@example.org", "101", "101001", "Teacher", "Active", "", "")
            : DirectoryCsv.Schools().Row("101", "Alpha Parish Schools", "101009", "École Française", "Open");
        var bytes = file.ToBytes(encoding: DirectoryCsv.Windows1252);
        Assert.False(System.Text.Unicode.Utf8.IsValid(bytes));

        await Act(database, state, upload, commit: true, new MemoryStream(bytes));

        await using var db = await database.OpenAsync();
        Assert.True(upload == "staff directory"
            ? await db.StaffMembers.AnyAsync(p => p.StaffId == "800000015" && p.FirstName == "Renée")
            : await db.Schools.AnyAsync(s => s.SiteCode == "101009" && s.Name == "École Française"));
    }

    [Fact]
    public async Task TasReportInLatin1_HasInvalidRowsSayingToSaveAsUtf8_AndTheCommitWritesNothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var bytes = DirectoryCsv.Windows1252.GetBytes(
            $"{string.Join(",", TasReportCsv.StandardHeader)}\r\n{state.UserA1.StaffId},{state.UserA1.LastName},Renée,,101,101001,SER,SER Data Entry,Active\r\n");
        var admin = TestState.CallerFor(state.StateAdmin);
        var before = await DatabaseSnapshot.TakeAsync(database);

        var preview = await database.Get<TasImportService>().PreviewAsync(admin, new MemoryStream(bytes));
        var refusal = await Assert.ThrowsAsync<TasImportRefusedException>(() => database.Get<TasImportService>().CommitAsync(admin, new MemoryStream(bytes)));

        var row = Assert.Single(preview.Findings);
        Assert.Equal(TasImportCategory.Invalid, row.Category);
        Assert.Contains("UTF-8", row.Reason, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(refusal.Message));
        await DatabaseSnapshot.AssertUnchangedAsync(database, before);
    }

    /// <summary>Cells a spreadsheet would run (=, +, -, @) and markup, as names, positions and role names.</summary>
    public static TheoryData<string> LiteralCells() => ["=1+2", "+SUM(1;2)", "-2+3", "@SUM(A1)", "=HYPERLINK(0)", "<script>alert(1)</script>"];

    [Theory]
    [MemberData(nameof(LiteralCells))]
    public async Task FormulaOrMarkupCell_IsStoredAsTheTextItIs(string cell)
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var admin = TestState.CallerFor(state.StateAdmin);

        await database.Get<StaffDirectoryImportService>().CommitAsync(admin, DirectoryCsv.Staff()
            .Row("800000016", cell, cell, "cell@example.org", "101", "101001", cell, "Active", "", "").ToStream());
        await database.Get<SchoolDirectoryImportService>().CommitAsync(admin, DirectoryCsv.Schools()
            .Row("101", "Alpha Parish Schools", "101009", cell, "Open").ToStream());
        await database.Get<TasImportService>().CommitAsync(admin, new TasReportCsv().Row(state.UserA1, "101", "101001", cell).ToStream());

        await using var db = await database.OpenAsync();
        var person = await db.StaffMembers.SingleAsync(p => p.StaffId == "800000016");
        Assert.Equal((cell, cell, cell), (person.LastName, person.FirstName, person.Position));
        Assert.Equal(cell, (await db.Schools.SingleAsync(s => s.SiteCode == "101009")).Name);
        Assert.True(await db.TasRoles.AnyAsync(r => r.Name == cell));
    }

    private static Task Act(TestDatabase database, TestState state, string upload, bool commit, Stream file) =>
        (commit ? Uploads[upload].Commit : Uploads[upload].Preview)(database, TestState.CallerFor(state.StateAdmin), file);
}

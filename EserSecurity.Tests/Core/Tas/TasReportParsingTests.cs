using System.Text;
using EserSecurity.Core.Security;
using EserSecurity.Core.Tas;
using EserSecurity.Tests.Support;

namespace EserSecurity.Tests.Core.Tas;

/// <summary>How the import reads the file: encodings, line endings, quoting, headers, and files that are not a report.</summary>
public sealed class TasReportParsingTests
{
    private static async Task<(TestDatabase Db, TestState State, TasImportService Service, Caller Admin)> ArrangeAsync()
    {
        var db = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(db);
        await LegacyAccessState.CreateAsync(db, state);
        return (db, state, db.Get<TasImportService>(), TestState.CallerFor(state.StateAdmin));
    }

    [Theory]
    [InlineData("\r\n", true)]
    [InlineData("\r\n", false)]
    [InlineData("\n", true)]
    [InlineData("\n", false)]
    public async Task Preview_ByteOrderMarkAndLineEndings_ReadEveryRowAtItsLine(string newline, bool byteOrderMark)
    {
        var (database, state, service, admin) = await ArrangeAsync();
        await using var _ = database;
        var csv = new TasReportCsv()
            .Row(state.UserA1, "101", "101001", LegacyAccessState.TasDataEntry)
            .Row(state.UserA3, "101", "101003", LegacyAccessState.TasDataEntry);

        var preview = await service.PreviewAsync(admin, csv.ToStream(newline, byteOrderMark));

        Assert.Equal(2, preview.RowsRead);
        Assert.Equal([2, 3], preview.In(TasImportCategory.ToAdd).Select(f => f.Line.LineNumber));
        var first = preview.In(TasImportCategory.ToAdd)[0].Line;
        Assert.Equal(state.UserA1.StaffId, first.StaffId);
        Assert.Equal("Active", first.Status);
    }

    [Fact]
    public async Task Preview_QuotedFieldsWithCommasQuotesAndLineBreaks_KeepTheirTextAndLines()
    {
        var (database, state, service, admin) = await ArrangeAsync();
        await using var _ = database;
        var csv = new TasReportCsv()
            .Line($"{state.UserA1.StaffId},{state.UserA1.LastName},\"Nan, \"\"the\"\" user\",x@example.org,101,101001,SER,\"SER Data Entry\",Active")
            .Line($"{state.UserA3.StaffId},\"{state.UserA3.LastName}\",\"two\nlines\",,101,101003,SER,SER Data Entry,Active")
            .Row(state.LocalA, "101", "101001", LegacyAccessState.TasDataEntry);

        var preview = await service.PreviewAsync(admin, csv.ToStream());

        var rows = preview.In(TasImportCategory.ToAdd);
        Assert.Equal(2, rows.Count);
        Assert.Equal("Nan, \"the\" user", rows[0].Line.FirstName);
        // The quoted line break is read into the field; as a first name it is refused, since it would break a list's line.
        var broken = Assert.Single(preview.In(TasImportCategory.Invalid));
        Assert.Equal(("two\nlines", "", 3), (broken.Line.FirstName, broken.Line.Email, broken.Line.LineNumber));
        Assert.Contains("(U+000A)", broken.Reason);
        // The quoted line break moves the next record to line 5.
        Assert.Equal([2, 5], rows.Select(r => r.Line.LineNumber));
    }

    [Fact]
    public async Task Preview_HeadersInAnyOrderCaseAndSpelling_AreMatched()
    {
        var (database, state, service, admin) = await ArrangeAsync();
        await using var _ = database;
        var person = state.UserA1;
        var csv = new TasReportCsv("STATUS", "tas_role", "Application", "site code", "LEA CODE", "E-mail", "first name", "Last_Name", "StaffID")
            .Line($"active,SER Data Entry,ser,101001,101,{person.Email},{person.FirstName},{person.LastName},{person.StaffId}");

        var preview = await service.PreviewAsync(admin, csv.ToStream());

        var line = Assert.Single(preview.In(TasImportCategory.ToAdd)).Line;
        Assert.Equal(person.StaffId, line.StaffId);
        Assert.Equal("101001", line.SiteCode);
        Assert.Equal(person.Email, line.Email);
        Assert.Equal("SER Data Entry", line.TasRole);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF })]
    [InlineData(new byte[] { 0x0D, 0x0A, 0x0D, 0x0A })]
    public async Task Preview_EmptyFile_IsRefusedNamingTheHeadersItNeeds(byte[] content)
    {
        var (database, _, service, admin) = await ArrangeAsync();
        await using var __ = database;

        var error = await Assert.ThrowsAsync<TasReportFormatException>(() => service.PreviewAsync(admin, new MemoryStream(content)));

        Assert.Contains("empty", error.Message);
        Assert.Contains("Staff ID", error.Message);
        Assert.Equal(9, error.MissingHeaders.Count);
    }

    [Fact]
    public async Task Preview_HeaderRowOnly_IsRefusedAsNothingToImport()
    {
        var (database, _, service, admin) = await ArrangeAsync();
        await using var __ = database;

        var error = await Assert.ThrowsAsync<TasReportFormatException>(() => service.PreviewAsync(admin, new TasReportCsv().ToStream()));

        Assert.Contains("no data rows", error.Message);
    }

    [Fact]
    public async Task Preview_MissingRequiredHeaders_AreAllNamed()
    {
        var (database, _, service, admin) = await ArrangeAsync();
        await using var __ = database;
        var csv = new TasReportCsv("Staff ID", "Last Name", "First Name", "Email", "LEA code", "Application", "TAS Role")
            .Line("900000001,Doe,Jane,j@example.org,101,SER,SER Data Entry");

        var error = await Assert.ThrowsAsync<TasReportFormatException>(() => service.PreviewAsync(admin, csv.ToStream()));

        Assert.Equal(["Site code", "Status"], error.MissingHeaders);
        Assert.Contains("Site code, Status", error.Message);
    }

    [Fact]
    public async Task Preview_RepeatedHeader_IsRefused()
    {
        var (database, _, service, admin) = await ArrangeAsync();
        await using var __ = database;
        var csv = new TasReportCsv([.. TasReportCsv.StandardHeader, "STAFF_ID"]).Line("1,2,3,4,5,6,7,8,9,10");

        var error = await Assert.ThrowsAsync<TasReportFormatException>(() => service.PreviewAsync(admin, csv.ToStream()));

        Assert.Contains("STAFF_ID more than once", error.Message);
    }

    [Fact]
    public async Task Preview_BrokenRecords_AreInvalidWithTheReason()
    {
        var (database, state, service, admin) = await ArrangeAsync();
        await using var _ = database;
        var p = state.UserA1;
        var csv = new TasReportCsv()
            .Line($"{p.StaffId},{p.LastName},Smith, Jr.,{p.Email},101,101001,SER,SER Data Entry,Active")
            .Line($"{p.StaffId},{p.LastName},ab\"c,{p.Email},101,101001,SER,SER Reports,Active")
            .Line($"{p.StaffId},{p.LastName},\"never closed,{p.Email},101,101001,SER,SER Data Entry,Active")
            .Line("this line is swallowed by the open quote");

        var preview = await service.PreviewAsync(admin, csv.ToStream());

        var invalid = preview.In(TasImportCategory.Invalid);
        Assert.Equal([2, 3, 4], invalid.Select(f => f.Line.LineNumber));
        Assert.Contains("10 fields where the header has 9", invalid[0].Reason);
        Assert.Contains("A quote stands inside a value", invalid[1].Reason);
        Assert.Contains("never closed", invalid[2].Reason);
        Assert.False(preview.CanCommit);
    }

    [Fact]
    public async Task Preview_NameWithATextDirectionOverride_IsInvalidNamingTheCharacter()
    {
        var (database, state, service, admin) = await ArrangeAsync();
        await using var _ = database;
        var p = state.UserA1;
        var csv = new TasReportCsv().Line($"{p.StaffId},{p.LastName}\u202Eevil,{p.FirstName},{p.Email},101,101001,SER,SER Data Entry,Active");

        var preview = await service.PreviewAsync(admin, csv.ToStream());

        Assert.Contains("he last name holds an invisible control or text-direction character (U+202E)", Assert.Single(preview.In(TasImportCategory.Invalid)).Reason);
        Assert.False(preview.CanCommit);
    }

    [Fact]
    public async Task Preview_NotUtf8_IsInvalidAskingForCsvUtf8()
    {
        var (database, state, service, admin) = await ArrangeAsync();
        await using var _ = database;
        var p = state.UserA1;
        byte[] content = [.. new TasReportCsv().ToBytes(), .. Encoding.UTF8.GetBytes($"{p.StaffId},H"), 0xE9, .. Encoding.UTF8.GetBytes($"bert,{p.FirstName},,101,101001,SER,SER Data Entry,Active\r\n")];

        var preview = await service.PreviewAsync(admin, new MemoryStream(content));

        Assert.Contains("CSV UTF-8", Assert.Single(preview.In(TasImportCategory.Invalid)).Reason);
    }

    [Fact]
    public async Task Preview_TenMegabyteFile_IsReadWholeWithEveryLine()
    {
        var (database, state, service, admin) = await ArrangeAsync();
        await using var _ = database;
        var csv = new StringBuilder(string.Join(",", TasReportCsv.StandardHeader)).Append("\r\n");
        var rows = 0;
        while (csv.Length < 10 * 1024 * 1024)
        {
            rows++;
            csv.Append(1_000_000_000 + rows).Append(",Thibodeaux-Broussard,Marie-Évangéline,marie.thibodeaux@alpha.k12.example.org,101,101001,SER,\"SER Data Entry\",Active\r\n");
        }
        csv.Append(state.UserA1.StaffId).Append(',').Append(state.UserA1.LastName).Append(",x,,101,101001,SER,SER Data Entry,Active\r\n");
        var bytes = Encoding.UTF8.GetBytes(csv.ToString());
        Assert.True(bytes.Length >= 10 * 1024 * 1024);

        var preview = await service.PreviewAsync(admin, new MemoryStream(bytes));

        Assert.Equal(rows + 1, preview.RowsRead);
        Assert.Equal(rows, preview.Count(TasImportCategory.UnknownStaff));
        Assert.Equal(rows + 2, Assert.Single(preview.In(TasImportCategory.ToAdd)).Line.LineNumber);
    }
}

using EserSecurity.Core.Imports;

namespace EserSecurity.Core.Tas;

/// <summary>A row as read, with what is wrong with its shape (field count, quoting, encoding), if anything.</summary>
internal readonly record struct ParsedLine(TasReportLine Line, string? ShapeProblem);

/// <summary>The rows of a TAS User Report file and the file's SHA-256.</summary>
internal sealed record TasReportFile(IReadOnlyList<ParsedLine> Lines, string Sha256);

/// <summary>
/// The TAS "User Report by Application" CSV, read by the shared <see cref="CsvImportFile"/> reader: the nine columns in
/// any order, UTF-8 only (a row with other bytes is reported, so that a name is never stored misread).
/// </summary>
internal static class TasUserReport
{
    /// <summary>The largest file read: a state's whole report is about 10 MB per 100,000 rows.</summary>
    public const int MaxFileBytes = CsvImportFile.MaxFileBytes;

    /// <summary>The most data rows read from one file.</summary>
    public const int MaxRows = CsvImportFile.MaxRows;

    private const string SplitAdvice = "Export the User Report for fewer school systems at a time.";

    /// <summary>The report's columns in its own order, each with the header names it is known by (normalised).</summary>
    private static readonly CsvImportLayout Layout = new(
        "A TAS User Report",
        [
            new("Staff ID", true, "staffid", "escholarstaffid", "escholarid"),
            new("Last Name", true, "lastname", "surname"),
            new("First Name", true, "firstname", "givenname"),
            new("Email", true, "email", "emailaddress"),
            new("LEA code", true, "leacode", "lea", "sponsorcode", "sponsor"),
            new("Site code", true, "sitecode", "site", "schoolcode"),
            new("Application", true, "application", "applicationname", "app"),
            new("TAS Role", true, "tasrole", "role", "rolename"),
            new("Status", true, "status", "userstatus", "accountstatus"),
        ],
        SplitAdvice,
        AcceptWindows1252: false,
        "it has characters that are not UTF-8; save the report as \"CSV UTF-8\"");

    public static IReadOnlyList<string> RequiredHeaders => Layout.RequiredHeaders;

    /// <summary>Reads the whole stream (at most <see cref="MaxFileBytes"/>) so it can be hashed and parsed in place.</summary>
    public static async Task<byte[]> ReadAllAsync(Stream stream, CancellationToken ct)
    {
        try
        {
            return await CsvImportFile.ReadAllAsync(stream, Layout, ct);
        }
        catch (ImportFileFormatException ex)
        {
            throw new TasReportFormatException(ex.Message, ex.MissingHeaders);
        }
    }

    public static TasReportFile Parse(byte[] bytes, IProgress<TasImportProgress>? progress, CancellationToken ct)
    {
        CsvImportFile file;
        try
        {
            file = CsvImportFile.Parse(bytes, Layout, progress is null ? null : new ReadingProgress(progress), ct);
        }
        catch (ImportFileFormatException ex)
        {
            throw new TasReportFormatException(ex.Message, ex.MissingHeaders);
        }
        progress?.Report(new TasImportProgress(TasImportStage.Reading, file.Rows.Count, file.Rows.Count));
        var lines = new List<ParsedLine>(file.Rows.Count);
        foreach (var (lineNumber, f, shapeProblem) in file.Rows)
        {
            lines.Add(new ParsedLine(new TasReportLine(lineNumber, f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8]), shapeProblem));
        }
        return new TasReportFile(lines, file.Sha256);
    }

    /// <summary>Passes rows read on at once, as the Reading stage (the total is unknown while reading).</summary>
    private sealed class ReadingProgress(IProgress<TasImportProgress> progress) : IProgress<int>
    {
        public void Report(int value) => progress.Report(new TasImportProgress(TasImportStage.Reading, value, 0));
    }
}

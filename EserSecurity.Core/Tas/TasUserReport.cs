using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CsvHelper;

namespace EserSecurity.Core.Tas;

/// <summary>A row as read, with what is wrong with its shape (field count, quoting, encoding), if anything.</summary>
internal readonly record struct ParsedLine(TasReportLine Line, string? ShapeProblem);

/// <summary>The rows of a TAS User Report file and the file's SHA-256.</summary>
internal sealed record TasReportFile(IReadOnlyList<ParsedLine> Lines, string Sha256);

/// <summary>
/// Reads the TAS "User Report by Application" CSV with CsvHelper: UTF-8 with or without a byte order mark, CRLF or LF,
/// RFC 4180 quoting (commas, quotes and line breaks inside quoted fields), and the nine columns in any order, their
/// headers matched without regard to case, spaces, underscores, hyphens or dots ("Staff ID", "STAFF_ID", "staffid").
/// </summary>
internal static class TasUserReport
{
    /// <summary>The largest file read: a state's whole report is about 10 MB per 100,000 rows.</summary>
    public const int MaxFileBytes = 64 * 1024 * 1024;

    /// <summary>The most data rows read from one file.</summary>
    public const int MaxRows = 250_000;

    private const int ProgressInterval = 5_000;

    /// <summary>The report's columns in its own order, each with the header names it is known by (normalised).</summary>
    private static readonly (string Header, string[] Aliases)[] Columns =
    [
        ("Staff ID", ["staffid", "escholarstaffid", "escholarid"]),
        ("Last Name", ["lastname", "surname"]),
        ("First Name", ["firstname", "givenname"]),
        ("Email", ["email", "emailaddress"]),
        ("LEA code", ["leacode", "lea", "sponsorcode", "sponsor"]),
        ("Site code", ["sitecode", "site", "schoolcode"]),
        ("Application", ["application", "applicationname", "app"]),
        ("TAS Role", ["tasrole", "role", "rolename"]),
        ("Status", ["status", "userstatus", "accountstatus"]),
    ];

    public static IReadOnlyList<string> RequiredHeaders { get; } = Columns.Select(c => c.Header).ToList();

    /// <summary>Reads the whole stream (at most <see cref="MaxFileBytes"/>) so it can be hashed and parsed in place.</summary>
    public static async Task<byte[]> ReadAllAsync(Stream stream, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxFileBytes)
            {
                throw new TasReportFormatException(
                    $"The file is larger than {MaxFileBytes / (1024 * 1024)} MB. Export the User Report for fewer school systems at a time.");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    public static TasReportFile Parse(byte[] bytes, IProgress<TasImportProgress>? progress, CancellationToken ct)
    {
        var malformed = new Dictionary<long, CsvMalformedReason>();
        var options = new CsvReaderOptions
        {
            Separator = ',',
            HasHeader = true,
            TrackLineNumbers = true,
            TrimWhitespace = true,
            TrimInsideQuotes = true,
            PoolStrings = true,
            OnMalformedRecord = record => malformed.TryAdd(record.LineNumber, record.Reason),
        };
        using var reader = CsvReader.Create(bytes, options);
        reader.ReadHeader();
        var columns = MapColumns(reader.Headers);

        var lines = new List<ParsedLine>();
        var fieldCount = reader.Headers.Count;
        while (reader.Read())
        {
            if (lines.Count == MaxRows)
            {
                throw new TasReportFormatException(
                    $"The file has more than {MaxRows.ToString("N0", CultureInfo.InvariantCulture)} rows. Export the User Report for fewer school systems at a time.");
            }
            var lineNumber = checked((int)reader.LineNumber);
            var line = new TasReportLine(lineNumber,
                Field(reader, columns[0]), Field(reader, columns[1]), Field(reader, columns[2]), Field(reader, columns[3]),
                Field(reader, columns[4]), Field(reader, columns[5]), Field(reader, columns[6]), Field(reader, columns[7]), Field(reader, columns[8]));
            CsvMalformedReason? quoting = malformed.TryGetValue(lineNumber, out var reason) ? reason : null;
            lines.Add(new ParsedLine(line, ShapeProblem(reader.FieldCount, fieldCount, quoting, line)));
            if (lines.Count % ProgressInterval == 0)
            {
                ct.ThrowIfCancellationRequested();
                progress?.Report(new TasImportProgress(TasImportStage.Reading, lines.Count, 0));
            }
        }
        if (lines.Count == 0)
        {
            throw new TasReportFormatException("The file has its header row but no data rows: there is nothing to import.");
        }
        progress?.Report(new TasImportProgress(TasImportStage.Reading, lines.Count, lines.Count));
        return new TasReportFile(lines, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    /// <summary>The index of each of the nine columns, in <see cref="Columns"/> order; refuses a header that lacks any.</summary>
    private static int[] MapColumns(IReadOnlyList<string> headers)
    {
        if (headers.Count == 0 || headers.All(string.IsNullOrWhiteSpace))
        {
            throw new TasReportFormatException(
                $"The file is empty. A TAS User Report starts with a header row naming {string.Join(", ", RequiredHeaders)}.",
                RequiredHeaders);
        }
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        var repeated = new List<string>();
        for (var i = 0; i < headers.Count; i++)
        {
            var key = Normalize(headers[i]);
            if (key.Length > 0 && !byName.TryAdd(key, i) && Columns.Any(c => c.Aliases.Contains(key)))
            {
                repeated.Add(headers[i].Trim());
            }
        }
        if (repeated.Count > 0)
        {
            throw new TasReportFormatException($"The header names {string.Join(", ", repeated.Distinct())} more than once; keep one column of each.");
        }
        var indexes = new int[Columns.Length];
        var missing = new List<string>();
        for (var c = 0; c < Columns.Length; c++)
        {
            var found = Columns[c].Aliases.Select(a => byName.TryGetValue(a, out var i) ? i : -1).FirstOrDefault(i => i >= 0, -1);
            if (found < 0)
            {
                missing.Add(Columns[c].Header);
            }
            indexes[c] = found;
        }
        if (missing.Count > 0)
        {
            throw new TasReportFormatException(
                $"The file lacks the required column{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)}. " +
                $"A TAS User Report has {string.Join(", ", RequiredHeaders)}, in any order.",
                missing);
        }
        return indexes;
    }

    /// <summary>"Staff ID", "STAFF_ID", "staff-id" and "\uFEFFStaff ID" all become "staffid".</summary>
    internal static string Normalize(string header)
    {
        var text = new StringBuilder(header.Length);
        foreach (var ch in header)
        {
            if (char.IsLetterOrDigit(ch))
            {
                text.Append(char.ToLowerInvariant(ch));
            }
        }
        return text.ToString();
    }

    private static string Field(CsvReader reader, int index) => index < reader.FieldCount ? reader.GetString(index) : "";

    private static string? ShapeProblem(int fields, int expected, CsvMalformedReason? malformed, TasReportLine line)
    {
        if (malformed is { } reason)
        {
            return reason switch
            {
                CsvMalformedReason.UnterminatedQuote => "a quote opened on this line is never closed, so the rest of the file reads as one value",
                CsvMalformedReason.StrayQuote => "a quote stands inside a value that is not quoted; quote the whole value and double the quote",
                CsvMalformedReason.TextAfterClosingQuote => "text follows a closing quote; quote the whole value and double any quote inside it",
                _ => "its quoting is malformed",
            };
        }
        if (fields != expected)
        {
            return $"it has {fields} field{(fields == 1 ? "" : "s")} where the header has {expected}; a value with a comma must be in quotes";
        }
        if (HasReplacementCharacter(line))
        {
            return "it has characters that are not UTF-8; save the report as \"CSV UTF-8\"";
        }
        return null;
    }

    private static bool HasReplacementCharacter(TasReportLine line) =>
        line.LastName.Contains('\uFFFD', StringComparison.Ordinal) || line.FirstName.Contains('\uFFFD', StringComparison.Ordinal)
        || line.Email.Contains('\uFFFD', StringComparison.Ordinal) || line.TasRole.Contains('\uFFFD', StringComparison.Ordinal)
        || line.Status.Contains('\uFFFD', StringComparison.Ordinal) || line.Application.Contains('\uFFFD', StringComparison.Ordinal);
}

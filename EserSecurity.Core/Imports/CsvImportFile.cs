using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;
using CsvHelper;

namespace EserSecurity.Core.Imports;

/// <summary>One data row as read (fields trimmed, in the layout's column order, "" for a missing optional column), with what is wrong with its shape, if anything.</summary>
internal readonly record struct CsvImportRow(int LineNumber, string[] Fields, string? ShapeProblem);

/// <summary>
/// Reads the CSV files that imports take, with one set of rules for all of them: UTF-8 with or without a byte order mark
/// (or Windows-1252 where the layout accepts it), CRLF or LF, RFC 4180 quoting (commas, quotes and line breaks inside
/// quoted fields), and the columns in any order, their headers matched without regard to case, spaces, underscores,
/// hyphens or dots ("Staff ID", "STAFF_ID", "staffid").
/// </summary>
internal sealed class CsvImportFile
{
    /// <summary>The largest file read: a state's whole staff extract or TAS report is about 10 MB per 100,000 rows.</summary>
    public const int MaxFileBytes = 64 * 1024 * 1024;

    /// <summary>The most data rows read from one file.</summary>
    public const int MaxRows = 250_000;

    private const int ProgressInterval = 5_000;

    private static readonly Encoding Windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)
        ?? throw new InvalidOperationException("Windows-1252 is not available.");

    private CsvImportFile(IReadOnlyList<CsvImportRow> rows, string sha256, bool readAsWindows1252)
    {
        Rows = rows;
        Sha256 = sha256;
        ReadAsWindows1252 = readAsWindows1252;
    }

    public IReadOnlyList<CsvImportRow> Rows { get; }

    /// <summary>SHA-256 (hex) of the file's bytes as given.</summary>
    public string Sha256 { get; }

    /// <summary>The bytes were not UTF-8 and were read as Windows-1252.</summary>
    public bool ReadAsWindows1252 { get; }

    /// <summary>Reads the whole stream (at most <see cref="MaxFileBytes"/>) so it can be hashed and parsed in place.</summary>
    public static async Task<byte[]> ReadAllAsync(Stream stream, CsvImportLayout layout, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxFileBytes)
            {
                throw new ImportFileFormatException($"The file is larger than {MaxFileBytes / (1024 * 1024)} MB. {layout.SplitAdvice}");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <param name="rowsRead">Receives the number of rows read so far, every few thousand rows (the caller reports the end, with the total).</param>
    public static CsvImportFile Parse(byte[] bytes, CsvImportLayout layout, IProgress<int>? rowsRead, CancellationToken ct)
    {
        RefuseNonText(bytes, layout);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var text = bytes;
        var windows1252 = false;
        if (layout.AcceptWindows1252 && !Utf8.IsValid(bytes))
        {
            text = Encoding.UTF8.GetBytes(Windows1252.GetString(bytes));
            windows1252 = true;
        }

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
        using var reader = CsvReader.Create(text, options);
        reader.ReadHeader();
        var columns = MapColumns(reader.Headers, layout);

        var rows = new List<CsvImportRow>();
        var fieldCount = reader.Headers.Count;
        while (reader.Read())
        {
            if (rows.Count == MaxRows)
            {
                throw new ImportFileFormatException(
                    $"The file has more than {MaxRows.ToString("N0", CultureInfo.InvariantCulture)} rows. {layout.SplitAdvice}");
            }
            var lineNumber = checked((int)reader.LineNumber);
            var fields = new string[columns.Length];
            for (var c = 0; c < columns.Length; c++)
            {
                fields[c] = columns[c] >= 0 && columns[c] < reader.FieldCount ? reader.GetString(columns[c]) : "";
            }
            CsvMalformedReason? quoting = malformed.TryGetValue(lineNumber, out var reason) ? reason : null;
            rows.Add(new CsvImportRow(lineNumber, fields, ShapeProblem(reader.FieldCount, fieldCount, quoting, fields, layout)));
            if (rows.Count % ProgressInterval == 0)
            {
                ct.ThrowIfCancellationRequested();
                rowsRead?.Report(rows.Count);
            }
        }
        if (rows.Count == 0)
        {
            throw new ImportFileFormatException("The file has its header row but no data rows: there is nothing to import.");
        }
        return new CsvImportFile(rows, sha256, windows1252);
    }

    /// <summary>
    /// Refuses bytes that are not CSV text before they are parsed: UTF-16 (which would read as a header of letters
    /// between NUL characters) and binary files such as an image or a spreadsheet workbook given a .csv name. A NUL byte
    /// never occurs in UTF-8 or Windows-1252 text.
    /// </summary>
    private static void RefuseNonText(ReadOnlySpan<byte> bytes, CsvImportLayout layout)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            throw new ImportFileFormatException(
                "The file is saved as UTF-16 (\"Unicode text\"). Save it as CSV UTF-8 and choose it again.");
        }
        if (bytes.Contains((byte)0))
        {
            throw new ImportFileFormatException(
                $"The file holds binary data, not CSV text: it may be a workbook, an image or a compressed file. {layout.FileName} is a CSV file; save it as CSV and choose it again.");
        }
    }

    /// <summary>The index of each of the layout's columns, in layout order (-1 for a missing optional column); refuses a header that lacks a required one.</summary>
    private static int[] MapColumns(IReadOnlyList<string> headers, CsvImportLayout layout)
    {
        var required = layout.RequiredHeaders;
        if (headers.Count == 0 || headers.All(string.IsNullOrWhiteSpace))
        {
            throw new ImportFileFormatException(
                $"The file is empty. {layout.FileName} starts with a header row naming {string.Join(", ", required)}.", required);
        }
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        var repeated = new List<string>();
        for (var i = 0; i < headers.Count; i++)
        {
            var key = Normalize(headers[i]);
            if (key.Length > 0 && !byName.TryAdd(key, i) && layout.Columns.Any(c => c.Aliases.Contains(key)))
            {
                repeated.Add(headers[i].Trim());
            }
        }
        if (repeated.Count > 0)
        {
            throw new ImportFileFormatException($"The header names {string.Join(", ", repeated.Distinct())} more than once; keep one column of each.");
        }
        var indexes = new int[layout.Columns.Count];
        var missing = new List<string>();
        for (var c = 0; c < layout.Columns.Count; c++)
        {
            var column = layout.Columns[c];
            var found = column.Aliases.Select(a => byName.TryGetValue(a, out var i) ? i : -1).FirstOrDefault(i => i >= 0, -1);
            if (found < 0 && column.Required)
            {
                missing.Add(column.Header);
            }
            indexes[c] = found;
        }
        if (missing.Count > 0)
        {
            throw new ImportFileFormatException(
                $"The file lacks the required column{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)}. " +
                $"{layout.FileName} has {string.Join(", ", required)}, in any order.",
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

    private static string? ShapeProblem(int fields, int expected, CsvMalformedReason? malformed, string[] values, CsvImportLayout layout)
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
        foreach (var value in values)
        {
            if (value.Contains('\uFFFD', StringComparison.Ordinal))
            {
                return layout.EncodingAdvice;
            }
        }
        return null;
    }
}

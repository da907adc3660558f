namespace EserSecurity.Core.Imports;

/// <summary>A column of an import file: its name as documented and the header names it is known by (normalised, see <see cref="CsvImportFile.Normalize"/>).</summary>
public sealed record CsvImportColumn(string Header, bool Required, params string[] Aliases);

/// <summary>
/// What an import file looks like: its columns, what the messages call it, and whether a file that is not UTF-8 is
/// read as Windows-1252 (as Excel's "CSV (Comma delimited)" saves it) or each such row reported.
/// </summary>
/// <param name="FileName">The file as messages name it, with its article: "A TAS User Report", "A staff directory file".</param>
/// <param name="SplitAdvice">What to do about a file too large or too long: "Export the User Report for fewer school systems at a time."</param>
/// <param name="AcceptWindows1252">Read a file that is not valid UTF-8 as Windows-1252; otherwise rows with such bytes are reported.</param>
/// <param name="EncodingAdvice">The row's problem when bytes are not UTF-8 and Windows-1252 is not accepted.</param>
public sealed record CsvImportLayout(
    string FileName, IReadOnlyList<CsvImportColumn> Columns, string SplitAdvice, bool AcceptWindows1252, string EncodingAdvice)
{
    public IReadOnlyList<string> RequiredHeaders { get; } = Columns.Where(c => c.Required).Select(c => c.Header).ToList();

    public IReadOnlyList<string> OptionalHeaders { get; } = Columns.Where(c => !c.Required).Select(c => c.Header).ToList();
}

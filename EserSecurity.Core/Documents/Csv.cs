using System.Text;

namespace EserSecurity.Core.Documents;

/// <summary>
/// Writes CSV records per RFC 4180 (fields with a comma, quote or line break are quoted, quotes doubled, CRLF
/// between records) and neutralises values a spreadsheet would run as a formula.
/// </summary>
internal static class Csv
{
    public static void AppendRecord(StringBuilder csv, IReadOnlyList<string> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                csv.Append(',');
            }
            AppendField(csv, fields[i]);
        }
        csv.Append("\r\n");
    }

    /// <summary>The CSV as UTF-8 with a byte order mark, so that spreadsheets read accented names correctly.</summary>
    public static byte[] ToUtf8WithBom(StringBuilder csv)
    {
        var body = Encoding.UTF8.GetBytes(csv.ToString());
        var preamble = Encoding.UTF8.Preamble;
        var bytes = new byte[preamble.Length + body.Length];
        preamble.CopyTo(bytes);
        body.CopyTo(bytes.AsSpan(preamble.Length));
        return bytes;
    }

    /// <summary>
    /// A value starting with <c>=</c>, <c>+</c>, <c>-</c> or <c>@</c> (or a tab or carriage return, which some
    /// spreadsheets skip before reading a formula) gets a leading single quote, so it is shown as text, never run.
    /// </summary>
    public static string Neutralise(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;

    private static void AppendField(StringBuilder csv, string value)
    {
        value = Neutralise(value);
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            csv.Append(value);
            return;
        }
        csv.Append('"').Append(value.Replace("\"", "\"\"")).Append('"');
    }
}

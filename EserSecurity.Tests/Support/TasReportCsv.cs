using System.Text;
using EserSecurity.Core.Staff;

namespace EserSecurity.Tests.Support;

/// <summary>Builds TAS "User Report by Application" files for tests, in the report's own column order unless told otherwise.</summary>
public sealed class TasReportCsv
{
    public static readonly string[] StandardHeader =
        ["Staff ID", "Last Name", "First Name", "Email", "LEA code", "Site code", "Application", "TAS Role", "Status"];

    private readonly List<string> _lines = [];

    public TasReportCsv(params string[] header) => _lines.Add(string.Join(",", header.Length == 0 ? StandardHeader : header));

    /// <summary>A raw line, exactly as given.</summary>
    public TasReportCsv Line(string line)
    {
        _lines.Add(line);
        return this;
    }

    /// <summary>A SER row for a staff member as the directory has them.</summary>
    public TasReportCsv Row(StaffMember person, string leaCode, string siteCode, string tasRole, string status = "Active", string application = "SER") =>
        Line(string.Join(",", person.StaffId, Quote(person.LastName), Quote(person.FirstName), person.Email, leaCode, siteCode, application, Quote(tasRole), status));

    public byte[] ToBytes(string newline = "\r\n", bool byteOrderMark = false)
    {
        var text = Encoding.UTF8.GetBytes(string.Join(newline, _lines) + newline);
        return byteOrderMark ? [.. Encoding.UTF8.Preamble, .. text] : text;
    }

    public MemoryStream ToStream(string newline = "\r\n", bool byteOrderMark = false) => new(ToBytes(newline, byteOrderMark));

    public static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

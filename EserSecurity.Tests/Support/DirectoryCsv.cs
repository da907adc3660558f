using System.Text;
using EserSecurity.Core.Staff;

namespace EserSecurity.Tests.Support;

/// <summary>Builds staff and school directory files for tests, in the documented column order unless told otherwise.</summary>
public sealed class DirectoryCsv
{
    public static readonly string[] StaffHeader =
        ["Staff ID", "Last Name", "First Name", "Email", "LEA Code", "Site Codes", "Position", "Employment Status", "Status Date", "Sign-on Username"];

    public static readonly string[] SchoolHeader = ["LEA Code", "LEA Name", "Site Code", "School Name", "Status"];

    private readonly List<string> _lines = [];

    private DirectoryCsv(string[] header) => _lines.Add(string.Join(",", header));

    public static DirectoryCsv Staff(params string[] header) => new(header.Length == 0 ? StaffHeader : header);

    public static DirectoryCsv Schools(params string[] header) => new(header.Length == 0 ? SchoolHeader : header);

    /// <summary>A raw line, exactly as given.</summary>
    public DirectoryCsv Line(string line)
    {
        _lines.Add(line);
        return this;
    }

    /// <summary>A staff row, each field quoted where it needs to be.</summary>
    public DirectoryCsv Row(params string[] fields) => Line(string.Join(",", fields.Select(Quote)));

    /// <summary>A staff row for a person as the directory has them, with what the test changes.</summary>
    public DirectoryCsv Person(
        StaffMember person, string leaCode, string siteCodes, string status = "Active", string statusDate = "", string? lastName = null,
        string? position = null, string? username = null) =>
        Row(person.StaffId, lastName ?? person.LastName, person.FirstName, person.Email, leaCode, siteCodes, position ?? person.Position, status,
            statusDate, username ?? person.Username ?? "");

    public byte[] ToBytes(string newline = "\r\n", bool byteOrderMark = false, Encoding? encoding = null)
    {
        var text = (encoding ?? Encoding.UTF8).GetBytes(string.Join(newline, _lines) + newline);
        return byteOrderMark ? [.. Encoding.UTF8.Preamble, .. text] : text;
    }

    public MemoryStream ToStream(string newline = "\r\n", bool byteOrderMark = false, Encoding? encoding = null) =>
        new(ToBytes(newline, byteOrderMark, encoding));

    public static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static Encoding Windows1252 { get; } = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;
}

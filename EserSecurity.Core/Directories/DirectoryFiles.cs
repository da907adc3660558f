using EserSecurity.Core.Imports;

namespace EserSecurity.Core.Directories;

/// <summary>The staff directory extract's columns, in the order <see cref="CsvImportRow.Fields"/> holds them.</summary>
internal static class StaffDirectoryFile
{
    public const int StaffId = 0, LastName = 1, FirstName = 2, Email = 3, LeaCode = 4, SiteCodes = 5, Position = 6,
        EmploymentStatus = 7, StatusDate = 8, Username = 9;

    public static readonly CsvImportLayout Layout = new(
        "A staff directory file",
        [
            new("Staff ID", true, "staffid", "escholarstaffid", "escholarid"),
            new("Last Name", true, "lastname", "surname"),
            new("First Name", true, "firstname", "givenname"),
            new("Email", true, "email", "emailaddress"),
            new("LEA Code", true, "leacode", "lea"),
            new("Site Codes", true, "sitecodes", "sitecode", "sites"),
            new("Position", true, "position", "title", "jobtitle"),
            new("Employment Status", true, "employmentstatus", "status"),
            new("Status Date", true, "statusdate", "employmentstatusdate"),
            new("Sign-on Username", false, "signonusername", "username", "mylausername"),
        ],
        "Export the staff directory for fewer school systems at a time.",
        AcceptWindows1252: true,
        "it has characters that cannot be read");
}

/// <summary>The school directory's columns, in the order <see cref="CsvImportRow.Fields"/> holds them.</summary>
internal static class SchoolDirectoryFile
{
    public const int LeaCode = 0, LeaName = 1, SiteCode = 2, SchoolName = 3, Status = 4;

    public static readonly CsvImportLayout Layout = new(
        "A school directory file",
        [
            new("LEA Code", true, "leacode", "lea"),
            new("LEA Name", true, "leaname", "schoolsystemname", "schoolsystem"),
            new("Site Code", true, "sitecode", "site"),
            new("School Name", true, "schoolname", "school", "sitename"),
            new("Status", true, "status", "schoolstatus"),
        ],
        "Split the school directory into smaller files.",
        AcceptWindows1252: true,
        "it has characters that cannot be read");
}

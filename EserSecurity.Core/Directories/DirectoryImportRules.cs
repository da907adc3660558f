using System.Globalization;

namespace EserSecurity.Core.Directories;

/// <summary>Which categories block a commit and which write: one rule for the preview, the commit and the command line.</summary>
public static class DirectoryImportRules
{
    /// <summary>Invalid, unknown and duplicate rows block: the file is wrong or the console lacks what it names.</summary>
    public static bool Blocks(DirectoryRowCategory category) => category is DirectoryRowCategory.Invalid
        or DirectoryRowCategory.UnknownSchoolSystem or DirectoryRowCategory.UnknownSchool or DirectoryRowCategory.DuplicateInFile;

    /// <summary>Whether a row of this category is written on commit.</summary>
    public static bool Writes(DirectoryRowCategory category) => category is DirectoryRowCategory.New or DirectoryRowCategory.Updated
        or DirectoryRowCategory.Ended or DirectoryRowCategory.MovedSchoolSystem or DirectoryRowCategory.MovedSchools
        or DirectoryRowCategory.Closed or DirectoryRowCategory.Reopened;

    internal static string BlockingMessage(DirectoryImportPreview preview)
    {
        var parts = Enum.GetValues<DirectoryRowCategory>().Where(Blocks).Where(c => preview.Count(c) > 0)
            .Select(c => $"{preview.Count(c).ToString("N0", CultureInfo.InvariantCulture)} {Describe(c, preview.Count(c))}");
        var first = preview.Blocking.First();
        return $"The file has {string.Join(", ", parts)}; correct the file and import it again (the first is line " +
            $"{first.LineNumber.ToString(CultureInfo.InvariantCulture)}: {first.Reason.TrimEnd('.')}). Nothing was imported.";
    }

    /// <summary>The category as a phrase for counts ("3 invalid rows").</summary>
    public static string Describe(DirectoryRowCategory category, int count)
    {
        var rows = count == 1 ? "row" : "rows";
        return category switch
        {
            DirectoryRowCategory.New => $"new {rows}",
            DirectoryRowCategory.Updated => $"updated {rows}",
            DirectoryRowCategory.Unchanged => $"unchanged {rows}",
            DirectoryRowCategory.Invalid => $"invalid {rows}",
            DirectoryRowCategory.UnknownSchoolSystem => $"{rows} with an unknown school system",
            DirectoryRowCategory.UnknownSchool => $"{rows} with an unknown school",
            DirectoryRowCategory.DuplicateInFile => $"duplicate {rows}",
            DirectoryRowCategory.OutOfScope => $"{rows} outside your scope",
            DirectoryRowCategory.Ended => $"{rows} ending employment",
            DirectoryRowCategory.MovedSchoolSystem => $"{rows} moving to another school system",
            DirectoryRowCategory.MovedSchools => $"{rows} moving between schools",
            DirectoryRowCategory.Closed => $"{rows} closing a school",
            DirectoryRowCategory.Reopened => $"{rows} reopening a school",
            _ => rows,
        };
    }
}

using EserSecurity.Core.Directories;
using EserSecurity.Dashboard.Components.Shared.Imports;
using MudBlazor;

namespace EserSecurity.Dashboard.Components.Pages.Directories;

/// <summary>How the directory import pages name categories, progress and what a commit did.</summary>
internal static class DirectoryImportText
{
    /// <summary>The figures a school file always shows; another category shows too once a row falls in it.</summary>
    private static readonly DirectoryRowCategory[] SchoolFigures =
    [
        DirectoryRowCategory.New, DirectoryRowCategory.Updated, DirectoryRowCategory.Unchanged, DirectoryRowCategory.Closed,
        DirectoryRowCategory.Reopened, DirectoryRowCategory.Invalid, DirectoryRowCategory.DuplicateInFile,
    ];

    private static readonly DirectoryRowCategory[] StaffFigures =
    [
        DirectoryRowCategory.New, DirectoryRowCategory.Updated, DirectoryRowCategory.Unchanged, DirectoryRowCategory.Ended,
        DirectoryRowCategory.MovedSchoolSystem, DirectoryRowCategory.MovedSchools, DirectoryRowCategory.Invalid,
        DirectoryRowCategory.UnknownSchoolSystem, DirectoryRowCategory.UnknownSchool, DirectoryRowCategory.DuplicateInFile,
        DirectoryRowCategory.OutOfScope,
    ];

    public static IReadOnlyList<DirectoryRowCategory> CategoriesOf(DirectoryImportPreview preview)
    {
        var usual = preview.Kind == DirectoryKind.Schools ? SchoolFigures : StaffFigures;
        return Enum.GetValues<DirectoryRowCategory>().Where(c => usual.Contains(c) || preview.Count(c) > 0).ToList();
    }

    public static string CategoryText(DirectoryRowCategory category) => category switch
    {
        DirectoryRowCategory.New => "New",
        DirectoryRowCategory.Updated => "Updated",
        DirectoryRowCategory.Unchanged => "Unchanged",
        DirectoryRowCategory.Invalid => "Invalid",
        DirectoryRowCategory.UnknownSchoolSystem => "Unknown school system",
        DirectoryRowCategory.UnknownSchool => "Unknown school",
        DirectoryRowCategory.DuplicateInFile => "Duplicate in file",
        DirectoryRowCategory.OutOfScope => "Out of scope",
        DirectoryRowCategory.Ended => "Ending employment",
        DirectoryRowCategory.MovedSchoolSystem => "Moved school system",
        DirectoryRowCategory.MovedSchools => "Moved schools",
        DirectoryRowCategory.Closed => "Closed",
        _ => "Reopened",
    };

    public static Color CategoryColor(DirectoryRowCategory category) =>
        DirectoryImportRules.Blocks(category) ? Color.Error
        : category == DirectoryRowCategory.Unchanged ? Color.Default
        : DirectoryImportRules.Writes(category) ? Color.Success
        : Color.Warning;

    public static string ChangeText(DirectoryFieldChange change) => $"{change.Field}: {Shown(change.Old)} → {Shown(change.New)}";

    private static string Shown(string? value) => string.IsNullOrEmpty(value) ? "(none)" : value;

    public static ImportProgressText Describe(DirectoryImportProgress progress) => new(
        progress.Stage switch
        {
            DirectoryImportStage.Reading => "Reading the file",
            DirectoryImportStage.Checking => "Checking rows against the directory",
            _ => "Writing",
        } + (progress.Total > 0 ? $": {progress.Done:N0} of {progress.Total:N0} rows" : ""),
        progress.Total > 0 ? 100.0 * progress.Done / progress.Total : null,
        progress.Done == progress.Total);

    public static ImportOutcome<DirectoryImportPreview> Outcome(string fileName, DirectoryImportResult result)
    {
        if (!result.Changed)
        {
            return new(result.Preview, $"Nothing changed: {fileName} matches what is already recorded.", false);
        }
        var ended = result.Preview.Kind == DirectoryKind.Staff ? $", {result.Ended:N0} ending employment" : "";
        var missing = result.MissingEnded > 0 ? $", {result.MissingEnded:N0} not in the file marked ended" : "";
        var changes = result.ChangesRecorded > 0 ? $" {result.ChangesRecorded:N0} directory change(s) recorded." : "";
        return new(result.Preview, $"Imported {fileName}: {result.Created:N0} new, {result.Updated:N0} updated{ended}{missing}.{changes}", true);
    }

    public static ImportRefusal<DirectoryImportPreview>? RefusalOf(Exception ex) => ex switch
    {
        Core.Imports.ImportFileFormatException format => new(format.Message),
        DirectoryImportRefusedException refused => new(refused.Message, refused.Preview),
        _ => null,
    };
}

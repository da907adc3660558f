using EserSecurity.Core.Security;
using System.Globalization;
using EserSecurity.Core.Imports;
using EserSecurity.Core.SchoolSystems;
using F = EserSecurity.Core.Directories.SchoolDirectoryFile;

namespace EserSecurity.Core.Directories;

/// <summary>A school system the file names, and whether it is new or renamed.</summary>
internal sealed record PlannedSchoolSystem(string Code, string Name, KnownSchoolSystem? Known)
{
    public bool IsNew => Known is null;

    public bool Renamed => Known is not null && !string.Equals(Known.Name, Name, StringComparison.Ordinal);
}

/// <summary>A school the file names, new or changed (name, closed or reopened).</summary>
internal sealed record PlannedSchool(string LeaCode, string SiteCode, string Name, bool Closed, KnownSchool? Known);

internal sealed record SchoolImportPlan(
    DirectoryImportPreview Preview, IReadOnlyList<PlannedSchoolSystem> SchoolSystems, IReadOnlyList<PlannedSchool> Schools);

/// <summary>Sorts every row of a school directory file into one category, against the preloaded lookups; writes nothing.</summary>
internal static class SchoolDirectoryChecker
{
    public static SchoolImportPlan Check(CsvImportFile file, DirectoryLookups lookups, IProgress<DirectoryImportProgress>? progress)
    {
        var rows = new List<DirectoryPreviewRow>(file.Rows.Count);
        var systems = new Dictionary<string, (PlannedSchoolSystem Plan, int Line)>(StringComparer.Ordinal);
        var lineOfSite = new Dictionary<string, int>(StringComparer.Ordinal);
        var schools = new List<PlannedSchool>();
        foreach (var row in file.Rows)
        {
            rows.Add(CheckRow(row, lookups, systems, lineOfSite, schools));
        }
        progress?.Report(new DirectoryImportProgress(DirectoryImportStage.Checking, rows.Count, rows.Count));
        var planned = systems.Values.Select(s => s.Plan).Where(p => p.IsNew || p.Renamed).ToList();
        var codes = systems.Keys.Order(StringComparer.Ordinal).ToList();
        var preview = new DirectoryImportPreview(DirectoryKind.Schools, file.Sha256, file.ReadAsWindows1252, rows, [], codes, null);
        return new SchoolImportPlan(preview, planned, schools);
    }

    private static DirectoryPreviewRow CheckRow(
        CsvImportRow row, DirectoryLookups lookups, Dictionary<string, (PlannedSchoolSystem Plan, int Line)> systems,
        Dictionary<string, int> lineOfSite, List<PlannedSchool> schools)
    {
        var f = row.Fields;
        var (lea, leaName, site, schoolName) = (f[F.LeaCode], f[F.LeaName], f[F.SiteCode], f[F.SchoolName]);
        var key = site.Length > 0 ? site : lea;
        var name = site.Length > 0 ? schoolName : leaName;
        DirectoryPreviewRow Row(DirectoryRowCategory category, string reason, IReadOnlyList<DirectoryFieldChange>? changes = null) =>
            new(row.LineNumber, category, reason, key, name.Length == 0 ? null : name, changes ?? [], null, lea.Length == 0 ? null : lea);

        if (row.ShapeProblem is { } shape)
        {
            return Row(DirectoryRowCategory.Invalid, $"The row cannot be read: {shape}.");
        }
        if (!IsDigits(lea, SchoolSystem.CodeLength))
        {
            return Row(DirectoryRowCategory.Invalid, lea.Length == 0 ? "The LEA code is missing." : $"The LEA code \"{lea}\" is not {SchoolSystem.CodeLength} digits.");
        }
        if (leaName.Length == 0 || leaName.Length > SchoolSystem.NameMaxLength)
        {
            return Row(DirectoryRowCategory.Invalid, leaName.Length == 0 ? "The LEA name is missing." : $"The LEA name is longer than {SchoolSystem.NameMaxLength} characters.");
        }
        if ((TextRules.NameProblem(leaName, "the LEA name") ?? TextRules.NameProblem(schoolName, "the school name")) is { } unsafeName)
        {
            return Row(DirectoryRowCategory.Invalid, unsafeName);
        }
        var hasSchool = site.Length > 0 || schoolName.Length > 0 || f[F.Status].Length > 0;
        bool? closed = null;
        if (hasSchool)
        {
            if (!IsDigits(site, School.SiteCodeLength) || !site.StartsWith(lea, StringComparison.Ordinal))
            {
                return Row(DirectoryRowCategory.Invalid, site.Length == 0 ? "The site code is missing."
                    : $"The site code \"{site}\" is not {School.SiteCodeLength} digits starting with the LEA code {lea}.");
            }
            if (schoolName.Length == 0 || schoolName.Length > School.NameMaxLength)
            {
                return Row(DirectoryRowCategory.Invalid, schoolName.Length == 0 ? "The school name is missing." : $"The school name is longer than {School.NameMaxLength} characters.");
            }
            closed = f[F.Status].ToUpperInvariant() switch
            {
                "OPEN" => false,
                "CLOSED" => true,
                _ => null,
            };
            if (closed is null)
            {
                return Row(DirectoryRowCategory.Invalid, f[F.Status].Length == 0 ? "The status is missing; use Open or Closed."
                    : $"The status \"{f[F.Status]}\" is not Open or Closed.");
            }
            if (!lineOfSite.TryAdd(site, row.LineNumber))
            {
                return Row(DirectoryRowCategory.DuplicateInFile, $"Site code {site} is also on line {lineOfSite[site].ToString(CultureInfo.InvariantCulture)}; a school appears once.");
            }
        }

        // The school system: the first line that names it decides its name; later lines must agree.
        var changes = new List<DirectoryFieldChange>();
        var firstOfSystem = false;
        if (systems.TryGetValue(lea, out var seen))
        {
            if (!string.Equals(seen.Plan.Name, leaName, StringComparison.Ordinal))
            {
                return Row(DirectoryRowCategory.Invalid,
                    $"LEA {lea} is named \"{seen.Plan.Name}\" on line {seen.Line.ToString(CultureInfo.InvariantCulture)}; every line of a school system gives the same name.");
            }
        }
        else
        {
            lookups.SchoolSystemsByCode.TryGetValue(lea, out var knownSystem);
            seen = (new PlannedSchoolSystem(lea, leaName, knownSystem), row.LineNumber);
            systems[lea] = seen;
            firstOfSystem = true;
            if (seen.Plan.Renamed)
            {
                changes.Add(new DirectoryFieldChange("LEA Name", knownSystem!.Name, leaName));
            }
        }
        var systemIsNew = seen.Plan.IsNew;

        if (!hasSchool)
        {
            return systemIsNew ? Row(DirectoryRowCategory.New, $"A new school system, LEA {lea}.")
                : changes.Count > 0 ? Row(DirectoryRowCategory.Updated, "Renames the school system.", changes)
                : Row(DirectoryRowCategory.Unchanged, firstOfSystem ? "Recorded exactly so already." : "Named on an earlier line.");
        }

        lookups.SchoolsBySiteCode.TryGetValue(site, out var known);
        if (known is not null && lookups.SchoolSystemsById[known.SchoolSystemId].Code != lea)
        {
            return Row(DirectoryRowCategory.Invalid, $"Site code {site} is a school of LEA {lookups.SchoolSystemsById[known.SchoolSystemId].Code}, not of LEA {lea}.");
        }
        if (known is null)
        {
            schools.Add(new PlannedSchool(lea, site, schoolName, closed!.Value, null));
            return Row(DirectoryRowCategory.New, systemIsNew ? $"A new school of a new school system, LEA {lea}." : "A new school.", changes);
        }
        if (!string.Equals(known.Name, schoolName, StringComparison.Ordinal))
        {
            changes.Add(new DirectoryFieldChange("School Name", known.Name, schoolName));
        }
        var wasClosed = known.ClosedOn is not null;
        if (wasClosed != closed)
        {
            changes.Add(new DirectoryFieldChange("Status", wasClosed ? "Closed" : "Open", closed!.Value ? "Closed" : "Open"));
        }
        if (changes.Any(c => c.Field != "LEA Name"))
        {
            schools.Add(new PlannedSchool(lea, site, schoolName, closed!.Value, known));
        }
        return !wasClosed && closed == true ? Row(DirectoryRowCategory.Closed, "The school closes; it is kept, with today as its closing date.", changes)
            : wasClosed && closed == false ? Row(DirectoryRowCategory.Reopened, "The school opens again.", changes)
            : changes.Count > 0 ? Row(DirectoryRowCategory.Updated, $"Changes {string.Join(", ", changes.Select(c => c.Field))}.", changes)
            : Row(DirectoryRowCategory.Unchanged, "Recorded exactly so already.");
    }

    private static bool IsDigits(string text, int length) => text.Length == length && !text.AsSpan().ContainsAnyExceptInRange('0', '9');
}

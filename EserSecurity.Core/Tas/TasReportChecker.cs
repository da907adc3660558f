using System.Globalization;
using EserSecurity.Core.Imports;
using EserSecurity.Core.Roles;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;

namespace EserSecurity.Core.Tas;

/// <summary>A row the commit writes: new legacy access, its TAS role known (an id) or to be added (by name).</summary>
internal readonly record struct PlannedAccess(int StaffMemberId, int SchoolSystemId, int? SchoolId, int? TasRoleId, string TasRoleName, string Status);

/// <summary>What the commit would write, and the preview that explains it row by row.</summary>
internal sealed record TasImportPlan(
    TasImportPreview Preview,
    IReadOnlyList<PlannedAccess> Additions,
    IReadOnlyList<(int Id, string Status)> Updates,
    IReadOnlyList<string> NewTasRoles,
    IReadOnlySet<int> SchoolSystemIds);

/// <summary>
/// Sorts every row of a TAS report into one <see cref="TasImportCategory"/>, with the reason, in one pass over the rows
/// against the preloaded lookups. Pure: it reads and writes nothing, so the preview and the commit share it.
/// </summary>
internal static class TasReportChecker
{
    /// <summary>The TAS application whose rows matter; others are reported as skipped.</summary>
    public const string SerApplication = "SER";

    private const int ProgressInterval = 10_000;

    private static readonly string[] SerApplicationNames = [SerApplication, "Special Education Reporting"];
    private static readonly CompareInfo Names = CultureInfo.InvariantCulture.CompareInfo;

    public static TasImportPlan Check(TasReportFile report, TasImportLookups lookups, IProgress<TasImportProgress>? progress, CancellationToken ct)
    {
        var findings = new List<TasImportFinding>(report.Lines.Count);
        var additions = new List<PlannedAccess>();
        var updates = new List<(int, string)>();
        var seen = new Dictionary<(int Staff, int SchoolSystem, int School, int Role), int>();
        var roles = new RoleKeys(lookups);
        var unmapped = new Dictionary<string, (string Name, bool IsNew, List<int> Lines)>(StringComparer.OrdinalIgnoreCase);
        var schoolSystemIds = new HashSet<int>();

        foreach (var (line, shapeProblem) in report.Lines)
        {
            var (category, reason) = Classify(line, shapeProblem, lookups, roles, seen, out var planned, out var role);
            findings.Add(new TasImportFinding(category, line, reason));
            if (category is TasImportCategory.ToAdd or TasImportCategory.ToUpdate or TasImportCategory.Unchanged)
            {
                var access = planned!.Value;
                if (role is null || !role.IsMapped)
                {
                    var key = roles.Key(line.TasRole);
                    if (!unmapped.TryGetValue(key, out var entry))
                    {
                        unmapped[key] = entry = (role?.Name ?? key, role is null, []);
                    }
                    entry.Lines.Add(line.LineNumber);
                }
                if (category == TasImportCategory.ToAdd)
                {
                    additions.Add(access);
                    schoolSystemIds.Add(access.SchoolSystemId);
                }
                else if (category == TasImportCategory.ToUpdate)
                {
                    updates.Add((lookups.Recorded[Key(access)].Id, access.Status));
                    schoolSystemIds.Add(access.SchoolSystemId);
                }
            }
            if (findings.Count % ProgressInterval == 0)
            {
                ct.ThrowIfCancellationRequested();
                progress?.Report(new TasImportProgress(TasImportStage.Checking, findings.Count, report.Lines.Count));
            }
        }
        progress?.Report(new TasImportProgress(TasImportStage.Checking, findings.Count, report.Lines.Count));

        var unmappedRoles = unmapped.Values
            .Select(u => new TasUnmappedRole(u.Name, u.IsNew, u.Lines.Count, u.Lines))
            .OrderBy(u => u.Name, StringComparer.OrdinalIgnoreCase).ToList();
        var codes = lookups.SchoolSystemsByCode.Values.Where(s => schoolSystemIds.Contains(s.Id)).Select(s => s.Code).Order(StringComparer.Ordinal).ToList();
        var preview = new TasImportPreview(report.Sha256, report.Lines.Count, findings, unmappedRoles, codes);
        return new TasImportPlan(preview, additions, updates, unmappedRoles.Where(u => u.IsNew).Select(u => u.Name).ToList(), schoolSystemIds);
    }

    private static (TasImportCategory, string) Classify(
        TasReportLine line, string? shapeProblem, TasImportLookups lookups, RoleKeys roles,
        Dictionary<(int, int, int, int), int> seen, out PlannedAccess? planned, out TasRoleEntry? role)
    {
        planned = null;
        role = null;
        if (shapeProblem is not null)
        {
            return Invalid(shapeProblem);
        }
        if (line.Application.Length > 0 && !IsSer(line.Application))
        {
            return (TasImportCategory.OtherApplication, $"Application '{line.Application}' is not {SerApplication}; only {SerApplication} access is imported.");
        }
        var schoolSystem = IsDigits(line.LeaCode, 3, 3) ? lookups.SchoolSystemsByCode.GetValueOrDefault(line.LeaCode) : null;
        if (schoolSystem is not null && !lookups.MayImport(schoolSystem.Id))
        {
            return (TasImportCategory.OutOfScope, $"{schoolSystem.Name} ({schoolSystem.Code}) is not a school system you coordinate; its rows are not imported.");
        }

        if (FieldProblems(line) is { } problems)
        {
            return Invalid(string.Join("; ", problems));
        }
        if (schoolSystem is null)
        {
            return (TasImportCategory.UnknownSchoolSystem, $"No school system has the LEA code {line.LeaCode}.");
        }
        SchoolEntry? school = null;
        if (line.SiteCode.Length > 0
            && (!lookups.SchoolsBySiteCode.TryGetValue(line.SiteCode, out school) || school.SchoolSystemId != schoolSystem.Id))
        {
            return (TasImportCategory.UnknownSchool, $"No school of {schoolSystem.Name} has the site code {line.SiteCode}.");
        }
        if (!lookups.StaffByStaffId.TryGetValue(line.StaffId, out var person))
        {
            return (TasImportCategory.UnknownStaff, $"Staff ID {line.StaffId} is not in the staff directory.");
        }
        if (!lookups.Reaches(person))
        {
            // Checked before the names are compared, so that the directory's name of the person never shows.
            return (TasImportCategory.OutOfScope, ImportReach.OutOfScope(line.StaffId, "this row is not imported."));
        }
        if (!SameName(person.LastName, line.LastName) && !SameName(person.FirstName, line.FirstName))
        {
            return Invalid($"Staff ID {line.StaffId} belongs to {person.FirstName} {person.LastName} in the staff directory, not {line.FirstName} {line.LastName}; check the Staff ID");
        }

        var roleKey = roles.Key(line.TasRole);
        role = roles.Find(roleKey);
        if (role is null && !lookups.MayAddTasRoles)
        {
            return (TasImportCategory.UnknownTasRole,
                $"TAS role '{roleKey}' is not in the catalog, and only a state administrator's import adds TAS roles: ask one to import this report, or to add the role, then import again.");
        }
        var identity = (person.Id, schoolSystem.Id, school?.Id ?? 0, roles.Number(roleKey));
        if (seen.TryGetValue(identity, out var firstLine))
        {
            return (TasImportCategory.Duplicate, $"Repeats line {firstLine}: the same person, school and TAS role.");
        }
        seen[identity] = line.LineNumber;

        var status = LegacySerAccess.NormalizeStatus(line.Status);
        planned = new PlannedAccess(person.Id, schoolSystem.Id, school?.Id, role?.Id, role?.Name ?? roleKey, status);
        if (role is not null && lookups.Recorded.TryGetValue(Key(planned.Value), out var recorded))
        {
            return recorded.Status == status
                ? (TasImportCategory.Unchanged, "Already recorded with the same status.")
                : (TasImportCategory.ToUpdate, $"Recorded as '{recorded.Status}'; becomes '{status}'.");
        }
        return (TasImportCategory.ToAdd, role is null ? $"New TAS role '{roleKey}': added unmapped." : "New legacy SER access.");
    }

    /// <summary>Every problem of the row's fields at once, so a coordinator can fix the file in one go; null for a clean row.</summary>
    private static List<string>? FieldProblems(TasReportLine line)
    {
        if (IsClean(line))
        {
            return null;
        }
        var problems = new List<string>();
        var missing = new List<string>();
        Require(missing, "Staff ID", line.StaffId);
        Require(missing, "Last Name", line.LastName);
        Require(missing, "First Name", line.FirstName);
        Require(missing, "LEA code", line.LeaCode);
        Require(missing, "Application", line.Application);
        Require(missing, "TAS Role", line.TasRole);
        Require(missing, "Status", line.Status);
        if (missing.Count > 0)
        {
            problems.Add($"{string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} missing");
        }
        if (line.StaffId.Length > 0)
        {
            if (line.StaffId.Contains("E+", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"Staff ID '{line.StaffId}' was turned into a number by a spreadsheet; export the column as text");
            }
            else if (!StaffMember.IsStaffId(line.StaffId))
            {
                problems.Add($"Staff ID '{line.StaffId}' is not a Staff ID: it has {StaffMember.StaffIdMinLength} to {StaffMember.StaffIdMaxLength} digits and nothing else");
            }
        }
        if (line.LeaCode.Length > 0 && !IsDigits(line.LeaCode, 3, 3))
        {
            problems.Add($"LEA code '{line.LeaCode}' is not three digits");
        }
        if (line.SiteCode.Length > 0 && (!IsDigits(line.SiteCode, 6, 6) || !line.SiteCode.StartsWith(line.LeaCode, StringComparison.Ordinal)))
        {
            problems.Add($"site code '{line.SiteCode}' is not six digits starting with the LEA code {line.LeaCode}");
        }
        TooLong(problems, "Last Name", line.LastName, StaffMember.NameMaxLength);
        TooLong(problems, "First Name", line.FirstName, StaffMember.NameMaxLength);
        TooLong(problems, "Email", line.Email, StaffMember.EmailMaxLength);
        TooLong(problems, "TAS Role", line.TasRole, TasRole.NameMaxLength);
        TooLong(problems, "Status", line.Status, LegacySerAccess.StatusMaxLength);
        foreach (var (what, value) in new[] { ("the last name", line.LastName), ("the first name", line.FirstName), ("the TAS role", line.TasRole) })
        {
            if (TextRules.NameProblem(value, what) is { } unsafeName)
            {
                problems.Add(char.ToLowerInvariant(unsafeName[0]) + unsafeName[1..^1]);
            }
        }
        return problems.Count > 0 ? problems : null;
    }

    /// <summary>The common case, checked without allocating: every rule of <see cref="FieldProblems"/> holds.</summary>
    private static bool IsClean(TasReportLine line) =>
        StaffMember.IsStaffId(line.StaffId)
        && IsDigits(line.LeaCode, 3, 3)
        && (line.SiteCode.Length == 0 || (IsDigits(line.SiteCode, 6, 6) && line.SiteCode.StartsWith(line.LeaCode, StringComparison.Ordinal)))
        && line.LastName.Length is > 0 and <= StaffMember.NameMaxLength
        && line.FirstName.Length is > 0 and <= StaffMember.NameMaxLength
        && line.Email.Length <= StaffMember.EmailMaxLength
        && line.Application.Length > 0
        && line.TasRole.Length is > 0 and <= TasRole.NameMaxLength
        && line.Status.Length is > 0 and <= LegacySerAccess.StatusMaxLength
        && TextRules.UnsafeIndex(line.LastName) < 0 && TextRules.UnsafeIndex(line.FirstName) < 0 && TextRules.UnsafeIndex(line.TasRole) < 0;

    private static (TasImportCategory, string) Invalid(string problems) =>
        (TasImportCategory.Invalid, char.ToUpperInvariant(problems[0]) + problems[1..] + ".");

    private static void Require(List<string> missing, string column, string value)
    {
        if (value.Length == 0)
        {
            missing.Add(column);
        }
    }

    private static void TooLong(List<string> problems, string column, string value, int max)
    {
        if (value.Length > max)
        {
            problems.Add($"{column} is longer than {max} characters");
        }
    }

    private static bool IsDigits(string value, int minLength, int maxLength) =>
        value.Length >= minLength && value.Length <= maxLength && !value.AsSpan().ContainsAnyExceptInRange('0', '9');

    private static bool IsSer(string application) =>
        application == SerApplication || SerApplicationNames.Contains(application, StringComparer.OrdinalIgnoreCase);

    /// <summary>Names match without regard to case or accents: "Hébert" is "HEBERT". Most match exactly, which costs no culture lookup.</summary>
    private static bool SameName(string a, string b) =>
        string.Equals(a, b, StringComparison.Ordinal) || Names.Compare(a, b, CompareOptions.IgnoreCase | CompareOptions.IgnoreNonSpace) == 0;

    /// <summary>
    /// TAS role names as they are matched, worked out once per distinct spelling (a report names a dozen roles a
    /// hundred thousand times), and a number for each: the catalog's id, or a negative one for a name it lacks.
    /// </summary>
    private sealed class RoleKeys(TasImportLookups lookups)
    {
        private readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _newNames = new(StringComparer.OrdinalIgnoreCase);

        public string Key(string name)
        {
            if (!_keys.TryGetValue(name, out var key))
            {
                _keys[name] = key = TasImportLookups.TasRoleKey(name);
            }
            return key;
        }

        public TasRoleEntry? Find(string key) => lookups.TasRolesByKey.GetValueOrDefault(key);

        public int Number(string key)
        {
            if (Find(key) is { } role)
            {
                return role.Id;
            }
            if (!_newNames.TryGetValue(key, out var number))
            {
                _newNames[key] = number = -(_newNames.Count + 1);
            }
            return number;
        }
    }

    private static LegacyKey Key(PlannedAccess access) =>
        new(access.StaffMemberId, access.SchoolSystemId, access.SchoolId ?? 0, access.TasRoleId ?? 0);
}

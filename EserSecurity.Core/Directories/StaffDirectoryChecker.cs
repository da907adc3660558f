using System.Globalization;
using EserSecurity.Core.Imports;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using F = EserSecurity.Core.Directories.StaffDirectoryFile;

namespace EserSecurity.Core.Directories;

/// <summary>A staff record as a row of the file would leave it; <see cref="SchoolIds"/> is sorted.</summary>
internal sealed record PersonValues(
    string StaffId, string FirstName, string LastName, string Email, string Position, string? Username, int SchoolSystemId,
    EmploymentStatus Status, DateOnly? EndedOn, int[] SchoolIds, DateOnly EffectiveOn);

/// <summary>An existing record the commit changes, and which of the changes are directory changes.</summary>
internal sealed record PersonUpdate(KnownPerson Old, PersonValues New)
{
    public bool StatusChanged => Old.Status != New.Status;

    public bool SchoolSystemChanged => Old.SchoolSystemId != New.SchoolSystemId;

    public bool SchoolsChanged => !Old.SchoolIds.AsSpan().SequenceEqual(New.SchoolIds);
}

/// <summary>What a staff file's commit writes, and the preview that explains it row by row.</summary>
internal sealed record StaffImportPlan(
    DirectoryImportPreview Preview, IReadOnlyList<PersonValues> Creates, IReadOnlyList<PersonUpdate> Updates, IReadOnlySet<int> SchoolSystemIds);

/// <summary>
/// Sorts every row of a staff file into one <see cref="DirectoryRowCategory"/>, with the reason and the fields that
/// change, in one pass against the preloaded lookups. Pure: it reads and writes nothing, so preview and commit share it.
/// </summary>
internal static class StaffDirectoryChecker
{
    private const int ProgressInterval = 10_000;

    private static readonly string[] DateFormats = ["yyyy-MM-dd", "M/d/yyyy", "MM/dd/yyyy", "yyyy/MM/dd", "M/d/yy"];

    public static StaffImportPlan Check(
        CsvImportFile file, DirectoryLookups lookups, AccessScope scope, DateOnly today,
        IProgress<DirectoryImportProgress>? progress, CancellationToken ct)
    {
        var rows = new List<DirectoryPreviewRow>(file.Rows.Count);
        var creates = new List<PersonValues>();
        var updates = new List<PersonUpdate>();
        var lineOfStaffId = new Dictionary<string, int>(file.Rows.Count, StringComparer.Ordinal);
        var lineOfUsername = new Dictionary<string, int>(StringComparer.Ordinal);
        var covered = new HashSet<int>();
        var touched = new HashSet<int>();
        DateOnly? latest = null;
        progress?.Report(new DirectoryImportProgress(DirectoryImportStage.Checking, 0, file.Rows.Count));

        foreach (var row in file.Rows)
        {
            var result = CheckRow(row, lookups, scope, today, lineOfStaffId, lineOfUsername, out var values, out var known);
            rows.Add(result);
            if (values is not null && !DirectoryImportRules.Blocks(result.Category) && result.Category != DirectoryRowCategory.OutOfScope)
            {
                covered.Add(values.SchoolSystemId);
                if (values.Status != EmploymentStatus.Active && (latest is null || values.EffectiveOn > latest))
                {
                    latest = values.EffectiveOn;
                }
                if (result.Category == DirectoryRowCategory.New)
                {
                    creates.Add(values);
                    touched.Add(values.SchoolSystemId);
                }
                else if (DirectoryImportRules.Writes(result.Category))
                {
                    updates.Add(new PersonUpdate(known!, values));
                    touched.Add(values.SchoolSystemId);
                    if (known!.SchoolSystemId is int from)
                    {
                        touched.Add(from);
                    }
                }
            }
            if (rows.Count % ProgressInterval == 0)
            {
                ct.ThrowIfCancellationRequested();
                progress?.Report(new DirectoryImportProgress(DirectoryImportStage.Checking, rows.Count, file.Rows.Count));
            }
        }
        progress?.Report(new DirectoryImportProgress(DirectoryImportStage.Checking, rows.Count, file.Rows.Count));

        var notInFile = new List<DirectoryMissingPerson>();
        foreach (var person in lookups.StaffByStaffId.Values)
        {
            if (person.SchoolSystemId is int lea && covered.Contains(lea) && person.Status != EmploymentStatus.Ended
                && !lineOfStaffId.ContainsKey(person.StaffId))
            {
                var system = lookups.SchoolSystemsById[lea];
                notInFile.Add(new DirectoryMissingPerson(person.Id, person.StaffId, $"{person.LastName}, {person.FirstName}",
                    system.Code, system.Name, person.Status));
            }
        }
        notInFile.Sort((a, b) => string.CompareOrdinal(a.SchoolSystemCode, b.SchoolSystemCode) is var c and not 0 ? c
            : string.Compare(a.Name, b.Name, StringComparison.CurrentCultureIgnoreCase));
        var codes = covered.Select(id => lookups.SchoolSystemsById[id].Code).Order(StringComparer.Ordinal).ToList();
        var preview = new DirectoryImportPreview(DirectoryKind.Staff, file.Sha256, file.ReadAsWindows1252, rows, notInFile, codes,
            latest is { } l && l <= today ? l : null);
        return new StaffImportPlan(preview, creates, updates, touched);
    }

    private static DirectoryPreviewRow CheckRow(
        CsvImportRow row, DirectoryLookups lookups, AccessScope scope, DateOnly today,
        Dictionary<string, int> lineOfStaffId, Dictionary<string, int> lineOfUsername, out PersonValues? values, out KnownPerson? known)
    {
        values = null;
        known = null;
        var f = row.Fields;
        var staffId = f[F.StaffId];
        var name = f[F.LastName].Length + f[F.FirstName].Length == 0 ? null : $"{f[F.LastName]}, {f[F.FirstName]}";
        var leaCode = f[F.LeaCode];
        DirectoryPreviewRow Row(DirectoryRowCategory category, string reason) =>
            new(row.LineNumber, category, reason, staffId, name, [], null, leaCode.Length == 0 ? null : leaCode);

        if (row.ShapeProblem is { } shape)
        {
            return Row(DirectoryRowCategory.Invalid, $"The row cannot be read: {shape}.");
        }
        if (!StaffMember.IsStaffId(staffId))
        {
            return Row(DirectoryRowCategory.Invalid, staffId.Length == 0
                ? "The Staff ID is missing."
                : $"The Staff ID \"{staffId}\" is not an eScholar Staff ID ({StaffMember.StaffIdMinLength} to {StaffMember.StaffIdMaxLength} digits).");
        }
        if (!lineOfStaffId.TryAdd(staffId, row.LineNumber))
        {
            return Row(DirectoryRowCategory.DuplicateInFile,
                $"Staff ID {staffId} is also on line {lineOfStaffId[staffId].ToString(CultureInfo.InvariantCulture)}; a person appears once.");
        }
        if (Problem(f, out var status, out var statusDate) is { } problem)
        {
            return Row(DirectoryRowCategory.Invalid, problem);
        }
        var username = f[F.Username].Length == 0 ? null : f[F.Username].ToLowerInvariant();

        if (!lookups.SchoolSystemsByCode.TryGetValue(leaCode, out var system))
        {
            return Row(DirectoryRowCategory.UnknownSchoolSystem, $"LEA code {leaCode} names no school system; import the school directory first.");
        }
        lookups.StaffByStaffId.TryGetValue(staffId, out known);
        if (!scope.CanAdministerSchoolSystem(system.Id))
        {
            // The directory's name of a person outside the importer's school systems is never shown, nor whether they exist.
            return new DirectoryPreviewRow(row.LineNumber, DirectoryRowCategory.OutOfScope,
                $"LEA {leaCode} is outside the school systems you coordinate; this row is not imported.", staffId, null, [], null, leaCode);
        }
        if (known is not null && !ImportReach.Reaches(scope, known.SchoolSystemId))
        {
            var outside = new DirectoryPreviewRow(row.LineNumber, DirectoryRowCategory.OutOfScope,
                ImportReach.OutOfScope(staffId, "a state administrator imports a move between school systems."),
                staffId, null, [], null, leaCode);
            known = null;
            return outside;
        }

        var schoolIds = new List<int>(2);
        foreach (var range in f[F.SiteCodes].AsSpan().Split(';'))
        {
            var span = f[F.SiteCodes].AsSpan(range).Trim();
            if (span.IsEmpty)
            {
                continue;
            }
            var part = span.Length == f[F.SiteCodes].Length ? f[F.SiteCodes] : span.ToString();
            if (!lookups.SchoolsBySiteCode.TryGetValue(part, out var school) || school.SchoolSystemId != system.Id)
            {
                return Row(DirectoryRowCategory.UnknownSchool, school is null
                    ? $"Site code {part} names no school; import the school directory first."
                    : $"Site code {part} is a school of LEA {lookups.SchoolSystemsById[school.SchoolSystemId].Code}, not of LEA {leaCode}.");
            }
            if (!schoolIds.Contains(school.Id))
            {
                schoolIds.Add(school.Id);
            }
        }
        if (username is not null)
        {
            if (!lineOfUsername.TryAdd(username, row.LineNumber))
            {
                return Row(DirectoryRowCategory.Invalid,
                    $"The sign-on username {username} is also on line {lineOfUsername[username].ToString(CultureInfo.InvariantCulture)}; each belongs to one person.");
            }
            if (lookups.StaffIdByUsername.TryGetValue(username, out var holder) && holder != known?.Id)
            {
                return Row(DirectoryRowCategory.Invalid, $"The sign-on username {username} already belongs to another staff record.");
            }
        }

        var ids = schoolIds.ToArray();
        Array.Sort(ids);
        var effective = statusDate ?? today;
        // An end on a day still to come is scheduled: the person keeps their status, and their access, until that day.
        var scheduled = status == EmploymentStatus.Ended && effective > today && known?.Status != EmploymentStatus.Ended;
        var stored = scheduled ? known?.Status ?? EmploymentStatus.Active : status;
        values = new PersonValues(staffId, f[F.FirstName], f[F.LastName], f[F.Email], f[F.Position], username ?? known?.Username, system.Id,
            stored, status == EmploymentStatus.Ended ? effective : null, ids, effective);
        if (known is null)
        {
            return new DirectoryPreviewRow(row.LineNumber, DirectoryRowCategory.New,
                scheduled ? $"A new person in the directory; employment ends on {Date(effective)}."
                : status == EmploymentStatus.Active ? "A new person in the directory." : $"A new person in the directory, {Describe(status)}.",
                staffId, name, [], null, leaCode);
        }

        var changes = Changes(known, values, lookups);
        var alreadyScheduled = StaffMember.EndIsScheduled(known.Status, known.EndedOn);
        var category = known.Status != EmploymentStatus.Ended && status == EmploymentStatus.Ended && !(alreadyScheduled && known.EndedOn == effective)
                ? DirectoryRowCategory.Ended
            : known.SchoolSystemId != system.Id ? DirectoryRowCategory.MovedSchoolSystem
            : !known.SchoolIds.AsSpan().SequenceEqual(ids) ? DirectoryRowCategory.MovedSchools
            : changes.Count > 0 ? DirectoryRowCategory.Updated
            : DirectoryRowCategory.Unchanged;
        var reason = category switch
        {
            DirectoryRowCategory.Ended when scheduled =>
                $"Employment ends on {Date(effective)}; until that day the person keeps their status and access.",
            DirectoryRowCategory.Ended => $"Employment ends on {Date(effective)}.",
            DirectoryRowCategory.Updated when alreadyScheduled && values.EndedOn is null =>
                $"Calls off the end of employment scheduled for {Date(known.EndedOn)}.",
            DirectoryRowCategory.MovedSchoolSystem =>
                $"Moves from {(known.SchoolSystemId is int old ? "LEA " + lookups.SchoolSystemsById[old].Code : "the state agency")} to LEA {leaCode}.",
            DirectoryRowCategory.MovedSchools => "Moves between schools of the school system.",
            DirectoryRowCategory.Updated => $"Changes {string.Join(", ", changes.Select(c => c.Field))}.",
            _ => "Recorded exactly so already.",
        };
        return new DirectoryPreviewRow(row.LineNumber, category, reason, staffId, $"{values.LastName}, {values.FirstName}", changes, known.Id, leaCode);
    }

    /// <summary>What is wrong with the row's values, or null; the Staff ID is checked before.</summary>
    private static string? Problem(string[] f, out EmploymentStatus status, out DateOnly? statusDate)
    {
        status = EmploymentStatus.Active;
        statusDate = null;
        if (f[F.LastName].Length == 0 || f[F.FirstName].Length == 0)
        {
            return f[F.LastName].Length == 0 && f[F.FirstName].Length == 0 ? "The last and first names are missing."
                : f[F.LastName].Length == 0 ? "The last name is missing." : "The first name is missing.";
        }
        if (f[F.LastName].Length > StaffMember.NameMaxLength || f[F.FirstName].Length > StaffMember.NameMaxLength)
        {
            return $"A name is longer than {StaffMember.NameMaxLength} characters.";
        }
        if ((TextRules.NameProblem(f[F.LastName], "the last name") ?? TextRules.NameProblem(f[F.FirstName], "the first name")
            ?? TextRules.NameProblem(f[F.Position], "the position")) is { } unsafeName)
        {
            return unsafeName;
        }
        var email = f[F.Email];
        if (email.Length == 0)
        {
            return "The email is missing.";
        }
        if (email.Length > StaffMember.EmailMaxLength || email.IndexOf('@', StringComparison.Ordinal) is <= 0 || email.EndsWith('@') || email.Contains(' ', StringComparison.Ordinal))
        {
            return $"The email \"{email}\" is not an email address.";
        }
        if (f[F.Position].Length > StaffMember.PositionMaxLength)
        {
            return $"The position is longer than {StaffMember.PositionMaxLength} characters.";
        }
        if (f[F.LeaCode].Length == 0)
        {
            return "The LEA code is missing.";
        }
        if (ParseStatus(f[F.EmploymentStatus]) is not { } parsed)
        {
            return f[F.EmploymentStatus].Length == 0 ? "The employment status is missing; use Active, Leave or Ended."
                : $"The employment status \"{f[F.EmploymentStatus]}\" is not Active, Leave or Ended.";
        }
        status = parsed;
        if (f[F.StatusDate].Length == 0)
        {
            if (status != EmploymentStatus.Active)
            {
                return $"The status date is missing; {Describe(status)} needs the day it took effect.";
            }
        }
        else if ((statusDate = ParseDate(f[F.StatusDate])) is null)
        {
            return $"The status date \"{f[F.StatusDate]}\" is not a date; use YYYY-MM-DD or MM/DD/YYYY.";
        }
        if (f[F.Username].Length > StaffMember.UsernameMaxLength || f[F.Username].Contains(' ', StringComparison.Ordinal))
        {
            return $"The sign-on username \"{f[F.Username]}\" is not a username.";
        }
        return null;
    }

    private static List<DirectoryFieldChange> Changes(KnownPerson old, PersonValues next, DirectoryLookups lookups)
    {
        var changes = new List<DirectoryFieldChange>();
        void Compare(string field, string? before, string? after)
        {
            if (!string.Equals(before, after, StringComparison.Ordinal))
            {
                changes.Add(new DirectoryFieldChange(field, before, after));
            }
        }
        Compare("Last Name", old.LastName, next.LastName);
        Compare("First Name", old.FirstName, next.FirstName);
        Compare("Email", old.Email, next.Email);
        Compare("Position", old.Position, next.Position);
        Compare("Sign-on Username", old.Username, next.Username);
        if (old.SchoolSystemId != next.SchoolSystemId)
        {
            changes.Add(new DirectoryFieldChange("LEA Code", old.SchoolSystemId is int lea ? lookups.SchoolSystemsById[lea].Code : null,
                lookups.SchoolSystemsById[next.SchoolSystemId].Code));
        }
        if (!old.SchoolIds.AsSpan().SequenceEqual(next.SchoolIds))
        {
            changes.Add(new DirectoryFieldChange("Site Codes", SiteCodes(old.SchoolIds, lookups), SiteCodes(next.SchoolIds, lookups)));
        }
        if (old.Status != next.Status)
        {
            changes.Add(new DirectoryFieldChange("Employment Status", old.Status.ToString(), next.Status.ToString()));
        }
        if (old.EndedOn != next.EndedOn)
        {
            changes.Add(new DirectoryFieldChange("Status Date", Date(old.EndedOn), Date(next.EndedOn)));
        }
        return changes;
    }

    internal static string SiteCodes(int[] schoolIds, DirectoryLookups lookups) =>
        string.Join("; ", schoolIds.Select(id => lookups.SchoolsById[id].SiteCode).Order(StringComparer.Ordinal));

    private static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Describe(EmploymentStatus status) => status switch
    {
        EmploymentStatus.Leave => "on leave",
        EmploymentStatus.Ended => "ended",
        _ => "active",
    };

    internal static EmploymentStatus? ParseStatus(string text) =>
        text.Equals("Active", StringComparison.OrdinalIgnoreCase) ? EmploymentStatus.Active
        : text.Equals("Leave", StringComparison.OrdinalIgnoreCase) || text.Equals("On Leave", StringComparison.OrdinalIgnoreCase) ? EmploymentStatus.Leave
        : text.Equals("Ended", StringComparison.OrdinalIgnoreCase) ? EmploymentStatus.Ended
        : null;

    /// <summary>ISO dates (the extract's own form) first and cheaply; US forms as Excel writes them.</summary>
    private static DateOnly? ParseDate(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var iso) ? iso
        : DateOnly.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
        : null;
}

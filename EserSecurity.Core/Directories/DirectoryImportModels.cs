using EserSecurity.Core.Staff;

namespace EserSecurity.Core.Directories;

/// <summary>Which directory a file is: schools (school systems and their schools) or staff.</summary>
public enum DirectoryKind
{
    Schools,
    Staff,
}

/// <summary>
/// What an import does with one row of a directory file. Every row falls in exactly one category; when several apply,
/// the first in this order wins (a person who is ended and moved is "ended").
/// </summary>
public enum DirectoryRowCategory
{
    /// <summary>A person, school system or school the console does not know yet: created on commit.</summary>
    New,

    /// <summary>Known, with fields that change (see <see cref="DirectoryPreviewRow.Changes"/>): updated on commit.</summary>
    Updated,

    /// <summary>Known exactly so: nothing to do.</summary>
    Unchanged,

    /// <summary>The row itself is wrong (a bad Staff ID, a missing name, an unknown status, a bad date); blocks the commit.</summary>
    Invalid,

    /// <summary>The LEA code names no school system; blocks the commit.</summary>
    UnknownSchoolSystem,

    /// <summary>A site code names no school of the row's school system; blocks the commit.</summary>
    UnknownSchool,

    /// <summary>The same Staff ID (or site code) as an earlier line; blocks the commit.</summary>
    DuplicateInFile,

    /// <summary>A school system the importer does not coordinate: reported, not imported, the person's directory name never shown.</summary>
    OutOfScope,

    /// <summary>A known person whose employment ends with this row: updated on commit, recorded as a directory change.</summary>
    Ended,

    /// <summary>A known person who moves to another school system: updated on commit, recorded as a directory change.</summary>
    MovedSchoolSystem,

    /// <summary>A known person whose schools change within their school system: updated on commit, recorded as a directory change.</summary>
    MovedSchools,

    /// <summary>A known open school that the file marks closed: its closing date is set on commit (never deleted).</summary>
    Closed,

    /// <summary>A known closed school that the file marks open again: its closing date is cleared on commit.</summary>
    Reopened,
}

/// <summary>One field that a commit would change, by its name in the file, as stored now and as it would be.</summary>
public sealed record DirectoryFieldChange(string Field, string? Old, string? New);

/// <summary>
/// One row of a directory file and what the import does with it.
/// For a staff file <see cref="Key"/> is the Staff ID and <see cref="Name"/> the person's name ("Last, First") as the
/// file spells it; for a school file the key is the site code (or the LEA code for a school system's own line) and the
/// name the school's name. <see cref="StaffMemberId"/> is the existing person's record, null for a new person, for a
/// school file, and for a row outside the importer's scope (whose directory name is never shown either).
/// </summary>
public sealed record DirectoryPreviewRow(
    int LineNumber,
    DirectoryRowCategory Category,
    string Reason,
    string Key,
    string? Name,
    IReadOnlyList<DirectoryFieldChange> Changes,
    int? StaffMemberId,
    string? SchoolSystemCode)
{
    /// <summary>Whether this row keeps the file from being committed.</summary>
    public bool Blocks => DirectoryImportRules.Blocks(Category);
}

/// <summary>
/// A person active (or on leave) in a school system the staff file covers who is absent from the file. The commit keeps
/// them unless the importer asks to mark them ended (<see cref="MissingPeopleAction.MarkEnded"/>).
/// </summary>
public sealed record DirectoryMissingPerson(
    int StaffMemberId, string StaffId, string Name, string SchoolSystemCode, string SchoolSystemName, EmploymentStatus EmploymentStatus);

/// <summary>
/// What an import of a directory file would do, computed without writing anything. The commit computes it again inside
/// its write transaction, so a preview held by a page is never trusted.
/// </summary>
public sealed class DirectoryImportPreview
{
    private readonly Dictionary<DirectoryRowCategory, int> _counts;

    internal DirectoryImportPreview(
        DirectoryKind kind, string fileSha256, bool readAsWindows1252, IReadOnlyList<DirectoryPreviewRow> rows,
        IReadOnlyList<DirectoryMissingPerson> notInFile, IReadOnlyList<string> schoolSystemCodes, DateOnly? latestStatusDate)
    {
        Kind = kind;
        FileSha256 = fileSha256;
        ReadAsWindows1252 = readAsWindows1252;
        Rows = rows;
        NotInFile = notInFile;
        SchoolSystemCodes = schoolSystemCodes;
        LatestStatusDate = latestStatusDate;
        _counts = [];
        foreach (var row in rows)
        {
            _counts[row.Category] = _counts.GetValueOrDefault(row.Category) + 1;
        }
    }

    public DirectoryKind Kind { get; }

    /// <summary>SHA-256 (hex) of the file's bytes, recorded with the import.</summary>
    public string FileSha256 { get; }

    /// <summary>The file was not UTF-8 and was read as Windows-1252 (as Excel saves "CSV (Comma delimited)").</summary>
    public bool ReadAsWindows1252 { get; }

    /// <summary>Every data row in file order, each in one category.</summary>
    public IReadOnlyList<DirectoryPreviewRow> Rows { get; }

    public int RowsRead => Rows.Count;

    /// <summary>Staff file only: people active or on leave in a covered school system whom the file does not list.</summary>
    public IReadOnlyList<DirectoryMissingPerson> NotInFile { get; }

    /// <summary>The codes of the school systems the file covers (its rows in the importer's scope), in order.</summary>
    public IReadOnlyList<string> SchoolSystemCodes { get; }

    /// <summary>Staff file only: the latest valid Status Date in the file; people marked ended for being missing end on it (or today).</summary>
    public DateOnly? LatestStatusDate { get; }

    public int Count(DirectoryRowCategory category) => _counts.GetValueOrDefault(category);

    /// <summary>The rows of one category, in file order.</summary>
    public IEnumerable<DirectoryPreviewRow> In(DirectoryRowCategory category) => Rows.Where(r => r.Category == category);

    /// <summary>The rows that keep the file from being committed, in file order.</summary>
    public IEnumerable<DirectoryPreviewRow> Blocking => Rows.Where(r => r.Blocks);

    public int BlockingCount => _counts.Where(c => DirectoryImportRules.Blocks(c.Key)).Sum(c => c.Value);

    /// <summary>A file with invalid, unknown or duplicate rows cannot be committed; a clean one can, even when it changes nothing.</summary>
    public bool CanCommit => BlockingCount == 0;

    /// <summary>Why the file cannot be committed, written for the importer; null when it can.</summary>
    public string? BlockingMessage => CanCommit ? null : DirectoryImportRules.BlockingMessage(this);

    /// <summary>Whether committing would write anything (not counting people missing from the file).</summary>
    public bool HasChanges => Rows.Any(r => DirectoryImportRules.Writes(r.Category));
}

/// <summary>What to do with people missing from a staff file (<see cref="DirectoryImportPreview.NotInFile"/>).</summary>
public enum MissingPeopleAction
{
    /// <summary>Leave them as they are (the default): a partial file never ends anyone.</summary>
    Keep,

    /// <summary>Mark them ended, on the file's latest Status Date (or today when it has none), recorded as directory changes.</summary>
    MarkEnded,
}

/// <summary>The importer's choices for a staff directory commit.</summary>
public sealed record StaffImportOptions(MissingPeopleAction MissingPeople = MissingPeopleAction.Keep);

/// <summary>What a commit wrote. When it changed nothing (the same file again), nothing was written, not even an audit event.</summary>
public sealed record DirectoryImportResult(
    DirectoryImportPreview Preview, int? DirectoryImportId, int Created, int Updated, int Ended, int MissingEnded, int ChangesRecorded)
{
    public bool Changed => DirectoryImportId is not null;
}

public enum DirectoryImportStage
{
    Reading,
    Checking,
    Writing,
}

/// <summary>How far a long import has got: rows done of the stage's total (0 while the total is unknown).</summary>
public readonly record struct DirectoryImportProgress(DirectoryImportStage Stage, int Done, int Total);

/// <summary>The import cannot be committed (blocking rows); the message says why and is safe to show.</summary>
public sealed class DirectoryImportRefusedException(string message, DirectoryImportPreview preview) : Exception(message)
{
    /// <summary>The preview computed at commit time, with the rows that block it.</summary>
    public DirectoryImportPreview Preview { get; } = preview;
}

/// <summary>What kind of directory change a staff record went through.</summary>
public enum StaffDirectoryChangeKind
{
    /// <summary>Employment status changed (Active, Leave, Ended).</summary>
    EmploymentStatusChanged,

    /// <summary>The person moved to another school system.</summary>
    SchoolSystemChanged,

    /// <summary>The person's schools changed within the school system.</summary>
    SchoolsChanged,

    /// <summary>
    /// An end of employment on a day still to come was recorded (or moved to another day): the person keeps their status
    /// and access until that day, when the leaver rules apply.
    /// </summary>
    EmploymentEndScheduled,

    /// <summary>An end of employment that was still to come was called off: the person stays employed.</summary>
    EmploymentEndCancelled,
}

/// <summary>One directory change as shown on the person's record.</summary>
public sealed record StaffDirectoryChangeRow(
    int Id, StaffDirectoryChangeKind Kind, string? OldValue, string? NewValue, DateOnly EffectiveOn, DateTimeOffset RecordedAt,
    int? DirectoryImportId, string? RecordedByName);

/// <summary>A person's directory record and its directory changes, newest first, for the person page.</summary>
public sealed record PersonDirectoryRecord(
    int StaffMemberId,
    string StaffId,
    string FirstName,
    string LastName,
    string Email,
    string Position,
    string? Username,
    EmploymentStatus EmploymentStatus,
    DateOnly? EmploymentEndedOn,
    int? SchoolSystemId,
    string? SchoolSystemCode,
    string? SchoolSystemName,
    IReadOnlyList<PersonSchool> Schools,
    IReadOnlyList<StaffDirectoryChangeRow> Changes);

/// <summary>A school of a person, with its site code and whether it is closed.</summary>
public sealed record PersonSchool(int SchoolId, string SiteCode, string Name, DateOnly? ClosedOn);

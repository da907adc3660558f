namespace EserSecurity.Core.Tas;

/// <summary>One data row of the TAS "User Report by Application", as read (trimmed), with the line of the file it starts on.</summary>
public sealed record TasReportLine(
    int LineNumber,
    string StaffId,
    string LastName,
    string FirstName,
    string Email,
    string LeaCode,
    string SiteCode,
    string Application,
    string TasRole,
    string Status);

/// <summary>What the import does with a row. Every row of the file falls in exactly one category.</summary>
public enum TasImportCategory
{
    /// <summary>New legacy SER access: recorded on commit.</summary>
    ToAdd,

    /// <summary>Recorded before with another TAS status: the status is updated on commit.</summary>
    ToUpdate,

    /// <summary>Recorded before exactly so: nothing to do.</summary>
    Unchanged,

    /// <summary>The row itself is wrong (a bad Staff ID, a missing field, broken quoting). Any invalid row blocks the commit.</summary>
    Invalid,

    /// <summary>The LEA code names no school system: reported, not imported.</summary>
    UnknownSchoolSystem,

    /// <summary>The site code names no school of the school system: reported, not imported.</summary>
    UnknownSchool,

    /// <summary>The Staff ID is well formed but not in the staff directory: reported, not imported.</summary>
    UnknownStaff,

    /// <summary>
    /// A TAS role the catalog lacks, in a coordinator's file: reported, not imported. The catalog is statewide, so only a
    /// state administrator's import adds a TAS role.
    /// </summary>
    UnknownTasRole,

    /// <summary>The same person, school system, school and TAS role as an earlier line: reported, not imported again.</summary>
    Duplicate,

    /// <summary>
    /// A school system the importer does not administer, or a Staff ID of a person of another school system: reported
    /// without the person's name, not imported.
    /// </summary>
    OutOfScope,

    /// <summary>Access to another TAS application than SER: reported, not imported.</summary>
    OtherApplication,
}

/// <summary>One row and what the import does with it, and why.</summary>
public sealed record TasImportFinding(TasImportCategory Category, TasReportLine Line, string Reason);

/// <summary>
/// A TAS role named by the file that maps to no eSER role yet: either known but unmapped, or not in the catalog at all
/// (<see cref="IsNew"/>, in a state administrator's file only), in which case the commit adds it as an unmapped TAS role
/// for a state administrator to map.
/// Its rows are imported all the same; only the suggested eSER role is missing until it is mapped.
/// </summary>
public sealed record TasUnmappedRole(string Name, bool IsNew, int RowCount, IReadOnlyList<int> LineNumbers);

/// <summary>
/// What an import of the file would do, computed without writing anything. The commit computes it again on the server
/// at the time of writing, so a preview held by a page is never trusted.
/// </summary>
public sealed class TasImportPreview
{
    private readonly IReadOnlyDictionary<TasImportCategory, IReadOnlyList<TasImportFinding>> _byCategory;

    internal TasImportPreview(
        string fileSha256, int rowsRead, IReadOnlyList<TasImportFinding> findings, IReadOnlyList<TasUnmappedRole> unmappedTasRoles,
        IReadOnlyList<string> schoolSystemCodes)
    {
        FileSha256 = fileSha256;
        RowsRead = rowsRead;
        Findings = findings;
        UnmappedTasRoles = unmappedTasRoles;
        SchoolSystemCodes = schoolSystemCodes;
        _byCategory = findings.GroupBy(f => f.Category).ToDictionary(g => g.Key, g => (IReadOnlyList<TasImportFinding>)g.ToList());
    }

    /// <summary>SHA-256 (hex) of the file's bytes, recorded in the audit log by the commit.</summary>
    public string FileSha256 { get; }

    /// <summary>Data rows in the file (the header not counted).</summary>
    public int RowsRead { get; }

    /// <summary>Every row in file order, each in one category.</summary>
    public IReadOnlyList<TasImportFinding> Findings { get; }

    /// <summary>The TAS roles of imported rows that map to no eSER role, by name.</summary>
    public IReadOnlyList<TasUnmappedRole> UnmappedTasRoles { get; }

    /// <summary>The codes of the school systems whose rows would be written, in order.</summary>
    public IReadOnlyList<string> SchoolSystemCodes { get; }

    /// <summary>The rows of one category, in file order.</summary>
    public IReadOnlyList<TasImportFinding> In(TasImportCategory category) => _byCategory.GetValueOrDefault(category) ?? [];

    public int Count(TasImportCategory category) => In(category).Count;

    /// <summary>Whether committing would write anything.</summary>
    public bool HasChanges => Count(TasImportCategory.ToAdd) + Count(TasImportCategory.ToUpdate) > 0;

    /// <summary>A file with invalid rows cannot be committed; a clean one can, even when it changes nothing.</summary>
    public bool CanCommit => Count(TasImportCategory.Invalid) == 0;
}

/// <summary>What a commit wrote. When it changed nothing (the same file again), nothing was written, not even an audit event.</summary>
public sealed record TasImportResult(TasImportPreview Preview, int Added, int Updated, int TasRolesAdded)
{
    public bool Changed => Added + Updated + TasRolesAdded > 0;
}

public enum TasImportStage
{
    Reading,
    Checking,
    Writing,
}

/// <summary>How far a long import has got: rows done of the stage's total (the total is 0 while still unknown).</summary>
public readonly record struct TasImportProgress(TasImportStage Stage, int Done, int Total);

/// <summary>
/// The file cannot be read as a TAS User Report at all (empty, no data rows, required headers missing, too large).
/// The message names what is wrong and is safe to show.
/// </summary>
public sealed class TasReportFormatException(string message, IReadOnlyList<string>? missingHeaders = null) : Exception(message)
{
    /// <summary>The required headers the file lacks, by their names in the report.</summary>
    public IReadOnlyList<string> MissingHeaders { get; } = missingHeaders ?? [];
}

/// <summary>The import cannot be committed as asked (invalid rows); the message says why and is safe to show.</summary>
public sealed class TasImportRefusedException(string message, TasImportPreview preview) : Exception(message)
{
    /// <summary>The preview computed at commit time, with the rows that block it.</summary>
    public TasImportPreview Preview { get; } = preview;
}

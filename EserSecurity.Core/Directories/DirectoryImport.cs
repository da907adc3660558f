namespace EserSecurity.Core.Directories;

/// <summary>One committed directory import that changed something: who imported which file when, and what it did.</summary>
public class DirectoryImport
{
    public const int Sha256Length = 64;

    public int Id { get; set; }

    public DirectoryKind Kind { get; set; }

    public required string FileSha256 { get; set; }

    public int RowsRead { get; set; }

    public int Created { get; set; }

    public int Updated { get; set; }

    public int Ended { get; set; }

    public int MissingEnded { get; set; }

    public int? ImportedByStaffMemberId { get; set; }

    public DateTimeOffset ImportedAt { get; set; }
}

using EserSecurity.Core.Staff;

namespace EserSecurity.Core.Directories;

/// <summary>
/// A change of a person's employment status, school system or schools, as the staff directory reported it, with the
/// date it takes effect. The person's record already shows the new state; this row keeps the history, and the access
/// that depends on employment and schools is reviewed from it.
/// </summary>
public class StaffDirectoryChange
{
    public const int ValueMaxLength = 400;

    public int Id { get; set; }

    public int StaffMemberId { get; set; }

    public StaffMember? StaffMember { get; set; }

    public StaffDirectoryChangeKind Kind { get; set; }

    /// <summary>The value before, as shown: a status name, a school system code, site codes joined with "; ".</summary>
    public string? OldValue { get; set; }

    public string? NewValue { get; set; }

    /// <summary>The school system before the change (also for status and schools changes), for scope.</summary>
    public int? FromSchoolSystemId { get; set; }

    /// <summary>The school system after the change.</summary>
    public int? ToSchoolSystemId { get; set; }

    /// <summary>When it takes effect: the row's Status Date, or the import's day.</summary>
    public DateOnly EffectiveOn { get; set; }

    /// <summary>The import that recorded it.</summary>
    public int? DirectoryImportId { get; set; }

    public DateTimeOffset RecordedAt { get; set; }
}

using EserSecurity.Core.SchoolSystems;
using EserSecurity.Core.Staff;

namespace EserSecurity.Core.Coordinators;

/// <summary>
/// A state administrator's recorded exception to the separation of duties: this person may be both a district
/// coordinator and the special education supervisor of this school system, for the reason given. Ended, never deleted.
/// </summary>
public class SeparationException
{
    public const int ReasonMaxLength = 1000;

    public int Id { get; set; }

    public int StaffMemberId { get; set; }

    public StaffMember? StaffMember { get; set; }

    public int SchoolSystemId { get; set; }

    public SchoolSystem? SchoolSystem { get; set; }

    public required string Reason { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    public int RecordedById { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public int? EndedById { get; set; }

    public string? EndReason { get; set; }
}

using EserSecurity.Core.SchoolSystems;
using EserSecurity.Core.Staff;

namespace EserSecurity.Core.Coordinators;

/// <summary>
/// A coordinator or supervisor's deputy for a date range: while it is in force the deputy sees and decides the requests
/// routed to the absent person in <see cref="SchoolSystemId"/>, and each decision records whom it was made for. A
/// deputy who is not a coordinator or supervisor of the school system waits for a district coordinator's approval.
/// </summary>
public class Deputyship : IDatedAssignment
{
    public const int NoteMaxLength = 500;

    /// <summary>The longest one deputyship may run; a longer absence is a change of coordinator, not a deputy.</summary>
    public const int MaxDays = 180;

    public int Id { get; set; }

    /// <summary>The coordinator or supervisor who is away.</summary>
    public int AbsentId { get; set; }

    public StaffMember? Absent { get; set; }

    public int DeputyId { get; set; }

    public StaffMember? Deputy { get; set; }

    public int SchoolSystemId { get; set; }

    public SchoolSystem? SchoolSystem { get; set; }

    /// <summary>The first day the deputy covers.</summary>
    public DateOnly StartsOn { get; set; }

    /// <summary>The day after the last day covered (as every assignment's end); cancelling early brings it forward.</summary>
    public DateOnly? EndsOn { get; set; }

    public string? Note { get; set; }

    public int NamedById { get; set; }

    public DateTimeOffset NamedAt { get; set; }

    /// <summary>Null until approved; a deputy who already coordinates or supervises in the school system is approved when named.</summary>
    public DateTimeOffset? ApprovedAt { get; set; }

    public int? ApprovedById { get; set; }

    public DateTimeOffset? CancelledAt { get; set; }

    public int? CancelledById { get; set; }

    /// <summary>The last day covered, as people read a date range.</summary>
    public DateOnly LastDay => EndsOn!.Value.AddDays(-1);
}

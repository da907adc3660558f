namespace EserSecurity.Core.Coordinators;

/// <summary>An assignment in force from its start day until (not including) its end day.</summary>
public interface IDatedAssignment
{
    DateOnly StartsOn { get; }

    DateOnly? EndsOn { get; }
}

/// <summary>An assignment that someone ends on a day, with the reason kept in the record.</summary>
public interface IEndableAssignment : IDatedAssignment
{
    int Id { get; }

    int StaffMemberId { get; }

    int SchoolSystemId { get; }

    new DateOnly? EndsOn { get; set; }

    DateTimeOffset? EndedAt { get; set; }

    int? EndedById { get; set; }

    string? EndReason { get; set; }
}

/// <summary>When an assignment is in force: every read of coordinators, supervisors and administrators asks here.</summary>
public static class AssignmentPeriods
{
    /// <summary>The assignments in force on the given day: started, and not yet ended.</summary>
    public static IQueryable<T> ActiveOn<T>(this IQueryable<T> assignments, DateOnly day) where T : class, IDatedAssignment =>
        assignments.Where(a => a.StartsOn <= day && (a.EndsOn == null || a.EndsOn > day));
}

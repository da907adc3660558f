namespace EserSecurity.Core.Coordinators;

/// <summary>An assignment in force from its start day until (not including) its end day.</summary>
public interface IDatedAssignment
{
    DateOnly StartsOn { get; }

    DateOnly? EndsOn { get; }
}

public static class AssignmentPeriods
{
    /// <summary>The assignments in force on the given day: started, and not yet ended.</summary>
    public static IQueryable<T> ActiveOn<T>(this IQueryable<T> assignments, DateOnly day) where T : class, IDatedAssignment =>
        assignments.Where(a => a.StartsOn <= day && (a.EndsOn == null || a.EndsOn > day));
}

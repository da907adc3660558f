using EserSecurity.Core.Audit;
using EserSecurity.Core.Security;

namespace EserSecurity.Core.Coordinators;

/// <summary>An assignment in force from its start day until (not including) its end day.</summary>
public interface IDatedAssignment
{
    DateOnly StartsOn { get; }

    DateOnly? EndsOn { get; }
}

/// <summary>
/// An assignment that someone ends on a day, with who ended it, when and why kept in the record: coordinators,
/// supervisors and state administrators alike. <see cref="AssignmentPeriods.End"/> is the one way to end one.
/// </summary>
public interface IEndable : IDatedAssignment
{
    int Id { get; }

    int StaffMemberId { get; }

    new DateOnly? EndsOn { get; set; }

    DateTimeOffset? EndedAt { get; set; }

    int? EndedById { get; set; }

    string? EndReason { get; set; }
}

/// <summary>An endable assignment within one school system: a coordinator or a supervisor.</summary>
public interface IEndableAssignment : IEndable
{
    int SchoolSystemId { get; }
}

/// <summary>What ending an assignment changed, for its audit event.</summary>
public sealed record EndedAssignment(DateOnly? EndsOnBefore, DateOnly EndsOn, string Reason)
{
    /// <summary>The audit entry of an ended coordinator or supervisor assignment: its end day before and after, and why.</summary>
    public AuditEntry Audit(string action, IEndableAssignment assignment) =>
        new(action, assignment.GetType().Name, assignment.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            assignment.SchoolSystemId, new { EndsOn = EndsOnBefore }, new { endsOn = EndsOn, reason = Reason });
}

/// <summary>When an assignment is in force, and how one ends: every read and end of coordinators, supervisors and administrators asks here.</summary>
public static class AssignmentPeriods
{
    /// <summary>The longest reason for ending an assignment that the record keeps.</summary>
    public const int EndReasonMaxLength = AccessRequests.AccessRequest.ReasonMaxLength;

    /// <summary>The assignments in force on the given day: started, and not yet ended.</summary>
    public static IQueryable<T> ActiveOn<T>(this IQueryable<T> assignments, DateOnly day) where T : class, IDatedAssignment =>
        assignments.Where(a => a.StartsOn <= day && (a.EndsOn == null || a.EndsOn > day));

    /// <summary>The reason an assignment ends, trimmed; refused when it is empty or too long for the record.</summary>
    public static string RequireEndReason(string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new AssignmentRefusedException("Say why the assignment ends; it is kept in the record.");
        }
        reason = reason.Trim();
        if (reason.Length > EndReasonMaxLength)
        {
            throw new AssignmentRefusedException($"Keep the reason to {EndReasonMaxLength} characters.");
        }
        return TextRules.ProseProblem(reason, "the reason", EndReasonMaxLength) is { } problem ? throw new AssignmentRefusedException(problem) : reason;
    }

    /// <summary>Refuses an assignment that has already ended; services ask before their own rules about ending it.</summary>
    public static void RefuseEnded(this IDatedAssignment assignment, DateOnly today)
    {
        if (assignment.EndsOn is DateOnly ended && ended <= today)
        {
            throw new AssignmentRefusedException("That assignment has already ended.");
        }
    }

    /// <summary>
    /// Ends the assignment today: it is no longer in force from today on, and who ended it, when and why stay in the
    /// record. An assignment that has already ended is refused. The caller saves and audits the result.
    /// </summary>
    public static EndedAssignment End(this IEndable assignment, DateTimeOffset now, DateOnly today, int? endedById, string reason)
    {
        assignment.RefuseEnded(today);
        reason = RequireEndReason(reason);
        var before = assignment.EndsOn;
        assignment.EndsOn = today;
        assignment.EndedAt = now;
        assignment.EndedById = endedById;
        assignment.EndReason = reason;
        return new EndedAssignment(before, today, reason);
    }
}

using System.Globalization;
using EserSecurity.Core.AccessRequests;

namespace EserSecurity.Core.Grants;

/// <summary>
/// How long a grant runs: until the last day the approving coordinator sets, never beyond the role's longest duration.
/// A role with a longest duration always gets an end (the longest allowed when the coordinator sets none); a role
/// without one runs until someone ends it unless the coordinator sets a day.
/// </summary>
public static class GrantTerm
{
    /// <summary>The longest <see cref="Roles.EserRole.MaxDurationDays"/> a role may carry: ten years.</summary>
    public const int MaxRoleDurationDays = 3650;

    /// <summary>The last day a grant approved on <paramref name="today"/> may run for a role with this longest duration; null when unlimited.</summary>
    public static DateOnly? LatestLastDay(DateOnly today, int? maxDurationDays) => maxDurationDays is int days ? today.AddDays(days) : null;

    /// <summary>
    /// The last day a grant approved today runs: the coordinator's day when it is valid, the role's latest day when none
    /// was set, or no end. Refused with a message the coordinator can act on.
    /// </summary>
    /// <exception cref="AccessRequestRefusedException">The day is in the past or beyond the role's longest duration.</exception>
    public static DateOnly? LastDay(DateOnly today, DateOnly? chosen, string roleName, int? maxDurationDays)
    {
        var latest = LatestLastDay(today, maxDurationDays);
        if (chosen is not DateOnly day)
        {
            return latest;
        }
        if (day < today)
        {
            throw new AccessRequestRefusedException($"The access cannot end on {Day(day)}: that day has passed. Choose today or a later day.");
        }
        if (latest is DateOnly limit && day > limit)
        {
            throw new AccessRequestRefusedException(
                $"{roleName} may be granted for at most {maxDurationDays} days, so its access ends on {Day(limit)} at the latest. Choose that day or an earlier one.");
        }
        return day;
    }

    /// <summary>Refuses a longest duration outside 1 day to ten years; null means no limit.</summary>
    public static string? DurationProblem(int? maxDurationDays) =>
        maxDurationDays is int days && days is < 1 or > MaxRoleDurationDays
            ? $"The longest duration is 1 to {MaxRoleDurationDays} days, or empty for no limit."
            : null;

    /// <summary>A day as the console's messages write it.</summary>
    public static string Day(DateOnly day) => day.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture);
}

namespace EserSecurity.Core.Grants;

/// <summary>One of a person's grants as their page shows it: active, or ended with when, by whom and why.</summary>
public sealed record PersonGrantRow(
    int Id,
    string RoleName,
    string ScopeName,
    bool GrantsIepForms,
    DateTimeOffset GrantedAt,
    DateTimeOffset? EndedAt,
    string? EndedBy,
    GrantEndReason? EndReason,
    string? EndNote,
    bool CanEnd,
    DateOnly? EndsOn = null,
    bool CanRenew = false,
    bool RenewalPending = false)
{
    public bool IsActive => EndedAt is null;
}

/// <summary>A person's grants, whether the reader may end their employment, and the day a scheduled end applies.</summary>
public sealed record PersonAccess(
    int StaffMemberId, string PersonName, IReadOnlyList<PersonGrantRow> Grants, bool CanEndEmployment, bool EmploymentEnded,
    DateOnly? EmploymentEndsOn = null);

/// <summary>What ending a grant did.</summary>
public sealed record GrantEndOutcome(int GrantId, DateTimeOffset EndedAt, string Message);

/// <summary>Words for why a grant ended, as people read them.</summary>
public static class GrantEndReasons
{
    public static string Describe(GrantEndReason reason) => reason switch
    {
        GrantEndReason.EmploymentEnded => "Employment ended",
        GrantEndReason.DutiesChanged => "Duties changed",
        GrantEndReason.RevokedInReview => "Revoked in an access review",
        GrantEndReason.Expired => "Reached its end date",
        GrantEndReason.Renewed => "Renewed",
        _ => "Ended by a coordinator",
    };
}

/// <summary>An active grant with an end date, as the coordinators' list of access ending soon shows it.</summary>
public sealed record ExpiringGrantRow(
    int Id, int StaffMemberId, string StaffId, string PersonName, string RoleName, string ScopeName, DateOnly EndsOn, int DaysLeft, bool RenewalPending);

/// <summary>Which grants the list of access ending soon shows: those whose last day is within <paramref name="WithinDays"/> days (null: every end date).</summary>
public sealed record ExpiringQuery(int? WithinDays = 30, int Page = 0, int PageSize = 25);

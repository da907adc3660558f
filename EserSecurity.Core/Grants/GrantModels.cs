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
    bool CanEnd)
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
        _ => "Ended by a coordinator",
    };
}

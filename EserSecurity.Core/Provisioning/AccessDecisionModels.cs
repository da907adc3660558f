using EserSecurity.Core.Assurance;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Staff;

namespace EserSecurity.Core.Provisioning;

/// <summary>Whether eSER admits a person today, and the one reason that decides it.</summary>
public enum AdmitDecision
{
    /// <summary>Live, employed, an approved role and this school year's assurance signed (or still inside its grace period).</summary>
    Admit,

    /// <summary>eSER has not gone live on the new platform yet (or no go-live date is set): the console's decision is not enforced.</summary>
    BeforeGoLive,

    EmploymentEnded,

    OnLeave,

    /// <summary>No active approved role.</summary>
    NoRole,

    /// <summary>This school year's assurance is unsigned after the grace period.</summary>
    AssuranceOverdue,
}

/// <summary>A person's current access decision, as the access API hands it to eSER and EdLink.</summary>
/// <param name="Admit">Whether eSER admits the person today.</param>
/// <param name="ReadyForGoLive">Whether the person would be admitted on go-live day as things stand: what <paramref name="Admit"/> becomes then.</param>
public sealed record AccessDecision(
    string StaffId,
    string FirstName,
    string LastName,
    EmploymentStatus Employment,
    DateOnly? EmploymentEndsOn,
    DateOnly DecidedOn,
    DateOnly? GoLiveOn,
    bool Admit,
    AdmitDecision Decision,
    string Explanation,
    bool ReadyForGoLive,
    DecisionAssurance Assurance,
    IReadOnlyList<DecisionGrant> Grants);

/// <summary>Where the person stands with this school year's confidentiality assurance.</summary>
public sealed record DecisionAssurance(AssuranceStatus Status, string SchoolYear, DateOnly OverdueFrom, DateTimeOffset? SignedAt);

/// <summary>One active grant. <paramref name="EndsOn"/> is the day it ends when an end is already known: the end date set at approval or a scheduled end of employment, whichever comes first.</summary>
public sealed record DecisionGrant(
    int GrantId,
    string RoleCode,
    string RoleName,
    IReadOnlyList<string> Permissions,
    string SchoolSystemCode,
    string SchoolSystemName,
    string? SchoolCode,
    string? SchoolName,
    bool IepForms,
    IepFormsStanding IepFormsStanding,
    GrantOrigin Origin,
    DateTimeOffset GrantedAt,
    DateOnly? EndsOn);

/// <summary>One page of the change feed. <paramref name="Next"/> is the cursor to ask after next time (unchanged when there was nothing new).</summary>
public sealed record DecisionChangePage(IReadOnlyList<DecisionChangeItem> Changes, long Next, bool HasMore);

/// <summary>One change; the client re-reads <paramref name="StaffId"/>'s decision.</summary>
public sealed record DecisionChangeItem(long Cursor, DateTimeOffset At, AccessDecisionChangeKind Kind, string StaffId, string? Reason, DecisionChangeGrant? Grant);

public sealed record DecisionChangeGrant(int GrantId, string RoleCode, string SchoolSystemCode, string? SchoolCode, bool IepForms);

/// <summary>The decision's one rule, kept here so the API, its tests and the calendar of day-driven changes agree.</summary>
public static class AccessDecisionRules
{
    public static AdmitDecision Decide(DateOnly today, DateOnly? goLiveOn, EmploymentStatus employment, bool hasActiveGrant, AssuranceStatus assurance)
    {
        var onLiveDay = DecideWhenLive(employment, hasActiveGrant, assurance);
        return onLiveDay == AdmitDecision.Admit && (goLiveOn is null || today < goLiveOn) ? AdmitDecision.BeforeGoLive : onLiveDay;
    }

    /// <summary>The decision as it is once eSER enforces it.</summary>
    public static AdmitDecision DecideWhenLive(EmploymentStatus employment, bool hasActiveGrant, AssuranceStatus assurance) =>
        employment == EmploymentStatus.Ended ? AdmitDecision.EmploymentEnded
        : employment == EmploymentStatus.Leave ? AdmitDecision.OnLeave
        : !hasActiveGrant ? AdmitDecision.NoRole
        : assurance == AssuranceStatus.Overdue ? AdmitDecision.AssuranceOverdue
        : AdmitDecision.Admit;

    public static string Explain(AdmitDecision decision, DateOnly? goLiveOn, SchoolYear year) => decision switch
    {
        AdmitDecision.Admit => "Admitted: an approved eSER role and a current confidentiality assurance.",
        AdmitDecision.BeforeGoLive => goLiveOn is { } on
            ? $"Ready for go-live on {on:MMMM d, yyyy}; until then access comes from the legacy system."
            : "No go-live date is set; until there is one access comes from the legacy system.",
        AdmitDecision.EmploymentEnded => "Not admitted: employment ended.",
        AdmitDecision.OnLeave => "Not admitted while on leave.",
        AdmitDecision.NoRole => "Not admitted: no approved eSER role.",
        AdmitDecision.AssuranceOverdue => $"Not admitted: the {year.Label} confidentiality assurance is overdue.",
        _ => decision.ToString(),
    };
}

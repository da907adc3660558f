using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Grants;

namespace EserSecurity.Core.Home;

/// <summary>Everything the home page shows the signed-in person; a section is null when the person holds no such role.</summary>
/// <param name="Assurance">
/// This school year's assurance status of the people in the person's scope — the Assurance status page's totals — for
/// coordinators, supervisors and state administrators.
/// </param>
public sealed record HomeSummary(
    PersonalSummary Personal,
    CoordinatorSummary? Coordinator,
    SupervisorSummary? Supervisor,
    StatewideSummary? Statewide,
    GoLiveCountdown? GoLive,
    AssuranceCounts? Assurance);

public sealed record PersonalSummary(
    string Name,
    string Position,
    string? SchoolSystemName,
    IReadOnlyList<OwnGrant> Grants,
    IReadOnlyList<OwnRequest> OpenRequests,
    AssuranceStatus AssuranceStatus,
    string SchoolYearLabel,
    IReadOnlyList<EndedOwnGrant>? EndedGrants = null);

public sealed record OwnGrant(string RoleName, string ScopeName, bool GrantsIepForms, DateTimeOffset GrantedAt);

/// <summary>A grant of the person's that ended: when, why and the note the person who ended it gave.</summary>
public sealed record EndedOwnGrant(string RoleName, string ScopeName, DateTimeOffset EndedAt, GrantEndReason Reason, string? Note);

public sealed record OwnRequest(int Id, string RoleName, string ScopeName, AccessRequestStatus Status, DateTimeOffset SubmittedAt);

public sealed record CoordinatorSummary(
    int PendingRequests,
    int StaleRequests,
    int StaleAfterDays,
    int SchoolSystemsCovered,
    int SchoolsCovered,
    int SchoolsCoveredByDistrictOnly);

public sealed record SupervisorSummary(int PendingEndorsements, int ActiveIepFormsGrants, int SchoolSystemsSupervised);

public sealed record StatewideSummary(
    int SchoolSystems,
    int Schools,
    int ActiveStaff,
    int ActiveGrants,
    int PendingRequests,
    int SchoolSystemsWithoutDistrictCoordinator,
    int AssurancesSignedThisYear);

public sealed record GoLiveCountdown(DateOnly On, int DaysRemaining);

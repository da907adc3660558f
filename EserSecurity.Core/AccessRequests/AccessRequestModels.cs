using EserSecurity.Core.Assurance;
using EserSecurity.Core.Roles;
using EserSecurity.Core.Security;

namespace EserSecurity.Core.AccessRequests;

/// <summary>An eSER role a person may ask for.</summary>
public sealed record RequestableRole(int Id, string Name, string Description, string Permissions, bool GrantsIepForms, RoleLevel Level);

/// <summary>A school a school-level role may be requested at.</summary>
public sealed record RequestableSchool(int Id, string SiteCode, string Name, bool IsOwnSchool);

/// <summary>What the request form offers the signed-in person.</summary>
public sealed record RequestOptions(
    int SchoolSystemId, string SchoolSystemName, IReadOnlyList<RequestableRole> Roles, IReadOnlyList<RequestableSchool> Schools);

/// <summary>A new request: the role, the school (null for a school-system-level role) and why.</summary>
public sealed record NewAccessRequest(int EserRoleId, int? SchoolId, string Justification);

public enum Decision
{
    Approve,
    Deny,
}

/// <summary>The result of one decision: taken, or refused because someone else got there first.</summary>
public sealed record DecisionOutcome(int RequestId, bool Succeeded, AccessRequestStatus Status, string Message);

/// <summary>The result of a bulk approval: each request decided on its own.</summary>
public sealed record BulkDecisionSummary(IReadOnlyList<DecisionOutcome> Outcomes) : IBulkSummary
{
    public int Approved => Outcomes.Count(o => o.Succeeded);

    public IReadOnlyList<DecisionOutcome> NotApproved => Outcomes.Where(o => !o.Succeeded).ToList();

    public string Headline => NotApproved.Count == 0 ? $"{Approved} approved" : $"{Approved} approved, {NotApproved.Count} not approved";

    public IReadOnlyList<string> NotDone => NotApproved.Select(o => $"Request #{o.RequestId}: {o.Message}").ToList();
}

/// <summary>Which stage a queue shows.</summary>
public enum QueueStage
{
    PendingCoordinator,
    PendingSupervisor,
}

public enum QueueSort
{
    Submitted,
    Requester,
    Role,
    School,
}

/// <summary>Filters, sort and page of a queue, as they appear in the page's URL.</summary>
public sealed record QueueQuery(
    string? Search = null,
    int? SchoolId = null,
    int? RoleId = null,
    QueueStage? Stage = null,
    int? MinAgeDays = null,
    QueueSort Sort = QueueSort.Submitted,
    bool Descending = false,
    int Page = 0,
    int PageSize = 25);

/// <summary>A request as a row of a queue.</summary>
public sealed record QueueRow(
    int Id,
    int RequesterId,
    string RequesterName,
    string StaffId,
    string Position,
    int EserRoleId,
    string RoleName,
    bool GrantsIepForms,
    int SchoolSystemId,
    int? SchoolId,
    string ScopeName,
    string SchoolSystemName,
    DateTimeOffset SubmittedAt,
    AccessRequestStatus Status,
    WaitingFollowUp FollowUp = WaitingFollowUp.None,
    DateTimeOffset? FollowedUpAt = null);

/// <summary>One step of a request's history.</summary>
public sealed record RequestStepRow(AccessRequestAction Action, string ActorName, DateTimeOffset At, string? Reason, string? OnBehalfOfName = null);

/// <summary>A role the requester holds now.</summary>
public sealed record HeldRole(string RoleName, string ScopeName, bool GrantsIepForms, DateTimeOffset GrantedAt);

/// <summary>An earlier request of the same person, with its outcome.</summary>
public sealed record EarlierRequest(int Id, string RoleName, string ScopeName, AccessRequestStatus Status, DateTimeOffset SubmittedAt, string? Reason);

/// <summary>Everything a coordinator or supervisor needs to decide one request.</summary>
public sealed record RequestDetail(
    QueueRow Request,
    string Justification,
    string RequesterEmail,
    IReadOnlyList<HeldRole> CurrentGrants,
    AssuranceStatus AssuranceStatus,
    IReadOnlyList<RequestStepRow> History,
    IReadOnlyList<EarlierRequest> EarlierRequests,
    bool CanDecide,
    bool CanEndorse,
    int? MaxDurationDays = null,
    DateOnly? GrantEndsOn = null,
    bool IsRenewal = false);

/// <summary>One of the signed-in person's own requests, with its history.</summary>
public sealed record OwnRequestRow(
    int Id,
    string RoleName,
    bool GrantsIepForms,
    string ScopeName,
    AccessRequestStatus Status,
    DateTimeOffset SubmittedAt,
    string Justification,
    IReadOnlyList<RequestStepRow> History)
{
    public bool CanWithdraw => Status is AccessRequestStatus.PendingCoordinator or AccessRequestStatus.PendingSupervisor;
}

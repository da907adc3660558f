using EserSecurity.Core.Roles;
using EserSecurity.Core.SchoolSystems;
using EserSecurity.Core.Staff;

namespace EserSecurity.Core.AccessRequests;

/// <summary>A person's request for an eSER role at a school or school system.</summary>
public class AccessRequest
{
    public const int JustificationMaxLength = 1000;
    public const int ReasonMaxLength = 1000;

    public int Id { get; set; }

    public int RequesterId { get; set; }

    public StaffMember? Requester { get; set; }

    public int EserRoleId { get; set; }

    public EserRole? EserRole { get; set; }

    public int SchoolSystemId { get; set; }

    public SchoolSystem? SchoolSystem { get; set; }

    /// <summary>The school the role is requested at; null for a school-system-level request.</summary>
    public int? SchoolId { get; set; }

    public School? School { get; set; }

    public required string Justification { get; set; }

    public AccessRequestStatus Status { get; set; }

    public DateTimeOffset SubmittedAt { get; set; }

    /// <summary>When the request reached a final state; null while pending.</summary>
    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>When the request reached the stage it waits at: its submission, then each step; follow-ups count from it.</summary>
    public DateTimeOffset StageSince { get; set; }

    /// <summary>The last day the grant runs, set by the coordinator who approved it; applied when the grant is created.</summary>
    public DateOnly? GrantEndsOn { get; set; }

    /// <summary>The grant this request renews (the person's one-click renewal of access that is about to end).</summary>
    public int? RenewsGrantId { get; set; }

    /// <summary>How far the console has followed up a request that waits too long at its current stage; reset by each step.</summary>
    public WaitingFollowUp FollowUp { get; set; }

    /// <summary>When the last follow-up (reminder or escalation) was sent.</summary>
    public DateTimeOffset? FollowedUpAt { get; set; }

    /// <summary>Set by the application on every change; SQLite has no rowversion.</summary>
    public Guid ConcurrencyToken { get; set; } = Guid.NewGuid();

    public List<AccessRequestStep> Steps { get; set; } = [];

    /// <summary>
    /// A new request waiting for a coordinator, with the step that begins its history in <see cref="Steps"/>: submitted
    /// by the requester or, when <paramref name="migratedById"/> is given, opened for them by that coordinator in the
    /// TAS migration. The caller adds it to the database.
    /// </summary>
    public static AccessRequest Open(
        int requesterId, int eserRoleId, int schoolSystemId, int? schoolId, string justification, DateTimeOffset at, int? migratedById = null)
    {
        var request = new AccessRequest
        {
            RequesterId = requesterId,
            EserRoleId = eserRoleId,
            SchoolSystemId = schoolSystemId,
            SchoolId = schoolId,
            Justification = justification,
            Status = AccessRequestStatus.PendingCoordinator,
            SubmittedAt = at,
            StageSince = at,
        };
        request.Steps.Add(new AccessRequestStep
        {
            Action = migratedById is null ? AccessRequestAction.Submitted : AccessRequestAction.MigratedFromTas,
            FromStatus = AccessRequestStatus.PendingCoordinator,
            ToStatus = AccessRequestStatus.PendingCoordinator,
            ActorId = migratedById ?? requesterId,
            At = at,
        });
        return request;
    }
}

public enum AccessRequestStatus
{
    PendingCoordinator,
    PendingSupervisor,
    Approved,
    Denied,
    Withdrawn,
    Cancelled,
}

/// <summary>One step in a request's history: who did what, when and why.</summary>
public class AccessRequestStep
{
    public int Id { get; set; }

    public int AccessRequestId { get; set; }

    public AccessRequestAction Action { get; set; }

    public AccessRequestStatus FromStatus { get; set; }

    public AccessRequestStatus ToStatus { get; set; }

    public int? ActorId { get; set; }

    public StaffMember? Actor { get; set; }

    public DateTimeOffset At { get; set; }

    public string? Reason { get; set; }

    /// <summary>The absent coordinator or supervisor the actor decided for, as their deputy; null when they decided as themselves.</summary>
    public int? OnBehalfOfId { get; set; }

    public StaffMember? OnBehalfOf { get; set; }
}

public enum AccessRequestAction
{
    Submitted,
    CoordinatorApproved,
    CoordinatorDenied,
    SupervisorEndorsed,
    SupervisorDenied,
    Withdrawn,
    Cancelled,

    /// <summary>A coordinator opened the request for the person from the SER role they held in TAS (the TAS migration).</summary>
    MigratedFromTas,
}

/// <summary>
/// The follow-up of a request waiting longer than the queue's stale age: a reminder to those it waits for, then an
/// escalation to the school system's district coordinators, then to the state administrators.
/// </summary>
public enum WaitingFollowUp
{
    None,
    Reminded,
    EscalatedToDistrict,
    EscalatedToState,
}

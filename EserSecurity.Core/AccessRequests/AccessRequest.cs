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

    /// <summary>Set by the application on every change; SQLite has no rowversion.</summary>
    public Guid ConcurrencyToken { get; set; } = Guid.NewGuid();

    public List<AccessRequestStep> Steps { get; set; } = [];
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

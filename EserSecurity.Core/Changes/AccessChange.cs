namespace EserSecurity.Core.Changes;

/// <summary>What changed, published after the change committed.</summary>
public enum AccessChangeKind
{
    RequestSubmitted,
    RequestDecided,
    RequestEndorsed,
    RequestWithdrawn,
    GrantCreated,
    GrantEnded,
    AssignmentChanged,
    AssuranceSigned,
    StatementPublished,

    /// <summary>A TAS User Report import recorded legacy SER access; one change per school system it touched.</summary>
    LegacyAccessImported,

    /// <summary>An eSER role or the TAS mapping changed; statewide (no school system).</summary>
    RoleCatalogChanged,

    /// <summary>A key date was added, changed or removed; statewide (no school system).</summary>
    KeyDatesChanged,

    /// <summary>A school system's local security policy was recorded.</summary>
    SecurityPolicyChanged,

    /// <summary>A school directory import created or changed school systems or schools (opened, renamed, closed).</summary>
    SchoolDirectoryChanged,

    /// <summary>A staff directory import (or the nightly feed) changed a person's record, employment or schools; one change per person, with <see cref="AccessChange.SubjectStaffMemberId"/> set.</summary>
    StaffDirectoryChanged,

    /// <summary>A link request was filed, confirmed or refused, or a sign-on link was made or removed.</summary>
    LinkRequestChanged,

    /// <summary>A person's sign-in session ended (signed out) or their sign-on link changed: their open circuits re-check at once.</summary>
    SignOnChanged,

    /// <summary>A state administrator was added or ended; statewide.</summary>
    StateAdministratorsChanged,

    /// <summary>A pending request was cancelled by the system (the requester left or moved); with <see cref="AccessChange.SubjectStaffMemberId"/> set.</summary>
    RequestCancelled,

    /// <summary>A person's employment was ended, or they moved school system or schools (by the staff directory or by hand); with <see cref="AccessChange.SubjectStaffMemberId"/> set.</summary>
    EmploymentChanged,

    /// <summary>An item on a school system's change-of-duties list was added or decided (kept, ended, or defaulted at its deadline).</summary>
    ChangeOfDutiesChanged,

    /// <summary>An access review was opened, an item decided, the review signed off or completed.</summary>
    AccessReviewChanged,

    /// <summary>A school system's own duties changed: its policy, removal procedure or a local training session.</summary>
    LocalDutiesChanged,

    /// <summary>A separation-of-duties exception (one person both district coordinator and supervisor) was recorded or ended.</summary>
    SeparationExceptionChanged,

    /// <summary>An API client was registered, changed, had its webhook key rotated or was revoked; statewide.</summary>
    ApiClientsChanged,

    /// <summary>A webhook pass delivered to a client or failed to; only the delivery state on the API clients page moved.</summary>
    WebhookDeliveryChanged,

    /// <summary>A person's notices changed (one arrived, or they read some); with <see cref="AccessChange.SubjectStaffMemberId"/> set to the recipient.</summary>
    NotificationsChanged,

    /// <summary>A request that waited too long was followed up (a reminder, or an escalation the queue shows).</summary>
    RequestFollowedUp,

    /// <summary>The audit chain was checked and the result recorded; statewide.</summary>
    AuditVerified,

    /// <summary>
    /// The change feed listens again after losing its connection to the other console instances: changes they made
    /// meanwhile never arrived, so anything may have changed. Published on this instance only; it concerns every reader
    /// (<see cref="AccessChange.ConcernsEveryone"/>).
    /// </summary>
    FeedResumed,
}

/// <summary>
/// One committed change, with just enough for a subscriber to decide whether it concerns their view:
/// the school system and school it happened in, and for an assignment change the person whose scope changed.
/// A change without a school system (the role catalog, key dates) concerns everyone.
/// </summary>
public sealed record AccessChange(
    AccessChangeKind Kind,
    int? SchoolSystemId,
    int? SchoolId,
    int? AccessRequestId,
    int? ActorId,
    DateTimeOffset At,
    int? SubjectStaffMemberId = null)
{
    /// <summary>
    /// Whether every reader refreshes for this change, whatever it shows: the feed resumed after a gap in which other
    /// instances' changes were missed (<see cref="AccessChangeKind.FeedResumed"/>).
    /// </summary>
    public bool ConcernsEveryone => Kind == AccessChangeKind.FeedResumed;
}

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
}

/// <summary>
/// One committed change, with just enough for a subscriber to decide whether it concerns their view:
/// the school system and school it happened in, and for an assignment change the person whose scope changed.
/// </summary>
public sealed record AccessChange(
    AccessChangeKind Kind,
    int? SchoolSystemId,
    int? SchoolId,
    int? AccessRequestId,
    int? ActorId,
    DateTimeOffset At,
    int? SubjectStaffMemberId = null);

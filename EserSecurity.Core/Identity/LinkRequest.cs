using EserSecurity.Core.SchoolSystems;

namespace EserSecurity.Core.Identity;

/// <summary>
/// A signed-in account's request to be linked to a staff record, filed when the console cannot be sure who the account
/// belongs to. A district coordinator of the named school system (or a state administrator) confirms it against the
/// directory or refuses it with a reason; the person is told on their next visit.
/// </summary>
public class LinkRequest
{
    public const int DisplayNameMaxLength = 200;
    public const int RefusalReasonMaxLength = 500;

    public int Id { get; set; }

    public required string Issuer { get; set; }

    public required string Subject { get; set; }

    /// <summary>The name the token gave; shown to the coordinator, never used to find a person.</summary>
    public string? DisplayName { get; set; }

    public required string ClaimedStaffId { get; set; }

    public int SchoolSystemId { get; set; }

    public SchoolSystem? SchoolSystem { get; set; }

    public int? SchoolId { get; set; }

    public School? School { get; set; }

    public DateTimeOffset FiledAt { get; set; }

    public LinkRequestState State { get; set; }

    public int? DecidedById { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public string? RefusalReason { get; set; }

    /// <summary>How far the console has followed up a link request that waits too long (reminder, then escalation).</summary>
    public AccessRequests.WaitingFollowUp FollowUp { get; set; }

    /// <summary>When the last follow-up was sent.</summary>
    public DateTimeOffset? FollowedUpAt { get; set; }

    /// <summary>Whether the person has been shown the decision (a refusal is shown once).</summary>
    public bool SeenByRequester { get; set; }
}

public enum LinkRequestState
{
    Pending,
    Confirmed,
    Refused,
}

using EserSecurity.Core.Grants;
using EserSecurity.Core.SchoolSystems;

namespace EserSecurity.Core.Reviews;

/// <summary>An annual or semiannual review of every active grant of one school system.</summary>
public class AccessReview
{
    public const int TypedNameMaxLength = 200;

    public int Id { get; set; }

    public int SchoolSystemId { get; set; }

    public SchoolSystem? SchoolSystem { get; set; }

    public AccessReviewKind Kind { get; set; }

    public DateOnly DueOn { get; set; }

    public AccessReviewStatus Status { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public int StartedById { get; set; }

    public DateTimeOffset? SignedOffAt { get; set; }

    public int? SignedOffById { get; set; }

    /// <summary>The supervisor's full name as typed at sign-off, normalized.</summary>
    public string? SignedOffTypedName { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>When the due-date default was applied to the items still undecided at the due date; once per review.</summary>
    public DateTimeOffset? DefaultsAppliedAt { get; set; }

    public List<AccessReviewItem> Items { get; set; } = [];
}

public enum AccessReviewKind
{
    Annual,
    Semiannual,
}

public enum AccessReviewStatus
{
    Open,
    AwaitingSignOff,
    Completed,
}

/// <summary>One active grant to keep or revoke in a review.</summary>
public class AccessReviewItem
{
    public const int NoteMaxLength = 1000;

    public int Id { get; set; }

    public int AccessReviewId { get; set; }

    public int AccessGrantId { get; set; }

    public AccessGrant? AccessGrant { get; set; }

    public AccessReviewDecision Decision { get; set; }

    public int? DecidedById { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public string? Note { get; set; }

    /// <summary>The grant reaches IEP Forms, so the special education supervisor decides it too.</summary>
    public bool NeedsSupervisor { get; set; }

    public AccessReviewDecision SupervisorDecision { get; set; }

    public int? SupervisorDecidedById { get; set; }

    public DateTimeOffset? SupervisorDecidedAt { get; set; }

    public string? SupervisorNote { get; set; }

    /// <summary>
    /// When the due-date default reached this item: with the Flag default the item stays undecided and is reported as
    /// flagged; with End or Keep the default is its decision, made by nobody.
    /// </summary>
    public DateTimeOffset? DefaultedAt { get; set; }
}

public enum AccessReviewDecision
{
    Undecided,
    Keep,
    Revoke,
}

using EserSecurity.Core.Security;

namespace EserSecurity.Core.Reviews;

/// <summary>What a reviewer decides about one grant.</summary>
public enum ReviewDecision
{
    Keep,
    End,
}

/// <summary>Which school systems a state administrator opens a review period for: the listed ones, or every one when <see cref="SchoolSystemIds"/> is null.</summary>
public sealed record OpenReviewPeriod(IReadOnlyCollection<int>? SchoolSystemIds, DateOnly DueOn);

/// <summary>What opening a review period did: the reviews opened with their items, and the school systems left out because a review was already open.</summary>
public sealed record OpenedReviews(int Reviews, int Items, IReadOnlyList<string> AlreadyOpen)
{
    public string Headline => $"{Reviews:N0} reviews opened with {Items:N0} grants to review"
        + (AlreadyOpen.Count == 0 ? "" : $"; {AlreadyOpen.Count} already had an open review ({string.Join(", ", AlreadyOpen)})");
}

/// <summary>A review as listed: its school system, due date and progress.</summary>
public sealed record ReviewRow(
    int Id,
    int SchoolSystemId,
    string Code,
    string SchoolSystemName,
    AccessReviewKind Kind,
    DateOnly DueOn,
    AccessReviewStatus Status,
    int Items,
    int Decided,
    int Flagged,
    bool Overdue,
    DateTimeOffset? SignedOffAt,
    string? SignedOffBy)
{
    /// <summary>The share of items decided, from 0 to 1; a review with no items is fully decided.</summary>
    public double ShareDecided => Items == 0 ? 1 : (double)Decided / Items;
}

/// <summary>One review in full for its page: the figures, the sign-off, and what the reader may do.</summary>
public sealed record ReviewDetail(
    ReviewRow Review,
    bool CanDecide,
    bool IsSupervisor,
    bool CanSignOff,
    string? SignOffStatement,
    string? SignedOffTypedName);

/// <summary>One item as the grid shows it.</summary>
public sealed record ReviewItemRow(
    int Id,
    string PersonName,
    string StaffId,
    string Position,
    string Role,
    string Scope,
    DateOnly GrantedOn,
    bool NeedsSupervisor,
    AccessReviewDecision Decision,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? Note,
    AccessReviewDecision SupervisorDecision,
    string? SupervisorDecidedBy,
    bool Flagged,
    bool GrantActive)
{
    /// <summary>Whether the item still waits for the supervisor's decision or, with <paramref name="asSupervisor"/> false, the coordinators'.</summary>
    public bool AwaitsDecision(bool asSupervisor) => asSupervisor
        ? NeedsSupervisor && SupervisorDecision == AccessReviewDecision.Undecided
        : Decision == AccessReviewDecision.Undecided;
}

/// <summary>The items a grid asks for: which ones, sorted how, which page.</summary>
public sealed record ReviewItemQuery(bool UndecidedOnly, string? Search, string? SortBy, bool Descending, int Page, int PageSize);

/// <summary>The outcome of one decision: stored, or refused with who decided first.</summary>
public sealed record ReviewDecisionOutcome(int ItemId, bool Succeeded, string Message);

/// <summary>A bulk decision: each item decided on its own.</summary>
public sealed record ReviewBulkSummary(ReviewDecision Decision, IReadOnlyList<ReviewDecisionOutcome> Outcomes) : IBulkSummary
{
    private string Verb => Decision == ReviewDecision.Keep ? "kept" : "marked to end";

    public string Headline
    {
        get
        {
            var done = Outcomes.Count(o => o.Succeeded);
            var notDone = Outcomes.Count - done;
            return notDone == 0 ? $"{done} {Verb}" : $"{done} {Verb}, {notDone} not decided";
        }
    }

    public IReadOnlyList<string> NotDone => Outcomes.Where(o => !o.Succeeded).Select(o => $"Item #{o.ItemId}: {o.Message}").ToList();
}

/// <summary>What the due-date default did to one review.</summary>
public sealed record DueDateDefaultApplied(int ReviewId, int SchoolSystemId, DueDateDefault Default, int Items);

/// <summary>What completing a review did.</summary>
public sealed record CompletedReview(int ReviewId, int Reviewed, int Ended, int AlreadyEnded);

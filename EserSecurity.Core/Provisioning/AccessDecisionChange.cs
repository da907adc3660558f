using EserSecurity.Core.Grants;
using EserSecurity.Core.Staff;

namespace EserSecurity.Core.Provisioning;

/// <summary>
/// One change to a person's access decision, as the applications that enforce access (eSER, EdLink) learn it through the
/// change feed. Written in the same transaction as the change itself; never updated or deleted.
/// </summary>
/// <remarks>
/// <see cref="Id"/> is the feed's cursor. It is assigned inside the writing transaction, and every transaction that writes
/// one holds the database's write lock (SQLite's single writer; the audit chain head's row everywhere, see
/// <c>BeginWriteAsync</c>), so ids become visible in the order they were assigned: a reader that has seen id N never later
/// finds a smaller one.
/// </remarks>
public class AccessDecisionChange
{
    public const int ReasonMaxLength = 60;

    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    public AccessDecisionChangeKind Kind { get; set; }

    public int StaffMemberId { get; set; }

    public StaffMember? StaffMember { get; set; }

    /// <summary>The grant that was created, ended or suspended; null for a change to the person as a whole.</summary>
    public int? AccessGrantId { get; set; }

    public AccessGrant? AccessGrant { get; set; }

    /// <summary>Why, in the API's words: a <see cref="GrantEndReason"/> for an ended grant, or one of <see cref="AccessDecisionReasons"/>.</summary>
    public string? Reason { get; set; }
}

/// <summary>What happened to a person's access decision. A client re-reads the person's decision after any of them.</summary>
public enum AccessDecisionChangeKind
{
    /// <summary>A grant was created (an approval, a TAS migration).</summary>
    Granted,

    /// <summary>A grant ended; the reason says why (employment ended, duties changed, revoked in review, manual).</summary>
    Ended,

    /// <summary>
    /// Access is suspended without a grant ending: the person went on leave, or their assurance became overdue (with a grant:
    /// that IEP Forms grant is suspended).
    /// </summary>
    Suspended,

    /// <summary>A suspension was lifted: the person returned from leave.</summary>
    Restored,

    /// <summary>The person's employment ended; every grant they held ends with it.</summary>
    PersonEnded,

    /// <summary>The person signed this school year's confidentiality assurance, which lifts a suspension for an overdue one.</summary>
    AssuranceSigned,

    /// <summary>Go-live day came: from today eSER enforces this person's decision.</summary>
    GoLive,
}

/// <summary>The reasons a change carries besides a grant's end reason.</summary>
public static class AccessDecisionReasons
{
    public const string OnLeave = "OnLeave";
    public const string ReturnedToWork = "ReturnedToWork";
    public const string AssuranceOverdue = "AssuranceOverdue";
    public const string AssuranceSigned = "AssuranceSigned";
}

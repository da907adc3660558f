using EserSecurity.Core.Grants;
using EserSecurity.Core.SchoolSystems;
using EserSecurity.Core.Staff;

namespace EserSecurity.Core.Employment;

/// <summary>
/// A school-level grant at a school its holder no longer works at (they moved between schools of one school system),
/// waiting for a coordinator of that school system to keep or end it. Undecided by <see cref="DecideBy"/>, the
/// configured default applies as the system. Never deleted: a decided item keeps who decided, when and how.
/// </summary>
public class ChangeOfDutiesItem
{
    public const int NoteMaxLength = AccessGrant.EndNoteMaxLength;

    public int Id { get; set; }

    public int AccessGrantId { get; set; }

    public AccessGrant? AccessGrant { get; set; }

    public int StaffMemberId { get; set; }

    public StaffMember? StaffMember { get; set; }

    public int SchoolSystemId { get; set; }

    public SchoolSystem? SchoolSystem { get; set; }

    /// <summary>The school the person left, where the grant is.</summary>
    public int SchoolId { get; set; }

    public School? School { get; set; }

    /// <summary>The day the move took effect, as the directory (or the person who recorded it) gave it.</summary>
    public DateOnly MovedOn { get; set; }

    public DateTimeOffset ListedAt { get; set; }

    /// <summary>The last day a coordinator can decide; from the next day the configured default applies.</summary>
    public DateOnly DecideBy { get; set; }

    public ChangeOfDutiesDecision? Decision { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>The coordinator who decided; null when the default applied by itself.</summary>
    public int? DecidedById { get; set; }

    /// <summary>Whether the decision is the configured default, applied by the system at the deadline.</summary>
    public bool DecidedByDefault { get; set; }

    public string? Note { get; set; }

    public Guid ConcurrencyToken { get; set; } = Guid.NewGuid();
}

/// <summary>What happens to a grant on the change-of-duties list.</summary>
public enum ChangeOfDutiesDecision
{
    /// <summary>The person keeps the grant at the school they left.</summary>
    Keep,

    /// <summary>The grant ends (reason: duties changed).</summary>
    End,
}

using EserSecurity.Core.Staff;

namespace EserSecurity.Core.Notifications;

/// <summary>
/// One notice to one person: shown under the bell until read, and e-mailed as the person chose for its kind. Written in
/// the same transaction as the change that causes it, so a notice exists exactly when its change does; its e-mail state
/// is the outbox the mail sender works through.
/// </summary>
public class Notification
{
    public const int TitleMaxLength = 300;
    public const int LinkMaxLength = 300;
    public const int KeyMaxLength = 200;
    public const int ErrorMaxLength = 500;

    public long Id { get; set; }

    public int RecipientId { get; set; }

    public StaffMember? Recipient { get; set; }

    public NotificationKind Kind { get; set; }

    /// <summary>What happened, in one sentence the bell and the e-mail's subject show.</summary>
    public required string Title { get; set; }

    /// <summary>The console page it is about, relative to the console (for example <c>queue?request=12</c>).</summary>
    public string? Link { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ReadAt { get; set; }

    /// <summary>For notices the console sends by itself on a day: one per recipient and key, however often the check runs.</summary>
    public string? Key { get; set; }

    public MailState Mail { get; set; }

    /// <summary>When the e-mail is due: at once, at the next digest, or after a failed attempt's wait.</summary>
    public DateTimeOffset? MailDueAt { get; set; }

    public int MailAttempts { get; set; }

    public DateTimeOffset? MailSentAt { get; set; }

    public string? MailError { get; set; }

    /// <summary>Which sender holds the e-mail while it sends, and until when; another sender leaves it alone until then.</summary>
    public Guid? MailClaim { get; set; }

    public DateTimeOffset? MailClaimedUntil { get; set; }
}

public enum MailState
{
    /// <summary>No e-mail: the person chose none for this kind, or has no address.</summary>
    None,

    /// <summary>To be sent on its own at <see cref="Notification.MailDueAt"/>.</summary>
    AtOnce,

    /// <summary>To go in the person's next daily digest.</summary>
    Digest,

    Sent,
}

/// <summary>What a notice is about; each person chooses per kind how it reaches them by e-mail.</summary>
public enum NotificationKind
{
    /// <summary>A request routed to the coordinator is waiting.</summary>
    RequestWaiting,

    /// <summary>The person's own request was decided (approved, denied, or passed to the supervisor).</summary>
    RequestDecided,

    /// <summary>A coordinator approved IEP Forms access; it waits for the supervisor's endorsement.</summary>
    EndorsementWaiting,

    /// <summary>A sign-in account waits to be linked to a staff record.</summary>
    LinkRequestWaiting,

    /// <summary>A request waiting for the person has waited longer than the queue's stale age.</summary>
    WaitingReminder,

    /// <summary>A request that waited too long for others was escalated to the person.</summary>
    Escalation,

    /// <summary>An access review of the person's school system opened, is due in a week, or is overdue.</summary>
    AccessReview,

    /// <summary>Roles at schools their holders left wait for the coordinator to keep or end them.</summary>
    ChangeOfDutiesWaiting,

    /// <summary>This school year's confidentiality assurance is ready to sign, due in a week, or overdue.</summary>
    Assurance,

    /// <summary>A grant of the person, or one the coordinator covers, ends within the warning period.</summary>
    GrantExpiring,

    /// <summary>The person was named deputy, or a deputy waits for the district coordinator's approval.</summary>
    Deputy,
}

/// <summary>How a person wants a kind of notice e-mailed. The bell shows every notice whatever is chosen here.</summary>
public enum NotificationDelivery
{
    AtOnce,
    DailyDigest,
    None,
}

/// <summary>A person's choice for one kind; a kind without a row is e-mailed at once.</summary>
public class NotificationPreference
{
    public int StaffMemberId { get; set; }

    public NotificationKind Kind { get; set; }

    public NotificationDelivery Delivery { get; set; }
}

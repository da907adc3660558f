namespace EserSecurity.Core.Notifications;

/// <summary>One notice as the bell and the notifications page show it.</summary>
public sealed record NotificationRow(long Id, NotificationKind Kind, string Title, string? Link, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt, MailState Mail, DateTimeOffset? MailSentAt);

/// <summary>How one kind of notice reaches a person by e-mail.</summary>
/// <param name="Delivery">Their choice, or at once when they never chose (or chose no e-mail for a kind that has since become mandatory).</param>
/// <param name="IsMandatory">The state requires this kind to be e-mailed: no e-mail is not a choice.</param>
public sealed record NotificationChoice(NotificationKind Kind, string Description, NotificationDelivery Delivery, bool IsMandatory);

/// <summary>A notice cannot be changed as asked; the message says why and is safe to show.</summary>
public sealed class NotificationRefusedException(string message) : Exception(message);

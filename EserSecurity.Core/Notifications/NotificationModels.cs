namespace EserSecurity.Core.Notifications;

/// <summary>One notice as the bell and the notifications page show it.</summary>
public sealed record NotificationRow(long Id, NotificationKind Kind, string Title, string? Link, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt, MailState Mail, DateTimeOffset? MailSentAt);

/// <summary>A person's choice for one kind of notice.</summary>
public sealed record NotificationChoice(NotificationKind Kind, string Description, NotificationDelivery Delivery);

/// <summary>A notice cannot be changed as asked; the message says why and is safe to show.</summary>
public sealed class NotificationRefusedException(string message) : Exception(message);

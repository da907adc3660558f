namespace EserSecurity.Core.Notifications;

/// <summary>What each kind of notice is called on the settings page.</summary>
public static class NotificationKinds
{
    public static IReadOnlyList<NotificationKind> All { get; } = Enum.GetValues<NotificationKind>();

    public static string Describe(NotificationKind kind) => kind switch
    {
        NotificationKind.RequestWaiting => "A request waits for your decision",
        NotificationKind.RequestDecided => "Your request was decided",
        NotificationKind.EndorsementWaiting => "IEP Forms access waits for your endorsement",
        NotificationKind.LinkRequestWaiting => "A sign-in account waits to be linked",
        NotificationKind.WaitingReminder => "A request has waited too long for you",
        NotificationKind.Escalation => "A request that waited too long is escalated to you",
        NotificationKind.AccessReview => "An access review opened, is due in a week, or is overdue",
        NotificationKind.ChangeOfDutiesWaiting => "Roles at schools their holders left wait for your decision",
        NotificationKind.Assurance => "Your confidentiality assurance is ready, due in a week, or overdue",
        NotificationKind.GrantExpiring => "Access you hold or coordinate ends soon",
        NotificationKind.Deputy => "You are named a deputy, or a deputy waits for your approval",
        _ => kind.ToString(),
    };
}

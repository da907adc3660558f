namespace EserSecurity.Core.Notifications;

/// <summary>How the console tells people and follows up waiting work (configuration section <c>Notifications</c>).</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>The kinds every user must be told of when <see cref="Mandatory"/> is not set: the yearly confidentiality assurance and the end of access.</summary>
    public static IReadOnlyList<NotificationKind> DefaultMandatory { get; } = [NotificationKind.Assurance, NotificationKind.GrantExpiring];

    /// <summary>
    /// Whether the console writes notices at all. False is for a state that does not want them yet: no change writes a
    /// notice, so nothing shows under the bell and nothing is e-mailed. Reminders and escalations of waiting requests are
    /// still recorded on the requests, and the queues show them.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The kinds of notice a person cannot turn off by e-mail, by name (<c>Assurance</c>, <c>GrantExpiring</c>, …): for
    /// these they choose e-mail at once or a daily digest, and a "no e-mail" choice saved before the kind became mandatory
    /// is e-mailed at once. Unset means <see cref="DefaultMandatory"/>; an empty list makes no kind mandatory. Names are
    /// bound as text, so that a misspelt one is refused at startup (<see cref="Rule"/>) instead of being left out.
    /// </summary>
    public string[]? Mandatory { get; set; }

    /// <summary>
    /// Days after the reminder (sent at the queue's stale age) before a request still waiting is escalated to the school
    /// system's district coordinators, and as many again before it reaches the state administrators (1–60).
    /// </summary>
    public int EscalateAfterDays { get; set; } = 5;

    /// <summary>How often the console looks for requests to remind about or escalate.</summary>
    public TimeSpan CheckEvery { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Whether a person may not turn off the e-mail of <paramref name="kind"/>.</summary>
    internal bool IsMandatory(NotificationKind kind) =>
        Mandatory is null ? DefaultMandatory.Contains(kind) : Mandatory.Any(name => KindNamed(name) == kind);

    /// <summary>
    /// How a notice of <paramref name="kind"/> reaches a person who saved <paramref name="chosen"/> (null: never chose, so
    /// at once). A mandatory kind is never left without e-mail: a saved "none" counts as at once.
    /// </summary>
    internal NotificationDelivery DeliveryFor(NotificationKind kind, NotificationDelivery? chosen) => chosen switch
    {
        null => NotificationDelivery.AtOnce,
        NotificationDelivery.None when IsMandatory(kind) => NotificationDelivery.AtOnce,
        _ => chosen.Value,
    };

    internal bool IsValid =>
        EscalateAfterDays is >= 1 and <= 60 && CheckEvery >= TimeSpan.FromSeconds(1) && CheckEvery <= TimeSpan.FromDays(1)
        && (Mandatory ?? []).All(name => KindNamed(name) is not null);

    internal static readonly string Rule =
        "Notifications: EscalateAfterDays is 1 to 60; CheckEvery is 1 second to 1 day; Mandatory lists kinds of notice by name, from: "
        + string.Join(", ", Enum.GetNames<NotificationKind>()) + ".";

    /// <summary>The kind with this name, ignoring case and surrounding spaces; numbers are not names.</summary>
    private static NotificationKind? KindNamed(string? name) =>
        Enum.GetNames<NotificationKind>().FirstOrDefault(n => string.Equals(n, name?.Trim(), StringComparison.OrdinalIgnoreCase)) is { } found
            ? Enum.Parse<NotificationKind>(found)
            : null;
}

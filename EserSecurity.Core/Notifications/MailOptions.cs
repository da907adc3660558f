using MailKit.Security;

namespace EserSecurity.Core.Notifications;

/// <summary>How notices are e-mailed (configuration section <c>Mail</c>). Without a host or a pickup folder, notices stay in the console.</summary>
public sealed class MailOptions
{
    public const string SectionName = "Mail";

    /// <summary>The SMTP server's host name.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>How the connection is secured: <c>StartTls</c> (the default), <c>SslOnConnect</c>, <c>Auto</c>, or <c>None</c> (only for a relay on this machine).</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTls;

    /// <summary>The account the console signs in to the SMTP server with, if the server asks for one.</summary>
    public string? UserName { get; set; }

    /// <summary>Given through the environment or a secret store, never in a file of the repository.</summary>
    public string? Password { get; set; }

    /// <summary>The sender every message carries, for example <c>EserSecurity &lt;eser-security@tea.example.gov&gt;</c>.</summary>
    public string From { get; set; } = "EserSecurity <eser-security@localhost>";

    /// <summary>Instead of a server: a folder each message is written to as an <c>.eml</c> file (the Development default).</summary>
    public string? PickupDirectory { get; set; }

    /// <summary>The time of day (UTC) daily digests go out.</summary>
    public TimeOnly DigestAtUtc { get; set; } = new(12, 0);

    /// <summary>Messages sent in one pass, at most.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>The wait after a first failure, doubled after each further one up to <see cref="MaxRetryAfter"/>.</summary>
    public TimeSpan FirstRetryAfter { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long one server exchange may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the sender looks for mail it was not told about (another instance's notices, retries, digests).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the notices of a burst gather before a pass sends them together (a pass ends the gathering early once
    /// <see cref="BatchSize"/> wait); a notice after a quiet spell goes at once. Zero sends each notice as it is written.
    /// </summary>
    public TimeSpan GatherFor { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the console's changes (decisions one after another, an import) must pause before a pass sends: the
    /// sender's work then never competes with a burst of decisions for the database and the processor. Zero sends
    /// without waiting (0 to 10 seconds).
    /// </summary>
    public TimeSpan YieldFor { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The longest a pass waits for such a pause, counted from when it fell due (the end of its gathering), before it
    /// sends during the work (0 to 10 minutes).
    /// </summary>
    public TimeSpan YieldAtMost { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether notices are e-mailed at all.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Host) || !string.IsNullOrWhiteSpace(PickupDirectory);

    internal bool IsValid =>
        Port is > 0 and <= 65535 && BatchSize is >= 1 and <= 1000
        && FirstRetryAfter > TimeSpan.Zero && MaxRetryAfter >= FirstRetryAfter && MaxRetryAfter <= TimeSpan.FromDays(1)
        && Timeout > TimeSpan.Zero && Timeout <= TimeSpan.FromMinutes(5)
        && PollInterval >= TimeSpan.FromSeconds(1) && PollInterval <= TimeSpan.FromHours(1)
        && GatherFor >= TimeSpan.Zero && GatherFor <= TimeSpan.FromMinutes(1)
        && YieldFor >= TimeSpan.Zero && YieldFor <= TimeSpan.FromSeconds(10)
        && YieldAtMost >= TimeSpan.Zero && YieldAtMost <= TimeSpan.FromMinutes(10)
        && MimeKit.MailboxAddress.TryParse(From, out _);

    internal const string Rule =
        "Mail: Port is 1 to 65535; BatchSize 1 to 1000; FirstRetryAfter positive and MaxRetryAfter from it up to a day; Timeout up to 5 minutes; PollInterval 1 second to 1 hour; GatherFor 0 to 1 minute; YieldFor 0 to 10 seconds; YieldAtMost 0 to 10 minutes; From is one address such as \"EserSecurity <eser-security@tea.example.gov>\".";

    /// <summary>The wait before the next attempt after <paramref name="failures"/> failures in a row.</summary>
    public TimeSpan RetryAfter(int failures) => Scheduling.WakeableWorker.Backoff(FirstRetryAfter, MaxRetryAfter, failures);

    /// <summary>When a digest holding a notice written at <paramref name="oldest"/> goes out: the first digest time after it.</summary>
    public DateTimeOffset NextDigestAfter(DateTimeOffset oldest)
    {
        var day = DateOnly.FromDateTime(oldest.UtcDateTime);
        var at = new DateTimeOffset(day.ToDateTime(DigestAtUtc), TimeSpan.Zero);
        return at > oldest ? at : at.AddDays(1);
    }
}

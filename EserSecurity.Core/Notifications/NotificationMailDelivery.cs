using EserSecurity.Core.Changes;
using EserSecurity.Core.Scheduling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Notifications;

/// <summary>
/// Runs <see cref="NotificationMailer"/>: at start (mail a stopped console left unsent goes now), when this instance
/// writes a notice, when a retry or a digest falls due, and every <see cref="MailOptions.PollInterval"/> for notices
/// other instances wrote. A notice after a quiet spell goes as soon as the change that wrote it is
/// <see cref="MailOptions.YieldFor"/> old; the notices of a burst (decisions one after
/// another) gather for <see cref="MailOptions.GatherFor"/>, or until a pass's <see cref="MailOptions.BatchSize"/> is
/// waiting, and go in one pass: one claim and one mark for all of them, so the sender takes the database's write lock
/// twice per pass rather than twice per notice while decisions need it. A pass waits while the console's changes keep
/// coming (<see cref="MailOptions.YieldFor"/>, at most <see cref="MailOptions.YieldAtMost"/>): building and sending
/// messages takes processor time and memory the decisions of a burst would otherwise wait for.
/// </summary>
public sealed class NotificationMailDelivery(
    NotificationMailer mailer, IAccessChangeFeed changes, TimeProvider clock, IOptions<MailOptions> options, ILogger<NotificationMailDelivery> logger)
    : WakeableWorker(changes, clock, logger)
{
    protected override TimeSpan PollInterval => options.Value.PollInterval;

    protected override string Doing => "Sending notices by e-mail";

    protected override TimeSpan GatherFor => options.Value.GatherFor;

    protected override int GatherUpTo => options.Value.BatchSize;

    protected override TimeSpan YieldFor => options.Value.YieldFor;

    protected override TimeSpan YieldAtMost => options.Value.YieldAtMost;

    protected override bool Enabled
    {
        get
        {
            if (!options.Value.Enabled)
            {
                logger.LogInformation("No mail server or pickup folder is configured (Mail:Host, Mail:PickupDirectory): notices show in the console only.");
            }
            return options.Value.Enabled;
        }
    }

    protected override bool WakesOn(AccessChange change) => change.Kind == AccessChangeKind.NotificationsChanged;

    protected override async Task<DateTimeOffset?> RunOnceAsync(CancellationToken ct)
    {
        var pass = await mailer.SendDueAsync(ct);
        return pass.MoreWaiting ? DateTimeOffset.MinValue : pass.NextDueAt;
    }
}

using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using EserSecurity.Core.Notifications;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Support;
using System.Diagnostics.Metrics;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;
using MimeKit;

namespace EserSecurity.Tests.Core.Notifications;

/// <summary>
/// The mail sender under a burst of notices (decisions one after another): the notices gather and go in few passes,
/// each notice exactly once, to a real SMTP server on loopback; a failure marks nothing sent and the notice goes at its retry.
/// </summary>
public sealed class NotificationMailBatchTests
{
    private static MailOptions Smtp(int port, int batchSize = 100) =>
        new() { Host = "127.0.0.1", Port = port, Security = SecureSocketOptions.None, BatchSize = batchSize };

    /// <summary>The configured transport, counting the sessions it opens: one per pass that has mail to send.</summary>
    private sealed class CountingTransport(IMailTransport inner, int failOnMessage = 0) : IMailTransport
    {
        private readonly int _failOnMessage = failOnMessage;
        private int _sessions;
        private int _messages;

        public int Sessions => Volatile.Read(ref _sessions);

        public async Task<IMailSession> OpenAsync(CancellationToken ct)
        {
            Interlocked.Increment(ref _sessions);
            return new Session(this, await inner.OpenAsync(ct));
        }

        private sealed class Session(CountingTransport transport, IMailSession inner) : IMailSession
        {
            public Task SendAsync(MimeMessage message, CancellationToken ct) =>
                Interlocked.Increment(ref transport._messages) == transport._failOnMessage
                    ? throw new IOException("The connection was reset.")
                    : inner.SendAsync(message, ct);

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }
    }

    /// <summary>Notices written as every writer writes them: in a write transaction, then published, one recipient each.</summary>
    private static async Task WriteNoticesAsync(TestDatabase database, IReadOnlyList<StaffMember> recipients, int count, string prefix)
    {
        var feed = database.Get<IAccessChangeFeed>();
        for (var i = 1; i <= count; i++)
        {
            var now = database.Clock.GetUtcNow();
            IReadOnlyList<int> notified;
            await using (var db = await database.OpenAsync())
            {
                await using var transaction = await db.BeginWriteAsync(CancellationToken.None);
                notified = await NotificationOutbox.AddAsync(db, [recipients[i % recipients.Count].Id],
                    new Notice(NotificationKind.RequestDecided, $"{prefix} {i}", "requests/mine"), null, now, CancellationToken.None);
                await transaction.CommitAsync();
            }
            NotificationOutbox.Announce(feed, notified, null, now);
        }
    }

    private static async Task<List<Notification>> NoticesAsync(TestDatabase database)
    {
        await using var db = await database.OpenAsync();
        return await db.Notifications.AsNoTracking().OrderBy(n => n.Id).ToListAsync();
    }

    private static ServiceProvider ConsoleServices(TestDatabase database, MailOptions mail, CountingTransport transport)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IMailTransport>(transport);
        database.AddCoreServicesTo(services);
        services.Configure<MailOptions>(o => (o.Host, o.Port, o.Security, o.BatchSize, o.YieldAtMost) = (mail.Host, mail.Port, mail.Security, mail.BatchSize, mail.YieldAtMost));
        services.AddLogging();
        return services.BuildServiceProvider();
    }

    private static void AssertEachNoticeSentOnce(IReadOnlyList<MimeMessage> messages, List<Notification> notices)
    {
        Assert.Equal(notices.Count, messages.Count);
        Assert.Equal(notices.Select(n => $"notice-{n.Id}@eser-security").Order(), messages.Select(m => m.MessageId).Order());
        Assert.All(notices, n => Assert.Equal((MailState.Sent, (Guid?)null), (n.Mail, n.MailClaim)));
    }

    /// <summary>
    /// The console's mail sender, started once its first pass has sent a notice written while the console was stopped.
    /// <see cref="Counted"/> is released each time the sender has counted a notice's change, so a test moves its clock
    /// only after the sender has seen every change before it (the feed hands changes over on the thread pool).
    /// </summary>
    private sealed class Sender(NotificationMailDelivery delivery, MetricCollector<long> mailed) : IDisposable
    {
        public SemaphoreSlim Counted { get; } = new(0);

        public static async Task<Sender> StartAfterFirstPassAsync(TestDatabase database, TestState state, SmtpTestServer smtp, ServiceProvider console)
        {
            await WriteNoticesAsync(database, [state.DistrictA], 1, "Quiet");
            var delivery = ActivatorUtilities.CreateInstance<NotificationMailDelivery>(console);
            var sender = new Sender(delivery,
                new MetricCollector<long>(console.GetRequiredService<IMeterFactory>(), ConsoleMetrics.MeterName, "eser.notifications.sent"));
            delivery.Counted += change =>
            {
                if (change.Kind == AccessChangeKind.NotificationsChanged)
                {
                    sender.Counted.Release();
                }
            };
            await delivery.StartAsync(CancellationToken.None);
            await smtp.WaitForAsync(1);
            return sender;
        }

        /// <summary>
        /// Stops the sender once it has marked <paramref name="count"/> notices sent in all. The server has a message
        /// before the sender hears it was accepted and marks it: stopping at the message's arrival could cancel the pass
        /// in between, and the notice would rightly stay claimed for another try.
        /// </summary>
        public async Task StopOnceMarkedAsync(int count)
        {
            while (mailed.GetMeasurementSnapshot().Where(m => (string?)m.Tags["channel"] == "email").Sum(m => m.Value) < count)
            {
                await mailed.WaitForMeasurementsAsync(mailed.GetMeasurementSnapshot().Count + 1, TimeSpan.FromSeconds(30));
            }
            await delivery.StopAsync(CancellationToken.None);
        }

        public Task StopAsync() => delivery.StopAsync(CancellationToken.None);

        public void Dispose()
        {
            Counted.Dispose();
            mailed.Dispose();
        }
    }

    private static async Task WriteCountedNoticeAsync(TestDatabase database, TestState state, Sender sender, string title)
    {
        await WriteNoticesAsync(database, [state.DistrictA, state.LocalA], 1, title);
        Assert.True(await sender.Counted.WaitAsync(TimeSpan.FromSeconds(30)), "The sender did not count the notice's change.");
    }

    [Fact]
    public async Task ABurstOfFiftyNotices_GathersForTheGatherTime_ThenGoesInOnePass_EachExactlyOnce()
    {
        await using var database = await TestDatabase.CreateAsync();
        using var smtp = SmtpTestServer.Start();
        var state = await TestState.CreateAsync(database);
        var transport = new CountingTransport(new ConfiguredMailTransport(Options.Create(Smtp(smtp.Port))));
        await using var console = ConsoleServices(database, Smtp(smtp.Port), transport);
        // A notice after a quiet spell goes at once: the sender's first pass.
        using var sender = await Sender.StartAfterFirstPassAsync(database, state, smtp, console);

        await WriteNoticesAsync(database, [state.DistrictA, state.LocalA, state.UserA1], 50, "Burst");
        database.Clock.Advance(new MailOptions().GatherFor);
        var messages = await smtp.WaitForAsync(51);
        await sender.StopOnceMarkedAsync(51);

        Assert.Equal(2, transport.Sessions);
        AssertEachNoticeSentOnce(messages, await NoticesAsync(database));
    }

    [Fact]
    public async Task ABurstAsLargeAsAPass_GoesWithoutWaitingForTheGatherTime()
    {
        await using var database = await TestDatabase.CreateAsync();
        using var smtp = SmtpTestServer.Start();
        var state = await TestState.CreateAsync(database);
        var mail = Smtp(smtp.Port, batchSize: 10);
        var transport = new CountingTransport(new ConfiguredMailTransport(Options.Create(mail)));
        await using var console = ConsoleServices(database, mail, transport);
        using var sender = await Sender.StartAfterFirstPassAsync(database, state, smtp, console);

        // The clock moves only as far as the pause the sender waits for, well short of the gather time: only the number
        // waiting can end the gathering.
        await WriteNoticesAsync(database, [state.DistrictA, state.LocalA], 10, "Burst");
        database.Clock.Advance(new MailOptions().YieldFor);
        var messages = await smtp.WaitForAsync(11);
        await sender.StopOnceMarkedAsync(11);

        Assert.Equal(2, transport.Sessions);
        AssertEachNoticeSentOnce(messages, await NoticesAsync(database));
    }

    [Fact]
    public async Task WhileDecisionsKeepComing_TheSenderWaits_AndSendsOnceTheyPauseForTheYieldTime()
    {
        await using var database = await TestDatabase.CreateAsync();
        using var smtp = SmtpTestServer.Start();
        var state = await TestState.CreateAsync(database);
        var transport = new CountingTransport(new ConfiguredMailTransport(Options.Create(Smtp(smtp.Port))));
        await using var console = ConsoleServices(database, Smtp(smtp.Port), transport);
        using var sender = await Sender.StartAfterFirstPassAsync(database, state, smtp, console);
        var step = new MailOptions().YieldFor / 5;

        // A notice every fifth of the yield time for three times the gather time: the gathering ends, the burst goes on.
        var steps = (int)(3 * new MailOptions().GatherFor / step);
        for (var i = 1; i <= steps; i++)
        {
            await WriteCountedNoticeAsync(database, state, sender, $"Burst {i}");
            database.Clock.Advance(step);
        }
        // The clock stands still once the changes have paused for the yield time: a pass after the burst composes at it.
        database.Clock.Advance(new MailOptions().YieldFor - step);
        var messages = await smtp.WaitForAsync(steps + 1);
        await sender.StopOnceMarkedAsync(steps + 1);

        AssertEachNoticeSentOnce(messages, await NoticesAsync(database));
        // Without the wait the gathering's end, a third of the way into the burst, would have sent what was waiting then
        // (a message's date, from the sender's clock, is to the second; the burst ends in another second than it began).
        var afterTheBurst = ToTheSecond(database.Clock.GetUtcNow());
        Assert.All(messages.Where(m => m.Subject?.StartsWith("Burst") == true), m => Assert.Equal(afterTheBurst, m.Date));
    }

    private static DateTimeOffset ToTheSecond(DateTimeOffset at) => at.AddTicks(-(at.Ticks % TimeSpan.TicksPerSecond));

    [Fact]
    public async Task WhenDecisionsNeverPause_TheSenderSendsAfterYieldingAtMostTheLongestWait()
    {
        await using var database = await TestDatabase.CreateAsync();
        using var smtp = SmtpTestServer.Start();
        var state = await TestState.CreateAsync(database);
        var mail = Smtp(smtp.Port);
        mail.YieldAtMost = TimeSpan.FromSeconds(2);
        var transport = new CountingTransport(new ConfiguredMailTransport(Options.Create(mail)));
        await using var console = ConsoleServices(database, mail, transport);
        using var sender = await Sender.StartAfterFirstPassAsync(database, state, smtp, console);
        var firstPass = database.Clock.GetUtcNow();
        var step = new MailOptions().YieldFor / 2;

        // Changes every half yield time for a second longer than the gathering and the longest wait together; the clock
        // stands still right after the last change, so no pause ever comes: only the longest wait can start the pass.
        var steps = (int)((new MailOptions().GatherFor + mail.YieldAtMost + TimeSpan.FromSeconds(1)) / step);
        for (var i = 1; i <= steps; i++)
        {
            database.Clock.Advance(step);
            await WriteCountedNoticeAsync(database, state, sender, $"Burst {i}");
        }
        var messages = await smtp.WaitForAsync(2);
        await sender.StopAsync();

        // The pass fell due when the gathering ended, a gather time after the first pass, and waited the longest wait
        // (a message's date, from the sender's clock, is to the second).
        var burst = messages.Where(m => m.Subject?.StartsWith("Burst") == true).ToList();
        Assert.NotEmpty(burst);
        var givenUpAt = ToTheSecond(firstPass + new MailOptions().GatherFor + mail.YieldAtMost);
        Assert.All(burst, m => Assert.InRange(m.Date, givenUpAt, database.Clock.GetUtcNow()));
    }

    [Theory]
    [InlineData(11, 30)]
    [InlineData(-1, 30)]
    [InlineData(0, 601)]
    public async Task AYieldOutOfRange_IsRefused_SayingWhatIsAllowed(int yieldSeconds, int atMostSeconds)
    {
        await using var database = await TestDatabase.CreateAsync();
        var services = new ServiceCollection();
        database.AddCoreServicesTo(services);
        services.Configure<MailOptions>(o => (o.Host, o.YieldFor, o.YieldAtMost) = ("127.0.0.1", TimeSpan.FromSeconds(yieldSeconds), TimeSpan.FromSeconds(atMostSeconds)));
        await using var console = services.BuildServiceProvider();

        var refused = Assert.Throws<OptionsValidationException>(() => console.GetRequiredService<IOptions<MailOptions>>().Value);

        Assert.Contains("YieldFor 0 to 10 seconds; YieldAtMost 0 to 10 minutes", refused.Message);
    }

    [Fact]
    public async Task APassOfFiftyThatCannotReachTheServer_MarksNothingSent_AndEachGoesOnceAtTheRetry()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await WriteNoticesAsync(database, [state.DistrictA, state.LocalA], 50, "Burst");
        var port = SmtpTestServer.FreePort();
        var transport = new CountingTransport(new ConfiguredMailTransport(Options.Create(Smtp(port))));
        await using var console = ConsoleServices(database, Smtp(port), transport);
        var mailer = console.GetRequiredService<NotificationMailer>();
        var start = database.Clock.GetUtcNow();

        var failed = await mailer.SendDueAsync();
        var waiting = await NoticesAsync(database);
        using var smtp = SmtpTestServer.Start(port);
        database.Clock.Advance(TimeSpan.FromMinutes(1));
        var retried = await mailer.SendDueAsync();
        var again = await mailer.SendDueAsync();

        Assert.Equal(new MailPass(0, 50, false, start.AddMinutes(1)), failed);
        Assert.All(waiting, n => Assert.Equal((MailState.AtOnce, 1, start.AddMinutes(1), (DateTimeOffset?)null, (Guid?)null),
            (n.Mail, n.MailAttempts, n.MailDueAt, n.MailSentAt, n.MailClaim)));
        Assert.All(waiting, n => Assert.StartsWith("The mail server could not be reached", n.MailError));
        Assert.Equal(new MailPass(50, 0, false, null), retried);
        Assert.Equal(new MailPass(0, 0, false, null), again);
        AssertEachNoticeSentOnce(await smtp.WaitForAsync(50), await NoticesAsync(database));
    }

    [Fact]
    public async Task OneMessageThatFails_IsNotMarkedSent_WhileTheRestOfThePassIs_AndGoesAtItsRetry()
    {
        await using var database = await TestDatabase.CreateAsync();
        using var smtp = SmtpTestServer.Start();
        var state = await TestState.CreateAsync(database);
        await WriteNoticesAsync(database, [state.DistrictA, state.LocalA], 5, "Burst");
        var transport = new CountingTransport(new ConfiguredMailTransport(Options.Create(Smtp(smtp.Port))), failOnMessage: 3);
        await using var console = ConsoleServices(database, Smtp(smtp.Port), transport);
        var mailer = console.GetRequiredService<NotificationMailer>();
        var start = database.Clock.GetUtcNow();

        var pass = await mailer.SendDueAsync();
        var afterPass = await NoticesAsync(database);
        database.Clock.Advance(TimeSpan.FromMinutes(1));
        var retried = await mailer.SendDueAsync();

        Assert.Equal(new MailPass(4, 1, false, start.AddMinutes(1)), pass);
        var third = afterPass[2];
        Assert.Equal((MailState.AtOnce, 1, start.AddMinutes(1)), (third.Mail, third.MailAttempts, third.MailDueAt));
        Assert.Equal("The mail server could not be reached: The connection was reset.", third.MailError);
        Assert.All(afterPass.Where(n => n.Id != third.Id), n => Assert.Equal((MailState.Sent, start), (n.Mail, n.MailSentAt!.Value)));
        Assert.Equal(new MailPass(1, 0, false, null), retried);
        AssertEachNoticeSentOnce(await smtp.WaitForAsync(5), await NoticesAsync(database));
    }
}

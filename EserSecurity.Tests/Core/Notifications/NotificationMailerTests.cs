using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Documents;
using EserSecurity.Core.Notifications;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Support;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace EserSecurity.Tests.Core.Notifications;

/// <summary>The e-mail of notices, sent to a real SMTP server on loopback.</summary>
public sealed class NotificationMailerTests
{
    private const string ConsoleUrl = "https://security.example.gov";

    private static MailOptions Smtp(int port) => new() { Host = "127.0.0.1", Port = port, Security = SecureSocketOptions.None, From = "EserSecurity <eser-security@tea.example.gov>" };

    internal static NotificationMailer Mailer(TestDatabase database, MailOptions mail)
    {
        var options = Options.Create(mail);
        return new NotificationMailer(database.Factory, new ConfiguredMailTransport(options), database.Clock, options,
            Options.Create(new DocumentOptions { ConsoleUrl = ConsoleUrl }), database.Get<EserSecurity.Core.Changes.IAccessChangeFeed>(),
            database.Get<EserSecurity.Core.Changes.ConsoleMetrics>(), NullLogger<NotificationMailer>.Instance);
    }

    private static Task<int> SubmitAsync(TestDatabase database, StaffMember requester, int roleId, int? schoolId) =>
        database.Get<AccessRequestService>().SubmitAsync(TestState.CallerFor(requester), new NewAccessRequest(roleId, schoolId, "I enter evaluations."));

    private static async Task<List<Notification>> NoticesAsync(TestDatabase database)
    {
        await using var db = await database.OpenAsync();
        return await db.Notifications.AsNoTracking().OrderBy(n => n.Id).ToListAsync();
    }

    private static string Text(MimeMessage message) => (message.TextBody ?? "").ReplaceLineEndings("\n");

    [Fact]
    public async Task AnAtOnceNotice_IsOneMessageToItsRecipient_WithTheLink_AndIsSentOnce()
    {
        await using var database = await TestDatabase.CreateAsync();
        using var smtp = SmtpTestServer.Start();
        var state = await TestState.CreateAsync(database);
        await SubmitAsync(database, state.UserA1, state.SchoolRole.Id, state.A1.Id);
        var mailer = Mailer(database, Smtp(smtp.Port));

        var pass = await mailer.SendDueAsync();
        var again = await mailer.SendDueAsync();

        Assert.Equal(new MailPass(2, 0, false, null), pass);
        Assert.Equal(new MailPass(0, 0, false, null), again);
        var messages = await smtp.WaitForAsync(2);
        Assert.Equal(2, messages.Count);
        var notices = await NoticesAsync(database);
        Assert.Equal([state.DistrictA.Email, state.LocalA.Email], messages.Select(m => m.To.Mailboxes.Single().Address).Order());
        foreach (var message in messages)
        {
            var notice = notices.Single(n => $"notice-{n.Id}@eser-security" == message.MessageId);
            Assert.Equal(notice.Title, message.Subject);
            Assert.Equal("eser-security@tea.example.gov", message.From.Mailboxes.Single().Address);
            Assert.Contains($"{notice.Title}\n{ConsoleUrl}/queue?search={state.UserA1.StaffId}\n", Text(message));
            Assert.Equal("auto-generated", message.Headers["Auto-Submitted"]);
        }
        Assert.All(notices, n => Assert.Equal((MailState.Sent, database.Clock.GetUtcNow(), (Guid?)null), (n.Mail, n.MailSentAt, n.MailClaim)));
    }

    [Fact]
    public async Task DigestNotices_WaitForTheDigestTime_ThenGoAsOneMessagePerPerson()
    {
        await using var database = await TestDatabase.CreateAsync();
        using var smtp = SmtpTestServer.Start();
        var state = await TestState.CreateAsync(database);
        await database.Get<NotificationService>().SetChoiceAsync(TestState.CallerFor(state.DistrictA), NotificationKind.RequestWaiting, NotificationDelivery.DailyDigest);
        await SubmitAsync(database, state.UserA1, state.SchoolRole.Id, state.A1.Id);
        await SubmitAsync(database, state.UserA1, state.LeaRole.Id, null);
        await SubmitAsync(database, state.UserA3, state.SchoolRole.Id, state.A3.Id);
        var mailer = Mailer(database, Smtp(smtp.Port));
        var digestAt = new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

        var now = await mailer.SendDueAsync();
        database.Clock.SetUtcNow(digestAt.AddSeconds(-1));
        var justBefore = await mailer.SendDueAsync();
        database.Clock.SetUtcNow(digestAt);
        var atDigest = await mailer.SendDueAsync();

        Assert.Equal(new MailPass(1, 0, false, digestAt), now);
        Assert.Equal(new MailPass(0, 0, false, digestAt), justBefore);
        Assert.Equal(new MailPass(3, 0, false, null), atDigest);
        var messages = await smtp.WaitForAsync(2);
        Assert.Equal([state.DistrictA.Email, state.LocalA.Email], messages.Select(m => m.To.Mailboxes.Single().Address).Order());
        var digest = messages.Single(m => m.To.Mailboxes.Single().Address == state.DistrictA.Email);
        Assert.Equal((state.DistrictA.Email, "EserSecurity: 3 notices since your last digest"), (digest.To.Mailboxes.Single().Address, digest.Subject));
        var titles = (await NoticesAsync(database)).Where(n => n.RecipientId == state.DistrictA.Id).Select(n => n.Title).ToList();
        Assert.Equal(3, titles.Count);
        Assert.All(titles, title => Assert.Contains($"- {title}\n", Text(digest)));
    }

    [Fact]
    public async Task AServerThatCannotBeReached_KeepsTheMailWithTheReason_AndItGoesOnceAtTheRetry()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await SubmitAsync(database, state.UserA1, state.LeaRole.Id, null);
        var port = SmtpTestServer.FreePort();
        var mailer = Mailer(database, Smtp(port));
        var start = database.Clock.GetUtcNow();

        var failed = await mailer.SendDueAsync();
        var notice = Assert.Single(await NoticesAsync(database));
        using var smtp = SmtpTestServer.Start(port);
        var tooSoon = await mailer.SendDueAsync();
        database.Clock.Advance(TimeSpan.FromMinutes(1));
        var retried = await mailer.SendDueAsync();

        Assert.Equal(new MailPass(0, 1, false, start.AddMinutes(1)), failed);
        Assert.Equal((MailState.AtOnce, 1, start.AddMinutes(1)), (notice.Mail, notice.MailAttempts, notice.MailDueAt));
        Assert.StartsWith("The mail server could not be reached", notice.MailError);
        Assert.Equal(new MailPass(0, 0, false, start.AddMinutes(1)), tooSoon);
        Assert.Equal(new MailPass(1, 0, false, null), retried);
        Assert.Single(await smtp.WaitForAsync(1));
        Assert.Equal(MailState.Sent, Assert.Single(await NoticesAsync(database)).Mail);
    }

    [Fact]
    public async Task TwoSendersAtOnce_SendEachNoticeOnce()
    {
        await using var database = await TestDatabase.CreateAsync();
        using var smtp = SmtpTestServer.Start();
        var state = await TestState.CreateAsync(database);
        await SubmitAsync(database, state.UserA1, state.SchoolRole.Id, state.A1.Id);
        await SubmitAsync(database, state.UserA1, state.LeaRole.Id, null);
        await SubmitAsync(database, state.UserA3, state.SchoolRole.Id, state.A3.Id);

        var passes = await Task.WhenAll(Mailer(database, Smtp(smtp.Port)).SendDueAsync(), Mailer(database, Smtp(smtp.Port)).SendDueAsync());

        Assert.Equal(4, passes.Sum(p => p.Sent));
        // Each pass returns after the server accepted its messages, so all have arrived by now.
        var messages = await smtp.WaitForAsync(4);
        Assert.Equal(4, messages.Select(m => m.MessageId).Distinct().Count());
        Assert.Equal(4, messages.Count);
    }

    [Fact]
    public async Task MailCommittedWhileNoSenderRan_GoesOnceWhenTheConsoleStartsAgain()
    {
        await using var database = await TestDatabase.CreateAsync();
        using var smtp = SmtpTestServer.Start();
        var state = await TestState.CreateAsync(database);
        // The console stopped after the commit and before any send: the notices are in the database, nothing has gone.
        await SubmitAsync(database, state.UserA1, state.SchoolRole.Id, state.A1.Id);

        var services = new ServiceCollection();
        database.AddCoreServicesTo(services);
        services.Configure<MailOptions>(o => (o.Host, o.Port, o.Security) = ("127.0.0.1", smtp.Port, SecureSocketOptions.None));
        services.AddLogging();
        await using (var restarted = services.BuildServiceProvider())
        {
            var delivery = ActivatorUtilities.CreateInstance<NotificationMailDelivery>(restarted);
            await delivery.StartAsync(CancellationToken.None);
            await smtp.WaitForAsync(2);
            // The server has the messages before the sender has their replies; the pass marks them sent after that. Stopping
            // earlier cancels a send the server already took, which stays claimed and is not this test's subject.
            using (var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
            {
                while ((await NoticesAsync(database)).Any(n => n.Mail != MailState.Sent))
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(20), patience.Token);
                }
            }
            await delivery.StopAsync(CancellationToken.None);
            Assert.Equal(new MailPass(0, 0, false, null), await restarted.GetRequiredService<NotificationMailer>().SendDueAsync());
        }

        Assert.Equal(2, smtp.Messages.Count);
        Assert.All(await NoticesAsync(database), n => Assert.Equal(MailState.Sent, n.Mail));
    }

    [Fact]
    public async Task APickupFolder_GetsEachMessageAsAnEmlFile()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await SubmitAsync(database, state.UserA1, state.LeaRole.Id, null);
        var folder = Path.Combine(Path.GetTempPath(), $"eser-mail-{Guid.NewGuid():N}");
        try
        {
            await Mailer(database, new MailOptions { PickupDirectory = folder }).SendDueAsync();

            var file = Assert.Single(Directory.GetFiles(folder));
            Assert.EndsWith(".eml", file);
            var message = await MimeMessage.LoadAsync(file);
            Assert.Equal((state.DistrictA.Email, $"{state.UserA1.FullName} asks for LEA Reports at {state.LeaA.Name}"),
                (message.To.Mailboxes.Single().Address, message.Subject));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void TheWaitBetweenRetries_Doubles_UpToTheCap_AndADigestGoesAtTheNextDigestTime()
    {
        var options = new MailOptions { FirstRetryAfter = TimeSpan.FromMinutes(1), MaxRetryAfter = TimeSpan.FromMinutes(5), DigestAtUtc = new TimeOnly(12, 0) };

        Assert.Equal([1, 2, 4, 5, 5], new[] { 1, 2, 3, 4, 30 }.Select(n => options.RetryAfter(n).TotalMinutes));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero), options.NextDigestAfter(new DateTimeOffset(2026, 12, 1, 11, 59, 0, TimeSpan.Zero)));
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero), options.NextDigestAfter(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero)));
    }
}

using EserSecurity.Core.Changes;
using EserSecurity.Core.Documents;
using EserSecurity.Core.Notifications;
using EserSecurity.Tests.Support;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EserSecurity.Tests.Core.Notifications;

/// <summary>
/// The mail senders of two console instances over one PostgreSQL database, each with its own connections: a pass claims
/// its notices with an update that only takes notices nobody holds, and PostgreSQL checks that condition again on a row
/// another sender has just claimed, so each notice goes in one message.
/// </summary>
public sealed class NotificationMailAcrossInstancesTests
{
    [Fact, Trait("Database", "PostgresOnly")]
    public async Task TwoInstancesSendingAtOnce_SendEachNoticeOnce()
    {
        const int notices = 60;
        await using var database = await TestDatabase.CreateAsync();
        await using var other = database.CreateInstance("second");
        using var smtp = SmtpTestServer.Start();
        var state = await TestState.CreateAsync(database);
        var now = database.Clock.GetUtcNow();
        await using (var db = await database.OpenAsync())
        {
            var people = new[] { state.DistrictA.Id, state.LocalA.Id, state.StateAdmin.Id };
            db.Notifications.AddRange(Enumerable.Range(1, notices).Select(i => new Notification
            {
                RecipientId = people[i % people.Length], Kind = NotificationKind.RequestWaiting, Title = $"Notice {i}", CreatedAt = now,
                Mail = MailState.AtOnce, MailDueAt = now,
            }));
            await db.SaveChangesAsync();
        }
        var mail = new MailOptions { Host = "127.0.0.1", Port = smtp.Port, Security = SecureSocketOptions.None, BatchSize = 7 };

        var sent = await Task.WhenAll(SendAllAsync(Mailer(database.Services, mail)), SendAllAsync(Mailer(other, mail)));

        Assert.Equal(notices, sent.Sum());
        var messages = await smtp.WaitForAsync(notices);
        Assert.Equal(notices, messages.Count);
        Assert.Equal(notices, messages.Select(m => m.MessageId).Distinct().Count());
        await using var after = await database.OpenAsync();
        Assert.Equal(notices, await after.Notifications.CountAsync(n => n.Mail == MailState.Sent && n.MailClaim == null));
    }

    /// <summary>Passes until one finds nothing more to send; returns how many notices this sender sent.</summary>
    private static async Task<int> SendAllAsync(NotificationMailer mailer)
    {
        var sent = 0;
        MailPass pass;
        do
        {
            pass = await mailer.SendDueAsync();
            sent += pass.Sent;
            Assert.Equal(0, pass.Failed);
        }
        while (pass.Sent > 0 || pass.MoreWaiting);
        return sent;
    }

    private static NotificationMailer Mailer(IServiceProvider instance, MailOptions mail)
    {
        var options = Options.Create(mail);
        return new NotificationMailer(instance.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<EserSecurity.Core.Data.EserSecurityDbContext>>(),
            new ConfiguredMailTransport(options), instance.GetRequiredService<TimeProvider>(), options, Options.Create(new DocumentOptions()),
            instance.GetRequiredService<IAccessChangeFeed>(), instance.GetRequiredService<ConsoleMetrics>(), NullLogger<NotificationMailer>.Instance);
    }
}

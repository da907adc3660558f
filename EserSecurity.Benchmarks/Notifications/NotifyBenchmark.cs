using System.Diagnostics;
using EserSecurity.Benchmarks.Measurement;
using EserSecurity.Core.Data;
using EserSecurity.Core.Notifications;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using netDumbster.smtp;

namespace EserSecurity.Benchmarks.Notifications;

/// <summary>
/// E-mail throughput of the notification outbox: 10,000 notices due at once, sent by the console's mail sender (its own
/// passes, claims and marks) to a real SMTP server on loopback (netDumbster, in this process), each round on new notices.
/// </summary>
internal sealed class NotifyBenchmark(BenchmarkOptions options)
{
    private const int Notices = 10_000;

    public async Task RunAsync(CancellationToken ct)
    {
        using var smtp = Configuration.Configure().WithAddress(System.Net.IPAddress.Loopback).WithRandomPort().Build();
        await ScratchDatabases.InTemporaryFolderAsync("eser-bench-notify", async folder =>
        {
            var path = Path.Combine(folder, "notify.db");
            await using var services = CoreServices.Over(path, DemoStateSize.Small,
                s => s.Configure<MailOptions>(m => (m.Host, m.Port, m.Security) = ("127.0.0.1", smtp.Configuration.Port, SecureSocketOptions.None)));
            await services.GetRequiredService<DatabaseInitializer>().InitializeAsync(ct);
            var mailer = services.GetRequiredService<NotificationMailer>();
            var factory = services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>();
            List<int> people;
            await using (var db = await factory.CreateDbContextAsync(ct))
            {
                people = await db.StaffMembers.Where(s => s.Email != "").OrderBy(s => s.Id).Select(s => s.Id).ToListAsync(ct);
            }

            var table = new ResultTable("round", "notices", "messages received", "passes", "seconds", "messages per second");
            for (var round = 0; round < options.Rounds; round++)
            {
                await using (var db = await factory.CreateDbContextAsync(ct))
                {
                    var now = DateTimeOffset.UtcNow;
                    db.Notifications.AddRange(Enumerable.Range(0, Notices).Select(i => new Notification
                    {
                        RecipientId = people[i % people.Count], Kind = NotificationKind.RequestWaiting, Title = $"Benchmark notice {round}-{i}",
                        Link = "queue", CreatedAt = now, Mail = MailState.AtOnce, MailDueAt = now,
                    }));
                    await db.SaveChangesAsync(ct);
                }
                smtp.ClearReceivedEmail();
                var passes = 0;
                var stopwatch = Stopwatch.StartNew();
                MailPass pass;
                do
                {
                    pass = await mailer.SendDueAsync(ct);
                    passes++;
                }
                while (pass.MoreWaiting || pass.Sent > 0);
                stopwatch.Stop();
                table.Add($"{round + 1}", ResultTable.Number(Notices), ResultTable.Number(smtp.ReceivedEmailCount), ResultTable.Number(passes),
                    ResultTable.Seconds(stopwatch.Elapsed), ResultTable.Rate(smtp.ReceivedEmailCount / stopwatch.Elapsed.TotalSeconds));
            }
            Console.WriteLine(table);
            Console.WriteLine($"Each pass claims up to {new MailOptions().BatchSize} notices, sends them over one SMTP connection and marks each sent as the server accepts it.");
        });
    }
}

using System.Globalization;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using EserSecurity.Core.Notifications;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Assurance;

/// <summary>
/// Tells everyone who holds an eSER role and has not signed this school year's confidentiality assurance: when the
/// year's statement is published, seven days before the grace period ends, and when it is overdue. Each stage goes once
/// a year, in one transaction; a console that starts late sends only the stage the year has reached.
/// </summary>
public sealed class AssuranceReminders(
    IDbContextFactory<EserSecurityDbContext> dbFactory, IAccessChangeFeed changes, TimeProvider clock, IOptions<AssuranceOptions> assurance)
{
    /// <summary>How many days before the grace period ends the reminder goes.</summary>
    public const int DueSoonDays = 7;

    /// <summary>The reminder the school year of <paramref name="today"/> has reached: its once-a-year key and what it says.</summary>
    public static (string Key, string Title) StageOn(DateOnly today, int graceDays)
    {
        var year = SchoolYear.Containing(today);
        var overdueFrom = AssuranceRules.OverdueFrom(year, graceDays);
        var dueBy = overdueFrom.AddDays(-1).ToString("MMMM d, yyyy", CultureInfo.InvariantCulture);
        var (stage, title) = today >= overdueFrom
            ? ("overdue", $"Your confidentiality assurance for {year.Label} is overdue: sign it to keep your eSER access")
            : today >= overdueFrom.AddDays(-DueSoonDays)
                ? ("due-soon", $"Sign your confidentiality assurance for {year.Label} by {dueBy}: your eSER access depends on it")
                : ("open", $"The confidentiality assurance for {year.Label} is ready: sign it by {dueBy}");
        return ($"assurance:{year.StartYear}:{stage}", title);
    }

    /// <summary>Sends the stage the school year has reached if it has not gone yet; returns how many people were told.</summary>
    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        var today = clock.Today();
        var year = SchoolYear.Containing(today);
        var (key, title) = StageOn(today, assurance.Value.GraceDays);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.StatementVersions.AnyAsync(v => v.SchoolYear == year.StartYear && v.Status == StatementStatus.Published, ct)
            || await db.Notifications.AnyAsync(n => n.Key == key, ct))
        {
            return 0;
        }
        var now = clock.GetUtcNow();
        await using var transaction = await db.BeginWriteAsync(ct);
        // Asked again under the write lock: another instance's run may have sent the stage since the first look.
        if (await db.Notifications.AnyAsync(n => n.Key == key, ct))
        {
            return 0;
        }
        var unsigned = await db.StaffMembers
            .Where(s => s.EmploymentStatus == EmploymentStatus.Active && db.AccessGrants.Any(g => g.StaffMemberId == s.Id && g.EndedAt == null)
                && !db.AssuranceSignatures.Any(a => a.StaffMemberId == s.Id && a.SchoolYear == year.StartYear))
            .Select(s => s.Id).ToListAsync(ct);
        var notified = await NotificationOutbox.AddAsync(db, unsigned, new Notice(NotificationKind.Assurance, title, "assurance/sign", key), null, now, ct);
        await transaction.CommitAsync(ct);
        NotificationOutbox.Publish(db, changes, notified, null, now);
        return notified.Count;
    }
}

/// <summary>Runs <see cref="AssuranceReminders"/> every <see cref="NotificationOptions.CheckEvery"/>.</summary>
public sealed class AssuranceReminderCheck(
    AssuranceReminders reminders, TimeProvider clock, Scheduling.JobLeases leases, IOptions<NotificationOptions> options, ILogger<AssuranceReminderCheck> logger)
    : Scheduling.PeriodicCheck(clock, leases, logger)
{
    protected override TimeSpan Interval => options.Value.CheckEvery;

    protected override string Doing => "Reminding people of the confidentiality assurance";

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        if (await reminders.RunAsync(ct) is > 0 and var told)
        {
            logger.LogInformation("Reminded {People} people of this school year's confidentiality assurance.", told);
        }
    }
}

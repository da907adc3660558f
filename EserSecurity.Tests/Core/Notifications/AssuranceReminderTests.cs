using EserSecurity.Core.Assurance;
using EserSecurity.Core.Notifications;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.Notifications;

/// <summary>Everyone with a role who has not signed hears when the year's statement is ready, a week before it is due, and when it is overdue.</summary>
public sealed class AssuranceReminderTests
{
    private static async Task<List<(int Recipient, string Title)>> NoticesAsync(TestDatabase database)
    {
        await using var db = await database.OpenAsync();
        return (await db.Notifications.AsNoTracking().Where(n => n.Kind == NotificationKind.Assurance).OrderBy(n => n.Id).ToListAsync())
            .Select(n => (n.RecipientId, n.Title)).ToList();
    }

    [Fact]
    public async Task EachStage_GoesOnceToTheUnsignedWithARole_AndNotBeforeTheStatementIsPublished()
    {
        await using var database = await TestDatabase.CreateAsync(now: new DateTimeOffset(2026, 7, 2, 14, 0, 0, TimeSpan.Zero));
        var state = await TestState.CreateAsync(database);
        foreach (var person in new[] { state.UserA1, state.UserA3, state.UserB1 })
        {
            await GrantSetup.AddAsync(database, person, state.SchoolRole, person == state.UserB1 ? state.LeaB : state.LeaA, null);
        }
        var reminders = database.Get<AssuranceReminders>();

        var unpublished = await reminders.RunAsync();
        await TestState.SignThisYearAsync(database, state.UserB1);
        var opened = await reminders.RunAsync();
        var again = await reminders.RunAsync();
        database.Clock.SetUtcNow(new DateTimeOffset(2026, 7, 24, 6, 0, 0, TimeSpan.Zero));
        var dueSoon = await reminders.RunAsync();
        await TestState.SignThisYearAsync(database, state.UserA3);
        database.Clock.SetUtcNow(new DateTimeOffset(2026, 7, 31, 6, 0, 0, TimeSpan.Zero));
        var overdue = await reminders.RunAsync();
        var overdueAgain = await reminders.RunAsync();

        Assert.Equal((0, 2, 0, 2, 1, 0), (unpublished, opened, again, dueSoon, overdue, overdueAgain));
        Assert.Equal(
        [
            (state.UserA1.Id, "The confidentiality assurance for 2026–27 is ready: sign it by July 30, 2026"),
            (state.UserA3.Id, "The confidentiality assurance for 2026–27 is ready: sign it by July 30, 2026"),
            (state.UserA1.Id, "Sign your confidentiality assurance for 2026–27 by July 30, 2026: your eSER access depends on it"),
            (state.UserA3.Id, "Sign your confidentiality assurance for 2026–27 by July 30, 2026: your eSER access depends on it"),
            (state.UserA1.Id, "Your confidentiality assurance for 2026–27 is overdue: sign it to keep your eSER access"),
        ], (await NoticesAsync(database)).Select((n, i) => (n, i)).OrderBy(x => x.i / 2 * 2 + (x.n.Recipient == state.UserA1.Id ? 0 : 1)).Select(x => x.n));
    }
}

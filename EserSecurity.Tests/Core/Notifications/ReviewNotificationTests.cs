using EserSecurity.Core.Notifications;
using EserSecurity.Core.Reviews;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.Notifications;

/// <summary>An access review tells its school system's coordinators and supervisors when it opens, a week before it is due, and when it is overdue.</summary>
public sealed class ReviewNotificationTests
{
    private static async Task<List<(int Recipient, string Title, string? Link)>> NoticesAsync(TestDatabase database)
    {
        await using var db = await database.OpenAsync();
        return (await db.Notifications.AsNoTracking().Where(n => n.Kind == NotificationKind.AccessReview).OrderBy(n => n.Id).ToListAsync())
            .Select(n => (n.RecipientId, n.Title, n.Link)).ToList();
    }

    [Fact]
    public async Task AReview_TellsItsReviewersWhenItOpens_AWeekBeforeItIsDue_AndWhenItIsOverdue_EachOnce()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await GrantSetup.AddAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1);
        await GrantSetup.AddAsync(database, state.UserA3, state.SchoolRole, state.LeaA, state.A3);
        var reviews = database.Get<AccessReviewService>();
        var dueOn = DateOnly.FromDateTime(database.Clock.GetUtcNow().UtcDateTime).AddDays(10);
        await reviews.OpenAsync(TestState.CallerFor(state.StateAdmin), new OpenReviewPeriod([state.LeaA.Id], dueOn));
        int reviewId;
        await using (var db = await database.OpenAsync())
        {
            reviewId = await db.AccessReviews.Select(r => r.Id).SingleAsync();
        }
        var reviewers = new[] { state.DistrictA.Id, state.LocalA.Id, state.SupervisorA.Id }.Order().ToList();
        var day = dueOn.ToString("MMMM d, yyyy", System.Globalization.CultureInfo.InvariantCulture);

        var opened = await NoticesAsync(database);
        var tooEarly = await reviews.RemindDueSoonAsync();
        database.Clock.Advance(TimeSpan.FromDays(3));
        var dueSoon = await reviews.RemindDueSoonAsync();
        var again = await reviews.RemindDueSoonAsync();
        database.Clock.Advance(TimeSpan.FromDays(8));
        await reviews.ApplyDueDefaultsAsync();
        await reviews.ApplyDueDefaultsAsync();

        Assert.Equal(reviewers, opened.Select(n => n.Recipient).Order());
        Assert.All(opened, n => Assert.Equal(($"An access review of {state.LeaA.Name} is open: keep or end each role by {day}", $"reviews/{reviewId}"), (n.Title, n.Link)));
        Assert.Equal((0, 3, 0), (tooEarly, dueSoon, again));
        var later = (await NoticesAsync(database)).Skip(3).ToList();
        Assert.Equal(6, later.Count);
        Assert.Equal(reviewers, later.Take(3).Select(n => n.Recipient).Order());
        Assert.All(later.Take(3), n => Assert.Equal($"The access review of {state.LeaA.Name} is due on {day}", n.Title));
        Assert.Equal(reviewers, later.Skip(3).Select(n => n.Recipient).Order());
        Assert.All(later.Skip(3), n => Assert.Equal($"The access review of {state.LeaA.Name} passed its due date ({day}) with 2 roles undecided", n.Title));
    }
}

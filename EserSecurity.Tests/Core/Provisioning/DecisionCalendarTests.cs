using EserSecurity.Core.KeyDates;
using EserSecurity.Core.Provisioning;
using EserSecurity.Tests.Support;

namespace EserSecurity.Tests.Core.Provisioning;

public sealed class DecisionCalendarTests
{
    private static readonly ApiCaller Reader = new(1, "eser-test", new HashSet<string>(ApiScopes.All));

    [Fact]
    public async Task GoLiveDay_WritesOneChangePerPersonWithARole_Once_AndTheOverdueDaySuspendsOnlyTheUnsigned()
    {
        // Before go-live and inside the grace period: nothing is due yet.
        await using var database = await TestDatabase.CreateAsync(now: new DateTimeOffset(2027, 7, 20, 12, 0, 0, TimeSpan.Zero));
        var state = await TestState.CreateAsync(database);
        await using (var db = await database.OpenAsync())
        {
            db.KeyDates.Add(new KeyDate { Kind = KeyDateKind.GoLive, Title = "Go-live", On = new DateOnly(2027, 7, 25) });
            await db.SaveChangesAsync();
        }
        await GrantSetup.AddAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1);
        await GrantSetup.AddAsync(database, state.UserA3, state.SchoolRole, state.LeaA, state.A3);
        await TestState.SignThisYearAsync(database, state.UserA1);
        var calendar = database.Get<DecisionCalendar>();
        var feed = database.Get<AccessDecisionService>();
        var start = await feed.GetLatestCursorAsync(Reader);

        Assert.Empty(await calendar.RecordDueTransitionsAsync());

        database.Clock.SetUtcNow(new DateTimeOffset(2027, 7, 25, 0, 5, 0, TimeSpan.Zero));
        Assert.Equal([("go-live:2027-07-25", 2)], await calendar.RecordDueTransitionsAsync());
        Assert.Empty(await calendar.RecordDueTransitionsAsync());

        database.Clock.SetUtcNow(new DateTimeOffset(2027, 7, 31, 0, 5, 0, TimeSpan.Zero));
        Assert.Equal([("assurance-overdue:2027", 1)], await calendar.RecordDueTransitionsAsync());
        Assert.Empty(await calendar.RecordDueTransitionsAsync());

        var changes = (await feed.ReadChangesAsync(Reader, start)).Changes;
        Assert.Equal(new[] { state.UserA1.StaffId, state.UserA3.StaffId }.Order(),
            changes.Where(c => c.Kind == AccessDecisionChangeKind.GoLive).Select(c => c.StaffId).Order());
        // Only the person who has not signed 2027–28's statement is suspended.
        var suspended = Assert.Single(changes, c => c.Kind == AccessDecisionChangeKind.Suspended);
        Assert.Equal(state.UserA3.StaffId, suspended.StaffId);
        Assert.Equal(AccessDecisionReasons.AssuranceOverdue, suspended.Reason);
    }
}

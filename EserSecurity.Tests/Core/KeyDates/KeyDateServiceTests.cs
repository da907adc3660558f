using EserSecurity.Core.Changes;
using EserSecurity.Core.Home;
using EserSecurity.Core.KeyDates;
using EserSecurity.Core.Roles;
using EserSecurity.Core.Security;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.KeyDates;

public sealed class KeyDateServiceTests
{
    private static readonly DateOnly GoLiveDay = new(2027, 1, 4);

    private static async Task<(TestDatabase Db, TestState State, KeyDateService Service, Caller Admin)> ArrangeAsync()
    {
        var db = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(db);
        return (db, state, db.Get<KeyDateService>(), TestState.CallerFor(state.StateAdmin));
    }

    private static KeyDateEdit GoLive(DateOnly on) => new(KeyDateKind.GoLive, "Go-live: eSER opens", on);

    [Fact]
    public async Task Create_GoLive_CountsDownOnHomeAndIsAuditedAndPublished()
    {
        var (database, state, service, admin) = await ArrangeAsync();
        await using var _ = database;
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());

        await service.CreateAsync(admin, GoLive(GoLiveDay));

        Assert.Equal(new GoLiveCountdown(GoLiveDay, 37), await service.GetGoLiveAsync());
        Assert.Equal(new GoLiveCountdown(GoLiveDay, 37), (await database.Get<HomeService>().GetSummaryAsync(TestState.CallerFor(state.UserA1))).GoLive);
        await using var db = await database.OpenAsync();
        var audit = await db.AuditEvents.SingleAsync();
        Assert.Equal("KeyDate.Created", audit.Action);
        Assert.Contains("2027-01-04", audit.After);
        await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.KeyDatesChanged);
    }

    [Fact]
    public async Task Create_SecondGoLive_IsRefusedNamingTheOneThereIs()
    {
        var (database, _, service, admin) = await ArrangeAsync();
        await using var _ = database;
        await service.CreateAsync(admin, GoLive(GoLiveDay));

        var error = await Assert.ThrowsAsync<KeyDateRefusedException>(() => service.CreateAsync(admin, GoLive(GoLiveDay.AddDays(7))));

        Assert.Contains("January 4, 2027", error.Message);
    }

    [Theory]
    [InlineData(KeyDateKind.QaSession, null, null, "needs its start time")]
    [InlineData(KeyDateKind.Other, null, "15:00", "An end time needs a start time")]
    [InlineData(KeyDateKind.QaSession, "15:00", "14:00", "end time must come after")]
    public async Task Create_InconsistentTimes_AreRefused(KeyDateKind kind, string? starts, string? ends, string message)
    {
        var (database, _, service, admin) = await ArrangeAsync();
        await using var _ = database;
        var edit = new KeyDateEdit(kind, "Q&A", GoLiveDay, starts is null ? null : TimeOnly.Parse(starts), ends is null ? null : TimeOnly.Parse(ends));

        var error = await Assert.ThrowsAsync<KeyDateRefusedException>(() => service.CreateAsync(admin, edit));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task AddWeekly_AddsOneSessionEachWeekWithItsTime()
    {
        var (database, _, service, admin) = await ArrangeAsync();
        await using var _ = database;
        var first = new KeyDateEdit(KeyDateKind.QaSession, "eSER Q&A", new DateOnly(2026, 11, 30), new TimeOnly(14, 0), new TimeOnly(15, 0));

        var added = await service.AddWeeklyAsync(admin, first, new DateOnly(2026, 12, 28));

        Assert.Equal(5, added);
        var dates = await service.ListAsync();
        Assert.Equal(
            [new DateOnly(2026, 11, 30), new DateOnly(2026, 12, 7), new DateOnly(2026, 12, 14), new DateOnly(2026, 12, 21), new DateOnly(2026, 12, 28)],
            dates.Select(d => d.On));
        Assert.All(dates, d => Assert.Equal((new TimeOnly(14, 0), new TimeOnly(15, 0)), (d.StartsAt!.Value, d.EndsAt!.Value)));
    }

    [Fact]
    public async Task UpdateAndRemove_ChangeTheCalendarAndAreAudited()
    {
        var (database, _, service, admin) = await ArrangeAsync();
        await using var _ = database;
        var id = await service.CreateAsync(admin, new KeyDateEdit(KeyDateKind.DocumentRelease, "One-pager release", new DateOnly(2026, 12, 1)));

        await service.UpdateAsync(admin, id, (await service.ListAsync()).Single().Version, new KeyDateEdit(KeyDateKind.DocumentRelease, "Gaining Access A–Z release", new DateOnly(2026, 12, 3)));
        Assert.Equal(("Gaining Access A–Z release", new DateOnly(2026, 12, 3)), (await service.ListAsync()).Select(d => (d.Title, d.On)).Single());
        await service.RemoveAsync(admin, id);

        Assert.Empty(await service.ListAsync());
        await using var db = await database.OpenAsync();
        Assert.Equal(["KeyDate.Created", "KeyDate.Updated", "KeyDate.Removed"], await db.AuditEvents.OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync());
    }

    [Fact]
    public async Task GetUpcoming_SkipsPastDatesButKeepsGoLive()
    {
        var (database, _, service, admin) = await ArrangeAsync();
        await using var _ = database;
        await service.CreateAsync(admin, GoLive(new DateOnly(2026, 11, 2)));
        await service.CreateAsync(admin, new KeyDateEdit(KeyDateKind.QaSession, "Past Q&A", new DateOnly(2026, 11, 23), new TimeOnly(14, 0)));
        await service.CreateAsync(admin, new KeyDateEdit(KeyDateKind.QaSession, "Next Q&A", new DateOnly(2026, 11, 30), new TimeOnly(14, 0)));

        var upcoming = await service.GetUpcomingAsync();

        Assert.Equal(["Go-live: eSER opens", "Next Q&A"], upcoming.Select(d => d.Title));
        Assert.Equal(-26, (await service.GetGoLiveAsync())!.DaysRemaining);
    }

    [Theory]
    [InlineData("district")]
    [InlineData("supervisor")]
    [InlineData("staff")]
    public async Task Changes_ByAnyoneButAStateAdministrator_AreRefused_ButEveryoneReads(string who)
    {
        var (database, state, service, admin) = await ArrangeAsync();
        await using var _ = database;
        var id = await service.CreateAsync(admin, GoLive(GoLiveDay));
        var caller = TestState.CallerFor(who switch { "district" => state.DistrictA, "supervisor" => state.SupervisorA, _ => state.UserA1 });

        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.CreateAsync(caller, new KeyDateEdit(KeyDateKind.Other, "x", GoLiveDay)));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.UpdateAsync(caller, id, 0, GoLive(GoLiveDay.AddDays(1))));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.RemoveAsync(caller, id));

        Assert.Equal(GoLiveDay, Assert.Single(await service.ListAsync()).On);
    }

    [Fact]
    public async Task CalendarChanges_ConcernEveryReaderOfTheCalendar_AndNothingElseDoes()
    {
        var (database, state, service, admin) = await ArrangeAsync();
        await using var _ = database;
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());

        var id = await service.CreateAsync(admin, GoLive(GoLiveDay));
        await service.RemoveAsync(admin, id);
        await database.Get<RoleCatalogService>().RetireRoleAsync(admin, state.LeaRole.Id);

        var calendar = await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.KeyDatesChanged, 2);
        var catalog = await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.RoleCatalogChanged);
        Assert.All(calendar, change => Assert.True(KeyDateService.ConcernsCalendar(change)));
        Assert.False(KeyDateService.ConcernsCalendar(catalog));
    }

    [Fact]
    public async Task HasPassed_DatesBeforeToday_ButNeverGoLive()
    {
        var (database, _, service, admin) = await ArrangeAsync();
        await using var _ = database;
        var today = DateOnly.FromDateTime(database.Clock.GetUtcNow().UtcDateTime);
        await service.CreateAsync(admin, GoLive(today.AddDays(-3)));
        await service.CreateAsync(admin, new KeyDateEdit(KeyDateKind.DocumentRelease, "One-pager", today.AddDays(-1)));
        await service.CreateAsync(admin, new KeyDateEdit(KeyDateKind.Other, "Training", today));

        var passed = (await service.ListAsync()).ToDictionary(d => d.Title, service.HasPassed);

        Assert.Equal(new Dictionary<string, bool> { ["Go-live: eSER opens"] = false, ["One-pager"] = true, ["Training"] = false }, passed);
        Assert.Equal(["Go-live: eSER opens", "Training"], (await service.GetUpcomingAsync()).Select(d => d.Title));
    }
}

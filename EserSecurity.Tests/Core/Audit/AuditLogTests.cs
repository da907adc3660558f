using EserSecurity.Core.Audit;
using EserSecurity.Core.KeyDates;
using EserSecurity.Core.SchoolSystems;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.Audit;

public sealed class AuditLogTests
{
    private static async Task<(TestDatabase Db, TestState State)> WithThreeChangesAsync()
    {
        var db = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(db);
        var service = db.Get<SchoolSystemService>();
        var admin = TestState.CallerFor(state.StateAdmin);
        for (var day = 1; day <= 3; day++)
        {
            await PolicySetup.UpdateAsync(db, state, admin, state.LeaA.Id, new SecurityPolicyChange(new DateOnly(2026, 8, day), true, null));
        }
        return (db, state);
    }

    [Fact]
    public async Task ChangeThroughService_WritesOneEventWithBeforeAndAfter()
    {
        var (database, state) = await WithThreeChangesAsync();
        await using var _ = database;
        await using var db = await database.OpenAsync();

        var events = await db.AuditEvents.OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal([1L, 2L, 3L], events.Select(e => e.Sequence));
        var last = events[^1];
        Assert.Equal("SchoolSystem.SecurityPolicyUpdated", last.Action);
        Assert.Equal(state.StateAdmin.Id, last.ActorId);
        Assert.Equal(state.LeaA.Id, last.SchoolSystemId);
        Assert.Contains("2026-08-02", last.Before);
        Assert.Contains("2026-08-03", last.After);
        Assert.Equal(events[1].Hash, last.PreviousHash);
    }

    [Fact]
    public async Task Verify_UntouchedChain_IsIntact()
    {
        var (database, state) = await WithThreeChangesAsync();
        await using var _ = database;

        var result = await database.Get<AuditLog>().VerifyAsync(TestState.CallerFor(state.StateAdmin));

        Assert.True(result.IsIntact, result.Problem);
        Assert.Equal(3, result.EventsChecked);
    }

    [Fact]
    public async Task Verify_EventWrittenAtASubMillisecondTime_IsIntact()
    {
        // A real clock has ticks finer than the 0.1 ms the database keeps; the test clock usually does not.
        await using var database = await TestDatabase.CreateAsync(now: new DateTimeOffset(2026, 11, 28, 15, 0, 0, TimeSpan.Zero).AddTicks(1_234_567));
        var state = await TestState.CreateAsync(database);
        await PolicySetup.UpdateAsync(database, state, TestState.CallerFor(state.StateAdmin), state.LeaA.Id, new SecurityPolicyChange(new DateOnly(2026, 8, 1), true, null));

        var verification = await database.Get<AuditLog>().VerifyChainAsync();

        Assert.True(verification.IsIntact, verification.Problem);
    }

    [Fact]
    public async Task Verify_RowAlteredInSql_ReportsThatEvent()
    {
        var (database, state) = await WithThreeChangesAsync();
        await using var _ = database;
        await using (var db = await database.OpenAsync())
        {
            await db.Database.ExecuteSqlRawAsync("UPDATE AuditEvents SET ActorName = 'Someone Else' WHERE Sequence = 2");
        }

        var result = await database.Get<AuditLog>().VerifyAsync(TestState.CallerFor(state.StateAdmin));

        Assert.False(result.IsIntact);
        Assert.Equal(2, result.FirstBrokenSequence);
        Assert.Contains("altered", result.Problem);
    }

    [Fact]
    public async Task Verify_AlteredRowWithRecomputedHash_BreaksTheNextLink()
    {
        var (database, state) = await WithThreeChangesAsync();
        await using var _ = database;
        await using (var db = await database.OpenAsync())
        {
            // A forger who also recomputes the row's own hash still breaks the link the next event holds.
            var second = await db.AuditEvents.SingleAsync(e => e.Sequence == 2);
            second.After = "{\"forged\":true}";
            second.Hash = AuditLog.ComputeHash(second);
            await db.SaveChangesAsync();
        }

        var result = await database.Get<AuditLog>().VerifyAsync(TestState.CallerFor(state.StateAdmin));

        Assert.False(result.IsIntact);
        Assert.Equal(3, result.FirstBrokenSequence);
    }

    [Fact]
    public async Task Verify_RowDeletedInSql_ReportsTheMissingEvent()
    {
        var (database, state) = await WithThreeChangesAsync();
        await using var _ = database;
        await using (var db = await database.OpenAsync())
        {
            await db.Database.ExecuteSqlRawAsync("DELETE FROM AuditEvents WHERE Sequence = 2");
        }

        var result = await database.Get<AuditLog>().VerifyAsync(TestState.CallerFor(state.StateAdmin));

        Assert.False(result.IsIntact);
        Assert.Equal(2, result.FirstBrokenSequence);
        Assert.Contains("missing", result.Problem);
    }

    [Fact]
    public async Task Verify_LatestEventDeleted_ReportsTruncation()
    {
        var (database, state) = await WithThreeChangesAsync();
        await using var _ = database;
        await using (var db = await database.OpenAsync())
        {
            await db.Database.ExecuteSqlRawAsync("DELETE FROM AuditEvents WHERE Sequence = 3");
        }

        var result = await database.Get<AuditLog>().VerifyAsync(TestState.CallerFor(state.StateAdmin));

        Assert.False(result.IsIntact);
        Assert.Equal(3, result.FirstBrokenSequence);
        Assert.Contains("removed", result.Problem);
    }

    [Fact]
    public async Task ConcurrentChanges_KeepOneUnbrokenChain()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var service = database.Get<KeyDateService>();
        var admin = TestState.CallerFor(state.StateAdmin);

        await Task.WhenAll(Enumerable.Range(1, 12).Select(day => Task.Run(() =>
            service.CreateAsync(admin, new KeyDateEdit(KeyDateKind.Other, $"Office hours {day}", new DateOnly(2026, 12, day))))));

        var result = await database.Get<AuditLog>().VerifyAsync(admin);
        Assert.True(result.IsIntact, result.Problem);
        Assert.Equal(12, result.EventsChecked);
    }

    [Fact]
    public async Task RefusedChange_WritesNoEvent()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);

        await Assert.ThrowsAsync<ArgumentException>(() => database.Get<SchoolSystemService>().UpdateSecurityPolicyAsync(
            TestState.CallerFor(state.StateAdmin), state.LeaA.Id, 0, new SecurityPolicyChange(new DateOnly(2027, 1, 1), true, null)));

        await using var db = await database.OpenAsync();
        Assert.Equal(0, await db.AuditEvents.CountAsync());
        Assert.Null((await db.SchoolSystems.SingleAsync(s => s.Id == state.LeaA.Id)).SecurityPolicy.WrittenPolicyAdoptedOn);
    }
}

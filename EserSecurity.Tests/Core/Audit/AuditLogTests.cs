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
    public async Task EveryNewEvent_IsKeyed_AndItsHashIsNotThePlainSha256OfItsContent()
    {
        var (database, _) = await WithThreeChangesAsync();
        await using var _ = database;
        await using var db = await database.OpenAsync();
        var stored = await db.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
        var events = await db.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
        var unkeyed = events.Select(e => { e.Keyed = false; return AuditLog.ComputeHash(e, database.Get<AuditChainKey>()); }).ToList();

        Assert.All(stored, e => Assert.True(e.Keyed));
        Assert.All(events.Zip(unkeyed), pair => Assert.NotEqual(pair.First.Hash, pair.Second));
    }

    [Fact]
    public async Task AForgerWithoutTheKey_WhoRewritesTheWholeChainFromAnEvent_StillFailsVerification()
    {
        var (database, state) = await WithThreeChangesAsync();
        await using var _ = database;
        var otherKey = new AuditChainKey(Microsoft.Extensions.Options.Options.Create(new AuditOptions
        {
            ChainKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        }));
        await using (var db = await database.OpenAsync())
        {
            // Someone who can write the database alters event 2 and recomputes every link after it, with a key of their own.
            var events = await db.AuditEvents.OrderBy(e => e.Sequence).ToListAsync();
            events[1].After = "{\"forged\":true}";
            for (var i = 1; i < events.Count; i++)
            {
                events[i].PreviousHash = events[i - 1].Hash;
                events[i].Hash = AuditLog.ComputeHash(events[i], otherKey);
            }
            await db.SaveChangesAsync();
            await db.AuditChainHeads.ExecuteUpdateAsync(h => h.SetProperty(x => x.LastHash, events[^1].Hash));
        }

        var result = await database.Get<AuditLog>().VerifyAsync(TestState.CallerFor(state.StateAdmin));

        Assert.False(result.IsIntact);
        Assert.Equal(2, result.FirstBrokenSequence);
        Assert.Equal("Event 2 was altered after it was written, or written without the key.", result.Problem);
    }

    [Fact]
    public async Task EventsFromBeforeTheChainWasKeyed_Verify_ButAnUnkeyedEventAfterAKeyedOne_DoesNot()
    {
        var (database, state) = await WithThreeChangesAsync();
        await using var _ = database;
        var key = database.Get<AuditChainKey>();
        await using (var db = await database.OpenAsync())
        {
            // Events 1 and 2 as an older console wrote them (plain SHA-256); event 3, keyed, links to them.
            var events = await db.AuditEvents.OrderBy(e => e.Sequence).ToListAsync();
            for (var i = 0; i < 2; i++)
            {
                events[i].Keyed = false;
                events[i].PreviousHash = i == 0 ? AuditLog.GenesisHash : events[i - 1].Hash;
                events[i].Hash = AuditLog.ComputeHash(events[i], key);
            }
            events[2].PreviousHash = events[1].Hash;
            events[2].Hash = AuditLog.ComputeHash(events[2], key);
            await db.SaveChangesAsync();
            await db.AuditChainHeads.ExecuteUpdateAsync(h => h.SetProperty(x => x.LastHash, events[2].Hash));
        }
        var legacy = await database.Get<AuditLog>().VerifyChainAsync();
        await PolicySetup.UpdateAsync(database, state, TestState.CallerFor(state.StateAdmin), state.LeaA.Id, new SecurityPolicyChange(new DateOnly(2026, 8, 9), true, null));
        await using (var db = await database.OpenAsync())
        {
            var fourth = await db.AuditEvents.SingleAsync(e => e.Sequence == 4);
            fourth.Keyed = false;
            fourth.Hash = AuditLog.ComputeHash(fourth, key);
            await db.SaveChangesAsync();
            await db.AuditChainHeads.ExecuteUpdateAsync(h => h.SetProperty(x => x.LastHash, fourth.Hash));
        }

        var downgraded = await database.Get<AuditLog>().VerifyChainAsync();

        Assert.True(legacy.IsIntact, legacy.Problem);
        Assert.Equal((false, 4L), (downgraded.IsIntact, downgraded.FirstBrokenSequence!.Value));
        Assert.Contains("not keyed", downgraded.Problem);
    }

    [Fact]
    public async Task Verifying_WhileOthersWrite_NeverRaisesAFalseAlarm_AndDoesNotHoldThemUp()
    {
        var (database, state) = await WithThreeChangesAsync();
        await using var _ = database;
        var people = new[] { state.DistrictA, state.LocalA, state.SupervisorA };
        using var stop = new CancellationTokenSource();
        var written = 0;
        // Three people each switch an e-mail choice back and forth: each switch is an audited change of its own.
        async Task WriteAsync(int writer)
        {
            var notifications = database.Get<EserSecurity.Core.Notifications.NotificationService>();
            for (var i = 0; !stop.IsCancellationRequested || i < 5; i++)
            {
                await notifications.SetChoiceAsync(TestState.CallerFor(people[writer]), EserSecurity.Core.Notifications.NotificationKind.RequestWaiting,
                    i % 2 == 0 ? EserSecurity.Core.Notifications.NotificationDelivery.DailyDigest : EserSecurity.Core.Notifications.NotificationDelivery.AtOnce);
                Interlocked.Increment(ref written);
            }
        }
        var writers = Enumerable.Range(0, 3).Select(w => Task.Run(() => WriteAsync(w))).ToList();

        // Verify again and again until the writers have committed 30 changes meanwhile.
        var results = new List<AuditChainVerification>();
        while (Volatile.Read(ref written) < 30 && writers.All(w => !w.IsCompleted))
        {
            results.Add(await database.Get<AuditLog>().VerifyChainAsync());
        }
        var duringWrites = Volatile.Read(ref written);
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        var final = await database.Get<AuditLog>().VerifyChainAsync();

        Assert.NotEmpty(results);
        Assert.All(results, r => Assert.True(r.IsIntact, r.Problem));
        Assert.True(duringWrites >= 30);
        Assert.True(final.IsIntact, final.Problem);
        Assert.True(final.EventsChecked >= 3 + 30);
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
            await db.Database.ExecuteSqlRawAsync("UPDATE \"AuditEvents\" SET \"ActorName\" = 'Someone Else' WHERE \"Sequence\" = 2");
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
            second.Hash = AuditLog.ComputeHash(second, database.Get<AuditChainKey>());
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
            await db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditEvents\" WHERE \"Sequence\" = 2");
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
            await db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditEvents\" WHERE \"Sequence\" = 3");
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

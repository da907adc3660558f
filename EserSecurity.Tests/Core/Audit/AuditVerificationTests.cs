using EserSecurity.Core.Audit;
using EserSecurity.Core.SchoolSystems;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using EserSecurity.Core.Scheduling;

namespace EserSecurity.Tests.Core.Audit;

/// <summary>Each check of the chain is recorded with the head it reached, exported to the log, and a broken chain is shown to state administrators.</summary>
public sealed class AuditVerificationTests
{
    private static async Task<(TestDatabase Database, TestState State, RecordedLogs Logs)> WithTwoChangesAsync()
    {
        var logs = new RecordedLogs();
        var database = await TestDatabase.CreateAsync(logs: logs);
        var state = await TestState.CreateAsync(database);
        for (var day = 1; day <= 2; day++)
        {
            await PolicySetup.UpdateAsync(database, state, TestState.CallerFor(state.StateAdmin), state.LeaA.Id, new SecurityPolicyChange(new DateOnly(2026, 8, day), true, null));
        }
        return (database, state, logs);
    }

    [Fact]
    public async Task ACheckOnDemand_IsRecordedWithItsHead_AndTheHeadIsExportedToTheLog()
    {
        var (database, state, logs) = await WithTwoChangesAsync();
        await using var _ = database;
        using var __ = logs;

        var result = await database.Get<AuditLog>().VerifyAsync(TestState.CallerFor(state.StateAdmin));

        await using var db = await database.OpenAsync();
        var head = await db.AuditChainHeads.SingleAsync();
        var recorded = await db.AuditVerifications.SingleAsync();
        Assert.True(result.IsIntact, result.Problem);
        Assert.Equal((true, 2L, head.LastSequence, head.LastHash, (int?)state.StateAdmin.Id), (recorded.IsIntact, recorded.EventsChecked, recorded.HeadSequence, recorded.HeadHash, recorded.RequestedById));
        var line = Assert.Single(logs.WithId(7201)).Message;
        Assert.Contains($"event 2, keyed hash {head.LastHash}; chain intact: True", line);
        Assert.Null(await database.Get<AuditLog>().GetBrokenChainAsync(TestState.CallerFor(state.StateAdmin)));
    }

    [Fact]
    public async Task ABrokenChain_IsShownToStateAdministratorsOnly_NamingTheFirstBrokenLink_AndLoggedAsAnError()
    {
        var (database, state, logs) = await WithTwoChangesAsync();
        await using var _ = database;
        using var __ = logs;
        await using (var db = await database.OpenAsync())
        {
            await db.Database.ExecuteSqlRawAsync("UPDATE \"AuditEvents\" SET \"ActorName\" = 'Someone Else' WHERE \"Sequence\" = 1");
        }

        await database.Get<AuditLog>().VerifyAndRecordAsync(null);

        var broken = await database.Get<AuditLog>().GetBrokenChainAsync(TestState.CallerFor(state.StateAdmin));
        Assert.Equal((1L, (int?)null), (broken!.FirstBrokenSequence!.Value, broken.RequestedById));
        Assert.Contains("Event 1 was altered", broken.Problem);
        Assert.Null(await database.Get<AuditLog>().GetBrokenChainAsync(TestState.CallerFor(state.DistrictA)));
        Assert.Contains("broken at event 1", Assert.Single(logs.WithId(7202)).Message);
    }

    [Fact]
    public async Task TheCheck_RunsAtStartAndThenEveryDay_OnItsOwn()
    {
        var (database, _, logs) = await WithTwoChangesAsync();
        await using var _d = database;
        using var __ = logs;
        using var check = new AuditVerificationCheck(database.Get<AuditLog>(), database.Clock, database.Get<JobLeases>(), Options.Create(new AuditOptions()), NullLogger<AuditVerificationCheck>.Instance);
        async Task<int> RecordedAsync()
        {
            await using var db = await database.OpenAsync();
            return await db.AuditVerifications.CountAsync();
        }
        async Task WaitForAsync(int count)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (await RecordedAsync() < count)
            {
                await Task.Yield();
                timeout.Token.ThrowIfCancellationRequested();
            }
        }

        await check.StartAsync(CancellationToken.None);
        await WaitForAsync(1);
        database.Clock.Advance(TimeSpan.FromHours(23));
        var beforeADay = await RecordedAsync();
        database.Clock.Advance(TimeSpan.FromHours(1));
        await WaitForAsync(2);
        await check.StopAsync(CancellationToken.None);

        Assert.Equal(1, beforeADay);
        Assert.Equal(2, logs.WithId(7201).Count);
    }

    [Fact]
    public void AKeyThatIsMissingOrTooShort_IsRefusedWithWhatToSet()
    {
        Assert.Contains("Set Audit:ChainKey", AuditChainKey.Problem(new AuditOptions()));
        Assert.Contains("give at least 32", AuditChainKey.Problem(new AuditOptions { ChainKey = Convert.ToBase64String(new byte[16]) }));
        Assert.Contains("does not exist", AuditChainKey.Problem(new AuditOptions { ChainKeyFile = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.key") }));
        var created = Path.Combine(Path.GetTempPath(), $"eser-key-{Guid.NewGuid():N}", "audit-chain.key");
        Assert.Null(AuditChainKey.Problem(new AuditOptions { ChainKeyFile = created, CreateKeyFile = true }));
        Assert.Equal(32, Convert.FromBase64String(File.ReadAllText(created)).Length);
        Directory.Delete(Path.GetDirectoryName(created)!, recursive: true);
    }
}

using EserSecurity.Core.Audit;
using EserSecurity.Core.Scheduling;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace EserSecurity.Tests.Core.Scheduling;

/// <summary>Periodic checks on two console instances over one database: each pass runs on one of them.</summary>
public sealed class PeriodicCheckTests
{
    [Fact, Trait("Database", "PostgresOnly")]
    public async Task APassRunningOnOneInstance_MakesTheOtherSkipItsPass_AndTheNextPassRunsThere()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var other = database.CreateInstance("second");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var here = new HeldCheck(database.Get<JobLeases>(), release.Task);
        var there = new HeldCheck(other.GetRequiredService<JobLeases>(), release.Task);

        var running = here.PassAsync(CancellationToken.None);
        bool skipped;
        try
        {
            await here.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
            skipped = !await there.PassAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            release.TrySetResult();
        }
        var ran = await running;
        var next = await there.PassAsync(CancellationToken.None);

        Assert.True(skipped);
        Assert.True(ran);
        Assert.True(next);
        Assert.Equal((1, 1), (here.Runs, there.Runs));
    }

    [Fact, Trait("Database", "PostgresOnly")]
    public async Task TheAuditCheck_StartedOnTwoInstancesAtOnce_RecordsOneCheck()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var other = database.CreateInstance("second");
        var here = ActivatorUtilities.CreateInstance<AuditVerificationCheck>(database.Services);
        var there = ActivatorUtilities.CreateInstance<AuditVerificationCheck>(other);

        var passes = await Task.WhenAll(here.PassAsync(CancellationToken.None), there.PassAsync(CancellationToken.None));

        Assert.Single(passes, ran => ran);
        Assert.Equal(1, await VerificationsAsync(database));
    }

    [Fact]
    public async Task TheAuditCheck_OnAnotherInstance_SkipsUntilHalfAnIntervalAfterTheLastScheduledCheck()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var other = database.CreateInstance("second");
        var here = ActivatorUtilities.CreateInstance<AuditVerificationCheck>(database.Services);
        var there = ActivatorUtilities.CreateInstance<AuditVerificationCheck>(other);
        // A check a state administrator asks for is not the scheduled one.
        var state = await TestState.CreateAsync(database);
        await database.Get<AuditLog>().VerifyAsync(TestState.CallerFor(state.StateAdmin));

        var first = await here.PassAsync(CancellationToken.None);
        var atOnce = await there.PassAsync(CancellationToken.None);
        database.Clock.Advance(TimeSpan.FromHours(12) - TimeSpan.FromSeconds(1));
        var justBefore = await there.PassAsync(CancellationToken.None);
        database.Clock.Advance(TimeSpan.FromSeconds(1));
        var halfADayLater = await there.PassAsync(CancellationToken.None);

        Assert.Equal((true, false, false, true), (first, atOnce, justBefore, halfADayLater));
        Assert.Equal(3, await VerificationsAsync(database));
    }

    private static async Task<int> VerificationsAsync(TestDatabase database)
    {
        await using var db = await database.OpenAsync();
        return await db.AuditVerifications.CountAsync();
    }

    /// <summary>A check whose pass holds its lease until the test lets it end.</summary>
    private sealed class HeldCheck(JobLeases leases, Task release) : PeriodicCheck(TimeProvider.System, leases, NullLogger.Instance)
    {
        private int _runs;

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Runs => Volatile.Read(ref _runs);

        protected override TimeSpan Interval => TimeSpan.FromDays(1);

        protected override string Doing => "Holding the test's lease";

        protected override async Task RunOnceAsync(CancellationToken ct)
        {
            Interlocked.Increment(ref _runs);
            Started.TrySetResult();
            await release;
        }
    }
}

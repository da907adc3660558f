using EserSecurity.Core.Data;
using EserSecurity.Core.Scheduling;
using EserSecurity.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Tests.Core.Scheduling;

/// <summary>The lease a job takes before it runs, as two console instances over one database see it.</summary>
public sealed class JobLeaseTests
{
    [Fact, Trait("Database", "PostgresOnly")]
    public async Task ALeaseOneInstanceHolds_IsRefusedToTheOther_UntilItIsReleased()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var other = database.CreateInstance("second");
        var here = database.Get<JobLeases>();
        var there = other.GetRequiredService<JobLeases>();

        var held = await here.TryTakeAsync("archive", CancellationToken.None);
        var refusedThere = await there.TryTakeAsync("archive", CancellationToken.None);
        var refusedHereToo = await here.TryTakeAsync("archive", CancellationToken.None);
        await using var anotherJob = await there.TryTakeAsync("reminders", CancellationToken.None);
        Assert.NotNull(held);
        await held.DisposeAsync();
        await using var afterRelease = await there.TryTakeAsync("archive", CancellationToken.None);

        Assert.Null(refusedThere);
        Assert.Null(refusedHereToo);
        Assert.NotNull(anotherJob);
        Assert.NotNull(afterRelease);
    }

    [Fact, Trait("Database", "PostgresOnly")]
    public async Task TakingALeaseAnotherInstanceHolds_WaitsUntilItIsReleased_AndACancelledWaitTakesNothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var other = database.CreateInstance("second");
        var here = database.Get<JobLeases>();
        var there = other.GetRequiredService<JobLeases>();
        var held = await here.TakeAsync("import", CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var cancelled = there.TakeAsync("import", cancel.Token);
        await ServerLocks.WaitForWaitingAsync(database, 1);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        var waiting = there.TakeAsync("import", CancellationToken.None);
        bool waitedWhileHeld;
        try
        {
            await ServerLocks.WaitForWaitingAsync(database, 1);
            waitedWhileHeld = !waiting.IsCompleted;
        }
        finally
        {
            await held.DisposeAsync();
        }
        await using var taken = await waiting;

        Assert.True(waitedWhileHeld);
        Assert.Null(await here.TryTakeAsync("import", CancellationToken.None));
    }

    [Fact, Trait("Database", "SqliteOnly")]
    public async Task OnSqlite_ALeaseIsAlwaysGranted_ForTheOneConsoleProcess()
    {
        // SQLite allows one console process; the lease has nothing to exclude there.
        await using var database = await TestDatabase.CreateAsync();
        var leases = database.Get<JobLeases>();

        await using var first = await leases.TryTakeAsync("archive", CancellationToken.None);
        await using var second = await leases.TryTakeAsync("archive", CancellationToken.None);

        Assert.Equal(DatabaseProvider.Sqlite, TestDatabase.Provider);
        Assert.NotNull(first);
        Assert.NotNull(second);
    }
}

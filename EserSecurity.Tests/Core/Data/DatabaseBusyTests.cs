using EserSecurity.Core.Audit;
using EserSecurity.Core.Data;
using EserSecurity.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EserSecurity.Tests.Core.Data;

public sealed class DatabaseBusyTests
{
    [Fact]
    public void IsBusy_RecognisesSqliteBusyAndLocked_WrappedOrNot()
    {
        Assert.True(DatabaseBusy.Is(new SqliteException("database is locked", 5)));
        Assert.True(DatabaseBusy.Is(new DbUpdateException("failed", new SqliteException("database table is locked", 6))));
        Assert.True(DatabaseBusy.Is(new AggregateException(new SqliteException("database is locked", 5))));
        Assert.False(DatabaseBusy.Is(new SqliteException("constraint failed", 19)));
        Assert.False(DatabaseBusy.Is(new InvalidOperationException("no")));
    }

    [Fact]
    public void IsBusy_RecognisesPostgresLockAndStatementTimeouts_ButNotAConstraint()
    {
        Assert.True(DatabaseBusy.Is(new PostgresException("canceling statement due to statement timeout", "ERROR", "ERROR", PostgresErrorCodes.QueryCanceled)));
        Assert.True(DatabaseBusy.Is(new DbUpdateException("failed", new PostgresException("could not obtain lock", "ERROR", "ERROR", PostgresErrorCodes.LockNotAvailable))));
        Assert.True(DatabaseBusy.Is(new NpgsqlException("Exception while reading from stream", new TimeoutException("Timeout during reading attempt"))));
        Assert.False(DatabaseBusy.Is(new PostgresException("duplicate key", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation)));
    }

    [Fact]
    public async Task AWriterWaitingForAnotherPastTheCommandTimeout_FailsAsBusy_AndWritesNothing()
    {
        await using var database = await TestDatabase.CreateAsync(commandTimeout: TimeSpan.FromSeconds(1));
        await using var holder = await database.OpenAsync();
        await using var held = await holder.BeginWriteAsync(CancellationToken.None);

        await using var waiter = await database.OpenAsync();
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var write = await waiter.BeginWriteAsync(CancellationToken.None);
            await waiter.AuditChainHeads.Where(h => h.Id == AuditChainHead.SingletonId)
                .ExecuteUpdateAsync(s => s.SetProperty(h => h.LastSequence, h => h.LastSequence + 1));
            await write.CommitAsync();
        });

        Assert.True(DatabaseBusy.Is(error), error.ToString());
        await held.RollbackAsync();
        await using var after = await database.OpenAsync();
        Assert.Equal(0, (await after.AuditChainHeads.AsNoTracking().SingleAsync()).LastSequence);
    }
}

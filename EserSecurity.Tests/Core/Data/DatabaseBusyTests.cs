using EserSecurity.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

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
}

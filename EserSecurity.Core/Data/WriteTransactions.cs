using EserSecurity.Core.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace EserSecurity.Core.Data;

internal static class WriteTransactions
{
    /// <summary>
    /// Begins a transaction that holds the write lock from its first statement. Every audited change ends by
    /// appending to the audit chain, so taking the chain head's row now costs nothing extra, and it spares SQLite
    /// the read-then-write upgrade that fails at once (SQLITE_BUSY_SNAPSHOT) when another writer committed in between.
    /// On PostgreSQL the same update takes the head row's lock until commit, so writers take their turns there too,
    /// as on SQLite: the transaction is read committed, so every read after this line sees what the writers before it
    /// committed, and the rules that read, then write (one decision, one signature per person and year) hold.
    /// </summary>
    public static async Task<IDbContextTransaction> BeginWriteAsync(this EserSecurityDbContext db, CancellationToken ct)
    {
        var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.AuditChainHeads.Where(h => h.Id == AuditChainHead.SingletonId)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.LastSequence, h => h.LastSequence), ct);
        return transaction;
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace EserSecurity.Core.Data;

/// <summary>
/// Rows written with their keys (the demo state) leave PostgreSQL's identity sequences where they were, and the next
/// row the database numbers would collide with them. SQLite numbers from the largest key and needs nothing.
/// </summary>
internal static class IdentitySequences
{
    /// <summary>Moves every identity sequence past the largest key in its table, inside the caller's transaction.</summary>
    public static Task AlignAsync(EserSecurityDbContext db, CancellationToken ct) => AlignAsync(db, db.Model.GetEntityTypes(), ct);

    /// <summary>Moves the identity sequence of one entity's table past its largest key.</summary>
    public static Task AlignAsync(EserSecurityDbContext db, Type entity, CancellationToken ct) =>
        AlignAsync(db, [db.Model.FindEntityType(entity) ?? throw new InvalidOperationException($"{entity.Name} is not part of the model.")], ct);

    private static async Task AlignAsync(EserSecurityDbContext db, IEnumerable<IEntityType> entityTypes, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql())
        {
            return;
        }
        foreach (var entityType in entityTypes)
        {
            if (entityType.GetTableName() is not { } tableName || entityType.FindPrimaryKey() is not { Properties: [var key] }
                || key.ValueGenerated != ValueGenerated.OnAdd || key.ClrType != typeof(int) && key.ClrType != typeof(long))
            {
                continue;
            }
            var column = key.GetColumnName(StoreObjectIdentifier.Table(tableName, entityType.GetSchema()))!;
            // Names come from the model, never from input; setval's third argument false makes the next value MAX + 1.
            var sequence = $"pg_get_serial_sequence('{Quoted(tableName)}', '{column}')";
            var sql = $"SELECT setval({sequence}, COALESCE((SELECT MAX({Quoted(column)}) FROM {Quoted(tableName)}), 0) + 1, false) " +
                $"WHERE {sequence} IS NOT NULL";
            await db.Database.ExecuteSqlRawAsync(sql, ct);
        }
    }

    private static string Quoted(string identifier) => $"\"{identifier}\"";
}

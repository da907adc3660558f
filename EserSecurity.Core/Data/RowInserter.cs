using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace EserSecurity.Core.Data;

/// <summary>
/// Inserts many rows of one entity through one prepared command inside the context's current transaction.
/// SaveChanges costs about ten times as much for tens of thousands of rows, so columns and values come from EF's own
/// model and type mappings instead: rows are stored exactly as EF would store them (enums by name, DateTimeOffset as
/// binary, Guid as text), identifiers are quoted by the provider, and a renamed column cannot go stale here.
/// </summary>
internal static class RowInserter
{
    /// <summary>How many rows go by between two progress reports.</summary>
    public const int ProgressInterval = 2_000;

    /// <param name="keysFromStore">
    /// Leave the store-generated key out of the insert and let the database assign it; otherwise the rows carry their keys.
    /// </param>
    /// <param name="progress">Receives the number of rows written so far, every <see cref="ProgressInterval"/> rows and at the end.</param>
    public static async Task InsertAsync<T>(
        EserSecurityDbContext db, IReadOnlyCollection<T> rows, bool keysFromStore, IProgress<int>? progress, CancellationToken ct)
        where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }
        var transaction = db.Database.CurrentTransaction
            ?? throw new InvalidOperationException("Rows are inserted inside the caller's transaction, so they commit or roll back with it.");
        var entityType = db.Model.FindEntityType(typeof(T))
            ?? throw new InvalidOperationException($"{typeof(T).Name} is not part of the model.");
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();

        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        var columns = new List<Column>();
        foreach (var property in entityType.GetProperties())
        {
            if (property.IsShadowProperty())
            {
                throw new InvalidOperationException($"{entityType.DisplayName()}.{property.Name} is a shadow property, which a row cannot fill.");
            }
            if (keysFromStore && property.IsPrimaryKey() && property.ValueGenerated == ValueGenerated.OnAdd)
            {
                continue;
            }
            var mapping = property.GetRelationalTypeMapping();
            var parameter = mapping.CreateParameter(command, sql.GenerateParameterName($"p{columns.Count}"), null, property.IsNullable);
            command.Parameters.Add(parameter);
            columns.Add(new Column(property.GetColumnName(table)!, property.GetGetter(), mapping, parameter));
        }
        command.CommandText =
            $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Name)))}) " +
            $"VALUES ({string.Join(", ", columns.Select(c => c.Parameter.ParameterName))})";
        await command.PrepareAsync(ct);

        var written = 0;
        foreach (var row in rows)
        {
            foreach (var column in columns)
            {
                var value = column.Getter.GetClrValueUsingContainingEntity(row);
                column.Parameter.Value = value is null ? DBNull.Value
                    : column.Mapping.Converter is { } converter ? converter.ConvertToProvider(value) ?? DBNull.Value
                    : value;
            }
            await command.ExecuteNonQueryAsync(ct);
            if (++written % ProgressInterval == 0)
            {
                progress?.Report(written);
            }
        }
        if (written % ProgressInterval != 0)
        {
            progress?.Report(written);
        }
    }

    private sealed record Column(string Name, IClrPropertyGetter Getter, RelationalTypeMapping Mapping, DbParameter Parameter);
}

using System.Security.Cryptography;
using System.Text;
using EserSecurity.Tests.Support;
using Microsoft.Data.Sqlite;

namespace EserSecurity.Tests.Core.Security.HostileInput;

/// <summary>
/// Every table's row count and a fingerprint of every row, read straight from the SQLite file: two equal snapshots
/// taken around a refused action show that it wrote nothing, neither a row added nor a value changed.
/// </summary>
internal sealed record DatabaseSnapshot(IReadOnlyDictionary<string, long> RowCounts, string Fingerprint)
{
    public long AuditEvents => RowCounts["AuditEvents"];

    public static async Task<DatabaseSnapshot> TakeAsync(TestDatabase database)
    {
        await using var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var table in tables)
        {
            await using var rows = connection.CreateCommand();
            rows.CommandText = $"SELECT * FROM \"{table}\" ORDER BY rowid";
            await using var reader = await rows.ExecuteReaderAsync();
            long count = 0;
            while (await reader.ReadAsync())
            {
                count++;
                var line = new StringBuilder(table);
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    line.Append('\u001F').Append(reader.IsDBNull(i) ? "\u2400" : Convert.ToString(reader.GetValue(i) is byte[] b ? Convert.ToHexString(b) : reader.GetValue(i),
                        System.Globalization.CultureInfo.InvariantCulture));
                }
                hash.AppendData(Encoding.UTF8.GetBytes(line.Append('\u001E').ToString()));
            }
            counts[table] = count;
        }
        return new DatabaseSnapshot(counts, Convert.ToHexString(hash.GetHashAndReset()));
    }

    /// <summary>Asserts that nothing was written since <paramref name="before"/>: the same rows in every table and no audit event.</summary>
    public static async Task AssertUnchangedAsync(TestDatabase database, DatabaseSnapshot before)
    {
        var after = await TakeAsync(database);
        Assert.Equal(before.AuditEvents, after.AuditEvents);
        Assert.Equal(before.RowCounts, after.RowCounts);
        Assert.Equal(before.Fingerprint, after.Fingerprint);
    }
}

using System.Security.Cryptography;
using System.Text;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.Security.HostileInput;

/// <summary>
/// Every table's row count and a fingerprint of every row, read straight from the database, past EF: two equal snapshots
/// taken around a refused action show that it wrote nothing, neither a row added nor a value changed.
/// </summary>
internal sealed record DatabaseSnapshot(IReadOnlyDictionary<string, long> RowCounts, string Fingerprint)
{
    public long AuditEvents => RowCounts["AuditEvents"];

    public static async Task<DatabaseSnapshot> TakeAsync(TestDatabase database)
    {
        await using var db = await database.OpenAsync();
        var tables = db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var table in tables)
        {
            await using var rows = connection.CreateCommand();
            rows.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await rows.ExecuteReaderAsync();
            var lines = new List<string>();
            while (await reader.ReadAsync())
            {
                var line = new StringBuilder(table);
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    line.Append('\u001F').Append(reader.IsDBNull(i) ? "\u2400" : Convert.ToString(reader.GetValue(i) is byte[] b ? Convert.ToHexString(b) : reader.GetValue(i),
                        System.Globalization.CultureInfo.InvariantCulture));
                }
                lines.Add(line.Append('\u001E').ToString());
            }
            // Sorted, so the fingerprint does not depend on the order a provider returns rows in.
            lines.Sort(StringComparer.Ordinal);
            foreach (var line in lines)
            {
                hash.AppendData(Encoding.UTF8.GetBytes(line));
            }
            counts[table] = lines.Count;
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

using System.Diagnostics;
using System.Globalization;
using EserSecurity.Core.Roles;
using Microsoft.Data.Sqlite;

namespace EserSecurity.Benchmarks.Import;

/// <summary>
/// The floor for the commit: the same rows inserted with Microsoft.Data.Sqlite alone, in one transaction through one
/// reused prepared command, into a twin of the LegacySerAccess table (same columns, constraints, foreign keys and
/// indexes, made from the table's own DDL) in the same database, with the console's connection settings.
/// </summary>
internal static class RawInsertLoop
{
    private const string Table = "LegacySerAccess";
    private const string Twin = "LegacySerAccessRawLoop";

    private static readonly string Columns = string.Join(", ", new[]
    {
        nameof(LegacySerAccess.StaffMemberId), nameof(LegacySerAccess.SchoolSystemId), nameof(LegacySerAccess.SchoolId),
        nameof(LegacySerAccess.TasRoleId), nameof(LegacySerAccess.TasStatus), nameof(LegacySerAccess.ImportedAt),
    }.Select(c => $"\"{c}\""));

    /// <summary>The rows with an id above <paramref name="afterId"/>, as stored (EF's binary form of the import time included).</summary>
    public static async Task<IReadOnlyList<StoredRow>> ReadStoredRowsAsync(string connectionString, int afterId, CancellationToken ct)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        using var read = connection.CreateCommand();
        read.CommandText = $"SELECT {Columns} FROM \"{Table}\" WHERE \"{nameof(LegacySerAccess.Id)}\" > $after ORDER BY \"{nameof(LegacySerAccess.Id)}\"";
        read.Parameters.AddWithValue("$after", afterId);
        var rows = new List<StoredRow>();
        await using var reader = await read.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new StoredRow(reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2), reader.GetInt64(3),
                reader.GetString(4), reader.GetInt64(5)));
        }
        return rows;
    }

    /// <param name="existingUpToId">The twin starts with the real table's rows up to this id, as the import's table did.</param>
    public static async Task<TimeSpan> RunAsync(string connectionString, IReadOnlyList<StoredRow> rows, int existingUpToId, CancellationToken ct)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        await ExecuteAsync(connection, "PRAGMA busy_timeout = 15000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;", ct);
        await CreateTwinAsync(connection, ct);
        await ExecuteAsync(connection,
            $"INSERT INTO \"{Twin}\" SELECT * FROM \"{Table}\" WHERE \"{nameof(LegacySerAccess.Id)}\" <= {existingUpToId.ToString(CultureInfo.InvariantCulture)}", ct);

        var stopwatch = Stopwatch.StartNew();
        await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct))
        {
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = $"INSERT INTO \"{Twin}\" ({Columns}) VALUES ($staff, $lea, $school, $role, $status, $at)";
            var staff = insert.Parameters.Add("$staff", SqliteType.Integer);
            var lea = insert.Parameters.Add("$lea", SqliteType.Integer);
            var school = insert.Parameters.Add("$school", SqliteType.Integer);
            var role = insert.Parameters.Add("$role", SqliteType.Integer);
            var status = insert.Parameters.Add("$status", SqliteType.Text);
            var at = insert.Parameters.Add("$at", SqliteType.Integer);
            insert.Prepare();
            foreach (var row in rows)
            {
                staff.Value = row.StaffMemberId;
                lea.Value = row.SchoolSystemId;
                school.Value = (object?)row.SchoolId ?? DBNull.Value;
                role.Value = row.TasRoleId;
                status.Value = row.TasStatus;
                at.Value = row.ImportedAt;
                insert.ExecuteNonQuery();
            }
            await transaction.CommitAsync(ct);
        }
        return stopwatch.Elapsed;
    }

    /// <summary>The twin is made from the table's and its indexes' own SQL, renamed, so nothing the real table pays for is left out.</summary>
    private static async Task CreateTwinAsync(SqliteConnection connection, CancellationToken ct)
    {
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT sql FROM sqlite_master WHERE tbl_name = $table AND sql IS NOT NULL ORDER BY type DESC";
        read.Parameters.AddWithValue("$table", Table);
        var statements = new List<string>();
        await using (var reader = await read.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                statements.Add(reader.GetString(0).Replace($"\"{Table}\"", $"\"{Twin}\"", StringComparison.Ordinal)
                    .Replace($"\"IX_{Table}_", $"\"IX_{Twin}_", StringComparison.Ordinal)
                    .Replace($"\"PK_{Table}\"", $"\"PK_{Twin}\"", StringComparison.Ordinal)
                    .Replace($"\"FK_{Table}_", $"\"FK_{Twin}_", StringComparison.Ordinal));
            }
        }
        if (statements.Count < 2)
        {
            throw new InvalidOperationException($"Could not read the DDL of {Table}.");
        }
        foreach (var statement in statements)
        {
            await ExecuteAsync(connection, statement, ct);
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken ct)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>A LegacySerAccess row as SQLite stores it.</summary>
internal sealed record StoredRow(long StaffMemberId, long SchoolSystemId, long? SchoolId, long TasRoleId, string TasStatus, long ImportedAt);

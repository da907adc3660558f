using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace EserSecurity.Benchmarks.Directories;

/// <summary>
/// The floor for the staff import: the file's rows inserted as staff records with Microsoft.Data.Sqlite alone, in one
/// transaction through one reused prepared command, into a twin of the StaffMembers table (its own DDL: constraints,
/// foreign keys, the unique Staff ID and username indexes) that starts with the same staff as the real table.
/// </summary>
internal static class RawStaffInsertLoop
{
    private const string Table = "StaffMembers";
    private const string Twin = "StaffMembersRawLoop";
    private const string Columns = "\"StaffId\", \"Username\", \"FirstName\", \"LastName\", \"Email\", \"SchoolSystemId\", \"Position\", \"EmploymentStatus\", \"EmploymentEndedOn\"";

    /// <param name="existingUpToId">The twin starts with the real table's rows up to this id: the staff as they were before the import.</param>
    public static async Task<TimeSpan> RunAsync(string connectionString, IReadOnlyList<StaffFileGenerator.RawRow> rows, int existingUpToId, CancellationToken ct)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        await ExecuteAsync(connection, "PRAGMA busy_timeout = 15000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;", ct);
        await CreateTwinAsync(connection, ct);
        await ExecuteAsync(connection, $"INSERT INTO \"{Twin}\" SELECT * FROM \"{Table}\" WHERE \"Id\" <= {existingUpToId.ToString(System.Globalization.CultureInfo.InvariantCulture)}", ct);

        var stopwatch = Stopwatch.StartNew();
        await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct))
        {
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = $"INSERT INTO \"{Twin}\" ({Columns}) VALUES ($staffId, $username, $first, $last, $email, $lea, $position, $status, $ended)";
            var staffId = insert.Parameters.Add("$staffId", SqliteType.Text);
            var username = insert.Parameters.Add("$username", SqliteType.Text);
            var first = insert.Parameters.Add("$first", SqliteType.Text);
            var last = insert.Parameters.Add("$last", SqliteType.Text);
            var email = insert.Parameters.Add("$email", SqliteType.Text);
            var lea = insert.Parameters.Add("$lea", SqliteType.Integer);
            var position = insert.Parameters.Add("$position", SqliteType.Text);
            var status = insert.Parameters.Add("$status", SqliteType.Text);
            var ended = insert.Parameters.Add("$ended", SqliteType.Text);
            insert.Prepare();
            foreach (var row in rows)
            {
                // Every row is a new record in the twin: the Staff ID and username are made distinct from the copied staff.
                staffId.Value = "R" + row.StaffId;
                username.Value = row.Username is null ? DBNull.Value : "raw." + row.Username;
                first.Value = row.FirstName;
                last.Value = row.LastName;
                email.Value = row.Email;
                lea.Value = row.SchoolSystemId;
                position.Value = row.Position;
                status.Value = row.Status;
                ended.Value = (object?)row.EndedOn ?? DBNull.Value;
                insert.ExecuteNonQuery();
            }
            await transaction.CommitAsync(ct);
        }
        return stopwatch.Elapsed;
    }

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

using EserSecurity.Core;
using EserSecurity.Core.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EserSecurity.Tests.Support;

/// <summary>
/// The PostgreSQL side of <see cref="TestDatabase"/>: each test database is a copy of a template that is migrated once
/// per test process, so a test pays for a file copy (CREATE DATABASE … TEMPLATE), not for every migration.
/// </summary>
internal static class PostgresTestDatabases
{
    private static readonly string TemplateName = $"eser_template_{Environment.ProcessId}";
    // Made once per process; a failure is every test's failure, reported the same way, not tried again.
    private static readonly Lazy<Task> Template = new(CreateTemplateAsync);

    /// <summary>The server the tests create their databases on (<c>ESER_TEST_POSTGRES</c>).</summary>
    private static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(TestDatabase.PostgresVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{TestDatabase.ProviderVariable}=postgres needs {TestDatabase.PostgresVariable}: a connection string to a server where the tests may create databases.");

    /// <summary>Creates a fresh database, already migrated, and returns its connection string.</summary>
    public static async Task<string> CreateAsync()
    {
        await Template.Value;
        var name = $"eser_test_{Guid.NewGuid():N}";
        await ExecuteOnServerAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{TemplateName}\"");
        return ConnectionStringFor(name);
    }

    /// <summary>Drops a database made by <see cref="CreateAsync"/>, closing what the test left open on it.</summary>
    public static async Task DropAsync(string connectionString)
    {
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }

    private static string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = database }.ConnectionString;

    private static async Task CreateTemplateAsync()
    {
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{TemplateName}\" WITH (FORCE)");
        await ExecuteOnServerAsync($"CREATE DATABASE \"{TemplateName}\"");
        var connectionString = ConnectionStringFor(TemplateName);
        var options = new DbContextOptionsBuilder<EserSecurityDbContext>();
        CoreServiceCollectionExtensions.ConfigureProvider(options,
            new DatabaseOptions { Provider = nameof(DatabaseProvider.Postgres), ConnectionString = connectionString });
        await using (var db = new EserSecurityDbContext(options.Options))
        {
            await db.Database.MigrateAsync();
        }
        // A template must have no open connection while databases are copied from it.
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{TemplateName}\" WITH (FORCE)").GetAwaiter().GetResult();
    }

    private static async Task ExecuteOnServerAsync(string sql)
    {
        // Database names are made here, never taken from input.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ServerConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

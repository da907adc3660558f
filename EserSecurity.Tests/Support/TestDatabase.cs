using EserSecurity.Core.Audit;
using EserSecurity.Core;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using EserSecurity.Core.Identity;
using EserSecurity.DemoState;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EserSecurity.Tests.Support;

/// <summary>
/// A real database, migrated, with the Core services over it and a clock the test controls: SQLite in a temp file, or,
/// with <c>ESER_TEST_DATABASE=postgres</c>, a database of its own on the PostgreSQL server that
/// <c>ESER_TEST_POSTGRES</c> names (./test.sh starts a throwaway one for the Core tests' second pass).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    /// <summary>Chooses the provider: unset or <c>sqlite</c> for SQLite, <c>postgres</c> for PostgreSQL.</summary>
    public const string ProviderVariable = "ESER_TEST_DATABASE";

    /// <summary>A connection string to the PostgreSQL server, with a user that may create and drop databases.</summary>
    public const string PostgresVariable = "ESER_TEST_POSTGRES";

    /// <summary>The provider this test process runs on.</summary>
    public static DatabaseProvider Provider { get; } =
        Environment.GetEnvironmentVariable(ProviderVariable) is { Length: > 0 } name
            ? Enum.Parse<DatabaseProvider>(name, ignoreCase: true)
            : DatabaseProvider.Sqlite;

    /// <summary>The day the demo state and most tests stand on: a few weeks before go-live.</summary>
    public static readonly DateTimeOffset DefaultNow = new(2026, 11, 28, 15, 0, 0, TimeSpan.Zero);

    private readonly DatabaseOptions _options;
    private readonly ServiceProvider _services;

    private TestDatabase(DatabaseOptions options, ServiceProvider services, FakeTimeProvider clock)
    {
        _options = options;
        _services = services;
        Clock = clock;
    }

    /// <summary>The audit chain key of every test database: a fixed test value, as a secret store would give one.</summary>
    public static readonly string TestChainKey = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("eser-security-test-audit-chain-key-32+"));

    public FakeTimeProvider Clock { get; }

    public IServiceProvider Services => _services;

    public string ConnectionString => _options.ConnectionString;

    public IDbContextFactory<EserSecurityDbContext> Factory => _services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>();

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <summary>
    /// Registers the Core services over this database into another container (a bUnit context's), through the
    /// extension method the console uses, with this database's clock and change feed: a change made through either
    /// container's services reaches the components watching the other's.
    /// </summary>
    public IServiceCollection AddCoreServicesTo(IServiceCollection services)
    {
        services.AddSingleton(Get<IAccessChangeFeed>());
        return AddCoreServices(services, _options, Clock);
    }

    /// <param name="commandTimeout">How long a command waits for a busy database (the console's default when null).</param>
    /// <param name="logs">Where the services' log entries go; nowhere when null.</param>
    public static async Task<TestDatabase> CreateAsync(
        DemoStateSize demoState = DemoStateSize.None, DateTimeOffset? now = null, TimeSpan? commandTimeout = null, RecordedLogs? logs = null)
    {
        var connectionString = Provider == DatabaseProvider.Postgres
            ? await PostgresTestDatabases.CreateAsync()
            : $"Data Source={Path.Combine(Path.GetTempPath(), $"eser-test-{Guid.NewGuid():N}.db")}";
        var clock = new FakeTimeProvider(now ?? DefaultNow);
        var services = AddLogging(new ServiceCollection(), logs);
        var options = new DatabaseOptions { Provider = Provider.ToString(), ConnectionString = connectionString, DemoState = demoState.ToString() };
        if (commandTimeout is { } timeout)
        {
            options.CommandTimeout = timeout;
        }
        AddCoreServices(services, options, clock);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        return new TestDatabase(options, provider, clock);
    }

    /// <summary>
    /// Core's services over this database as another console instance has them: a container, change feed, shared reads,
    /// kept scopes, connection pool and job leases of their own, with this database's clock. On PostgreSQL its connection
    /// string names the instance (<c>Application Name</c>), so nothing that is kept per connection string in the process
    /// is shared. The caller disposes it.
    /// </summary>
    public ServiceProvider CreateInstance(string name = "second", RecordedLogs? logs = null)
    {
        var connectionString = Provider == DatabaseProvider.Postgres
            ? new Npgsql.NpgsqlConnectionStringBuilder(_options.ConnectionString) { ApplicationName = name }.ConnectionString
            : _options.ConnectionString;
        var options = new DatabaseOptions
        {
            Provider = _options.Provider, ConnectionString = connectionString, DemoState = nameof(DemoStateSize.None), CommandTimeout = _options.CommandTimeout,
        };
        return AddCoreServices(AddLogging(new ServiceCollection(), logs), options, Clock).BuildServiceProvider();
    }

    private static ServiceCollection AddLogging(ServiceCollection services, RecordedLogs? logs)
    {
        if (logs is null)
        {
            services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
            services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        }
        else
        {
            services.AddLogging(builder => builder.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        }
        return services;
    }

    private static IServiceCollection AddCoreServices(IServiceCollection services, DatabaseOptions options, TimeProvider clock)
    {
        services.AddSingleton(clock);
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        // Tests sign people in as the development sign-in does: by Staff ID through the development issuer.
        services.Configure<SignOnLinkOptions>(o => o.AcceptDevelopmentIssuer = true);
        // Webhook keys are encrypted with data protection, which the console's host provides.
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.Configure<AuditOptions>(o => o.ChainKey = TestChainKey);
        return services.AddEserSecurityCore(options).AddDemoStateGenerator();
    }

    public async Task<EserSecurityDbContext> OpenAsync() => await Factory.CreateDbContextAsync();

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (Provider == DatabaseProvider.Postgres)
        {
            await PostgresTestDatabases.DropAsync(_options.ConnectionString);
            return;
        }
        SqliteConnection.ClearAllPools();
        var path = new SqliteConnectionStringBuilder(_options.ConnectionString).DataSource;
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(path + suffix);
        }
    }
}

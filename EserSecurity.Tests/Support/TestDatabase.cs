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
/// A real SQLite database in a temp file, migrated, with the Core services over it and a clock the test controls.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    /// <summary>The day the demo state and most tests stand on: a few weeks before go-live.</summary>
    public static readonly DateTimeOffset DefaultNow = new(2026, 11, 28, 15, 0, 0, TimeSpan.Zero);

    private readonly string _path;
    private readonly DatabaseOptions _options;
    private readonly ServiceProvider _services;

    private TestDatabase(string path, DatabaseOptions options, ServiceProvider services, FakeTimeProvider clock)
    {
        _path = path;
        _options = options;
        _services = services;
        Clock = clock;
    }

    /// <summary>The audit chain key of every test database: a fixed test value, as a secret store would give one.</summary>
    public static readonly string TestChainKey = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("eser-security-test-audit-chain-key-32+"));

    public FakeTimeProvider Clock { get; }

    public IServiceProvider Services => _services;

    public string ConnectionString => $"Data Source={_path}";

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
        var path = Path.Combine(Path.GetTempPath(), $"eser-test-{Guid.NewGuid():N}.db");
        var clock = new FakeTimeProvider(now ?? DefaultNow);
        var services = new ServiceCollection();
        if (logs is null)
        {
            services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
            services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        }
        else
        {
            services.AddLogging(builder => builder.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        }
        var options = new DatabaseOptions { ConnectionString = $"Data Source={path}", DemoState = demoState.ToString() };
        if (commandTimeout is { } timeout)
        {
            options.CommandTimeout = timeout;
        }
        AddCoreServices(services, options, clock);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        return new TestDatabase(path, options, provider, clock);
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
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_path + suffix);
        }
    }
}

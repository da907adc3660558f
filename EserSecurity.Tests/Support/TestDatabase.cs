using EserSecurity.Core;
using EserSecurity.Core.Data;
using EserSecurity.DemoState;
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
    private readonly ServiceProvider _services;

    private TestDatabase(string path, ServiceProvider services, FakeTimeProvider clock)
    {
        _path = path;
        _services = services;
        Clock = clock;
    }

    public FakeTimeProvider Clock { get; }

    public IServiceProvider Services => _services;

    public string ConnectionString => $"Data Source={_path}";

    public IDbContextFactory<EserSecurityDbContext> Factory => _services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>();

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public static async Task<TestDatabase> CreateAsync(DemoStateSize demoState = DemoStateSize.None, DateTimeOffset? now = null)
    {
        var path = Path.Combine(Path.GetTempPath(), $"eser-test-{Guid.NewGuid():N}.db");
        var clock = new FakeTimeProvider(now ?? DefaultNow);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        var options = new DatabaseOptions { ConnectionString = $"Data Source={path}", DemoState = demoState.ToString() };
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        services.AddEserSecurityCore(options);
        services.AddDemoStateGenerator();
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        return new TestDatabase(path, provider, clock);
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

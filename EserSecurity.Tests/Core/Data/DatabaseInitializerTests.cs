using EserSecurity.Core;
using EserSecurity.Core.Data;
using EserSecurity.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Tests.Core.Data;

public sealed class DatabaseInitializerTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"eser-init-{Guid.NewGuid():N}.db");

    /// <summary>Core alone, as a host that offers no demo state registers it.</summary>
    private ServiceProvider CoreWithoutDemoState(string demoState)
    {
        var options = new DatabaseOptions { ConnectionString = $"Data Source={_path}", DemoState = demoState };
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        services.AddEserSecurityCore(options);
        return services.BuildServiceProvider();
    }

    [Theory]
    [InlineData("Small")]
    [InlineData("full")]
    public async Task DemoStateAsked_WhereTheHostOffersNone_IsRefusedBeforeTheDatabaseIsTouched(string demoState)
    {
        await using var services = CoreWithoutDemoState(demoState);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => services.GetRequiredService<DatabaseInitializer>().InitializeAsync());

        Assert.Contains($"Database:DemoState is '{demoState}'", error.Message);
        Assert.Contains("set it to None", error.Message);
        Assert.False(File.Exists(_path));
    }

    [Theory]
    [InlineData("Huge")]
    [InlineData("7")]
    [InlineData("")]
    public async Task UnknownDemoState_IsRefusedNamingTheValues(string demoState)
    {
        await using var services = CoreWithoutDemoState(demoState);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => services.GetRequiredService<DatabaseInitializer>().InitializeAsync());

        Assert.Contains("use None, Small or Full", error.Message);
    }

    [Fact]
    public async Task NoDemoState_WhereTheHostOffersNone_MigratesAnEmptyDatabase()
    {
        await using var services = CoreWithoutDemoState("None");

        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync();

        await using var db = await services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>().CreateDbContextAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.False(await db.SchoolSystems.AnyAsync());
        Assert.False(await db.StaffMembers.AnyAsync());
    }

    [Fact]
    public async Task DemoStateAsked_OnADatabaseThatHoldsData_LeavesItAsItIs()
    {
        await using var database = await TestDatabase.CreateAsync(DemoStateSize.Small);
        int staff;
        await using (var db = await database.OpenAsync())
        {
            staff = await db.StaffMembers.CountAsync();
        }

        await database.Get<DatabaseInitializer>().InitializeAsync();

        await using var after = await database.OpenAsync();
        Assert.Equal(staff, await after.StaffMembers.CountAsync());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_path + suffix);
        }
    }
}

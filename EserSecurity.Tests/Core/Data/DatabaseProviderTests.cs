using EserSecurity.Core;
using EserSecurity.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Tests.Core.Data;

public sealed class DatabaseProviderTests
{
    [Theory]
    [InlineData("Oracle")]
    [InlineData("")]
    [InlineData("2")]
    public void UnknownProvider_IsRefusedWhenCoreIsRegistered_NamingTheValues(string provider)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            new ServiceCollection().AddEserSecurityCore(new DatabaseOptions { Provider = provider }));

        Assert.Contains($"Database:Provider is '{provider}'", error.Message);
        Assert.Contains("use Sqlite (the embedded default) or Postgres", error.Message);
    }

    [Theory]
    [InlineData("Sqlite", DatabaseProvider.Sqlite)]
    [InlineData("postgres", DatabaseProvider.Postgres)]
    [InlineData("POSTGRES", DatabaseProvider.Postgres)]
    public void KnownProvider_IsReadWhateverItsCase(string provider, DatabaseProvider expected) =>
        Assert.Equal(expected, new DatabaseOptions { Provider = provider }.DatabaseProvider());

    [Fact]
    public void Postgres_TakesItsMigrationsFromItsOwnSet_AndSqliteFromCore()
    {
        using var postgres = Context(DatabaseProvider.Postgres, "Host=localhost;Database=unused");
        using var sqlite = Context(DatabaseProvider.Sqlite, "Data Source=unused.db");

        Assert.Equal(DatabaseOptions.PostgresMigrationsAssembly,
            typeof(global::EserSecurity.Core.Postgres.Migrations.InitialCreate).Assembly.GetName().Name);
        Assert.Contains(postgres.Database.GetMigrations(), m => m.EndsWith("_InitialCreate", StringComparison.Ordinal));
        Assert.Single(sqlite.Database.GetMigrations(), m => m.EndsWith("_InitialCreate", StringComparison.Ordinal));
        Assert.DoesNotContain(postgres.Database.GetMigrations(), m => sqlite.Database.GetMigrations().Contains(m));
    }

    private static EserSecurityDbContext Context(DatabaseProvider provider, string connectionString)
    {
        var options = new DbContextOptionsBuilder<EserSecurityDbContext>();
        CoreServiceCollectionExtensions.ConfigureProvider(options, new DatabaseOptions { Provider = provider.ToString(), ConnectionString = connectionString });
        return new EserSecurityDbContext(options.Options);
    }
}

using EserSecurity.Core.Data;
using EserSecurity.Tests.Support;

namespace EserSecurity.Tests.Browser;

/// <summary>
/// Two instances of the console, each its own process on its own loopback port, over one PostgreSQL database of their
/// own (on the server <c>ESER_TEST_POSTGRES</c> names), as two instances behind a load balancer run. The first is
/// <see cref="ConsoleServer.BaseUrl"/>, the second <see cref="SecondBaseUrl"/>.
/// </summary>
public sealed class TwoConsolesServer : ConsoleServer
{
    private string? _connectionString;

    public string SecondBaseUrl { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        SecondBaseUrl = await StartAnotherConsoleAsync();
    }

    protected override async Task<DatabaseOptions> CreateDatabaseAsync()
    {
        _connectionString = await PostgresTestDatabases.CreateAsync();
        return new DatabaseOptions { Provider = nameof(DatabaseProvider.Postgres), ConnectionString = _connectionString };
    }

    protected override async Task DropDatabaseAsync()
    {
        if (_connectionString is not null)
        {
            await PostgresTestDatabases.DropAsync(_connectionString);
        }
    }
}

[CollectionDefinition(Name)]
[FailOnContentSecurityPolicyViolation(typeof(TwoConsolesServer))]
public sealed class TwoConsolesCollection : ICollectionFixture<TwoConsolesServer>
{
    public const string Name = "Two consoles";
}

namespace EserSecurity.Core.Data;

/// <summary>Where the data lives. SQLite is the embedded default; the provider is chosen here, not in code.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>"Sqlite" (the embedded default) or "Postgres"; any other value stops the start.</summary>
    public string Provider { get; set; } = nameof(Data.DatabaseProvider.Sqlite);

    /// <summary>
    /// The assembly that holds PostgreSQL's migration set; the SQLite set lives in Core. Hosts that may run on
    /// PostgreSQL reference it.
    /// </summary>
    public const string PostgresMigrationsAssembly = "EserSecurity.Core.Postgres";

    /// <summary>
    /// The connection string: for SQLite a file path is enough (<c>Data Source=App_Data/eser-security.db</c>); for
    /// PostgreSQL an Npgsql connection string (<c>Host=db;Database=eser;Username=eser;Password=…</c>).
    /// </summary>
    public string ConnectionString { get; set; } = "Data Source=App_Data/eser-security.db";

    /// <summary>
    /// How long one command waits, for a busy database (another writer holding the lock) as for its own work, before it
    /// fails with <see cref="DatabaseBusy"/>; whole seconds, from 1 second to 10 minutes.
    /// </summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The provider <see cref="Provider"/> names; any other value is refused with the values allowed.</summary>
    public DatabaseProvider DatabaseProvider() =>
        Enum.TryParse<DatabaseProvider>(Provider, ignoreCase: true, out var provider) && Enum.IsDefined(provider)
            ? provider
            : throw new InvalidOperationException($"{SectionName}:{nameof(Provider)} is '{Provider}'; use Sqlite (the embedded default) or Postgres.");

    /// <summary>Demo state to create on first start of an empty database: "None", "Small" or "Full".</summary>
    public string DemoState { get; set; } = "None";

    /// <summary>The demo state <see cref="DemoState"/> asks for; any other value than None, Small or Full is refused.</summary>
    public DemoStateSize RequestedDemoState() =>
        Enum.TryParse<DemoStateSize>(DemoState, ignoreCase: true, out var size) && Enum.IsDefined(size)
            ? size
            : throw new InvalidOperationException($"{SectionName}:{nameof(DemoState)} is '{DemoState}'; use None, Small or Full.");
}

/// <summary>The databases the console runs on.</summary>
public enum DatabaseProvider
{
    /// <summary>The embedded default: one file, one writer at a time.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server (15 or later), with its own migration set.</summary>
    Postgres,
}

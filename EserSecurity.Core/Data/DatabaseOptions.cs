namespace EserSecurity.Core.Data;

/// <summary>Where the data lives. SQLite is the embedded default; the provider is chosen here, not in code.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>"Sqlite" (embedded default).</summary>
    public string Provider { get; set; } = "Sqlite";

    /// <summary>The connection string; for SQLite, a file path is enough.</summary>
    public string ConnectionString { get; set; } = "Data Source=App_Data/eser-security.db";

    /// <summary>
    /// How long one command waits, for a busy database (another writer holding the lock) as for its own work, before it
    /// fails with <see cref="DatabaseBusy"/>; whole seconds, from 1 second to 10 minutes.
    /// </summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Demo state to create on first start of an empty database: "None", "Small" or "Full".</summary>
    public string DemoState { get; set; } = "None";

    /// <summary>The demo state <see cref="DemoState"/> asks for; any other value than None, Small or Full is refused.</summary>
    public DemoStateSize RequestedDemoState() =>
        Enum.TryParse<DemoStateSize>(DemoState, ignoreCase: true, out var size) && Enum.IsDefined(size)
            ? size
            : throw new InvalidOperationException($"{SectionName}:{nameof(DemoState)} is '{DemoState}'; use None, Small or Full.");
}

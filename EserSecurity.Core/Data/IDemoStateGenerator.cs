namespace EserSecurity.Core.Data;

/// <summary>
/// Fills a freshly migrated, empty database with a fictional state for demos and tests. Core ships none: a host that
/// offers a demo state registers one (the console in Development, the tests and the benchmarks), and
/// <see cref="DatabaseInitializer"/> calls it when <see cref="DatabaseOptions.DemoState"/> asks for one.
/// </summary>
public interface IDemoStateGenerator
{
    /// <summary>Creates the demo state of the given size in an empty database, in one transaction.</summary>
    Task SeedAsync(EserSecurityDbContext db, DemoStateSize size, CancellationToken ct = default);
}

/// <summary>The values of <see cref="DatabaseOptions.DemoState"/>.</summary>
public enum DemoStateSize
{
    None,
    Small,
    Full,
}

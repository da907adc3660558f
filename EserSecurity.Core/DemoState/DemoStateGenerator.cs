using EserSecurity.Core.Data;

namespace EserSecurity.Core.DemoState;

/// <summary>Creates a deterministic fictional state (fixed seed) for demos and tests.</summary>
public sealed class DemoStateGenerator(TimeProvider clock)
{
    public Task SeedAsync(EserSecurityDbContext db, DemoStateSize size, CancellationToken ct = default)
    {
        _ = clock;
        _ = db;
        _ = size;
        _ = ct;
        return Task.CompletedTask;
    }
}

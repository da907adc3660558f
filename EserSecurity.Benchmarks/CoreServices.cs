using System.Linq.Expressions;
using EserSecurity.Core;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Data;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;
using EserSecurity.DemoState;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EserSecurity.Benchmarks;

/// <summary>
/// Core services over one SQLite file, registered as the console registers them, with the system clock. Queue reads
/// are not shared: this process's change feed never hears of the console's changes, and each timed read must run.
/// </summary>
internal static class CoreServices
{
    public static string ConnectionString(string databasePath) => $"Data Source={databasePath}";

    /// <summary>The audit chain key beside the database, shared by every process the benchmark runs over it, so they extend one chain.</summary>
    public static string ChainKeyFile(string databasePath) => databasePath + ".audit-key";

    public static ServiceProvider Over(string databasePath, DemoStateSize demoState, Action<IServiceCollection>? configure = null) =>
        Over(new DatabaseOptions { ConnectionString = ConnectionString(databasePath), DemoState = demoState.ToString() }, ChainKeyFile(databasePath), configure);

    /// <summary>The same over any database the console supports (PostgreSQL too), with the audit chain key in <paramref name="chainKeyFile"/>.</summary>
    public static ServiceProvider Over(DatabaseOptions database, string chainKeyFile, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(Options.Create(database));
        services.AddEserSecurityCore(database);
        services.AddDemoStateGenerator();
        services.Configure<Core.Audit.AuditOptions>(audit => (audit.ChainKeyFile, audit.CreateKeyFile) = (chainKeyFile, true));
        services.Configure<QueueOptions>(queue => queue.ShareReadsFor = TimeSpan.Zero);
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    // The benchmarks act as demo people, found by their demo username (or id) straight in the database.
    public static Task<Caller> CallerAsync(this IServiceProvider services, string username, CancellationToken ct) =>
        services.CallerAsync(s => s.Username == username, $"The demo state has no {username}.", ct);

    public static Task<Caller> CallerAsync(this IServiceProvider services, int staffMemberId, CancellationToken ct) =>
        services.CallerAsync(s => s.Id == staffMemberId, $"There is no staff member #{staffMemberId}.", ct);

    private static async Task<Caller> CallerAsync(
        this IServiceProvider services, Expression<Func<StaffMember, bool>> who, string missing, CancellationToken ct)
    {
        var factory = services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>();
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.StaffMembers.AsNoTracking().Where(who)
            .Select(s => new Caller(s.Id, s.FirstName + " " + s.LastName)).SingleOrDefaultAsync(ct)
            ?? throw new InvalidOperationException(missing);
    }
}

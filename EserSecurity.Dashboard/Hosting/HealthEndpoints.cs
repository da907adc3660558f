using EserSecurity.Core.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EserSecurity.Dashboard.Hosting;

/// <summary>
/// What a load balancer or orchestrator asks: <c>/health/live</c> (the process answers) and <c>/health/ready</c> (the
/// database answers and has every migration this build knows). Both are anonymous and answer only a status word
/// (<c>Healthy</c> 200, <c>Unhealthy</c> 503), never what failed or any data.
/// </summary>
public static class HealthEndpoints
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    private const string ReadyTag = "ready";

    public static IHostApplicationBuilder AddHealthEndpoints(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddCheck<DatabaseReadyCheck>("database", tags: [ReadyTag]);
        return builder;
    }

    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) }).AllowAnonymous();
        return app;
    }

    /// <summary>Ready when the database can be read and no migration is pending; what is wrong goes to the log only.</summary>
    private sealed class DatabaseReadyCheck(DatabaseInitializer database, ILogger<DatabaseReadyCheck> logger) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var pending = await database.PendingMigrationsAsync(cancellationToken);
                if (pending.Count == 0)
                {
                    return HealthCheckResult.Healthy();
                }
                logger.LogWarning("Not ready: the database lacks the migrations {Migrations}.", string.Join(", ", pending));
                return HealthCheckResult.Unhealthy();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Not ready: the database cannot be read.");
                return HealthCheckResult.Unhealthy();
            }
        }
    }
}

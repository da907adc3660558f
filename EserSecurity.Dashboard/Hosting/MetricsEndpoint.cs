using EserSecurity.Core.Changes;
using OpenTelemetry.Metrics;

namespace EserSecurity.Dashboard.Hosting;

/// <summary>The console's metrics endpoint (configuration section "Metrics").</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>Whether the endpoint is mapped; when not set, on in Development and off everywhere else.</summary>
    public bool? Enabled { get; set; }

    /// <summary>Where Prometheus scrapes.</summary>
    public string Path { get; set; } = "/metrics";

    /// <summary>
    /// The host and port the endpoint answers on (for example <c>*:9464</c>, a port only the monitoring network
    /// reaches); any other host or port gets 404. Required outside Development, since scrapers do not sign in.
    /// </summary>
    public string? RequireHost { get; set; }
}

/// <summary>
/// OpenTelemetry metrics with a Prometheus scraping endpoint: ASP.NET Core's own meters (requests, Kestrel, SignalR
/// connections, Blazor circuits and components), the runtime's, and the console's (<see cref="ConsoleMetrics"/>). The
/// endpoint is anonymous, because a scraper does not sign in, so outside Development it answers only on
/// <see cref="MetricsOptions.RequireHost"/>, and the console does not start when that is missing.
/// </summary>
public static class MetricsEndpoint
{
    /// <summary>ASP.NET Core's meters in .NET 10 that say how the console's circuits and live connections fare.</summary>
    internal static readonly string[] AspNetCoreMeters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.Components",
        "Microsoft.AspNetCore.Components.Lifecycle",
        "Microsoft.AspNetCore.Components.Server.Circuits",
    ];

    public static IHostApplicationBuilder AddMetricsEndpoint(this IHostApplicationBuilder builder)
    {
        var options = Read(builder);
        builder.Services.AddSingleton(options);
        if (options.Enabled != true)
        {
            return builder;
        }
        if (!options.Path.StartsWith('/'))
        {
            throw new InvalidOperationException($"{MetricsOptions.SectionName}:{nameof(MetricsOptions.Path)} is '{options.Path}': it must start with '/'.");
        }
        if (!builder.Environment.IsDevelopment() && string.IsNullOrWhiteSpace(options.RequireHost))
        {
            throw new InvalidOperationException(
                $"{MetricsOptions.SectionName}:{nameof(MetricsOptions.Enabled)} is true in the '{builder.Environment.EnvironmentName}' environment, " +
                $"but {MetricsOptions.SectionName}:{nameof(MetricsOptions.RequireHost)} is not set. The metrics endpoint is anonymous: set it to the " +
                "host and port only the monitoring network reaches (for example *:9464, with Kestrel also listening there), or turn the metrics off.");
        }
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddMeter(AspNetCoreMeters)
            .AddMeter(ConsoleMetrics.MeterName)
            .AddPrometheusExporter());
        return builder;
    }

    public static WebApplication MapMetricsEndpoint(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<MetricsOptions>();
        if (options.Enabled != true)
        {
            return app;
        }
        // Anonymous by decision: the console's fallback policy would send a scraper to sign in. RequireHost keeps it
        // off the public host outside Development.
        var endpoint = app.MapPrometheusScrapingEndpoint(options.Path).AllowAnonymous();
        if (!string.IsNullOrWhiteSpace(options.RequireHost))
        {
            endpoint.RequireHost(options.RequireHost);
        }
        return app;
    }

    private static MetricsOptions Read(IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(MetricsOptions.SectionName).Get<MetricsOptions>() ?? new MetricsOptions();
        options.Enabled ??= builder.Environment.IsDevelopment();
        return options;
    }
}

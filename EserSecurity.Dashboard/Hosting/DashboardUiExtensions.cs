using EserSecurity.Dashboard.Components.Shared;
using MudBlazor.Services;

namespace EserSecurity.Dashboard.Hosting;

public static class DashboardUiExtensions
{
    /// <summary>Blazor with interactive server rendering, and the services the dashboard's components use.</summary>
    public static IHostApplicationBuilder AddDashboardUi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddDashboardComponentServices();
        builder.Services.AddOptions<PreparedDownloadsOptions>()
            .Bind(builder.Configuration.GetSection(PreparedDownloadsOptions.SectionName))
            .Validate(o => o.MaxFiles is >= 1 and <= 10_000 && o.MaxMegabytes is >= 1 and <= 100_000,
                $"{PreparedDownloadsOptions.SectionName}: MaxFiles must be from 1 to 10,000 and MaxMegabytes from 1 to 100,000.")
            .ValidateOnStart();
        return builder;
    }

    /// <summary>
    /// What the dashboard's components inject besides Core: MudBlazor, the signed-in person, the client origin and the
    /// live updates of each circuit, and the prepared downloads. The console and the bUnit tests both register them
    /// here, so a component renders in a test with the services it gets in the console.
    /// </summary>
    public static IServiceCollection AddDashboardComponentServices(this IServiceCollection services)
    {
        services.AddMudServices();
        services.AddSignedInCircuits();
        services.AddScoped<ClientOrigin>();
        services.AddScoped<LiveUpdates>();
        services.AddOptions<PreparedDownloadsOptions>();
        services.AddSingleton<PreparedDownloads>();
        return services;
    }
}

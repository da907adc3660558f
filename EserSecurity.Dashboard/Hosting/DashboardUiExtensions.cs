using EserSecurity.Dashboard.Components.Shared;
using MudBlazor.Services;

namespace EserSecurity.Dashboard.Hosting;

public static class DashboardUiExtensions
{
    /// <summary>Blazor with interactive server rendering, MudBlazor, and the per-circuit signed-in person.</summary>
    public static IHostApplicationBuilder AddDashboardUi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddSingleton<SignedInPeople>();
        builder.Services.AddScoped<CurrentUser>();
        builder.Services.AddScoped<ClientOrigin>();
        builder.Services.AddScoped<LiveUpdates>();
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<PreparedDownloads>();
        return builder;
    }
}

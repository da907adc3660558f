using EserSecurity.Dashboard.Components.Shared;
using Microsoft.AspNetCore.Components.Authorization;

namespace EserSecurity.Dashboard.Hosting;

public static class SignOnUiExtensions
{
    /// <summary>
    /// The signed-in person of each circuit: <see cref="SignedInPeople"/>, and <see cref="SignedInCircuitState"/> as the
    /// circuit's authentication state, so open pages re-check the person and lose the console when the link or
    /// session ends.
    /// </summary>
    public static IServiceCollection AddSignedInCircuits(this IServiceCollection services)
    {
        services.AddSingleton<SignedInPeople>();
        services.AddScoped<CurrentUser>();
        services.AddScoped<SignedInCircuitState>();
        services.AddScoped<AuthenticationStateProvider>(sp => sp.GetRequiredService<SignedInCircuitState>());
        return services;
    }
}

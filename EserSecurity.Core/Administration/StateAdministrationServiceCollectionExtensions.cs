using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EserSecurity.Core.Administration;

public static class StateAdministrationServiceCollectionExtensions
{
    /// <summary>Registers the state administrators' service and the startup bootstrap's options, bound to <see cref="BootstrapOptions.SectionName"/> when a configuration is given.</summary>
    public static IServiceCollection AddStateAdministration(this IServiceCollection services, IConfiguration? configuration = null)
    {
        var options = services.AddOptions<BootstrapOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(BootstrapOptions.SectionName));
        }
        services.TryAddSingleton<StateAdministratorService>();
        return services;
    }
}

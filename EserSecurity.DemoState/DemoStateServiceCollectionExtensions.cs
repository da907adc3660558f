using EserSecurity.Core.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EserSecurity.DemoState;

public static class DemoStateServiceCollectionExtensions
{
    /// <summary>
    /// Lets <see cref="DatabaseInitializer"/> create the demo state that <see cref="DatabaseOptions.DemoState"/> asks for.
    /// Only hosts that may hold fictional people register it: the console in Development, the tests and the benchmarks.
    /// </summary>
    public static IServiceCollection AddDemoStateGenerator(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IDemoStateGenerator, DemoStateGenerator>();
        return services;
    }
}

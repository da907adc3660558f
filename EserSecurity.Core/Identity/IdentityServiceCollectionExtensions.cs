using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Core.Identity;

public static class IdentityServiceCollectionExtensions
{
    /// <summary>The sign-on links, sessions and link requests.</summary>
    public static IServiceCollection AddSignOnLinks(this IServiceCollection services)
    {
        services.AddOptions<SignOnLinkOptions>();
        services.AddSingleton<SignOnLinks>();
        services.AddSingleton<LinkRequestService>();
        return services;
    }
}

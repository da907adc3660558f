using EserSecurity.Core.Grants;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Core.Employment;

public static class EmploymentServiceCollectionExtensions
{
    /// <summary>Binds <see cref="ChangeOfDutiesOptions"/> and <see cref="EmploymentEndOptions"/> from their configuration sections.</summary>
    public static IServiceCollection AddEmployment(this IServiceCollection services, IConfiguration configuration) =>
        services.Configure<ChangeOfDutiesOptions>(configuration.GetSection(ChangeOfDutiesOptions.SectionName))
            .Configure<EmploymentEndOptions>(configuration.GetSection(EmploymentEndOptions.SectionName));

    /// <summary>Ending grants, leavers and movers, the change-of-duties list and its deadline check.</summary>
    public static IServiceCollection AddEmployment(this IServiceCollection services)
    {
        services.AddOptions<ChangeOfDutiesOptions>()
            .Validate(o => o.DecideWithinDays is >= 1 and <= ChangeOfDutiesOptions.MaxDecideWithinDays,
                $"{ChangeOfDutiesOptions.SectionName}:{nameof(ChangeOfDutiesOptions.DecideWithinDays)} must be from 1 to {ChangeOfDutiesOptions.MaxDecideWithinDays} days.")
            .Validate(o => Enum.IsDefined(o.DefaultAction), $"{ChangeOfDutiesOptions.SectionName}:{nameof(ChangeOfDutiesOptions.DefaultAction)} must be End or Keep.")
            .Validate(o => o.CheckEvery > TimeSpan.Zero, $"{ChangeOfDutiesOptions.SectionName}:{nameof(ChangeOfDutiesOptions.CheckEvery)} must be positive.")
            .ValidateOnStart();
        services.AddOptions<EmploymentEndOptions>()
            .Validate(o => o.CheckEvery > TimeSpan.Zero, $"{EmploymentEndOptions.SectionName}:{nameof(EmploymentEndOptions.CheckEvery)} must be positive.")
            .ValidateOnStart();
        services.AddSingleton<GrantService>();
        services.AddSingleton<EmploymentService>();
        services.AddSingleton<ChangeOfDutiesService>();
        services.AddHostedService<ChangeOfDutiesDeadlines>();
        services.AddHostedService<ScheduledEmploymentEnds>();
        return services;
    }
}

using EserSecurity.Core.Data;
using EserSecurity.DemoState;

namespace EserSecurity.Dashboard.Hosting;

public static class DemoStateExtensions
{
    /// <summary>
    /// In Development, the demo state that Database:DemoState asks for is created on first start of an empty database.
    /// Anywhere else the console has no demo state, and asking for one stops it at startup.
    /// </summary>
    public static IHostApplicationBuilder AddDemoState(this IHostApplicationBuilder builder)
    {
        if (builder.Environment.IsDevelopment())
        {
            builder.Services.AddDemoStateGenerator();
            return builder;
        }
        var database = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (database.RequestedDemoState() != DemoStateSize.None)
        {
            throw new InvalidOperationException(
                $"{DatabaseOptions.SectionName}:{nameof(DatabaseOptions.DemoState)} is '{database.DemoState}' in the " +
                $"'{builder.Environment.EnvironmentName}' environment. A demo state fills the database with fictional people " +
                "and access and exists only in Development: remove the setting.");
        }
        return builder;
    }
}

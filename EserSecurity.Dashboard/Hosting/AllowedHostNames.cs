namespace EserSecurity.Dashboard.Hosting;

/// <summary>
/// <c>AllowedHosts</c>: the host names the console answers to (the framework's host filtering answers 400 to any
/// other <c>Host</c> header). Outside Development it must name them; <c>*</c> would let any name reach the console.
/// </summary>
public static class AllowedHostNames
{
    public const string SettingName = "AllowedHosts";

    public static IHostApplicationBuilder RequireAllowedHosts(this IHostApplicationBuilder builder)
    {
        if (builder.Environment.IsDevelopment())
        {
            return builder;
        }
        var hosts = (builder.Configuration[SettingName] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (hosts.Length == 0 || hosts.Contains("*"))
        {
            throw new InvalidOperationException(
                (hosts.Length == 0 ? $"{SettingName} is not set" : $"{SettingName} is '{builder.Configuration[SettingName]}'") +
                $" in the '{builder.Environment.EnvironmentName}' environment. " +
                $"Set it to the host names people use to reach the console, separated by ';' (for example the environment variable " +
                $"{SettingName}=security.state.example), so that requests for any other host are refused.");
        }
        return builder;
    }
}

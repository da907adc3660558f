using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace EserSecurity.Dashboard.Hosting;

/// <summary>The reverse proxies whose forwarded headers the console believes (configuration section "ForwardedHeaders").</summary>
public sealed class TrustedProxyOptions
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>Addresses of the proxies, such as "10.0.0.5".</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks the proxies connect from, such as "10.0.0.0/24".</summary>
    public List<string> KnownNetworks { get; set; } = [];
}

/// <summary>
/// The client address a signature records and <c>/verify</c> limits by is the connection's, unless the connection
/// comes from a configured proxy: only then is its <c>X-Forwarded-For</c> (and <c>X-Forwarded-Proto</c>) taken, hop by
/// hop back to the first address that is not a known proxy. With no proxy configured, no forwarded header is taken
/// from anyone, so a client cannot name its own address. ASP.NET Core's own switch
/// (<c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c>) would trust every sender; the lists here replace its settings too.
/// </summary>
public static class TrustedProxies
{
    public static IHostApplicationBuilder AddTrustedProxies(this IHostApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(TrustedProxyOptions.SectionName).Get<TrustedProxyOptions>() ?? new TrustedProxyOptions();
        var proxies = settings.KnownProxies.Select(p => IPAddress.TryParse(p, out var address) ? address
            : throw new InvalidOperationException($"{TrustedProxyOptions.SectionName}:{nameof(TrustedProxyOptions.KnownProxies)} has '{p}', which is not an IP address.")).ToList();
        var networks = settings.KnownNetworks.Select(n => System.Net.IPNetwork.TryParse(n, out var network) ? network
            : throw new InvalidOperationException($"{TrustedProxyOptions.SectionName}:{nameof(TrustedProxyOptions.KnownNetworks)} has '{n}', which is not a network such as 10.0.0.0/24.")).ToList();
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            proxies.ForEach(options.KnownProxies.Add);
            networks.ForEach(options.KnownIPNetworks.Add);
            // Empty lists would make the middleware believe everyone: with no proxy, it reads no header at all.
            options.ForwardedHeaders = proxies.Count + networks.Count > 0
                ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto
                : ForwardedHeaders.None;
            options.ForwardLimit = null;
        });
        builder.Services.AddTransient<IStartupFilter, ForwardedHeadersFirst>();
        return builder;
    }

    /// <summary>Reads the forwarded headers before anything else looks at the client address.</summary>
    private sealed class ForwardedHeadersFirst : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseForwardedHeaders();
            next(app);
        };
    }
}

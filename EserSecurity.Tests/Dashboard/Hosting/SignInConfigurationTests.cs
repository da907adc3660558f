using EserSecurity.Dashboard.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;

namespace EserSecurity.Tests.Dashboard.Hosting;

public sealed class SignInConfigurationTests
{
    private static WebApplicationBuilder Builder(string environment, Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }

    private static readonly Dictionary<string, string?> EntraSettings = new()
    {
        ["AzureAd:Instance"] = "https://login.microsoftonline.com/",
        ["AzureAd:TenantId"] = "00000000-0000-0000-0000-000000000001",
        ["AzureAd:ClientId"] = "00000000-0000-0000-0000-000000000002",
    };

    [Fact]
    public void Production_WithoutAzureAdSection_FailsNamingEveryMissingSetting()
    {
        var builder = Builder("Production", []);

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddDashboardAuthentication());

        Assert.Contains("AzureAd:Instance", error.Message);
        Assert.Contains("AzureAd:TenantId", error.Message);
        Assert.Contains("AzureAd:ClientId", error.Message);
    }

    [Fact]
    public void Production_WithPartialAzureAdSection_NamesOnlyWhatIsMissing()
    {
        var builder = Builder("Production", new() { ["AzureAd:Instance"] = "https://login.microsoftonline.com/", ["AzureAd:ClientId"] = "x" });

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddDashboardAuthentication());

        Assert.Contains("AzureAd:TenantId", error.Message);
        Assert.DoesNotContain("AzureAd:ClientId", error.Message);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void DevelopmentSignIn_EnabledOutsideDevelopment_IsRefusedAtStartup(string environment)
    {
        var settings = new Dictionary<string, string?>(EntraSettings) { ["DevelopmentSignIn:Enabled"] = "true" };
        var builder = Builder(environment, settings);

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddDashboardAuthentication());

        Assert.Contains("DevelopmentSignIn:Enabled", error.Message);
        Assert.Contains("only in Development", error.Message);
    }

    [Fact]
    public async Task Production_HasNoDevelopmentSignInEndpoints()
    {
        var builder = Builder("Production", EntraSettings);
        builder.AddDashboardAuthentication();
        await using var app = builder.Build();

        app.MapDashboardAccountEndpoints(builder.UsesDevelopmentSignIn());

        var routes = Routes(app);
        Assert.Contains("/account/sign-in", routes);
        Assert.DoesNotContain(routes, r => r.StartsWith("/dev", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Development_WithSignInEnabled_MapsTheDevelopmentSignIn()
    {
        var builder = Builder("Development", new() { ["DevelopmentSignIn:Enabled"] = "true" });
        builder.AddDashboardAuthentication();
        await using var app = builder.Build();

        app.MapDashboardAccountEndpoints(builder.UsesDevelopmentSignIn());

        Assert.Contains("/dev/sign-in", Routes(app));
    }

    private static List<string> Routes(WebApplication app) =>
        ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.Trim('/')).ToList();
}

using EserSecurity.Core;
using EserSecurity.Core.Data;
using EserSecurity.Dashboard.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EserSecurity.Tests.Dashboard.Hosting;

public sealed class SignInConfigurationTests
{
    private static WebApplicationBuilder Builder(string environment, Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddEserSecurityCore(new DatabaseOptions { ConnectionString = "Data Source=unused.db" });
        return builder;
    }

    private static readonly Dictionary<string, string?> EntraSettings = new()
    {
        ["AzureAd:Instance"] = "https://login.microsoftonline.com/",
        ["AzureAd:TenantId"] = "00000000-0000-0000-0000-000000000001",
        ["AzureAd:ClientId"] = "00000000-0000-0000-0000-000000000002",
    };

    private static readonly Dictionary<string, string?> OpenIdConnectSettings = new()
    {
        ["OpenIdConnect:Authority"] = "https://sign-on.state.example/",
        ["OpenIdConnect:ClientId"] = "eser-security",
        ["OpenIdConnect:ClientSecret"] = "from-the-environment",
    };

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void OutsideDevelopment_WithoutAProvider_RefusesToStart_NamingBothProviders(string environment)
    {
        var builder = Builder(environment, []);

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddDashboardAuthentication());

        Assert.Contains($"Sign-in is not configured for the '{environment}' environment", error.Message);
        Assert.Contains("OpenIdConnect:Authority", error.Message);
        Assert.Contains("AzureAd:TenantId", error.Message);
        Assert.Contains("exists only in Development", error.Message);
    }

    [Fact]
    public void BothProviders_AreRefused()
    {
        var builder = Builder("Production", new(EntraSettings.Concat(OpenIdConnectSettings)));

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddDashboardAuthentication());

        Assert.Contains("exactly one provider", error.Message);
    }

    [Fact]
    public void AzureAd_Partial_NamesOnlyWhatIsMissing()
    {
        var builder = Builder("Production", new() { ["AzureAd:Instance"] = "https://login.microsoftonline.com/", ["AzureAd:ClientId"] = "x" });

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddDashboardAuthentication());

        Assert.Contains("AzureAd:TenantId", error.Message);
        Assert.DoesNotContain("AzureAd:ClientId", error.Message);
    }

    [Theory]
    [InlineData("organizations")]
    [InlineData("common")]
    public void AzureAd_AnyTenantWithoutAllowedTenants_IsRefused(string tenant)
    {
        var builder = Builder("Production", new(EntraSettings) { ["AzureAd:TenantId"] = tenant });

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddDashboardAuthentication());

        Assert.Contains("AzureAd:AllowedTenants", error.Message);
    }

    [Fact]
    public void OpenIdConnect_WithoutAuthority_NamesIt()
    {
        var builder = Builder("Production", new() { ["OpenIdConnect:ClientId"] = "eser-security" });

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddDashboardAuthentication());

        Assert.Contains("OpenIdConnect:Authority", error.Message);
        Assert.DoesNotContain("OpenIdConnect:ClientId", error.Message);
    }

    [Fact]
    public void OpenIdConnect_HttpMetadataOutsideDevelopment_IsRefused()
    {
        var builder = Builder("Production", new(OpenIdConnectSettings) { ["OpenIdConnect:RequireHttpsMetadata"] = "false" });

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddDashboardAuthentication());

        Assert.Contains("OpenIdConnect:RequireHttpsMetadata", error.Message);
    }

    [Fact]
    public async Task OpenIdConnect_UsesTheCodeFlowWithPkce_AndKeepsNoTokens()
    {
        var builder = Builder("Production", new(OpenIdConnectSettings) { ["OpenIdConnect:Scopes:0"] = "profile", ["OpenIdConnect:Scopes:1"] = "staff" });
        builder.AddDashboardAuthentication();
        await using var app = builder.Build();

        var options = app.Services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(OpenIdConnectDefaults.AuthenticationScheme);

        Assert.Equal("code", options.ResponseType);
        Assert.True(options.UsePkce);
        Assert.True(options.RequireHttpsMetadata);
        Assert.False(options.SaveTokens);
        Assert.False(options.MapInboundClaims);
        Assert.Equal(["openid", "profile", "staff"], options.Scope.Order());
        Assert.Equal("/signin-oidc", options.CallbackPath);
        Assert.Equal("/signout-callback-oidc", options.SignedOutCallbackPath);
        Assert.Equal("from-the-environment", options.ClientSecret);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    public async Task WithAProvider_ThereIsNoDevelopmentSignIn(string environment)
    {
        var builder = Builder(environment, OpenIdConnectSettings);
        builder.AddDashboardAuthentication();
        await using var app = builder.Build();

        app.MapDashboardAccountEndpoints(builder.UsesDevelopmentSignIn());

        var routes = Routes(app);
        Assert.Contains("/account/sign-in", routes);
        Assert.Contains("/account/refused", routes);
        Assert.DoesNotContain(routes, r => r.StartsWith("/dev", StringComparison.Ordinal));
        var schemes = await app.Services.GetRequiredService<IAuthenticationSchemeProvider>().GetAllSchemesAsync();
        Assert.Contains(schemes, s => s.Name == OpenIdConnectDefaults.AuthenticationScheme);
    }

    [Fact]
    public async Task Production_WithEntra_HasNoDevelopmentSignIn()
    {
        var builder = Builder("Production", EntraSettings);
        builder.AddDashboardAuthentication();
        await using var app = builder.Build();

        app.MapDashboardAccountEndpoints(builder.UsesDevelopmentSignIn());

        Assert.DoesNotContain(Routes(app), r => r.StartsWith("/dev", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Entra_SignsIntoTheConsolesOwnCookie_AndKeepsNoTokens()
    {
        var builder = Builder("Production", EntraSettings);
        builder.AddDashboardAuthentication();
        await using var app = builder.Build();

        var options = app.Services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(OpenIdConnectDefaults.AuthenticationScheme);

        Assert.Equal("Cookies", options.SignInScheme);
        Assert.False(options.SaveTokens);
        var schemes = await app.Services.GetRequiredService<IAuthenticationSchemeProvider>().GetAllSchemesAsync();
        Assert.Equal(["Cookies", OpenIdConnectDefaults.AuthenticationScheme], schemes.Select(s => s.Name).Order());
    }

    [Fact]
    public async Task Development_WithoutAProvider_MapsTheDevelopmentSignIn()
    {
        var builder = Builder("Development", []);
        builder.AddDashboardAuthentication();
        await using var app = builder.Build();

        app.MapDashboardAccountEndpoints(builder.UsesDevelopmentSignIn());

        Assert.Contains("/dev/sign-in", Routes(app));
    }

    [Fact]
    public async Task SessionSettings_AreRead_AndAnAbsoluteLifetimeShorterThanTheIdleTimeoutIsRefused()
    {
        var builder = Builder("Development", new() { ["SignIn:IdleTimeout"] = "00:20:00", ["SignIn:AbsoluteLifetime"] = "00:10:00" });
        builder.AddDashboardAuthentication();
        await using var app = builder.Build();

        var error = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<IOptions<SignInOptions>>().Value);

        Assert.Contains("SignIn:AbsoluteLifetime", error.Message);
    }

    private static List<string> Routes(WebApplication app) =>
        ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.Trim('/')).ToList();
}

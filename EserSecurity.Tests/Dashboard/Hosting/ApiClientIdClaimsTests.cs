using System.Security.Claims;
using EserSecurity.Dashboard.Hosting;
using Microsoft.Extensions.Configuration;

namespace EserSecurity.Tests.Dashboard.Hosting;

/// <summary>Which token claims name the calling client of the access API, as configuration binds them.</summary>
public sealed class ApiClientIdClaimsTests
{
    private static AccessApiOptions Bind(Dictionary<string, string?> settings)
    {
        var options = new AccessApiOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(AccessApiOptions.SectionName).Bind(options);
        return options;
    }

    private static ClaimsPrincipal TokenWith(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), authenticationType: "Bearer"));

    [Fact]
    public void ConfiguredClaims_ReplaceTheDefaults_SoAClaimLeftOutNeverNamesTheClient()
    {
        var options = Bind(new() { ["Api:ClientIdClaims:0"] = "azp" });

        Assert.Equal(["azp"], options.ClientIdClaimTypes);
        Assert.Null(ApiCallers.ClientIdOf(TokenWith(("client_id", "eser-prod")), options));
        Assert.Equal("eser-prod", ApiCallers.ClientIdOf(TokenWith(("client_id", "other"), ("azp", "eser-prod")), options));
    }

    [Fact]
    public void NoConfiguredClaims_ReadsClientIdThenAzpThenAppId()
    {
        var options = Bind([]);

        Assert.Equal(["client_id", "azp", "appid"], options.ClientIdClaimTypes);
        Assert.Equal("legacy-app", ApiCallers.ClientIdOf(TokenWith(("appid", "legacy-app")), options));
        Assert.Equal("first", ApiCallers.ClientIdOf(TokenWith(("azp", "second"), ("client_id", "first")), options));
    }

    [Fact]
    public void AnonymousCaller_HasNoClientId()
    {
        Assert.Null(ApiCallers.ClientIdOf(new ClaimsPrincipal(new ClaimsIdentity([new Claim("client_id", "x")])), Bind([])));
    }
}

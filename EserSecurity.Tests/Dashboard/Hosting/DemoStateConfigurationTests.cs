using EserSecurity.Core.Data;
using EserSecurity.Dashboard.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace EserSecurity.Tests.Dashboard.Hosting;

public sealed class DemoStateConfigurationTests
{
    private static WebApplicationBuilder Builder(string environment, string? demoState)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(demoState is null ? [] : new Dictionary<string, string?> { ["Database:DemoState"] = demoState });
        return builder;
    }

    private static bool OffersDemoState(WebApplicationBuilder builder) =>
        builder.Services.Any(s => s.ServiceType == typeof(IDemoStateGenerator));

    [Theory]
    [InlineData("Production", "Full")]
    [InlineData("Production", "small")]
    [InlineData("Staging", "Small")]
    public void DemoState_AskedOutsideDevelopment_IsRefusedAtStartup(string environment, string demoState)
    {
        var builder = Builder(environment, demoState);

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddDemoState());

        Assert.Contains($"Database:DemoState is '{demoState}' in the '{environment}' environment", error.Message);
        Assert.Contains("only in Development", error.Message);
        Assert.False(OffersDemoState(builder));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("None")]
    public void Production_WithoutDemoState_StartsWithNoWayToCreateOne(string? demoState)
    {
        var builder = Builder("Production", demoState);

        builder.AddDemoState();

        Assert.False(OffersDemoState(builder));
    }

    [Theory]
    [InlineData("Full")]
    [InlineData("None")]
    public void Development_OffersTheDemoState(string demoState)
    {
        var builder = Builder("Development", demoState);

        builder.AddDemoState();

        Assert.True(OffersDemoState(builder));
    }
}

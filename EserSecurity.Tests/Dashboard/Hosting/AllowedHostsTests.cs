using System.Net;
using EserSecurity.Dashboard.Hosting;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace EserSecurity.Tests.Dashboard.Hosting;

public sealed class AllowedHostsTests
{
    private static WebApplicationBuilder Builder(string environment, string? allowedHosts)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["AllowedHosts"] = allowedHosts });
        return builder;
    }

    [Theory]
    [InlineData("Production", null)]
    [InlineData("Production", "*")]
    [InlineData("Staging", "console.example;*")]
    public void OutsideDevelopment_WithoutHostNames_RefusesToStart_SayingWhatToSet(string environment, string? allowedHosts)
    {
        var builder = Builder(environment, allowedHosts);

        var error = Assert.Throws<InvalidOperationException>(() => builder.RequireAllowedHosts());

        Assert.Contains("AllowedHosts", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{environment}' environment", error.Message, StringComparison.Ordinal);
        Assert.Contains("host names", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InDevelopment_AnyHostIsFine()
    {
        Builder("Development", null).RequireAllowedHosts();
    }

    [Fact]
    public async Task ARequestForAnotherHost_IsRefused()
    {
        await using var host = new ConsoleHost("Production");
        using var client = host.CreateHttpsClient();

        using var own = await client.GetAsync(HealthEndpoints.LivePath);
        using var request = new HttpRequestMessage(HttpMethod.Get, HealthEndpoints.LivePath) { Headers = { Host = "elsewhere.example" } };
        using var other = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
    }
}

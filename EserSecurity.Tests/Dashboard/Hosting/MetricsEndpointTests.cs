using System.Net;
using EserSecurity.Core.Changes;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Tests.Dashboard.Hosting;

/// <summary>The Prometheus endpoint on the real pipeline: on in Development, off elsewhere unless held to a monitoring host.</summary>
public sealed class MetricsEndpointTests
{
    private static bool Maps(ConsoleHost host, string path) =>
        host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Any(e => string.Equals("/" + e.RoutePattern.RawText?.Trim('/'), path, StringComparison.OrdinalIgnoreCase));

    [Fact]
    public async Task Development_AnswersPrometheusText_WithoutSignIn_WithTheConsolesOwnMetrics()
    {
        await using var host = new ConsoleHost("Development");
        using var client = host.CreateHttpsClient();
        host.Services.GetRequiredService<ConsoleMetrics>().Decided(DecisionOutcomeKind.Approved);

        using var response = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE eser_decisions_total counter", text);
        Assert.Contains("outcome=\"approved\"", text);
    }

    [Fact]
    public async Task Production_ByDefault_DoesNotMapTheEndpoint()
    {
        await using var host = new ConsoleHost("Production");
        using var client = host.CreateHttpsClient();

        using var response = await client.GetAsync("/metrics");

        Assert.False(Maps(host, "/metrics"));
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Development_WithMetricsOff_DoesNotMapTheEndpoint()
    {
        await using var host = new ConsoleHost("Development", new Dictionary<string, string?> { ["Metrics:Enabled"] = "false" });
        using var client = host.CreateHttpsClient();

        using var response = await client.GetAsync("/metrics");

        Assert.False(Maps(host, "/metrics"));
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Production_EnabledWithoutARequiredHost_DoesNotStart()
    {
        await using var host = new ConsoleHost("Production", new Dictionary<string, string?> { ["Metrics:Enabled"] = "true" });

        var error = Assert.Throws<InvalidOperationException>(() => host.CreateHttpsClient());

        Assert.Contains("Metrics:RequireHost", error.Message);
    }

    [Fact]
    public async Task Production_EnabledOnAMonitoringPort_AnswersThere_AndNotOnThePublicHost()
    {
        await using var host = new ConsoleHost("Production", new Dictionary<string, string?>
        {
            ["Metrics:Enabled"] = "true", ["Metrics:Path"] = "/internal/metrics", ["Metrics:RequireHost"] = "*:9464",
        });
        using var publicClient = host.CreateHttpsClient();
        using var monitoring = host.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri($"http://{ConsoleHost.HostName}:9464/"), AllowAutoRedirect = false,
        });

        using var onPublic = await publicClient.GetAsync("/internal/metrics");
        using var onMonitoring = await monitoring.GetAsync("/internal/metrics");

        Assert.NotEqual(HttpStatusCode.OK, onPublic.StatusCode);
        Assert.Equal(HttpStatusCode.OK, onMonitoring.StatusCode);
        Assert.Contains("# TYPE", await onMonitoring.Content.ReadAsStringAsync());
    }
}

using System.Net.Http.Headers;
using EserSecurity.Dashboard.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Tests.Support;

/// <summary>
/// The console's access API with its real authentication (the console's cookie and the API's bearer scheme), rate limiter,
/// endpoints and OpenAPI document in a test server, over real Core services and a <see cref="TestDatabase"/>. Tokens come
/// from a real <see cref="TestOpenIdProvider"/> on loopback, which the API trusts as its issuer.
/// </summary>
public sealed class ApiHost : IAsyncDisposable
{
    /// <summary>A page of the console behind its fallback policy (the session cookie), to show a token does not open it.</summary>
    public const string ConsolePagePath = "/test/console-page";

    private readonly WebApplication _app;

    private ApiHost(WebApplication app, TestOpenIdProvider provider)
    {
        _app = app;
        Provider = provider;
    }

    public TestOpenIdProvider Provider { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<ApiHost> StartAsync(TestDatabase database, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var provider = await TestOpenIdProvider.StartAsync("http://console.invalid");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Configuration.Sources.Clear();
        var configuration = new Dictionary<string, string?>
        {
            ["Api:Audience"] = TestOpenIdProvider.ApiAudience,
            ["Api:Authority"] = provider.Authority,
            ["Api:RequireHttpsMetadata"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }
        builder.Configuration.AddInMemoryCollection(configuration);
        database.AddCoreServicesTo(builder.Services);
        builder.Services.AddRazorComponents();
        builder.Services.AddSignedInCircuits();
        builder.AddDashboardAuthentication();
        builder.AddAccessApi();
        var app = builder.Build();
        app.UseLoopbackClient();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapAccessApi();
        app.MapAccessApiDescription();
        app.MapGet(ConsolePagePath, () => "the console");
        app.MapTestSignIn(database);
        await app.StartAsync();
        return new ApiHost(app, provider);
    }

    public HttpClient CreateClient() => _app.GetTestServer().CreateClient();

    /// <summary>A client whose requests carry <paramref name="token"/> as a bearer token.</summary>
    public HttpClient CreateClient(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A client with the session cookie of a signed-in test person.</summary>
    public Task<HttpClient> SignInAsync(string username) => TestHostSignIn.SignInAsync(CreateClient(), username);

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await Provider.DisposeAsync();
    }
}

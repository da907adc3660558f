using EserSecurity.Dashboard.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Tests.Support;

/// <summary>
/// The console's download endpoints (documents, CSV exports, readiness files) in a test server with the console's
/// sign-in, over real Core services and a <see cref="TestDatabase"/>; <see cref="SignInAsync"/> gives a client with a
/// session cookie of a test person.
/// </summary>
public sealed class DownloadHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DownloadHost(WebApplication app) => _app = app;

    public IServiceProvider Services => _app.Services;

    public static async Task<DownloadHost> StartAsync(TestDatabase database, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        database.AddCoreServicesTo(builder.Services);
        builder.Services.Configure<EserSecurity.Core.Documents.DocumentOptions>(builder.Configuration.GetSection("Documents"));
        builder.Services.AddRazorComponents();
        builder.Services.AddSignedInCircuits();
        builder.Services.AddOptions<PreparedDownloadsOptions>();
        builder.Services.AddSingleton<PreparedDownloads>();
        builder.AddDashboardAuthentication();
        var app = builder.Build();
        app.UseLoopbackClient();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapDocumentEndpoints();
        app.MapReadinessEndpoints();
        app.MapTestSignIn(database);
        await app.StartAsync();
        return new DownloadHost(app);
    }

    public Task<HttpClient> SignInAsync(string username) => TestHostSignIn.SignInAsync(_app.GetTestServer().CreateClient(), username);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

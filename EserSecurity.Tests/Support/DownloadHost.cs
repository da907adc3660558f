using System.Net;
using EserSecurity.Core.Identity;
using EserSecurity.Dashboard.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
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
        app.Use((context, next) =>
        {
            context.Connection.RemoteIpAddress ??= IPAddress.Loopback;
            return next(context);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapDocumentEndpoints();
        app.MapReadinessEndpoints();
        app.MapGet("/test/sign-in/{username}", async (string username, HttpContext context, SignInCookie cookie, SignOnLinks links) =>
        {
            var person = await TestPeople.GetAsync(database.Services, username);
            var account = new SignOnAccount(SignOnClaims.DevelopmentIssuer, person.StaffId, person.DisplayName, null, null);
            await context.SignInAsync(cookie.CreatePrincipal(account, await links.SignInAsync(account)));
        }).AllowAnonymous();
        await app.StartAsync();
        return new DownloadHost(app);
    }

    public async Task<HttpClient> SignInAsync(string username)
    {
        var client = _app.GetTestServer().CreateClient();
        var response = await client.GetAsync($"/test/sign-in/{username}");
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(DashboardAuthenticationExtensions.SessionCookieName + "=", StringComparison.Ordinal));
        client.DefaultRequestHeaders.Add("Cookie", cookie.Split(';')[0]);
        return client;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

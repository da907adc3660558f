using System.Net;
using EserSecurity.Core.Identity;
using EserSecurity.Dashboard.Hosting;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Tests.Dashboard.Hosting;

/// <summary>The document and CSV downloads in a test server with the console's sign-in, over real Core services.</summary>
public sealed class DocumentEndpointLimitTests
{
    [Fact]
    public async Task PastThePerPersonLimit_ADownloadIsRefusedWithWhatToDo_AndOthersStillGetTheirs()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Documents:PerPersonPerMinute"] = "2" });
        database.AddCoreServicesTo(builder.Services);
        builder.Services.Configure<EserSecurity.Core.Documents.DocumentOptions>(builder.Configuration.GetSection("Documents"));
        builder.Services.AddRazorComponents();
        builder.Services.AddSignedInCircuits();
        builder.AddDashboardAuthentication();
        await using var app = builder.Build();
        app.Use((context, next) =>
        {
            context.Connection.RemoteIpAddress ??= IPAddress.Loopback;
            return next(context);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapDocumentEndpoints();
        app.MapGet("/test/sign-in/{username}", async (string username, HttpContext context, SignInCookie cookie, SignOnLinks links) =>
        {
            var person = await TestPeople.GetAsync(database.Services, username);
            var account = new SignOnAccount(SignOnClaims.DevelopmentIssuer, person.StaffId, person.DisplayName, null, null);
            await context.SignInAsync(cookie.CreatePrincipal(account, await links.SignInAsync(account)));
        }).AllowAnonymous();
        await app.StartAsync();
        var admin = await SignInAsync(app, state.StateAdmin.Username!);
        var coordinator = await SignInAsync(app, state.DistrictA.Username!);
        var csv = $"/documents/files/authorized-users-csv/{state.LeaA.Id}";

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(csv)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(csv)).StatusCode);
        var refused = await admin.GetAsync(csv);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("more documents in the last minute than the console makes for one person. Wait 60 seconds and try again.",
            await refused.Content.ReadAsStringAsync());
        Assert.Equal(TimeSpan.FromSeconds(60), refused.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.OK, (await coordinator.GetAsync(csv)).StatusCode);

        database.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(csv)).StatusCode);
    }

    private static async Task<HttpClient> SignInAsync(WebApplication app, string username)
    {
        var client = app.GetTestServer().CreateClient();
        var response = await client.GetAsync($"/test/sign-in/{username}");
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(DashboardAuthenticationExtensions.SessionCookieName + "=", StringComparison.Ordinal));
        client.DefaultRequestHeaders.Add("Cookie", cookie.Split(';')[0]);
        return client;
    }
}

using System.Net;
using EserSecurity.Dashboard.Hosting;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Tests.Dashboard.Hosting;

/// <summary>
/// The client address a signature records (<see cref="ClientConnection"/>) and <c>/verify</c> limits by, in a test
/// server with the console's forwarded-header and verification set-up over real Core services.
/// </summary>
public sealed class ClientAddressTests
{
    private const string Proxy = "10.0.0.5";
    private const string Outsider = "203.0.113.7";

    [Fact]
    public async Task ForgedForwardedFor_FromAnUnlistedAddress_ChangesNeitherTheRecordedAddressNorTheVerifyLimit()
    {
        await using var host = await Host.StartAsync(new() { ["ForwardedHeaders:KnownProxies:0"] = Proxy });

        Assert.Equal(Outsider, await host.RecordedAddressAsync(from: Outsider, forwardedFor: "198.51.100.1"));

        Assert.Equal(HttpStatusCode.OK, await host.LookUpAsync(from: Outsider, forwardedFor: "198.51.100.1"));
        Assert.Equal(HttpStatusCode.OK, await host.LookUpAsync(from: Outsider, forwardedFor: "198.51.100.2"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await host.LookUpAsync(from: Outsider, forwardedFor: "198.51.100.3"));
    }

    [Fact]
    public async Task ForwardedFor_WithNoProxyConfigured_IsNotBelievedFromAnyone()
    {
        await using var host = await Host.StartAsync([]);

        Assert.Equal("127.0.0.1", await host.RecordedAddressAsync(from: "127.0.0.1", forwardedFor: "198.51.100.1"));
        Assert.Equal(Proxy, await host.RecordedAddressAsync(from: Proxy, forwardedFor: "198.51.100.1"));
    }

    [Fact]
    public async Task ForwardedFor_FromAConfiguredProxy_IsTheClientsAddress_AndEachClientHasItsOwnLimit()
    {
        await using var host = await Host.StartAsync(new() { ["ForwardedHeaders:KnownNetworks:0"] = "10.0.0.0/24" });

        Assert.Equal("198.51.100.1", await host.RecordedAddressAsync(from: Proxy, forwardedFor: "198.51.100.1"));
        // A client's own forged entry before the real one is not believed: the proxy vouches only for the address it saw.
        Assert.Equal("198.51.100.1", await host.RecordedAddressAsync(from: Proxy, forwardedFor: "192.0.2.99, 198.51.100.1"));

        Assert.Equal(HttpStatusCode.OK, await host.LookUpAsync(from: Proxy, forwardedFor: "198.51.100.1"));
        Assert.Equal(HttpStatusCode.OK, await host.LookUpAsync(from: Proxy, forwardedFor: "192.0.2.1, 198.51.100.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await host.LookUpAsync(from: Proxy, forwardedFor: "192.0.2.2, 198.51.100.1"));
        Assert.Equal(HttpStatusCode.OK, await host.LookUpAsync(from: Proxy, forwardedFor: "198.51.100.2"));
    }

    private sealed class Host(WebApplication app, TestDatabase database) : IAsyncDisposable
    {
        public static async Task<Host> StartAsync(Dictionary<string, string?> settings)
        {
            var database = await TestDatabase.CreateAsync();
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
            builder.WebHost.UseTestServer();
            builder.Configuration.Sources.Clear();
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Verification:LookupsPerMinute"] = "2" });
            database.AddCoreServicesTo(builder.Services);
            builder.Services.AddRazorComponents();
            builder.AddVerification();
            builder.AddTrustedProxies();
            var app = builder.Build();
            app.UseRateLimiter();
            app.MapVerificationEndpoints();
            // What the signing page records: App.razor reads the page request through ClientConnection.From.
            app.MapGet("/test/recorded-address", (HttpContext context) => ClientConnection.From(context).Address ?? "");
            await app.StartAsync();
            return new Host(app, database);
        }

        public async Task<string> RecordedAddressAsync(string from, string forwardedFor)
        {
            var context = await SendAsync("/test/recorded-address", "", from, forwardedFor);
            using var reader = new StreamReader(context.Response.Body);
            return await reader.ReadToEndAsync();
        }

        public async Task<HttpStatusCode> LookUpAsync(string from, string forwardedFor) =>
            (HttpStatusCode)(await SendAsync("/verify", "?code=ABCD-EFGH-JKMN", from, forwardedFor)).Response.StatusCode;

        private Task<HttpContext> SendAsync(string path, string query, string from, string forwardedFor) =>
            app.GetTestServer().SendAsync(context =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(from);
                context.Request.Method = "GET";
                context.Request.Path = path;
                context.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
                context.Request.Headers["X-Forwarded-For"] = forwardedFor;
            });

        public async ValueTask DisposeAsync()
        {
            await app.DisposeAsync();
            await database.DisposeAsync();
        }
    }
}

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

/// <summary>The console's session cookie and account endpoints in a test server over real Core services and a clock the test moves.</summary>
public sealed class SignInCookieTests
{
    private static readonly SignOnAccount Account = new("https://sign-on.state.example/", "subject-1", "Test Person", null, null);

    private static readonly Dictionary<string, string?> OpenIdConnectSettings = new()
    {
        ["OpenIdConnect:Authority"] = "https://sign-on.state.example/",
        ["OpenIdConnect:ClientId"] = "eser-security",
    };

    [Fact]
    public async Task SessionCookie_InDevelopment_IsHttpOnlyLaxAndEndsWithTheBrowser()
    {
        await using var host = await Host.StartAsync("Development", []);

        var cookie = await host.SignInAsync();

        Assert.StartsWith(DashboardAuthenticationExtensions.SessionCookieName + "=", cookie.SetCookie);
        Assert.Contains("httponly", cookie.SetCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie.SetCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("expires=", cookie.SetCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("max-age", cookie.SetCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SessionCookie_OutsideDevelopment_IsSecure()
    {
        await using var host = await Host.StartAsync("Production", OpenIdConnectSettings);

        var cookie = await host.SignInAsync();

        Assert.Contains("secure", cookie.SetCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie.SetCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie.SetCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task IdleTimeout_EndsASessionNobodyUses_ByDefaultAfterAnHour()
    {
        await using var host = await Host.StartAsync("Development", []);
        var cookie = await host.SignInAsync();

        host.Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/whoami", cookie)).StatusCode);

        host.Clock.Advance(TimeSpan.FromMinutes(61));
        var response = await host.GetAsync("/whoami", cookie);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://localhost/account/sign-in?returnUrl=%2Fwhoami", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task IdleTimeout_Slides_WhileThePersonKeepsWorking()
    {
        await using var host = await Host.StartAsync("Development", []);
        var cookie = await host.SignInAsync();

        for (var i = 0; i < 6; i++)
        {
            host.Clock.Advance(TimeSpan.FromMinutes(40));
            Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/whoami", cookie)).StatusCode);
        }
    }

    [Fact]
    public async Task AbsoluteLifetime_EndsABusySession_CountedFromTheSignIn()
    {
        await using var host = await Host.StartAsync("Development", []);
        var cookie = await host.SignInAsync();

        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromHours(9.5); elapsed += TimeSpan.FromMinutes(30))
        {
            host.Clock.Advance(TimeSpan.FromMinutes(30));
            Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/whoami", cookie)).StatusCode);
        }
        host.Clock.Advance(TimeSpan.FromMinutes(30));

        Assert.Equal(HttpStatusCode.Redirect, (await host.GetAsync("/whoami", cookie)).StatusCode);
    }

    [Fact]
    public async Task IdleTimeoutAndAbsoluteLifetime_AreConfigurable()
    {
        await using var host = await Host.StartAsync("Development", new() { ["SignIn:IdleTimeout"] = "00:10:00", ["SignIn:AbsoluteLifetime"] = "00:30:00" });
        var idle = await host.SignInAsync();
        var busy = await host.SignInAsync();

        host.Clock.Advance(TimeSpan.FromMinutes(8));
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/whoami", busy)).StatusCode);
        host.Clock.Advance(TimeSpan.FromMinutes(8));
        Assert.Equal(HttpStatusCode.Redirect, (await host.GetAsync("/whoami", idle)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/whoami", busy)).StatusCode);
        host.Clock.Advance(TimeSpan.FromMinutes(8));
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/whoami", busy)).StatusCode);
        host.Clock.Advance(TimeSpan.FromMinutes(7));

        Assert.Equal(HttpStatusCode.Redirect, (await host.GetAsync("/whoami", busy)).StatusCode);
    }

    [Fact]
    public async Task CookieWithoutTheConsolesClaims_IsRefused()
    {
        await using var host = await Host.StartAsync("Development", []);
        var cookie = await host.SignInAsync("/test/sign-in-bare");

        Assert.Equal(HttpStatusCode.Redirect, (await host.GetAsync("/whoami", cookie)).StatusCode);
    }

    [Fact]
    public async Task SignOut_EndsTheSession_SoAnotherCopyOfTheCookieIsRefusedOnItsNextRequest()
    {
        await using var host = await Host.StartAsync("Development", []);
        var tab = await host.SignInAsync();
        var otherTab = new SessionCookie(tab.SetCookie);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/whoami", otherTab)).StatusCode);

        var signOut = await host.SendAsync(HttpMethod.Post, "/account/sign-out", tab);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await host.GetAsync("/whoami", otherTab)).StatusCode);
    }

    [Fact]
    public async Task SessionEndedInCore_IsRefusedOnTheNextRequest()
    {
        await using var host = await Host.StartAsync("Development", []);
        var cookie = await host.SignInAsync();
        var subject = await (await host.GetAsync("/whoami", cookie)).Content.ReadAsStringAsync();

        await using (var db = await host.Database.OpenAsync())
        {
            var session = db.SignInSessions.Single(s => s.Subject == subject);
            await host.Database.Get<SignOnLinks>().EndSessionAsync(new SignedInAccount(session.Issuer, session.Subject, session.Id));
        }

        Assert.Equal(HttpStatusCode.Redirect, (await host.GetAsync("/whoami", cookie)).StatusCode);
    }

    [Theory]
    [InlineData("/%09/evil.example")]
    [InlineData("//evil.example")]
    [InlineData("/%5Cevil.example")]
    [InlineData("https%3A%2F%2Fevil.example")]
    [InlineData("%2F%2Fevil.example")]
    public async Task DevelopmentSignIn_ReturnUrlToAnotherSite_ReturnsHome(string encodedReturnUrl)
    {
        await using var host = await Host.StartAsync("Development", []);

        var response = await host.GetAsync($"/account/sign-in?returnUrl={encodedReturnUrl}", null);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/dev/sign-in?returnUrl=%2F", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task DevelopmentSignIn_LocalReturnUrl_IsKept()
    {
        await using var host = await Host.StartAsync("Development", []);

        var response = await host.GetAsync("/account/sign-in?returnUrl=%2Fqueue%3Fx%3D1", null);

        Assert.Equal("/dev/sign-in?returnUrl=%2Fqueue%3Fx%3D1", response.Headers.Location!.ToString());
    }

    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("192.168.0.20")]
    [InlineData("2001:db8::1")]
    public async Task DevelopmentSignIn_FromAnotherMachine_IsForbidden(string address)
    {
        await using var host = await Host.StartAsync("Development", []);

        var context = await host.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = DashboardAuthenticationExtensions.DevelopmentSignInPath;
            c.Connection.RemoteIpAddress = IPAddress.Parse(address);
        });

        Assert.Equal(StatusCodes.Status403Forbidden, context.Response.StatusCode);
        var body = await new StreamReader(context.Response.Body).ReadToEndAsync();
        Assert.Contains("answers only on this machine", body);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public async Task DevelopmentSignIn_FromThisMachine_ShowsThePeople(string address)
    {
        await using var host = await Host.StartAsync("Development", []);

        var context = await host.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = DashboardAuthenticationExtensions.DevelopmentSignInPath;
            c.Connection.RemoteIpAddress = IPAddress.Parse(address);
        });

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
    }

    [Fact]
    public void IsLoopback_RefusesAnUnknownAddress()
    {
        Assert.False(DashboardAuthenticationExtensions.IsLoopback(null));
        Assert.False(DashboardAuthenticationExtensions.IsLoopback(IPAddress.Parse("::ffff:10.0.0.1")));
        Assert.True(DashboardAuthenticationExtensions.IsLoopback(IPAddress.Parse("127.0.0.2")));
    }

    private sealed record SessionCookie(string SetCookie)
    {
        public string Value { get; set; } = SetCookie.Split(';')[0];
    }

    /// <summary>The console's authentication and account endpoints on a test server; requests carry a loopback client address.</summary>
    private sealed class Host(WebApplication app, TestDatabase database) : IAsyncDisposable
    {
        public Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock => database.Clock;

        public TestServer Server => app.GetTestServer();

        public TestDatabase Database => database;

        public static async Task<Host> StartAsync(string environment, Dictionary<string, string?> settings)
        {
            var database = await TestDatabase.CreateAsync(EserSecurity.Core.Data.DemoStateSize.Small);
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
            builder.WebHost.UseTestServer();
            builder.Configuration.Sources.Clear();
            builder.Configuration.AddInMemoryCollection(settings);
            database.AddCoreServicesTo(builder.Services);
            builder.Services.AddRazorComponents();
            builder.Services.AddSignedInCircuits();
            builder.AddDashboardAuthentication();
            var app = builder.Build();
            app.Use((context, next) =>
            {
                context.Connection.RemoteIpAddress ??= IPAddress.Loopback;
                return next(context);
            });
            app.UseAuthentication();
            app.UseAuthorization();
            app.UseAntiforgery();
            app.MapDashboardAccountEndpoints(builder.UsesDevelopmentSignIn());
            app.MapGet("/test/sign-in", async (HttpContext context, SignInCookie cookie, SignOnLinks links) =>
            {
                var account = Account with { Subject = Guid.NewGuid().ToString("N") };
                await context.SignInAsync(cookie.CreatePrincipal(account, await links.SignInAsync(account)));
            }).AllowAnonymous();
            app.MapGet("/test/sign-in-bare", async (HttpContext context) =>
                await context.SignInAsync(new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
                    [new System.Security.Claims.Claim("preferred_username", "state.admin")], "Cookies")))).AllowAnonymous();
            app.MapGet("/whoami", (HttpContext context) => context.User.FindFirst(SignOnClaims.Subject)?.Value ?? "");
            await app.StartAsync();
            return new Host(app, database);
        }

        public async Task<SessionCookie> SignInAsync(string path = "/test/sign-in")
        {
            var response = await GetAsync(path, null);
            var setCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(DashboardAuthenticationExtensions.SessionCookieName + "=", StringComparison.Ordinal));
            return new SessionCookie(setCookie);
        }

        /// <summary>A GET with the session cookie, which takes the renewed cookie when the response slides it.</summary>
        public Task<HttpResponseMessage> GetAsync(string path, SessionCookie? cookie) => SendAsync(HttpMethod.Get, path, cookie);

        public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, SessionCookie? cookie)
        {
            using var request = new HttpRequestMessage(method, path);
            if (cookie is not null)
            {
                request.Headers.Add("Cookie", cookie.Value);
            }
            var response = await Server.CreateClient().SendAsync(request);
            if (cookie is not null && response.Headers.TryGetValues("Set-Cookie", out var values)
                && values.FirstOrDefault(c => c.StartsWith(DashboardAuthenticationExtensions.SessionCookieName + "=", StringComparison.Ordinal)) is { } renewed)
            {
                cookie.Value = renewed.Split(';')[0];
            }
            return response;
        }

        public async ValueTask DisposeAsync()
        {
            await app.DisposeAsync();
            await database.DisposeAsync();
        }
    }
}

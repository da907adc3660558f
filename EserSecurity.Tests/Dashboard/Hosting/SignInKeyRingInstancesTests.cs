using EserSecurity.Core;
using EserSecurity.Dashboard.Hosting;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EserSecurity.Tests.Dashboard.Hosting;

/// <summary>
/// The data protection key ring of two console instances over one database (SQLite or, in the PostgreSQL pass,
/// PostgreSQL): a session cookie one instance protects, the other reads, so a load balancer may send the next request
/// to either.
/// </summary>
public sealed class SignInKeyRingInstancesTests
{
    [Fact]
    public async Task ACookieProtectedByOneInstance_IsReadByAnotherOverTheSameDatabase()
    {
        await using var database = await TestDatabase.CreateAsync();
        using var first = Instance(database);
        using var second = Instance(database);

        var cookie = CookieProtector(first).Protect("a session");

        Assert.Equal("a session", CookieProtector(second).Unprotect(cookie));
        Assert.Equal("a session", CookieProtector(first).Unprotect(cookie));
    }

    /// <summary>A console instance's services over the test's database, registered as the console registers them, not started.</summary>
    private static IHost Instance(TestDatabase database)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production, DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = TestDatabase.Provider.ToString(),
            ["Database:ConnectionString"] = database.ConnectionString,
            ["Audit:ChainKey"] = TestDatabase.TestChainKey,
        });
        builder.AddEserSecurityCore();
        builder.AddSignInKeyRing();
        return builder.Build();
    }

    // The purposes ASP.NET Core's cookie authentication protects its ticket with, for the console's cookie scheme.
    private static IDataProtector CookieProtector(IHost instance) =>
        instance.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(
            "Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationMiddleware", CookieAuthenticationDefaults.AuthenticationScheme, "v2");
}

using System.Text.RegularExpressions;
using EserSecurity.Dashboard.Hosting;
using EserSecurity.Tests.Support;
using Microsoft.Playwright;

namespace EserSecurity.Tests.Browser;

[Collection(OpenIdBrowserCollection.Name)]
public sealed class OpenIdSignInBrowserTests(OpenIdConsoleServer server)
{
    [Fact]
    public async Task AccountFromAnotherIssuer_IsRefused_WithAPageThatSaysWhy()
    {
        var user = NewUser("foreign") with { ForeignIssuer = true };
        server.Provider.AddUser(user);

        var page = await server.SignInThroughProviderAsync(user.Username);

        await page.WaitForURLAsync(new Regex("/account/refused\\?reason=OtherIssuer$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You could not be signed in");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("does not accept");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in again" })).ToBeVisibleAsync();
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == DashboardAuthenticationExtensions.SessionCookieName);
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SessionCookie_IsHttpOnlyAndLax_AndCarriesNoTokens()
    {
        var user = NewUser("cookie");
        server.Provider.AddUser(user);

        var page = await server.SignInThroughProviderAsync(user.Username);

        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == DashboardAuthenticationExtensions.SessionCookieName);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Lax, cookie.SameSite);
        Assert.Equal(-1, cookie.Expires);
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("/%09/evil.example")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example")]
    public async Task ReturnUrlToAnotherSite_LandsOnTheHomePage(string returnUrl)
    {
        var user = NewUser("return");
        server.Provider.AddUser(user);

        var page = await server.SignInThroughProviderAsync(user.Username, $"/account/sign-in?returnUrl={Uri.EscapeDataString(returnUrl).Replace("%2509", "%09", StringComparison.Ordinal)}");

        await page.WaitForURLAsync(server.BaseUrl + "/");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task LocalReturnUrl_IsKept()
    {
        var user = NewUser("local");
        server.Provider.AddUser(user);

        var page = await server.SignInThroughProviderAsync(user.Username, "/account/sign-in?returnUrl=" + Uri.EscapeDataString("/queue?x=1"));

        await page.WaitForURLAsync(server.BaseUrl + "/queue?x=1");
        await page.Context.CloseAsync();
    }

    private static TestOpenIdUser NewUser(string prefix)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        return new TestOpenIdUser($"{prefix}.{id}", $"subject-{prefix}-{id}", $"Test {prefix} {id}");
    }
}

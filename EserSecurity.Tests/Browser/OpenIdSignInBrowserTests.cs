using System.Text.RegularExpressions;
using EserSecurity.Core.Data;
using EserSecurity.Core.Identity;
using EserSecurity.Core.Staff;
using EserSecurity.Dashboard.Hosting;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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
        await Assertions.Expect(page.Locator("body")).ToHaveCSSAsync("background-color", "rgb(244, 246, 249)");
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "eser-sign-in-refused.png") });
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

    [Fact]
    public async Task TrustedStaffIdClaim_LinksTheAccountOnFirstSignIn_AndTheNextSignInFindsItByIssuerAndSubject()
    {
        var person = await UnlinkedStaffMemberAsync();
        var user = NewUser("trusted") with { StaffId = person.StaffId };
        server.Provider.AddUser(user);

        var page = await server.SignInThroughProviderAsync(user.Username);

        await ConsoleServer.WaitForCircuitAsync(page);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(person.FullName);
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await using (var db = await Database.CreateDbContextAsync())
        {
            var identity = await db.SignOnIdentities.SingleAsync(i => i.Subject == user.Subject);
            Assert.Equal((server.Provider.Authority, person.Id, SignOnLinkMethod.TrustedStaffId), (identity.Issuer, identity.StaffMemberId, identity.LinkedHow));
        }
        await page.Context.CloseAsync();

        server.Provider.AddUser(user with { StaffId = null });
        var again = await server.SignInThroughProviderAsync(user.Username);
        await ConsoleServer.WaitForCircuitAsync(again);
        await Assertions.Expect(again.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(person.FullName);
        await again.Context.CloseAsync();
    }

    [Fact]
    public async Task NamePrefixOfAStaffUsername_SignsNobodyIn()
    {
        var person = await UnlinkedStaffMemberAsync();
        var user = NewUser("prefix") with { Username = $"{person.Username}@anywhere.example", Name = person.FullName };
        server.Provider.AddUser(user);

        var page = await server.SignInThroughProviderAsync(user.Username);

        await ConsoleServer.WaitForCircuitAsync(page);
        await Assertions.Expect(page.GetByText("not linked", new() { Exact = false }).First).ToBeVisibleAsync();
        await using (var db = await Database.CreateDbContextAsync())
        {
            Assert.False(await db.SignOnIdentities.AnyAsync(i => i.Subject == user.Subject));
        }
        await page.Context.CloseAsync();
    }

    private IDbContextFactory<EserSecurityDbContext> Database => server.Services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>();

    /// <summary>An active staff member with a username and no account linked at the test provider; each call finds another.</summary>
    private async Task<StaffMember> UnlinkedStaffMemberAsync()
    {
        await using var db = await Database.CreateDbContextAsync();
        var issuer = server.Provider.Authority;
        var taken = Picked.ToList();
        var person = await db.StaffMembers.AsNoTracking()
            .Where(s => s.EmploymentStatus == EmploymentStatus.Active && s.Username != null && !taken.Contains(s.Id)
                && !db.SignOnIdentities.Any(i => i.Issuer == issuer && i.StaffMemberId == s.Id)
                && db.StaffMembers.Count(o => o.StaffId == s.StaffId) == 1)
            .OrderByDescending(s => s.Id)
            .FirstAsync();
        Picked.Add(person.Id);
        return person;
    }

    private static readonly System.Collections.Concurrent.ConcurrentBag<int> Picked = [];

    private static TestOpenIdUser NewUser(string prefix)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        return new TestOpenIdUser($"{prefix}.{id}", $"subject-{prefix}-{id}", $"Test {prefix} {id}");
    }
}

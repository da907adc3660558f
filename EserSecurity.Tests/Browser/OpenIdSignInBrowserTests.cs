using System.Text.RegularExpressions;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Data;
using EserSecurity.Core.SchoolSystems;
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
    public async Task FirstSignInWithoutALink_FilesALinkRequest_ACoordinatorConfirmsIt_AndTheNextSignInLandsOnTheirHome()
    {
        var (person, school, schoolSystem, coordinator) = await PersonAndTheirDistrictCoordinatorAsync();
        var newcomer = NewUser("newcomer") with { Name = person.FullName };
        var coordinatorUser = NewUser("coordinator") with { Name = coordinator.FullName, StaffId = coordinator.StaffId };
        server.Provider.AddUser(newcomer);
        server.Provider.AddUser(coordinatorUser);

        // The newcomer's first sign-in: nothing vouches for a Staff ID, so the console asks for a link request.
        var page = await server.SignInThroughProviderAsync(newcomer.Username);
        await ConsoleServer.WaitForCircuitAsync(page);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ask for your account to be linked" })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await page.GetByLabel("Staff ID").FillAsync(person.StaffId);
        await page.GetByLabel("School system", new() { Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = $"{schoolSystem.Name} ({schoolSystem.Code})" }).ClickAsync();
        await page.GetByLabel("School", new() { Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = school.Name, Exact = true }).First.ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "File link request" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("link-pending")).ToContainTextAsync($"Staff ID {person.StaffId}");
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await page.Context.CloseAsync();

        // The coordinator signs in through the same provider (linked by the trusted Staff ID claim) and confirms it.
        var coordinatorPage = await server.SignInThroughProviderAsync(coordinatorUser.Username, "/link-requests");
        await ConsoleServer.WaitForCircuitAsync(coordinatorPage);
        await Assertions.Expect(coordinatorPage.GetByRole(AriaRole.Heading, new() { Name = "Link requests", Level = 1 })).ToBeVisibleAsync();
        var confirm = coordinatorPage.GetByRole(AriaRole.Button, new() { Name = $"Confirm link request of {person.FullName} (Staff ID {person.StaffId})" });
        await Assertions.Expect(confirm).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(coordinatorPage);
        await confirm.ClickAsync();
        await Assertions.Expect(confirm).ToHaveCountAsync(0);
        await coordinatorPage.Context.CloseAsync();

        // The newcomer's next sign-in finds the person by issuer and subject and lands on their home.
        var again = await server.SignInThroughProviderAsync(newcomer.Username);
        await ConsoleServer.WaitForCircuitAsync(again);
        await Assertions.Expect(again.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(person.FullName);
        Assert.Equal(server.BaseUrl + "/", again.Url);
        await Accessibility.AssertNoSeriousViolationsAsync(again);
        await using (var db = await Database.CreateDbContextAsync())
        {
            var identity = await db.SignOnIdentities.SingleAsync(i => i.Subject == newcomer.Subject);
            Assert.Equal((server.Provider.Authority, person.Id, SignOnLinkMethod.ConfirmedRequest), (identity.Issuer, identity.StaffMemberId, identity.LinkedHow));
        }
        await again.Context.CloseAsync();
    }

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
    public async Task SignOut_EndsTheSessionAtTheConsoleAndAtTheProvider()
    {
        var person = await UnlinkedStaffMemberAsync();
        var user = NewUser("signout") with { StaffId = person.StaffId };
        server.Provider.AddUser(user);
        var page = await server.SignInThroughProviderAsync(user.Username);
        await ConsoleServer.WaitForCircuitAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await page.WaitForURLAsync(server.Provider.Authority + "login**");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == DashboardAuthenticationExtensions.SessionCookieName);
        await using var db = await Database.CreateDbContextAsync();
        Assert.All(await db.SignInSessions.Where(s => s.Subject == user.Subject).ToListAsync(), s => Assert.NotNull(s.EndedAt));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task LinkedPersonWhoseRecordEnded_IsRefused_WithAPageThatSaysWhatToDo()
    {
        var person = await UnlinkedStaffMemberAsync();
        var user = NewUser("ended") with { StaffId = person.StaffId };
        server.Provider.AddUser(user);
        var first = await server.SignInThroughProviderAsync(user.Username);
        await ConsoleServer.WaitForCircuitAsync(first);
        await first.Context.CloseAsync();
        await using (var db = await Database.CreateDbContextAsync())
        {
            await db.StaffMembers.Where(s => s.Id == person.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.EmploymentStatus, EmploymentStatus.Ended));
        }

        var page = await server.SignInThroughProviderAsync(user.Username);

        await page.WaitForURLAsync(new Regex("/account/refused\\?reason=NotAllowed$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("cannot use the console");
        await Assertions.Expect(page.GetByText("district security coordinator")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await page.Context.CloseAsync();
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

    /// <summary>
    /// An active staff member with a school and no account at the test provider, and an active district coordinator of
    /// their school system with none either.
    /// </summary>
    private async Task<(StaffMember Person, School School, SchoolSystem SchoolSystem, StaffMember Coordinator)> PersonAndTheirDistrictCoordinatorAsync()
    {
        await using var db = await Database.CreateDbContextAsync();
        var issuer = server.Provider.Authority;
        var taken = Picked.ToList();
        var coordinators = await db.CoordinatorAssignments.AsNoTracking()
            .Where(a => a.Coverage == CoordinatorCoverage.SchoolSystem && a.EndedAt == null && a.EndsOn == null
                && a.StaffMember!.EmploymentStatus == EmploymentStatus.Active && !taken.Contains(a.StaffMemberId)
                && !db.SignOnIdentities.Any(i => i.Issuer == issuer && i.StaffMemberId == a.StaffMemberId))
            .Select(a => new { a.StaffMemberId, a.SchoolSystemId })
            .ToListAsync();
        var coordinatorIds = await db.CoordinatorAssignments.Select(a => a.StaffMemberId).Distinct().ToListAsync();
        foreach (var assignment in coordinators)
        {
            var person = await db.StaffMembers.AsNoTracking().Include(s => s.Schools).ThenInclude(s => s.School)
                .Where(s => s.SchoolSystemId == assignment.SchoolSystemId && s.EmploymentStatus == EmploymentStatus.Active && s.Schools.Any()
                    && !coordinatorIds.Contains(s.Id) && !taken.Contains(s.Id)
                    && !db.SignOnIdentities.Any(i => i.Issuer == issuer && i.StaffMemberId == s.Id)
                    && db.StaffMembers.Count(o => o.StaffId == s.StaffId) == 1)
                .OrderBy(s => s.Id)
                .FirstOrDefaultAsync();
            if (person is not null)
            {
                Picked.Add(person.Id);
                Picked.Add(assignment.StaffMemberId);
                var coordinator = await db.StaffMembers.AsNoTracking().SingleAsync(s => s.Id == assignment.StaffMemberId);
                var schoolSystem = await db.SchoolSystems.AsNoTracking().SingleAsync(s => s.Id == assignment.SchoolSystemId);
                return (person, person.Schools[0].School!, schoolSystem, coordinator);
            }
        }
        throw new InvalidOperationException("The demo state has no district coordinator with an unlinked staff member to confirm.");
    }

    private static TestOpenIdUser NewUser(string prefix)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        return new TestOpenIdUser($"{prefix}.{id}", $"subject-{prefix}-{id}", $"Test {prefix} {id}");
    }
}

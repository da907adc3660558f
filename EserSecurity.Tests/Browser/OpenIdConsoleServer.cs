using EserSecurity.Tests.Support;
using Microsoft.Playwright;

namespace EserSecurity.Tests.Browser;

/// <summary>
/// The real console signing people in through a real OpenID Connect provider (<see cref="TestOpenIdProvider"/>) on
/// loopback: no development sign-in, the provider's <c>employee_id</c> claim trusted as the Staff ID.
/// </summary>
public sealed class OpenIdConsoleServer : ConsoleServer
{
    public TestOpenIdProvider Provider { get; private set; } = null!;

    protected override async Task ConfigureAsync(IDictionary<string, string?> environment)
    {
        Provider = await TestOpenIdProvider.StartAsync(BaseUrl);
        environment["OpenIdConnect__Authority"] = Provider.Authority;
        environment["OpenIdConnect__ClientId"] = TestOpenIdProvider.ClientId;
        environment["OpenIdConnect__ClientSecret"] = TestOpenIdProvider.ClientSecret;
        environment["OpenIdConnect__StaffIdClaim"] = TestOpenIdProvider.StaffIdClaim;
        environment["OpenIdConnect__RequireHttpsMetadata"] = "false";
    }

    /// <summary>A fresh browser context that opens <paramref name="path"/> and signs in at the provider as <paramref name="username"/>.</summary>
    public async Task<IPage> SignInThroughProviderAsync(string username, string path = "/")
    {
        var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        await SignInAtProviderAsync(page, username);
        return page;
    }

    /// <summary>On the provider's sign-in page: types the username and waits until the browser is back at the console.</summary>
    public async Task SignInAtProviderAsync(IPage page, string username)
    {
        await page.WaitForURLAsync(Provider.Authority + "**");
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(BaseUrl + "/**");
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Provider is not null)
        {
            await Provider.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
[FailOnContentSecurityPolicyViolation(typeof(OpenIdConsoleServer))]
public sealed class OpenIdBrowserCollection : ICollectionFixture<OpenIdConsoleServer>
{
    public const string Name = "OpenIdBrowser";
}

using EserSecurity.DemoState;

namespace EserSecurity.Tests.Browser;

/// <summary>
/// The shared page set-up fails a test on any Content-Security-Policy violation (<see cref="ContentSecurityPolicyWatch"/>);
/// this proves that a page which breaks the policy is caught.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ContentSecurityPolicyBrowserTests(ConsoleServer server)
{
    [Fact]
    public async Task AnInjectedInlineScript_IsBlocked_AndReportedAsAViolation()
    {
        var page = await server.SignInAsync(DemoPeople.StaffUser);

        var ran = await page.EvaluateAsync<bool>("""
            () => {
                const script = document.createElement('script');
                script.textContent = 'window.injectedScriptRan = true;';
                document.body.append(script);
                return window.injectedScriptRan === true;
            }
            """);

        Assert.False(ran, "An inline script without the page's nonce ran: the console sends no Content-Security-Policy that blocks it.");
        await server.PolicyViolations.ReportedAsync().WaitAsync(TimeSpan.FromSeconds(30));
        // Chromium reports one violation twice (its own console message and the page's event), not always together;
        // closing the page first delivers both, so none is left to fail the next check.
        await page.Context.CloseAsync();
        // The check every browser test runs after it ends fails on it, naming the directive.
        var failure = Assert.Throws<Xunit.Sdk.XunitException>(server.PolicyViolations.AssertNone);
        Assert.Contains("script-src", failure.Message, StringComparison.Ordinal);
    }
}

using System.Net;
using System.Text.RegularExpressions;
using EserSecurity.Tests.Support;

namespace EserSecurity.Tests.Dashboard.Hosting;

/// <summary>The headers on the real pipeline's responses (<see cref="ConsoleHost"/>), in Development and outside it.</summary>
public sealed partial class SecurityHeadersTests
{
    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task Pages_CarryAContentSecurityPolicyWithoutUnsafeEval_AndTheOtherSecurityHeaders(string environment)
    {
        await using var host = new ConsoleHost(environment);
        using var client = host.CreateHttpsClient();

        using var response = await client.GetAsync("/not-found");

        var policy = Directives(response);
        Assert.Equal("'self'", policy["default-src"]);
        Assert.Equal("'none'", policy["frame-ancestors"]);
        Assert.Equal("'none'", policy["object-src"]);
        Assert.Equal("'self'", policy["base-uri"]);
        Assert.StartsWith("'self'", policy["form-action"], StringComparison.Ordinal);
        Assert.Equal("'self'", policy["connect-src"]);
        Assert.DoesNotContain("unsafe-eval", string.Join(';', response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy["script-src"], StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("same-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Contains("camera=()", Assert.Single(response.Headers.GetValues("Permissions-Policy")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheImportMap_CarriesThisResponsesNonce_AndEachResponseHasItsOwn()
    {
        await using var host = new ConsoleHost("Development");
        using var client = host.CreateHttpsClient();

        using var first = await client.GetAsync("/not-found");
        using var second = await client.GetAsync("/not-found");

        var nonce = ScriptNonce().Match(Directives(first)["script-src"]).Groups["nonce"].Value;
        Assert.NotEmpty(nonce);
        var html = await first.Content.ReadAsStringAsync();
        var importMap = ImportMapTag().Match(html);
        Assert.True(importMap.Success, html);
        Assert.Contains($"nonce=\"{nonce}\"", importMap.Value, StringComparison.Ordinal);
        Assert.NotEqual(nonce, ScriptNonce().Match(Directives(second)["script-src"]).Groups["nonce"].Value);
    }

    [Fact]
    public async Task ARedirectToSignIn_CarriesTheHeadersToo()
    {
        await using var host = new ConsoleHost("Development");
        using var client = host.CreateHttpsClient();

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("'none'", Directives(response)["frame-ancestors"]);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task Hsts_IsSentForAYearOutsideDevelopment()
    {
        await using var host = new ConsoleHost("Production");
        using var client = host.CreateHttpsClient();

        using var response = await client.GetAsync("/not-found");

        Assert.Equal("max-age=31536000; includeSubDomains", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
    }

    [Fact]
    public async Task Hsts_IsNotSentInDevelopment()
    {
        await using var host = new ConsoleHost("Development");
        using var client = host.CreateHttpsClient();

        using var response = await client.GetAsync("/not-found");

        Assert.True(response.Headers.Contains("Content-Security-Policy"));
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task TheSignOnProvider_IsTheOnlyOtherPlaceAFormMaySendTheBrowser()
    {
        await using var host = new ConsoleHost("Production");
        using var client = host.CreateHttpsClient();

        using var response = await client.GetAsync("/not-found");

        Assert.Equal("'self' https://sign-on.state.example", Directives(response)["form-action"]);
    }

    private static Dictionary<string, string> Directives(HttpResponseMessage response) =>
        Assert.Single(response.Headers.GetValues("Content-Security-Policy"))
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(directive => directive.Split(' ', 2))
            .ToDictionary(parts => parts[0], parts => parts.Length > 1 ? parts[1] : "");

    [GeneratedRegex("<script[^>]*importmap[^>]*>")]
    private static partial Regex ImportMapTag();

    [GeneratedRegex("'nonce-(?<nonce>[A-Za-z0-9+/=]+)'")]
    private static partial Regex ScriptNonce();
}

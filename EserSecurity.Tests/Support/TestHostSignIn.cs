using System.Net;
using EserSecurity.Core.Identity;
using EserSecurity.Dashboard.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace EserSecurity.Tests.Support;

/// <summary>
/// What the in-memory test hosts (<see cref="DownloadHost"/>, <see cref="ApiHost"/>) share to stand in for a browser:
/// a loopback client address (the test server gives none) and a sign-in of a test person with the console's own
/// session cookie, as the Development sign-in gives it.
/// </summary>
public static class TestHostSignIn
{
    private const string SignInPath = "/test/sign-in/";

    /// <summary>Gives every request a loopback client address, as a browser on this machine has.</summary>
    public static void UseLoopbackClient(this WebApplication app) =>
        app.Use((context, next) =>
        {
            context.Connection.RemoteIpAddress ??= IPAddress.Loopback;
            return next(context);
        });

    /// <summary>Maps the endpoint that signs a test person in with the console's cookie (a Development-issuer account).</summary>
    public static void MapTestSignIn(this WebApplication app, TestDatabase database) =>
        app.MapGet(SignInPath + "{username}", async (string username, HttpContext context, SignInCookie cookie, SignOnLinks links) =>
        {
            var person = await TestPeople.GetAsync(database.Services, username);
            var account = new SignOnAccount(SignOnClaims.DevelopmentIssuer, person.StaffId, person.DisplayName, null, null);
            await context.SignInAsync(cookie.CreatePrincipal(account, await links.SignInAsync(account)));
        }).AllowAnonymous();

    /// <summary>Signs <paramref name="username"/> in through <see cref="MapTestSignIn"/> and keeps the session cookie on <paramref name="client"/>.</summary>
    public static async Task<HttpClient> SignInAsync(HttpClient client, string username)
    {
        var response = await client.GetAsync(SignInPath + username);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(DashboardAuthenticationExtensions.SessionCookieName + "=", StringComparison.Ordinal));
        client.DefaultRequestHeaders.Add("Cookie", cookie.Split(';')[0]);
        return client;
    }
}

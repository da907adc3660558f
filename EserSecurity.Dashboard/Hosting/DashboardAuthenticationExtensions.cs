using System.Security.Claims;
using EserSecurity.Core.Identity;
using EserSecurity.Core.Staff;
using EserSecurity.Dashboard.Components.Account;
using EserSecurity.DemoState;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Identity.Web;

namespace EserSecurity.Dashboard.Hosting;

public static class DashboardAuthenticationExtensions
{
    public const string DevelopmentSignInPath = "/dev/sign-in";
    private const string DevelopmentSignInKey = "DevelopmentSignIn:Enabled";
    private static readonly string[] RequiredAzureAdSettings = ["Instance", "TenantId", "ClientId"];

    /// <summary>Whether this host offers the development sign-in; decided once at startup.</summary>
    public static bool UsesDevelopmentSignIn(this IHostApplicationBuilder builder)
    {
        var enabled = builder.Configuration.GetValue<bool>(DevelopmentSignInKey);
        if (enabled && !builder.Environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"{DevelopmentSignInKey} is true in the '{builder.Environment.EnvironmentName}' environment. " +
                "The development sign-in lets anyone act as anyone and exists only in Development: remove the setting.");
        }
        return enabled;
    }

    /// <summary>
    /// Cookie sign-in with the demo people in Development; Microsoft Entra ID (OpenID Connect, section AzureAd) everywhere else.
    /// </summary>
    public static IHostApplicationBuilder AddDashboardAuthentication(this IHostApplicationBuilder builder)
    {
        if (builder.UsesDevelopmentSignIn())
        {
            builder.Services.Configure<SignOnLinkOptions>(o => o.AcceptDevelopmentIssuer = true);
            builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
                .AddCookie(options =>
                {
                    options.LoginPath = DevelopmentSignInPath;
                    options.ReturnUrlParameter = "returnUrl";
                    options.Cookie.Name = "EserSecurity.Dev";
                    options.Cookie.SameSite = SameSiteMode.Lax;
                    options.Events.OnValidatePrincipal = SignedInPeople.ValidateCookieAsync;
                });
        }
        else
        {
            var azureAd = builder.Configuration.GetSection("AzureAd");
            var missing = RequiredAzureAdSettings.Where(key => string.IsNullOrWhiteSpace(azureAd[key])).ToList();
            if (missing.Count > 0)
            {
                throw new InvalidOperationException(
                    $"Sign-in is not configured: set {string.Join(", ", missing.Select(k => "AzureAd:" + k))} " +
                    "(for example as environment variables AzureAd__TenantId) to the console's Microsoft Entra ID app registration.");
            }
            builder.Services.AddAuthentication(OpenIdConnectDefaults.AuthenticationScheme)
                .AddMicrosoftIdentityWebApp(azureAd);
        }

        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        builder.Services.AddCascadingAuthenticationState();
        return builder;
    }

    /// <summary>The sign-in and sign-out endpoints, and the development sign-in where it is enabled.</summary>
    public static WebApplication MapDashboardAccountEndpoints(this WebApplication app, bool developmentSignIn)
    {
        var account = app.MapGroup("/account").AllowAnonymous();
        account.MapGet("/sign-in", (string? returnUrl) =>
        {
            var target = SafeReturnUrl(returnUrl);
            return developmentSignIn
                ? Results.Redirect($"{DevelopmentSignInPath}?returnUrl={Uri.EscapeDataString(target)}")
                : Results.Challenge(new AuthenticationProperties { RedirectUri = target }, [OpenIdConnectDefaults.AuthenticationScheme]);
        });
        account.MapPost("/sign-out", async (HttpContext context, [FromServices] SignedInPeople people) =>
        {
            await people.SignOutAsync(context);
            if (!developmentSignIn)
            {
                return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" },
                    [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]);
            }
            return Results.Redirect(DevelopmentSignInPath);
        });

        if (developmentSignIn)
        {
            var dev = app.MapGroup(DevelopmentSignInPath).AllowAnonymous();
            dev.MapGet("", async (string? search, string? returnUrl, [FromServices] StaffDirectory directory, CancellationToken ct) =>
            {
                var people = await directory.FindSignInCandidatesAsync(DemoPeople.All, search, 60, ct);
                return new RazorComponentResult<DevelopmentSignInPage>(new
                {
                    People = people,
                    Search = search,
                    ReturnUrl = SafeReturnUrl(returnUrl),
                });
            });
            dev.MapPost("", async ([FromForm] string staffId, [FromForm] string? returnUrl, HttpContext context, [FromServices] SignOnLinks links, CancellationToken ct) =>
            {
                // The development issuer's subject is the Staff ID; SignOnLinks accepts it only where this sign-in is enabled.
                var account = new SignOnAccount(SignOnClaims.DevelopmentIssuer, staffId, null, null, null);
                var outcome = await links.SignInAsync(account, ct);
                if (!outcome.StartsSession)
                {
                    return Results.Redirect($"{DevelopmentSignInPath}?search={Uri.EscapeDataString(staffId)}");
                }
                await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
                    new ClaimsPrincipal(SignedInPeople.CreateIdentity(account, outcome)));
                return Results.LocalRedirect(SafeReturnUrl(returnUrl));
            });
        }
        return app;
    }

    /// <summary>Only local paths, so the sign-in cannot be used to bounce people to another site.</summary>
    private static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//") && !returnUrl.StartsWith("/\\")
            ? returnUrl
            : "/";
}

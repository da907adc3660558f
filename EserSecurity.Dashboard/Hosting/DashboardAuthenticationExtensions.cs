using System.Net;
using EserSecurity.Core.Identity;
using EserSecurity.Core.Staff;
using EserSecurity.Dashboard.Components.Account;
using EserSecurity.DemoState;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Web;
using Microsoft.IdentityModel.Tokens;

namespace EserSecurity.Dashboard.Hosting;

/// <summary>Where people sign in: Microsoft Entra ID, a standard OpenID Connect provider, or (Development only) the demo people.</summary>
public enum SignOnProvider
{
    Development,
    AzureAd,
    OpenIdConnect,
}

public static class DashboardAuthenticationExtensions
{
    public const string SignInPath = "/account/sign-in";
    public const string RefusedPath = "/account/refused";
    public const string DevelopmentSignInPath = "/dev/sign-in";
    public const string SessionCookieName = "EserSecurity.Session";
    private static readonly string[] RequiredAzureAdSettings = ["Instance", "TenantId", "ClientId"];
    private static readonly string[] RequiredOpenIdConnectSettings = ["Authority", "ClientId"];

    /// <summary>
    /// The one provider the configuration names, decided once at startup: the <c>AzureAd</c> or the <c>OpenIdConnect</c>
    /// section, or neither for the development sign-in, which exists only in Development.
    /// </summary>
    public static SignOnProvider SignOnProviderOf(this IHostApplicationBuilder builder)
    {
        var azureAd = builder.Configuration.GetSection(AzureAdSignOnOptions.SectionName).Exists();
        var openIdConnect = builder.Configuration.GetSection(OpenIdConnectSignOnOptions.SectionName).Exists();
        if (azureAd && openIdConnect)
        {
            throw new InvalidOperationException(
                "Both the AzureAd and the OpenIdConnect sections are configured. The console signs people in with exactly one provider: remove one of them.");
        }
        if (azureAd)
        {
            return SignOnProvider.AzureAd;
        }
        if (openIdConnect)
        {
            return SignOnProvider.OpenIdConnect;
        }
        if (!builder.Environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"Sign-in is not configured for the '{builder.Environment.EnvironmentName}' environment. Configure one provider: " +
                "the OpenIdConnect section (OpenIdConnect:Authority, OpenIdConnect:ClientId, OpenIdConnect:ClientSecret) for the state sign-on, " +
                "or the AzureAd section (AzureAd:Instance, AzureAd:TenantId, AzureAd:ClientId) for Microsoft Entra ID, for example as environment " +
                "variables OpenIdConnect__Authority. The development sign-in, which lets anyone act as anyone, exists only in Development.");
        }
        return SignOnProvider.Development;
    }

    /// <summary>Whether this host offers the development sign-in: in Development, when no provider is configured.</summary>
    public static bool UsesDevelopmentSignIn(this IHostApplicationBuilder builder) => builder.SignOnProviderOf() == SignOnProvider.Development;

    /// <summary>
    /// The console's own session cookie, and the provider that signs people in. Every sign-in goes through
    /// <see cref="SignInPath"/>, which keeps only local return URLs and then asks the provider.
    /// </summary>
    public static IHostApplicationBuilder AddDashboardAuthentication(this IHostApplicationBuilder builder)
    {
        var provider = builder.SignOnProviderOf();
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddOptions<SignInOptions>().Bind(builder.Configuration.GetSection(SignInOptions.SectionName))
            .Validate(o => o.IdleTimeout > TimeSpan.Zero && o.AbsoluteLifetime >= o.IdleTimeout,
                "SignIn:IdleTimeout must be positive and SignIn:AbsoluteLifetime at least as long as it.")
            .ValidateOnStart();
        builder.Services.AddSingleton<SignInCookie>();
        if (provider == SignOnProvider.Development)
        {
            builder.Services.Configure<SignOnLinkOptions>(o => o.AcceptDevelopmentIssuer = true);
        }

        var authentication = builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.DefaultChallengeScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            })
            .AddCookie(options =>
            {
                options.LoginPath = SignInPath;
                options.ReturnUrlParameter = "returnUrl";
                options.Cookie.Name = SessionCookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                options.SlidingExpiration = true;
                options.Events.OnValidatePrincipal = context => context.HttpContext.RequestServices.GetRequiredService<SignInCookie>().ValidateAsync(context);
            });
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<SignInOptions>, TimeProvider>((cookie, signIn, clock) =>
            {
                cookie.ExpireTimeSpan = signIn.Value.IdleTimeout;
                cookie.TimeProvider = clock;
            });

        switch (provider)
        {
            case SignOnProvider.OpenIdConnect:
                authentication.AddStateOpenIdConnect(builder.Configuration.GetSection(OpenIdConnectSignOnOptions.SectionName), development);
                break;
            case SignOnProvider.AzureAd:
                authentication.AddEntraId(builder.Configuration.GetSection(AzureAdSignOnOptions.SectionName));
                break;
            case SignOnProvider.Development:
                break;
        }

        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        builder.Services.AddCascadingAuthenticationState();
        return builder;
    }

    /// <summary>The framework's OpenID Connect handler: authorization code flow with PKCE, the issuer the provider's metadata names.</summary>
    private static void AddStateOpenIdConnect(this AuthenticationBuilder authentication, IConfigurationSection section, bool development)
    {
        var settings = section.Get<OpenIdConnectSignOnOptions>() ?? new();
        var missing = RequiredOpenIdConnectSettings.Where(key => string.IsNullOrWhiteSpace(section[key])).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"Sign-in is not configured: set {string.Join(", ", missing.Select(k => "OpenIdConnect:" + k))} " +
                "(for example as environment variables OpenIdConnect__Authority) to the console's registration at the state sign-on.");
        }
        if (!settings.RequireHttpsMetadata && !development)
        {
            throw new InvalidOperationException(
                "OpenIdConnect:RequireHttpsMetadata is false outside Development. The provider's metadata and keys must come over HTTPS: remove the setting.");
        }
        authentication.Services.Configure<OpenIdConnectSignOnOptions>(section);
        authentication.AddOpenIdConnect(options =>
        {
            options.Authority = settings.Authority;
            options.ClientId = settings.ClientId;
            options.ClientSecret = string.IsNullOrEmpty(settings.ClientSecret) ? null : settings.ClientSecret;
            options.ResponseType = "code";
            options.UsePkce = true;
            // The code comes back in the query of a top-level navigation, so the correlation cookies can be SameSite=Lax.
            options.ResponseMode = "query";
            options.Scope.Clear();
            options.Scope.Add("openid");
            foreach (var scope in settings.ScopesToAsk())
            {
                options.Scope.Add(scope);
            }
            options.RequireHttpsMetadata = settings.RequireHttpsMetadata;
            options.MapInboundClaims = false;
            options.GetClaimsFromUserInfoEndpoint = false;
            options.SaveTokens = false;
            options.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            options.SignOutScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            options.TokenValidationParameters.NameClaimType = settings.DisplayNameClaim;
            foreach (var cookie in new[] { options.CorrelationCookie, options.NonceCookie })
            {
                cookie.SameSite = SameSiteMode.Lax;
                cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            }
            options.Events.OnTokenValidated = async context =>
            {
                var configuration = await context.Options.ConfigurationManager!.GetConfigurationAsync(context.HttpContext.RequestAborted);
                var reading = SignOnAccountReader.ReadOpenIdConnect(context.Principal!, context.SecurityToken?.Issuer, configuration.Issuer, settings);
                await context.HttpContext.RequestServices.GetRequiredService<SignInCookie>().CompleteAsync(context, reading);
            };
            options.Events.OnRemoteFailure = RefuseRemoteFailureAsync;
        });
    }

    /// <summary>Microsoft Entra ID through Microsoft.Identity.Web, with the console's session cookie and its tenant check.</summary>
    private static void AddEntraId(this AuthenticationBuilder authentication, IConfigurationSection section)
    {
        var missing = RequiredAzureAdSettings.Where(key => string.IsNullOrWhiteSpace(section[key])).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"Sign-in is not configured: set {string.Join(", ", missing.Select(k => "AzureAd:" + k))} " +
                "(for example as environment variables AzureAd__TenantId) to the console's Microsoft Entra ID app registration.");
        }
        var settings = section.Get<AzureAdSignOnOptions>() ?? new();
        if (settings.AcceptedTenants().Count == 0)
        {
            throw new InvalidOperationException(
                $"AzureAd:TenantId is '{settings.TenantId}', which admits accounts of any tenant: set AzureAd:AllowedTenants to the tenant ids whose accounts may sign in.");
        }
        authentication.AddMicrosoftIdentityWebApp(section, OpenIdConnectDefaults.AuthenticationScheme, cookieScheme: null);
        authentication.Services.Configure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, options =>
        {
            options.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            options.SaveTokens = false;
            var identityWebTokenValidated = options.Events.OnTokenValidated;
            options.Events.OnTokenValidated = async context =>
            {
                await identityWebTokenValidated(context);
                if (context.Result is null)
                {
                    var reading = SignOnAccountReader.ReadAzureAd(context.Principal!, settings);
                    await context.HttpContext.RequestServices.GetRequiredService<SignInCookie>().CompleteAsync(context, reading);
                }
            };
            options.Events.OnRemoteFailure = RefuseRemoteFailureAsync;
        });
    }

    /// <summary>A failed answer from the provider (an error, a token that does not validate) ends on the refusal page, never on an exception page.</summary>
    private static Task RefuseRemoteFailureAsync(RemoteFailureContext context)
    {
        var invalidIssuer = context.Failure is SecurityTokenInvalidIssuerException || context.Failure?.InnerException is SecurityTokenInvalidIssuerException;
        context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DashboardAuthenticationExtensions))
            .LogWarning(context.Failure, "A sign-in was refused: the provider's answer did not validate.");
        context.Response.Redirect(RefusedUrl(invalidIssuer ? SignInRefusal.OtherIssuer : SignInRefusal.ProviderFailed));
        context.HandleResponse();
        return Task.CompletedTask;
    }

    public static string RefusedUrl(SignInRefusal refusal) => $"{RefusedPath}?reason={refusal}";

    /// <summary>The sign-in, sign-out and refusal endpoints, and the development sign-in where it is enabled.</summary>
    public static WebApplication MapDashboardAccountEndpoints(this WebApplication app, bool developmentSignIn)
    {
        var account = app.MapGroup("/account").AllowAnonymous();
        account.MapGet("/sign-in", (string? returnUrl) =>
        {
            var target = LocalReturnUrl(returnUrl);
            return developmentSignIn
                ? Results.Redirect($"{DevelopmentSignInPath}?returnUrl={Uri.EscapeDataString(target)}")
                : Results.Challenge(new AuthenticationProperties { RedirectUri = target }, [OpenIdConnectDefaults.AuthenticationScheme]);
        });
        account.MapGet("/refused", (string? reason) =>
            new RazorComponentResult<SignInRefusedPage>(new
            {
                Reason = Enum.TryParse<SignInRefusal>(reason, ignoreCase: true, out var refusal) && Enum.IsDefined(refusal) ? refusal : SignInRefusal.ProviderFailed,
            }));
        account.MapPost("/sign-out", async (HttpContext context, [FromServices] SignedInPeople people) =>
        {
            await people.SignOutAsync(context);
            if (!developmentSignIn)
            {
                return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIdConnectDefaults.AuthenticationScheme]);
            }
            return Results.Redirect(DevelopmentSignInPath);
        });

        if (developmentSignIn)
        {
            var dev = app.MapGroup(DevelopmentSignInPath).AllowAnonymous().AddEndpointFilter(async (context, next) =>
                IsLoopback(context.HttpContext.Connection.RemoteIpAddress)
                    ? await next(context)
                    : Results.Text(
                        "The development sign-in answers only on this machine (a loopback address such as 127.0.0.1). " +
                        "Open the console from the machine it runs on, or configure a sign-on provider.",
                        statusCode: StatusCodes.Status403Forbidden));
            dev.MapGet("", async (string? search, string? returnUrl, [FromServices] StaffDirectory directory, CancellationToken ct) =>
            {
                var people = await directory.FindSignInCandidatesAsync(DemoPeople.All, search, 60, ct);
                return new RazorComponentResult<DevelopmentSignInPage>(new
                {
                    People = people,
                    Search = search,
                    ReturnUrl = LocalReturnUrl(returnUrl),
                });
            });
            dev.MapPost("", async ([FromForm] string staffId, [FromForm] string? returnUrl, HttpContext context, [FromServices] SignOnLinks links,
                [FromServices] SignInCookie cookie, CancellationToken ct) =>
            {
                // The development issuer's subject is the Staff ID; SignOnLinks accepts it only where this sign-in is enabled.
                var account = new SignOnAccount(SignOnClaims.DevelopmentIssuer, staffId, null, null, null);
                var outcome = await links.SignInAsync(account, ct);
                if (!outcome.StartsSession)
                {
                    return Results.Redirect($"{DevelopmentSignInPath}?search={Uri.EscapeDataString(staffId)}");
                }
                await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, cookie.CreatePrincipal(account, outcome));
                return Results.LocalRedirect(LocalReturnUrl(returnUrl));
            });
        }
        return app;
    }

    /// <summary>Whether a client connected from this machine; the development sign-in answers no one else.</summary>
    public static bool IsLoopback(IPAddress? address) =>
        address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    /// <summary>
    /// A return URL by the framework's local-URL rules (no other host, no <c>//</c> or <c>/\</c>, no control characters),
    /// so the sign-in cannot be used to bounce people to another site; anything else returns to the home page.
    /// </summary>
    public static string LocalReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && RedirectHttpResult.IsLocalUrl(returnUrl) && !returnUrl.StartsWith('~') ? returnUrl : "/";
}

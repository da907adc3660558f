using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace EserSecurity.Tests.Support;

/// <summary>A person who can sign in at the <see cref="TestOpenIdProvider"/>.</summary>
/// <param name="Username">What the person types on the provider's sign-in page.</param>
/// <param name="Subject">The account's <c>sub</c>.</param>
/// <param name="StaffId">Put in the <see cref="TestOpenIdProvider.StaffIdClaim"/> claim, which the console may be configured to trust.</param>
/// <param name="ForeignIssuer">The provider signs this person's ID token with its own key but names another issuer in it.</param>
public sealed record TestOpenIdUser(string Username, string Subject, string Name, string? StaffId = null, string? Email = null,
    bool EmailVerified = false, bool ForeignIssuer = false);

/// <summary>An application that gets access tokens for the console's API with the client credentials grant.</summary>
/// <param name="Audience">The resource its tokens name as audience.</param>
/// <param name="Expired">The provider issues this client's tokens already expired (signed with its real key).</param>
public sealed record TestMachineClient(string ClientId, string Secret, IReadOnlyList<string> Scopes, string Audience, bool Expired = false);

/// <summary>
/// A real OpenID Connect provider (OpenIddict's server, with its Entity Framework Core store over a temp SQLite file)
/// on a free loopback port, for the end-to-end sign-in tests: authorization code flow with PKCE over plain http, one
/// confidential client (the console), test users who sign in by typing their username.
/// </summary>
public sealed class TestOpenIdProvider : IAsyncDisposable
{
    public const string ClientId = "eser-security-console";
    public const string ClientSecret = "test-provider-client-secret";
    public const string StaffIdClaim = "employee_id";
    public const string ForeignIssuerUri = "http://foreign-issuer.example/";
    private const string ProviderCookie = "TestProvider";

    public const string ApiAudience = "api://eser-security-test";
    private const string ExpiredMarker = "test_expired";

    private readonly ConcurrentDictionary<string, TestOpenIdUser> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, TestMachineClient> _machines = new(StringComparer.Ordinal);
    private readonly string _databasePath = Path.Combine(Path.GetTempPath(), $"eser-oidc-provider-{Guid.NewGuid():N}.db");
    private WebApplication? _app;

    public string Authority { get; private set; } = "";

    public void AddUser(TestOpenIdUser user) => _users[user.Username] = user;

    /// <summary>Starts the provider with the console (at <paramref name="consoleBaseUrl"/>) registered as its client.</summary>
    public static async Task<TestOpenIdProvider> StartAsync(string consoleBaseUrl)
    {
        var provider = new TestOpenIdProvider();
        await provider.StartCoreAsync(consoleBaseUrl.TrimEnd('/'));
        return provider;
    }

    private async Task StartCoreAsync(string consoleBaseUrl)
    {
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            Authority = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/";
        }
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseUrls(Authority);
        builder.Logging.ClearProviders();
        builder.Services.AddDbContext<ProviderDbContext>(options =>
        {
            options.UseSqlite($"Data Source={_databasePath}");
            options.UseOpenIddict();
        });
        builder.Services.AddAuthentication(ProviderCookie).AddCookie(ProviderCookie, options =>
        {
            options.Cookie.Name = "TestProvider.Session";
            options.LoginPath = "/login";
        });
        builder.Services.AddOpenIddict()
            .AddCore(options => options.UseEntityFrameworkCore().UseDbContext<ProviderDbContext>())
            .AddServer(options =>
            {
                options.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetEndSessionEndpointUris("connect/endsession");
                options.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                options.AllowClientCredentialsFlow();
                options.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email, "access.read", "changes.read", "other.scope");
                options.AddEventHandler<OpenIddictServerEvents.HandleTokenRequestContext>(handler => handler.UseInlineHandler(IssueClientCredentials));
                options.RegisterClaims(StaffIdClaim);
                options.AddEphemeralEncryptionKey().AddEphemeralSigningKey().DisableAccessTokenEncryption();
                options.AddEventHandler<OpenIddictServerEvents.GenerateTokenContext>(handler => handler
                    .UseInlineHandler(context => { ExpireMarked(context); return NameForeignIssuer(context); })
                    .SetOrder(OpenIddictServerHandlers.Protection.GenerateIdentityModelToken.Descriptor.Order + 1));
                options.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .DisableTransportSecurityRequirement();
            });

        _app = builder.Build();
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ProviderDbContext>().Database.EnsureCreatedAsync();
            var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            await applications.CreateAsync(new OpenIddictApplicationDescriptor
            {
                ClientId = ClientId,
                ClientSecret = ClientSecret,
                ClientType = ClientTypes.Confidential,
                DisplayName = "EserSecurity console",
                RedirectUris = { new Uri($"{consoleBaseUrl}/signin-oidc") },
                PostLogoutRedirectUris = { new Uri($"{consoleBaseUrl}/signout-callback-oidc") },
                Permissions =
                {
                    Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.EndSession,
                    Permissions.GrantTypes.AuthorizationCode, Permissions.ResponseTypes.Code,
                    Permissions.Scopes.Profile, Permissions.Scopes.Email,
                },
                Requirements = { Requirements.Features.ProofKeyForCodeExchange },
            });
        }

        _app.UseAuthentication();
        _app.MapGet("/login", (string? returnUrl) => Results.Content(LoginPage(returnUrl), "text/html"));
        _app.MapPost("/login", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            var returnUrl = form["returnUrl"].ToString();
            if (!_users.TryGetValue(form["username"].ToString(), out var user))
            {
                return Results.Content(LoginPage(returnUrl, "No such test user."), "text/html");
            }
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user.Username)], ProviderCookie);
            await context.SignInAsync(ProviderCookie, new ClaimsPrincipal(identity));
            return Results.Redirect(returnUrl.StartsWith("/connect/", StringComparison.Ordinal) ? returnUrl : "/");
        }).DisableAntiforgery();
        _app.MapMethods("/connect/authorize", ["GET", "POST"], (Func<HttpContext, Task<IResult>>)AuthorizeAsync);
        _app.MapMethods("/connect/endsession", ["GET", "POST"], async (HttpContext context) =>
        {
            await context.SignOutAsync(ProviderCookie);
            return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        });
        await _app.StartAsync();
    }

    /// <summary>Registers an application that gets API tokens with the client credentials grant.</summary>
    public async Task AddMachineClientAsync(TestMachineClient client)
    {
        _machines[client.ClientId] = client;
        await using var scope = _app!.Services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = client.ClientId,
            ClientSecret = client.Secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = client.ClientId,
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
        };
        foreach (var allowed in client.Scopes)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + allowed);
        }
        await applications.CreateAsync(descriptor);
    }

    /// <summary>An access token for a machine client, asked for at the token endpoint as any client would.</summary>
    public async Task<string> GetClientTokenAsync(string clientId, string secret, params string[] scopes)
    {
        using var http = new HttpClient { BaseAddress = new Uri(Authority) };
        using var response = await http.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = GrantTypes.ClientCredentials,
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["scope"] = string.Join(' ', scopes),
        }));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The test provider refused the token request: {body}");
        }
        using var json = System.Text.Json.JsonDocument.Parse(body);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    private ValueTask IssueClientCredentials(OpenIddictServerEvents.HandleTokenRequestContext context)
    {
        if (!context.Request.IsClientCredentialsGrantType() || !_machines.TryGetValue(context.Request.ClientId!, out var client))
        {
            return ValueTask.CompletedTask;
        }
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, client.ClientId).SetClaim(Claims.ClientId, client.ClientId);
        if (client.Expired)
        {
            identity.SetClaim(ExpiredMarker, "true");
        }
        identity.SetScopes(context.Request.GetScopes().Intersect(client.Scopes));
        identity.SetResources(client.Audience);
        identity.SetDestinations(claim => claim.Type == ExpiredMarker ? [] : [Destinations.AccessToken]);
        context.SignIn(new ClaimsPrincipal(identity));
        return ValueTask.CompletedTask;
    }

    /// <summary>For an expired client, the access token is signed again with the provider's own key, valid only in the past.</summary>
    private void ExpireMarked(OpenIddictServerEvents.GenerateTokenContext context)
    {
        if (context.TokenType == TokenTypeIdentifiers.AccessToken && context.Request?.ClientId is { } clientId
            && _machines.TryGetValue(clientId, out var client) && client.Expired && context.SecurityTokenDescriptor is { } descriptor)
        {
            var past = DateTime.UtcNow.AddHours(-2);
            descriptor.IssuedAt = past;
            descriptor.NotBefore = past;
            descriptor.Expires = past.AddMinutes(10);
            foreach (var claim in new[] { Claims.ExpiresAt, Claims.IssuedAt, Claims.NotBefore })
            {
                descriptor.Claims?.Remove(claim);
            }
            context.Token = context.SecurityTokenHandler.CreateToken(descriptor);
        }
    }

    private async Task<IResult> AuthorizeAsync(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var signedIn = await context.AuthenticateAsync(ProviderCookie);
        if (!signedIn.Succeeded || !_users.TryGetValue(signedIn.Principal!.Identity!.Name!, out var user))
        {
            return Results.Redirect("/login?returnUrl=" + Uri.EscapeDataString(context.Request.Path + context.Request.QueryString));
        }
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Subject).SetClaim(Claims.Name, user.Name).SetClaim(Claims.PreferredUsername, user.Username);
        if (user.StaffId is not null)
        {
            identity.SetClaim(StaffIdClaim, user.StaffId);
        }
        if (user.Email is not null)
        {
            identity.SetClaim(Claims.Email, user.Email);
            identity.AddClaim(new Claim(Claims.EmailVerified, user.EmailVerified ? "true" : "false", ClaimValueTypes.Boolean));
        }
        if (user.ForeignIssuer)
        {
            identity.SetClaim(ForeignIssuerMarker, "true");
        }
        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(claim => claim.Type == ForeignIssuerMarker
            ? [Destinations.IdentityToken]
            : [Destinations.AccessToken, Destinations.IdentityToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private const string ForeignIssuerMarker = "test_foreign_issuer";

    /// <summary>For a foreign-issuer user, the ID token is signed again with the provider's own key but names another issuer.</summary>
    private static ValueTask NameForeignIssuer(OpenIddictServerEvents.GenerateTokenContext context)
    {
        if (context.TokenType == TokenTypeIdentifiers.IdentityToken && context.Principal.HasClaim(ForeignIssuerMarker, "true")
            && context.SecurityTokenDescriptor is { } descriptor)
        {
            descriptor.Issuer = ForeignIssuerUri;
            descriptor.Claims?.Remove(Claims.Issuer);
            context.Token = context.SecurityTokenHandler.CreateToken(descriptor);
        }
        return ValueTask.CompletedTask;
    }

    private static string LoginPage(string? returnUrl, string? error = null) =>
        $"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Test sign-on</title></head>
        <body><main><h1>Test sign-on</h1>{(error is null ? "" : $"<p role=\"alert\">{WebUtility.HtmlEncode(error)}</p>")}
        <form method="post" action="/login">
        <input type="hidden" name="returnUrl" value="{WebUtility.HtmlEncode(returnUrl ?? "")}">
        <label for="username">Username</label> <input id="username" name="username" autocomplete="off">
        <button type="submit">Sign in</button>
        </form></main></body></html>
        """;

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        SqliteConnection.ClearAllPools();
        File.Delete(_databasePath);
    }

    private sealed class ProviderDbContext(DbContextOptions<ProviderDbContext> options) : DbContext(options);
}

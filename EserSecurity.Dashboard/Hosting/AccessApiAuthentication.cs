using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace EserSecurity.Dashboard.Hosting;

/// <summary>
/// How machine clients reach the access API: OAuth 2.0 bearer tokens (client credentials) from the configured issuer,
/// checked for issuer, audience, lifetime and signature by the framework's JWT handler. The API's policy names only that
/// scheme, so no session cookie ever authorizes an API call; the console's pages name only the cookie, so no token opens
/// them. Which client may use which scope is the console's own register (<c>ApiClientRegistry</c>), asked per call.
/// </summary>
public static class AccessApiAuthentication
{
    public const string Scheme = "AccessApi";
    public const string Policy = "AccessApi";
    public const string RateLimitPolicy = "AccessApi";

    public static IHostApplicationBuilder AddAccessApi(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(AccessApiOptions.SectionName);
        builder.Services.Configure<AccessApiOptions>(section);
        var settings = section.Get<AccessApiOptions>() ?? new();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.AddAccessApiDescription();
        if (!settings.IsEnabled)
        {
            return builder;
        }
        var authority = AuthorityOf(builder, settings);
        if (!settings.RequireHttpsMetadata && !builder.Environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                "Api:RequireHttpsMetadata is false outside Development. The token issuer's metadata and keys must come over HTTPS: remove the setting.");
        }
        new AuthenticationBuilder(builder.Services).AddJwtBearer(Scheme, options =>
        {
            options.Authority = authority;
            options.Audience = settings.Audience;
            options.RequireHttpsMetadata = settings.RequireHttpsMetadata;
            options.MapInboundClaims = false;
            options.SaveToken = false;
            options.TokenValidationParameters.ValidateIssuer = true;
            options.TokenValidationParameters.ValidateAudience = true;
            options.TokenValidationParameters.ValidateLifetime = true;
            options.TokenValidationParameters.RequireExpirationTime = true;
            options.TokenValidationParameters.ClockSkew = settings.ClockSkew;
            options.Events = new JwtBearerEvents
            {
                OnChallenge = async context =>
                {
                    // The framework's challenge is an empty 401; a client's developer gets the reason as problem details too.
                    context.HandleResponse();
                    var detail = context.AuthenticateFailure is null
                        ? "Send a bearer token from the sign-on provider (client credentials) in the Authorization header."
                        : "The bearer token was refused: it must come from the configured issuer, name this API as its audience, and be unexpired.";
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    context.Response.Headers.WWWAuthenticate = context.AuthenticateFailure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
                    await Results.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Not authenticated").ExecuteAsync(context.HttpContext);
                },
            };
        });
        builder.Services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser());
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(RateLimitPolicy, context =>
            {
                var api = context.RequestServices.GetRequiredService<IOptions<AccessApiOptions>>().Value;
                return RateLimitPartition.GetTokenBucketLimiter(ApiCallers.ClientIdOf(context.User, api) ?? "", _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(1, api.Burst),
                    TokensPerPeriod = Math.Max(1, api.RequestsPerSecond),
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
        });
        builder.Services.AddSingleton<ApiCallers>();
        return builder;
    }

    /// <summary>The token issuer: <c>Api:Authority</c>, else the sign-in provider's.</summary>
    private static string AuthorityOf(IHostApplicationBuilder builder, AccessApiOptions settings)
    {
        if (!string.IsNullOrWhiteSpace(settings.Authority))
        {
            return settings.Authority;
        }
        var config = builder.Configuration;
        if (!string.IsNullOrWhiteSpace(config["OpenIdConnect:Authority"]))
        {
            return config["OpenIdConnect:Authority"]!;
        }
        if (!string.IsNullOrWhiteSpace(config["AzureAd:Instance"]) && Guid.TryParse(config["AzureAd:TenantId"], out var tenant))
        {
            return $"{config["AzureAd:Instance"]!.TrimEnd('/')}/{tenant}/v2.0";
        }
        throw new InvalidOperationException(
            "Api:Audience is set but nothing issues the API's tokens: set Api:Authority to the provider that issues client-credentials tokens " +
            "(or configure the OpenIdConnect or AzureAd sign-in, whose provider is then used).");
    }
}

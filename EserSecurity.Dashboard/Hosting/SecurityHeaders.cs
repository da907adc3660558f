using System.Security.Cryptography;

namespace EserSecurity.Dashboard.Hosting;

/// <summary>
/// The security headers on every response the console writes: a Content-Security-Policy that Blazor Server and
/// MudBlazor work under without <c>unsafe-eval</c>, <c>X-Content-Type-Options</c>, a <c>Referrer-Policy</c> that keeps
/// URLs (names and Staff IDs in query strings) on the site, a <c>Permissions-Policy</c>, and HSTS outside Development.
/// </summary>
public static class SecurityHeaders
{
    public const string ReferrerPolicy = "same-origin";

    /// <summary>Browser features the console never uses, switched off for it and anything it frames.</summary>
    public const string PermissionsPolicy =
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";

    private const string NonceKey = "EserSecurity.ContentSecurityPolicyNonce";

    /// <summary>HSTS for a year, subdomains included; <c>UseHsts</c> sends it outside Development only.</summary>
    public static IHostApplicationBuilder AddSecurityHeaders(this IHostApplicationBuilder builder)
    {
        var formTargets = SignOnFormTargets(builder.Configuration);
        builder.Services.AddSingleton(new ContentSecurityPolicy(formTargets));
        builder.Services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(365);
            options.IncludeSubDomains = true;
        });
        return builder;
    }

    /// <summary>
    /// Sets the headers as each response starts, so that redirects, errors, re-executed status pages and static files
    /// carry them as well as pages.
    /// </summary>
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        var policy = app.Services.GetRequiredService<ContentSecurityPolicy>();
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                var framedBySelf = context.GetEndpoint()?.Metadata.GetMetadata<FramedBySelf>() is not null;
                headers.ContentSecurityPolicy = policy.For(context.ContentSecurityPolicyNonce(), framedBySelf);
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = ReferrerPolicy;
                headers["Permissions-Policy"] = PermissionsPolicy;
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }

    /// <summary>
    /// This request's nonce for the inline scripts the console writes itself (the import map): fresh random bytes per
    /// request (hex, which HTML writes as it is), so a script injected into a page cannot carry it.
    /// </summary>
    public static string ContentSecurityPolicyNonce(this HttpContext context)
    {
        if (context.Items[NonceKey] is not string nonce)
        {
            nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            context.Items[NonceKey] = nonce;
        }
        return nonce;
    }

    /// <summary>
    /// Lets the console's own pages frame these endpoints (the document preview shows a PDF in an iframe); every
    /// other response may not be framed at all.
    /// </summary>
    public static TBuilder FramedBySelfOnly<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new FramedBySelf());

    /// <summary>
    /// Where a form may send the browser besides the console: signing out posts to the console, which redirects to the
    /// sign-on provider's sign-out, and the browser applies <c>form-action</c> to that redirect too.
    /// </summary>
    private static List<string> SignOnFormTargets(IConfiguration configuration) =>
        new[] { configuration["OpenIdConnect:Authority"], configuration["AzureAd:Instance"] }
            .Select(address => Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? uri.GetLeftPart(UriPartial.Authority) : null)
            .OfType<string>()
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();

    private sealed class FramedBySelf;
}

/// <summary>
/// The console's Content-Security-Policy. Scripts come from the console only, plus inline scripts that carry this
/// request's nonce; nothing is evaluated from strings. Styles allow inline because MudBlazor writes its theme as a
/// <c>style</c> element and positions popovers and sizes columns through <c>style</c> attributes. <c>connect-src
/// 'self'</c> covers the circuit's WebSocket to the same host and port (CSP Level 3 matches <c>ws:</c> and <c>wss:</c>
/// to <c>'self'</c>).
/// </summary>
public sealed class ContentSecurityPolicy(IReadOnlyList<string> signOnFormTargets)
{
    private readonly string _formAction = string.Join(' ', ["'self'", .. signOnFormTargets]);

    public string For(string nonce, bool framedBySelf) =>
        "default-src 'self'; " +
        $"script-src 'self' 'nonce-{nonce}'; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; " +
        "font-src 'self'; " +
        "connect-src 'self'; " +
        "frame-src 'self'; " +
        $"frame-ancestors {(framedBySelf ? "'self'" : "'none'")}; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        $"form-action {_formAction}";
}

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using EserSecurity.Core.Assurance;
using EserSecurity.Dashboard.Components.Verification;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace EserSecurity.Dashboard.Hosting;

/// <summary>
/// The public page that checks a signed statement's verification code: open without sign-in, rendered on the server
/// as a plain HTML page with a GET form (no circuit, no script), so a scanned QR code or a typed code both work.
/// Lookups are rate-limited per client address; the code's 100 random bits already make guessing hopeless, the limit
/// keeps the page from being used to hammer the database.
/// </summary>
public static class VerificationEndpoints
{
    public const string Path = "/verify";
    public const string TooManyLookupsMessage = "Too many lookups from your address; wait a minute and try again.";
    private const string LookupPolicy = "verification-lookups";

    public static IHostApplicationBuilder AddVerification(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<VerificationOptions>()
            .Bind(builder.Configuration.GetSection(VerificationOptions.SectionName))
            .Validate(o => o.LookupsPerMinute is >= 1 and <= 100_000,
                $"{VerificationOptions.SectionName}:{nameof(VerificationOptions.LookupsPerMinute)} must be from 1 to 100,000.")
            .ValidateOnStart();
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(LookupPolicy, context =>
            {
                // Opening the empty form costs nothing; only a lookup counts.
                if (!IsLookup(context))
                {
                    return RateLimitPartition.GetNoLimiter("form");
                }
                var limit = context.RequestServices.GetRequiredService<IOptions<VerificationOptions>>().Value.LookupsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(PartitionKey(context.Connection.RemoteIpAddress), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limit,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
            options.OnRejected = async (rejected, _) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                var http = rejected.HttpContext;
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                http.Response.Headers.CacheControl = "no-store";
                await Page(null, null, throttled: true, StatusCodes.Status429TooManyRequests).ExecuteAsync(http);
            };
        });
        return builder;
    }

    public static WebApplication MapVerificationEndpoints(this WebApplication app)
    {
        var verify = app.MapGroup(Path).AllowAnonymous().RequireRateLimiting(LookupPolicy);
        verify.MapGet("", (string? code, HttpContext context, [FromServices] AssuranceService assurance, CancellationToken ct) =>
            LookUpAsync(code, context, assurance, ct));
        verify.MapGet("/{code}", (string code, HttpContext context, [FromServices] AssuranceService assurance, CancellationToken ct) =>
            LookUpAsync(code, context, assurance, ct));
        return app;
    }

    private static async Task<RazorComponentResult<VerificationPage>> LookUpAsync(string? code, HttpContext context, AssuranceService assurance, CancellationToken ct)
    {
        // A result can change (a correction supersedes it), and it names a person: never cache it.
        context.Response.Headers.CacheControl = "no-store";
        if (string.IsNullOrWhiteSpace(code))
        {
            return Page(null, null, throttled: false);
        }
        return Page(code.Trim(), await assurance.VerifyAsync(code, ct), throttled: false);
    }

    private static RazorComponentResult<VerificationPage> Page(string? code, VerificationResult? result, bool throttled, int statusCode = StatusCodes.Status200OK) =>
        new RazorComponentResult<VerificationPage>(new { Code = code, Result = result, Throttled = throttled }) { StatusCode = statusCode };

    private static bool IsLookup(HttpContext context) =>
        context.Request.RouteValues.ContainsKey("code") || !string.IsNullOrWhiteSpace(context.Request.Query["code"]);

    /// <summary>One partition per IPv4 address, and per /64 network for IPv6, where one client holds a whole /64.</summary>
    internal static string PartitionKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}

using System.Globalization;
using System.Security.Claims;
using EserSecurity.Core.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace EserSecurity.Dashboard.Hosting;

/// <summary>
/// The console's session: the cookie written once a provider's token is validated, and the check every request makes
/// of it (absolute lifetime from the sign-in time the console stored, and the session still live in Core).
/// </summary>
public sealed class SignInCookie(TimeProvider clock, IOptions<SignInOptions> options)
{
    /// <summary>
    /// Finishes a provider's sign-in: the account read from the validated token, or the refusal page. The cookie then
    /// carries the console's own claims only; nothing else from the token stays with the session.
    /// </summary>
    public Task CompleteAsync(TokenValidatedContext context, SignOnAccountReading reading)
    {
        if (reading.Account is not { } account)
        {
            context.Response.Redirect(DashboardAuthenticationExtensions.RefusedUrl(reading.Refusal ?? SignInRefusal.ProviderFailed));
            context.HandleResponse();
            return Task.CompletedTask;
        }
        context.Principal = CreatePrincipal(account, Guid.NewGuid().ToString("N"));
        context.Properties!.IsPersistent = false;
        return Task.CompletedTask;
    }

    /// <summary>The principal of the console's cookie: the account's issuer and subject, its trusted claims, the session and when it began.</summary>
    public ClaimsPrincipal CreatePrincipal(SignOnAccount account, string session)
    {
        var claims = new List<Claim>
        {
            new(SignOnClaims.Issuer, account.Issuer),
            new(SignOnClaims.Subject, account.Subject),
            new(SignOnClaims.Session, session),
            new(SignOnClaims.SignedInAt, clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
        };
        if (!string.IsNullOrEmpty(account.DisplayName))
        {
            claims.Add(new Claim("name", account.DisplayName));
        }
        if (!string.IsNullOrEmpty(account.TrustedStaffId))
        {
            claims.Add(new Claim(SignOnClaims.TrustedStaffId, account.TrustedStaffId));
        }
        if (!string.IsNullOrEmpty(account.TrustedEmail))
        {
            claims.Add(new Claim(SignOnClaims.TrustedEmail, account.TrustedEmail));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme, "name", null));
    }

    /// <summary>
    /// Refuses a cookie whose session is over: past the absolute lifetime counted from the stored sign-in time (the
    /// cookie's own expiry slides with use), or without the console's claims.
    /// </summary>
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var signedInAt = principal?.FindFirst(SignOnClaims.SignedInAt)?.Value;
        var live = principal?.FindFirst(SignOnClaims.Session) is not null
            && long.TryParse(signedInAt, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds) < options.Value.AbsoluteLifetime;
        if (!live)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}

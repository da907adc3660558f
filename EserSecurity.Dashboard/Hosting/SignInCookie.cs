using System.Globalization;
using System.Security.Claims;
using EserSecurity.Core.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace EserSecurity.Dashboard.Hosting;

/// <summary>
/// The console's session cookie: written once a provider's token is validated and <see cref="SignOnLinks"/> has
/// signed the account in, and checked on every request (absolute lifetime from the sign-in time the console stored,
/// and the session still live in Core).
/// </summary>
public sealed class SignInCookie(SignOnLinks links, TimeProvider clock, IOptions<SignInOptions> options)
{
    /// <summary>
    /// Finishes a provider's sign-in: the account read from the validated token goes to <see cref="SignOnLinks.SignInAsync"/>;
    /// a refusal ends on the refusal page, anything else gets the console's cookie. The cookie carries the console's
    /// own claims only; nothing else from the token stays with the session.
    /// </summary>
    public async Task CompleteAsync(TokenValidatedContext context, SignOnAccountReading reading)
    {
        var outcome = reading.Account is { } account ? await links.SignInAsync(account, context.HttpContext.RequestAborted) : null;
        if (outcome is not { StartsSession: true })
        {
            context.Response.Redirect(DashboardAuthenticationExtensions.RefusedUrl(reading.Refusal ?? SignInRefusal.NotAllowed));
            context.HandleResponse();
            return;
        }
        context.Principal = CreatePrincipal(reading.Account!, outcome);
        context.Properties!.IsPersistent = false;
    }

    /// <summary>
    /// The principal of the console's cookie: the account and session (<see cref="SignedInPeople.CreateIdentity"/>),
    /// when the sign-in began, and the claims the deployment trusts.
    /// </summary>
    public ClaimsPrincipal CreatePrincipal(SignOnAccount account, SignInOutcome outcome)
    {
        var identity = SignedInPeople.CreateIdentity(account, outcome);
        identity.AddClaim(new Claim(SignOnClaims.SignedInAt, clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        if (!string.IsNullOrEmpty(account.TrustedStaffId))
        {
            identity.AddClaim(new Claim(SignOnClaims.TrustedStaffId, account.TrustedStaffId));
        }
        if (!string.IsNullOrEmpty(account.TrustedEmail))
        {
            identity.AddClaim(new Claim(SignOnClaims.TrustedEmail, account.TrustedEmail));
        }
        return new ClaimsPrincipal(identity);
    }

    /// <summary>
    /// Refuses a cookie whose session is over: past the absolute lifetime counted from the stored sign-in time (the
    /// cookie's own expiry slides with use), or ended in Core (signed out elsewhere, unlinked).
    /// </summary>
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var signedInAt = context.Principal?.FindFirst(SignOnClaims.SignedInAt)?.Value;
        var withinLifetime = long.TryParse(signedInAt, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds) < options.Value.AbsoluteLifetime;
        if (!withinLifetime)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }
        await SignedInPeople.ValidateCookieAsync(context);
    }
}

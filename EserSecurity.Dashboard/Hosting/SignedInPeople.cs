using System.Security.Claims;
using EserSecurity.Core.Identity;
using EserSecurity.Core.Staff;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace EserSecurity.Dashboard.Hosting;

/// <summary>
/// Links a signed-in principal to its staff record through the console cookie's own claims (issuer, subject and
/// session; see <see cref="SignOnClaims"/>) and <see cref="SignOnLinks"/>; shared by the circuit, the HTTP endpoints
/// and the sign-in handlers. No name or username claim is ever read.
/// </summary>
public sealed class SignedInPeople(SignOnLinks links)
{
    /// <summary>The account and session the cookie names; null when any of the three claims is missing.</summary>
    public static SignedInAccount? AccountOf(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true)
        {
            return null;
        }
        var issuer = user.FindFirst(SignOnClaims.Issuer)?.Value;
        var subject = user.FindFirst(SignOnClaims.Subject)?.Value;
        var session = user.FindFirst(SignOnClaims.Session)?.Value;
        return string.IsNullOrEmpty(issuer) || string.IsNullOrEmpty(subject) || !Guid.TryParse(session, out var id)
            ? null
            : new SignedInAccount(issuer, subject, id);
    }

    /// <summary>
    /// The cookie identity for a sign-in that started a session: the account's issuer, subject and session, and the
    /// token's display name for the page header. Call after <see cref="SignOnLinks.SignInAsync"/>.
    /// </summary>
    public static ClaimsIdentity CreateIdentity(SignOnAccount account, SignInOutcome outcome, string authenticationType = CookieAuthenticationDefaults.AuthenticationScheme)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.SessionId is not Guid session)
        {
            throw new InvalidOperationException("A refused sign-in has no session and gets no cookie.");
        }
        var name = outcome.Person?.DisplayName ?? account.DisplayName ?? "Signed-in account";
        return new ClaimsIdentity(
            [
                new Claim(SignOnClaims.Issuer, account.Issuer),
                new Claim(SignOnClaims.Subject, account.Subject),
                new Claim(SignOnClaims.Session, session.ToString()),
                new Claim(ClaimTypes.Name, name),
            ],
            authenticationType, ClaimTypes.Name, ClaimTypes.Role);
    }

    /// <summary>The person the signed-in account is linked to, when the session is live and the person active; null otherwise.</summary>
    public async Task<LinkedPerson?> ResolveAsync(ClaimsPrincipal user, CancellationToken ct = default) =>
        (await CheckAsync(user, ct)).Person;

    /// <summary>The re-check of the signed-in account (session, link, employment); never throws for one that lost the console.</summary>
    public Task<SignedInCheck> CheckAsync(ClaimsPrincipal user, CancellationToken ct = default) =>
        links.CheckAsync(AccountOf(user), ct);

    /// <summary>
    /// For the cookie's <c>OnValidatePrincipal</c>: a cookie whose session has ended (signed out in another tab,
    /// unlinked) or that lacks the console's own claims is rejected and removed, so the request is anonymous.
    /// </summary>
    public static async Task ValidateCookieAsync(CookieValidatePrincipalContext context)
    {
        var account = AccountOf(context.Principal);
        var links = context.HttpContext.RequestServices.GetRequiredService<SignOnLinks>();
        if (account is null || !await links.IsSessionLiveAsync(account, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(context.Scheme.Name);
        }
    }

    /// <summary>Sign-out: ends the session first (every open tab of it loses the console), then removes the cookie.</summary>
    public async Task SignOutAsync(HttpContext context, string scheme = CookieAuthenticationDefaults.AuthenticationScheme)
    {
        if (AccountOf(context.User) is { } account)
        {
            await links.EndSessionAsync(account, context.RequestAborted);
        }
        await context.SignOutAsync(scheme);
    }
}

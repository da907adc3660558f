using System.Security.Claims;
using EserSecurity.Core.Identity;

namespace EserSecurity.Dashboard.Hosting;

/// <summary>Why a sign-in ended on <c>/account/refused</c>; the page says what it means and what to do.</summary>
public enum SignInRefusal
{
    /// <summary>The provider answered with an error, or the person cancelled there.</summary>
    ProviderFailed,

    /// <summary>The token came from an issuer or tenant this console does not accept.</summary>
    OtherIssuer,

    /// <summary>The token carried no subject under the configured claim.</summary>
    MissingSubject,

    /// <summary>The account is linked to a staff record that cannot use the console (ended, for example).</summary>
    NotAllowed,
}

/// <summary>What a validated token says about the account: the account, or why it cannot sign in.</summary>
public sealed record SignOnAccountReading(SignOnAccount? Account, SignInRefusal? Refusal)
{
    public static SignOnAccountReading Refused(SignInRefusal refusal) => new(null, refusal);
}

/// <summary>
/// Reads the <see cref="SignOnAccount"/> from a token the provider's handler validated. Only the claim names the
/// deployment configured are read; nothing else in the token (a username, an e-mail that is not verified) reaches it.
/// </summary>
public static class SignOnAccountReader
{
    private const string EntraTenantId = "tid";
    private const string EntraTenantIdMapped = "http://schemas.microsoft.com/identity/claims/tenantid";
    private const string EntraObjectId = "oid";
    private const string EntraObjectIdMapped = "http://schemas.microsoft.com/identity/claims/objectidentifier";

    /// <summary>A standard provider: the issuer is the validated token's, and it must be the one the provider's metadata names.</summary>
    public static SignOnAccountReading ReadOpenIdConnect(ClaimsPrincipal principal, string? tokenIssuer, string? expectedIssuer, OpenIdConnectSignOnOptions options)
    {
        if (string.IsNullOrEmpty(tokenIssuer) || !string.Equals(tokenIssuer, expectedIssuer, StringComparison.Ordinal))
        {
            return SignOnAccountReading.Refused(SignInRefusal.OtherIssuer);
        }
        var subject = Value(principal, options.SubjectClaim);
        if (subject is null)
        {
            return SignOnAccountReading.Refused(SignInRefusal.MissingSubject);
        }
        var email = options.TrustVerifiedEmail && IsTrue(Value(principal, options.EmailVerifiedClaim)) ? Value(principal, options.EmailClaim) : null;
        return new(new SignOnAccount(tokenIssuer, subject, Value(principal, options.DisplayNameClaim), Value(principal, options.StaffIdClaim), email), null);
    }

    /// <summary>Microsoft Entra ID: the issuer is the tenant id (<c>tid</c>), which must be an accepted tenant; the subject is the object id (<c>oid</c>).</summary>
    public static SignOnAccountReading ReadAzureAd(ClaimsPrincipal principal, AzureAdSignOnOptions options)
    {
        var tenant = Value(principal, EntraTenantId) ?? Value(principal, EntraTenantIdMapped);
        if (tenant is null || !options.AcceptedTenants().Contains(tenant, StringComparer.OrdinalIgnoreCase))
        {
            return SignOnAccountReading.Refused(SignInRefusal.OtherIssuer);
        }
        var objectId = Value(principal, EntraObjectId) ?? Value(principal, EntraObjectIdMapped);
        if (objectId is null)
        {
            return SignOnAccountReading.Refused(SignInRefusal.MissingSubject);
        }
        return new(new SignOnAccount(tenant.ToLowerInvariant(), objectId, Value(principal, "name"), Value(principal, options.StaffIdClaim), null), null);
    }

    private static string? Value(ClaimsPrincipal principal, string? claimType) =>
        string.IsNullOrWhiteSpace(claimType) ? null : principal.FindFirst(claimType)?.Value is { Length: > 0 } value ? value.Trim() : null;

    private static bool IsTrue(string? value) => bool.TryParse(value, out var result) && result;
}

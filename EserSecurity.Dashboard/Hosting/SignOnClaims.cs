namespace EserSecurity.Dashboard.Hosting;

/// <summary>
/// The claims the console's own sign-in cookie carries, written once at sign-in from a validated token (or by the
/// development sign-in) and read by <see cref="SignedInPeople"/>. They never come from the provider under these names:
/// the sign-in handler computes them, so what the rest of the console trusts has one source.
/// </summary>
public static class SignOnClaims
{
    /// <summary>The account's issuer: the provider's issuer, or for Microsoft Entra ID the tenant id.</summary>
    public const string Issuer = "eser_issuer";

    /// <summary>The account's subject at that issuer: <c>sub</c>, or for Microsoft Entra ID the object id (<c>oid</c>).</summary>
    public const string Subject = "eser_subject";

    /// <summary>The console's sign-in session id; ending the session (sign-out) ends it in every tab.</summary>
    public const string Session = "eser_session";

    /// <summary>When the person signed in (Unix seconds); the session's absolute lifetime counts from here, not from the cookie's renewals.</summary>
    public const string SignedInAt = "eser_signed_in_at";

    /// <summary>A Staff ID from a claim configured as trustworthy; absent otherwise.</summary>
    public const string TrustedStaffId = "eser_trusted_staff_id";

    /// <summary>An e-mail address the provider marked verified, when the deployment trusts verified e-mail; absent otherwise.</summary>
    public const string TrustedEmail = "eser_trusted_email";

    /// <summary>The issuer of accounts made by the development sign-in (Development only); the subject is the Staff ID.</summary>
    public const string DevelopmentIssuer = Core.Identity.SignOnLinks.DevelopmentIssuer;
}

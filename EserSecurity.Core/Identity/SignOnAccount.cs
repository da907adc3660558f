namespace EserSecurity.Core.Identity;

/// <summary>
/// The account a person signed in with, as the sign-in handler read it from a token it validated. The issuer and
/// subject together name the account and are what a staff record is linked to (for Microsoft Entra ID: the tenant id
/// and the object id). <see cref="TrustedStaffId"/> and <see cref="TrustedEmail"/> are set only from claims the
/// deployment configured as trustworthy (an e-mail only when the provider marks it verified); nothing else in the
/// token is ever used to find a person.
/// </summary>
public sealed record SignOnAccount(
    string Issuer,
    string Subject,
    string? DisplayName,
    string? TrustedStaffId,
    string? TrustedEmail);

using EserSecurity.Core.Staff;

namespace EserSecurity.Core.Identity;

/// <summary>
/// A sign-on account linked to a staff record: the issuer and subject the provider vouches for (for Microsoft Entra ID
/// the tenant id and the object id). Once linked, sign-in finds the person by this pair and nothing else.
/// </summary>
public class SignOnIdentity
{
    public const int IssuerMaxLength = 300;
    public const int SubjectMaxLength = 200;

    public int Id { get; set; }

    public required string Issuer { get; set; }

    public required string Subject { get; set; }

    public int StaffMemberId { get; set; }

    public StaffMember? StaffMember { get; set; }

    public DateTimeOffset LinkedAt { get; set; }

    /// <summary>The coordinator or administrator who confirmed the link; null when the console linked it itself.</summary>
    public int? LinkedById { get; set; }

    public SignOnLinkMethod LinkedHow { get; set; }
}

/// <summary>How a sign-on account came to be linked to its staff record.</summary>
public enum SignOnLinkMethod
{
    /// <summary>A claim configured as trustworthy carried the Staff ID of exactly one active staff record.</summary>
    TrustedStaffId,

    /// <summary>A verified e-mail address, trusted by configuration, matched exactly one active staff record.</summary>
    TrustedEmail,

    /// <summary>A coordinator or state administrator confirmed the person's link request against the directory.</summary>
    ConfirmedRequest,

    /// <summary>The development sign-in (Development only), whose subject is the Staff ID.</summary>
    DevelopmentSignIn,
}

namespace EserSecurity.Core.Identity;

/// <summary>
/// One key of the key ring that protects the console's session cookies and antiforgery tokens, as the data protection
/// system writes it (an XML element). Kept in the database so that every console instance, and the same instance after
/// a restart, reads the same ring and accepts the cookies the others issued.
/// </summary>
public class SignInKey
{
    public const int FriendlyNameMaxLength = 200;

    public int Id { get; set; }

    /// <summary>The name the data protection system gives the key (<c>key-{guid}</c>).</summary>
    public string? FriendlyName { get; set; }

    public required string Xml { get; set; }
}

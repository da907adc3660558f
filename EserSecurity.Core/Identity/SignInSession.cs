namespace EserSecurity.Core.Identity;

/// <summary>
/// One sign-in of a sign-on account, named in the console's cookie. Signing out (or being unlinked) ends it, and every
/// open tab of that sign-in loses the console at its next re-check.
/// </summary>
public class SignInSession
{
    public Guid Id { get; set; }

    public required string Issuer { get; set; }

    public required string Subject { get; set; }

    /// <summary>The name the token gave at this sign-in; shown on a link request, never used to find a person.</summary>
    public string? DisplayName { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }
}

namespace EserSecurity.Core.Identity;

/// <summary>What <see cref="SignOnLinks"/> accepts besides the configured providers.</summary>
public sealed class SignOnLinkOptions
{
    /// <summary>
    /// Whether accounts of <see cref="SignOnLinks.DevelopmentIssuer"/> may sign in. The dashboard sets it only where the
    /// development sign-in is enabled, which is the Development environment alone; everywhere else such an account is
    /// refused.
    /// </summary>
    public bool AcceptDevelopmentIssuer { get; set; }
}

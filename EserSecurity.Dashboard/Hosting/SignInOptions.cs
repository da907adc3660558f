namespace EserSecurity.Dashboard.Hosting;

/// <summary>How a signed-in account is linked to a staff record.</summary>
public sealed class SignOnOptions
{
    public const string SectionName = "SignOn";

    /// <summary>The claim that carries the state sign-on username; a value like "name@domain" is matched by the part before '@'.</summary>
    public string UsernameClaim { get; set; } = "preferred_username";
}

namespace EserSecurity.Dashboard.Hosting;

public sealed class SignOnOptions
{
    public const string SectionName = "SignOn";

    public string UsernameClaim { get; set; } = "preferred_username";
}

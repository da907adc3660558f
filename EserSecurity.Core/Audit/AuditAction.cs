namespace EserSecurity.Core.Audit;

/// <summary>Audit actions that readers filter on; every other action names the change it records.</summary>
public static class AuditAction
{
    /// <summary>What every security event's action starts with.</summary>
    public const string SecurityPrefix = "Security.";

    /// <summary>A person was refused something outside their scope.</summary>
    public const string ScopeRefused = SecurityPrefix + "Refused";

    /// <summary>A person was handed a list of people or another person's document.</summary>
    public const string PersonalDataDownloaded = SecurityPrefix + "PersonalDataDownloaded";
}

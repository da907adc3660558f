namespace EserSecurity.Dashboard.Hosting;

/// <summary>The public verification page's limits (configuration section "Verification").</summary>
public sealed class VerificationOptions
{
    public const string SectionName = "Verification";

    /// <summary>Code lookups one client address may make per minute; more are answered 429 until the minute ends.</summary>
    public int LookupsPerMinute { get; set; } = 20;
}

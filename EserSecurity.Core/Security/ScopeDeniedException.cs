namespace EserSecurity.Core.Security;

/// <summary>
/// Thrown when the caller asks for something outside their scope. The message is safe to show. Only
/// <see cref="SecurityEvents.Refuse(int?, string, int?)"/> makes one, so every refusal is logged and audited.
/// </summary>
public sealed class ScopeDeniedException(SecurityEvents.RecordedRefusal refusal) : Exception(refusal.Message);

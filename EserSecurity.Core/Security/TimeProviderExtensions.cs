namespace EserSecurity.Core.Security;

public static class TimeProviderExtensions
{
    /// <summary>The state's calendar day. The console serves one state, so UTC days are close enough for assignments and due dates.</summary>
    public static DateOnly Today(this TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}

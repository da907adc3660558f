namespace EserSecurity.Core.Coordinators;

/// <summary>An assignment change the rules do not allow; the message says why and is safe to show.</summary>
public sealed class CoordinatorRefusedException(string message) : Exception(message);

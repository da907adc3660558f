namespace EserSecurity.Core.Security;

/// <summary>Thrown when the caller asks for something outside their scope. The message is safe to show.</summary>
public sealed class ScopeDeniedException(string message) : Exception(message);

namespace EserSecurity.Core.Reviews;

/// <summary>An access review action cannot be done as asked; the message says why and is safe to show.</summary>
public sealed class AccessReviewRefusedException(string message) : Exception(message);

namespace EserSecurity.Core.AccessRequests;

/// <summary>The request cannot be made or changed as asked; the message says why and is safe to show.</summary>
public sealed class AccessRequestRefusedException(string message) : Exception(message);

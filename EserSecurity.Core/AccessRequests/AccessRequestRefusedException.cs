namespace EserSecurity.Core.AccessRequests;

/// <summary>The request cannot be made or changed as asked; the message says why and is safe to show.</summary>
public sealed class AccessRequestRefusedException(string message, string? unsignedAssuranceStaffId = null) : Exception(message)
{
    /// <summary>
    /// Set when the refusal is the requester's unsigned assurance: their Staff ID, so the screen can link their
    /// assurance status.
    /// </summary>
    public string? UnsignedAssuranceStaffId { get; } = unsignedAssuranceStaffId;
}

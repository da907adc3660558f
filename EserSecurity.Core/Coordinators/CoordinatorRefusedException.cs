namespace EserSecurity.Core.Coordinators;

/// <summary>A change to an assignment (coordinator, supervisor or state administrator) that the rules do not allow; the message says why and is safe to show.</summary>
public class AssignmentRefusedException(string message) : Exception(message);

/// <summary>A coordinator, supervisor or group change the rules do not allow; the message says why and is safe to show.</summary>
public sealed class CoordinatorRefusedException(string message) : AssignmentRefusedException(message);

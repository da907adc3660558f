using EserSecurity.Core.Coordinators;

namespace EserSecurity.Core.Administration;

/// <summary>A state administrator change the rules do not allow; the message says why and is safe to show.</summary>
public sealed class StateAdministratorRefusedException(string message) : AssignmentRefusedException(message);

namespace EserSecurity.Core.Security;

/// <summary>The signed-in person on whose behalf a service acts. Scope is always computed from the database, never trusted from here.</summary>
public sealed record Caller(int StaffMemberId, string DisplayName);

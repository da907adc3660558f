namespace EserSecurity.Core.Administration;

/// <summary>One state administrator assignment, in force or ended, with who added and ended it.</summary>
public sealed record StateAdministratorRow(
    int AssignmentId,
    int StaffMemberId,
    string Name,
    string StaffId,
    string Position,
    bool EmploymentEnded,
    DateOnly StartsOn,
    DateTimeOffset? AddedAt,
    string AddedBy,
    DateOnly? EndsOn,
    DateTimeOffset? EndedAt,
    string? EndedBy,
    string? EndReason,
    bool IsActive,
    string? CannotEndReason)
{
    /// <summary>Whether the page offers to end this assignment; when not, <see cref="CannotEndReason"/> says why.</summary>
    public bool CanEnd => IsActive && CannotEndReason is null;
}

/// <summary>Every state administrator assignment: the ones in force first, then the ended ones, newest first.</summary>
public sealed record StateAdministratorList(IReadOnlyList<StateAdministratorRow> Active, IReadOnlyList<StateAdministratorRow> Ended);

/// <summary>An active staff member who may be made state administrator.</summary>
public sealed record StateAdministratorCandidate(int StaffMemberId, string Name, string StaffId, string Position, string? SchoolSystemName);

/// <summary>What the startup bootstrap did.</summary>
public enum BootstrapOutcome
{
    /// <summary>No Staff ID is configured and a state administrator exists: nothing to do, nothing logged.</summary>
    NotConfigured,

    /// <summary>No Staff ID is configured and the console has no state administrator: a warning says how to make one.</summary>
    NoAdministrator,

    /// <summary>The configured person was made the first state administrator.</summary>
    Made,

    /// <summary>A state administrator already exists, so the setting was ignored.</summary>
    Ignored,

    /// <summary>The setting is not a Staff ID.</summary>
    Malformed,

    /// <summary>No staff record has the configured Staff ID.</summary>
    UnknownStaffId,

    /// <summary>The configured person's employment has ended.</summary>
    EmploymentEnded,
}

/// <summary>The bootstrap's outcome and the line it logged.</summary>
public sealed record BootstrapResult(BootstrapOutcome Outcome, string? Message);

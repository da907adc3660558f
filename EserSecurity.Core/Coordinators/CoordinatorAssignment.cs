using EserSecurity.Core.SchoolSystems;
using EserSecurity.Core.Staff;

namespace EserSecurity.Core.Coordinators;

/// <summary>A person named security coordinator of a school system, of one school, or of a named group of schools.</summary>
public class CoordinatorAssignment : IEndableAssignment
{
    public int Id { get; set; }

    public int StaffMemberId { get; set; }

    public StaffMember? StaffMember { get; set; }

    public int SchoolSystemId { get; set; }

    public SchoolSystem? SchoolSystem { get; set; }

    public CoordinatorCoverage Coverage { get; set; }

    /// <summary>Set when the coverage is one school.</summary>
    public int? SchoolId { get; set; }

    public School? School { get; set; }

    /// <summary>Set when the coverage is a named group of schools.</summary>
    public int? SchoolGroupId { get; set; }

    public SchoolGroup? SchoolGroup { get; set; }

    public DateOnly StartsOn { get; set; }

    public DateOnly? EndsOn { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public int? EndedById { get; set; }

    public string? EndReason { get; set; }
}

public enum CoordinatorCoverage
{
    /// <summary>District level: the whole school system.</summary>
    SchoolSystem,

    /// <summary>Local level: one school.</summary>
    School,

    /// <summary>Local level: a named group of schools.</summary>
    SchoolGroup,
}

/// <summary>A named group of schools of one school system that a local coordinator covers.</summary>
public class SchoolGroup
{
    public const int NameMaxLength = 100;

    public int Id { get; set; }

    public int SchoolSystemId { get; set; }

    public required string Name { get; set; }

    public List<SchoolGroupMember> Members { get; set; } = [];
}

public class SchoolGroupMember
{
    public int SchoolGroupId { get; set; }

    public int SchoolId { get; set; }

    public School? School { get; set; }
}

/// <summary>A school system's special education supervisor, who gives the second approval for IEP Forms access.</summary>
public class SupervisorAssignment : IEndableAssignment
{
    public int Id { get; set; }

    public int StaffMemberId { get; set; }

    public StaffMember? StaffMember { get; set; }

    public int SchoolSystemId { get; set; }

    public SchoolSystem? SchoolSystem { get; set; }

    public DateOnly StartsOn { get; set; }

    public DateOnly? EndsOn { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public int? EndedById { get; set; }

    public string? EndReason { get; set; }
}

/// <summary>A person who administers the console for the whole state.</summary>
public class StateAdministratorAssignment : IEndable
{
    public int Id { get; set; }

    public int StaffMemberId { get; set; }

    public StaffMember? StaffMember { get; set; }

    public DateOnly StartsOn { get; set; }

    public DateOnly? EndsOn { get; set; }

    /// <summary>When the person was made state administrator; null for assignments made before this was recorded.</summary>
    public DateTimeOffset? AddedAt { get; set; }

    /// <summary>The state administrator who added this one; null when the system did (the startup bootstrap, the demo state).</summary>
    public int? AddedById { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public int? EndedById { get; set; }

    public string? EndReason { get; set; }
}

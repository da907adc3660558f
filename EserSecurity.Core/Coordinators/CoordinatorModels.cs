namespace EserSecurity.Core.Coordinators;

/// <summary>A person holding a coordinator or supervisor assignment, as shown on the tree.</summary>
public sealed record AssignedPerson(
    int AssignmentId, int StaffMemberId, string Name, string Position, string Email, bool EmploymentEnded, DateOnly StartsOn, DateOnly? EndsOn)
{
    /// <summary>A person whose employment ended still holds the assignment until someone ends it: flag it.</summary>
    public bool NeedsAttention => EmploymentEnded;
}

/// <summary>A school system on the tree with its district coordinators, supervisors and coverage flags.</summary>
public sealed record SchoolSystemNode(
    int Id,
    string Code,
    string Name,
    IReadOnlyList<AssignedPerson> DistrictCoordinators,
    IReadOnlyList<AssignedPerson> Supervisors,
    int SchoolCount,
    int SchoolsCoveredByDistrictOnly,
    IReadOnlyList<SeparationExceptionView> SeparationExceptions,
    IReadOnlyList<CurrentDeputy>? Deputies = null)
{
    /// <summary>The deck's minimum is one district security coordinator per school system.</summary>
    public bool BreaksMinimum => DistrictCoordinators.All(c => c.EmploymentEnded);
}

/// <summary>A school on the tree with the local coordinators covering it, on their own or through a group.</summary>
public sealed record SchoolNode(int Id, string SiteCode, string Name, IReadOnlyList<LocalCoordinatorOnSchool> LocalCoordinators)
{
    public bool CoveredByDistrictOnly => LocalCoordinators.Count == 0;
}

public sealed record LocalCoordinatorOnSchool(AssignedPerson Person, string? GroupName);

/// <summary>A named group of schools with its members and coordinators.</summary>
public sealed record SchoolGroupNode(int Id, string Name, IReadOnlyList<(int Id, string Name)> Schools, IReadOnlyList<AssignedPerson> Coordinators);

/// <summary>The schools and groups of one school system, loaded when its node opens.</summary>
public sealed record SchoolSystemChildren(IReadOnlyList<SchoolNode> Schools, IReadOnlyList<SchoolGroupNode> Groups);

/// <summary>Statewide (or in-scope) coverage: how many school systems break the minimum of one district coordinator.</summary>
public sealed record CoverageSummary(int SchoolSystems, int BreakingMinimum, int SchoolsCoveredByDistrictOnly);

/// <summary>One reading of the coordinator tree: the school systems shown, the children of the open ones, the schools a search matched.</summary>
public sealed record CoordinatorTree(
    IReadOnlyList<SchoolSystemNode> SchoolSystems,
    IReadOnlyDictionary<int, SchoolSystemChildren> OpenChildren,
    IReadOnlySet<int> MatchedSchoolIds,
    CoverageSummary Summary);

/// <summary>A match of the tree search: the school system, and the school when the match is a school.</summary>
public sealed record TreeSearchHit(int SchoolSystemId, int? SchoolId, string Label);

/// <summary>An active staff member who may be given an assignment.</summary>
public sealed record AssignableStaff(int Id, string Name, string StaffId, string Position);

/// <summary>What a local coordinator covers: one school or a named group.</summary>
public sealed record LocalCoverage(int? SchoolId, int? SchoolGroupId);

/// <summary>A pending request no coordinator can see, for the state administrator.</summary>
public sealed record UnroutedRequest(int Id, string RequesterName, string RoleName, string SchoolSystemName, string ScopeName, DateTimeOffset SubmittedAt);

/// <summary>A recorded exception to the separation of duties, as the tree shows it.</summary>
public sealed record SeparationExceptionView(int Id, int StaffMemberId, string PersonName, string Reason, DateTimeOffset RecordedAt, string RecordedBy);

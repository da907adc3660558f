namespace EserSecurity.Core.Security;

/// <summary>
/// An absent coordinator or supervisor whose routed requests this person decides today as their deputy: the absent
/// person's own coordinator and supervisor assignments in the one school system the deputyship names.
/// </summary>
public sealed record DeputyCover(
    int AbsentId, string AbsentName, IReadOnlySet<int> DistrictSchoolSystemIds, IReadOnlySet<int> LocalSchoolIds, IReadOnlySet<int> SupervisedSchoolSystemIds)
{
    public bool Routes(int schoolSystemId, int? schoolId) =>
        DistrictSchoolSystemIds.Contains(schoolSystemId) || (schoolId is int id && LocalSchoolIds.Contains(id));
}

/// <summary>
/// What one person may see and do today, computed from their active assignments. A deputy's covers widen only the
/// requests they decide (<see cref="DecidesDistrictIds"/>, <see cref="DecidesSchoolIds"/>, <see cref="EndorsesSchoolSystemIds"/>),
/// never what else they may see or change.
/// </summary>
public sealed record AccessScope(
    int StaffMemberId,
    int? OwnSchoolSystemId,
    bool IsStateAdministrator,
    IReadOnlySet<int> DistrictSchoolSystemIds,
    IReadOnlySet<int> LocalSchoolIds,
    IReadOnlySet<int> LocalSchoolSystemIds,
    IReadOnlySet<int> SupervisedSchoolSystemIds)
{
    public bool IsDistrictCoordinator => DistrictSchoolSystemIds.Count > 0;

    public bool IsLocalCoordinator => LocalSchoolIds.Count > 0;

    public bool IsCoordinator => IsDistrictCoordinator || IsLocalCoordinator;

    public bool IsSupervisor => SupervisedSchoolSystemIds.Count > 0;

    /// <summary>The absent people this person deputizes for today.</summary>
    public IReadOnlyList<DeputyCover> Covers { get; init; } = [];

    /// <summary>School systems whose requests reach this person as district coordinator: their own and those of the people they deputize for.</summary>
    public IReadOnlySet<int> DecidesDistrictIds { get; init; } = DistrictSchoolSystemIds;

    /// <summary>Schools whose requests reach this person as local coordinator, their own and as deputy.</summary>
    public IReadOnlySet<int> DecidesSchoolIds { get; init; } = LocalSchoolIds;

    /// <summary>School systems whose IEP Forms endorsements wait for this person, as supervisor or as a supervisor's deputy.</summary>
    public IReadOnlySet<int> EndorsesSchoolSystemIds { get; init; } = SupervisedSchoolSystemIds;

    /// <summary>Whether requests reach this person for a decision: a coordinator, or a coordinator's deputy.</summary>
    public bool DecidesRequests => DecidesDistrictIds.Count > 0 || DecidesSchoolIds.Count > 0;

    /// <summary>Whether IEP Forms endorsements wait for this person: a supervisor, or a supervisor's deputy.</summary>
    public bool EndorsesRequests => EndorsesSchoolSystemIds.Count > 0;

    /// <summary>Whether a request for this school system and school reaches this person, on their own or as deputy.</summary>
    public bool Decides(int schoolSystemId, int? schoolId) =>
        DecidesDistrictIds.Contains(schoolSystemId) || (schoolId is int id && DecidesSchoolIds.Contains(id));

    /// <summary>
    /// The absent person a decision on this request is made for: null when it reaches this person through their own
    /// assignments, otherwise the first absent person it reaches through.
    /// </summary>
    public DeputyCover? DecidesAsDeputyFor(int schoolSystemId, int? schoolId) =>
        DistrictSchoolSystemIds.Contains(schoolSystemId) || (schoolId is int id && LocalSchoolIds.Contains(id))
            ? null
            : Covers.FirstOrDefault(c => c.Routes(schoolSystemId, schoolId));

    /// <summary>The absent supervisor an endorsement in this school system is made for; null when the person supervises it.</summary>
    public DeputyCover? EndorsesAsDeputyFor(int schoolSystemId) =>
        SupervisedSchoolSystemIds.Contains(schoolSystemId) ? null : Covers.FirstOrDefault(c => c.SupervisedSchoolSystemIds.Contains(schoolSystemId));

    /// <summary>Configure or govern the school system: state administrators and its district coordinators.</summary>
    public bool CanAdministerSchoolSystem(int schoolSystemId) =>
        IsStateAdministrator || DistrictSchoolSystemIds.Contains(schoolSystemId);

    /// <summary>See the school system's people and access: anyone who coordinates or supervises any of it.</summary>
    public bool CanViewSchoolSystem(int schoolSystemId) =>
        CanAdministerSchoolSystem(schoolSystemId)
        || SupervisedSchoolSystemIds.Contains(schoolSystemId)
        || LocalSchoolSystemIds.Contains(schoolSystemId);

    /// <summary>Coordinate in the school system at all: state administrators, its district coordinators, or a local coordinator of any of its schools.</summary>
    public bool CoordinatesIn(int schoolSystemId) =>
        IsStateAdministrator || DistrictSchoolSystemIds.Contains(schoolSystemId) || LocalSchoolSystemIds.Contains(schoolSystemId);

    /// <summary>See or act for one school: its school system's district coordinators, or a local coordinator covering it.</summary>
    public bool CanCoordinateSchool(int schoolSystemId, int? schoolId) =>
        IsStateAdministrator
        || DistrictSchoolSystemIds.Contains(schoolSystemId)
        || (schoolId is int id && LocalSchoolIds.Contains(id));

    /// <summary>Go-live readiness: state administrators see every school system, district coordinators and supervisors their own.</summary>
    public bool CanSeeReadiness => IsStateAdministrator || IsDistrictCoordinator || IsSupervisor;

    /// <summary>
    /// Which schools' grants a list of the school system shows this reader (authorized-user list, access review
    /// report): all of them (null) for state administrators and the school system's district coordinators and
    /// supervisors; for a local coordinator only the schools they coordinate, never the school system's other schools
    /// or its whole-school-system grants.
    /// </summary>
    public IReadOnlySet<int>? SchoolsListedIn(int schoolSystemId) => CanSeeReadinessOf(schoolSystemId) ? null : LocalSchoolIds;

    /// <summary>Whether this person may see one school system's readiness.</summary>
    public bool CanSeeReadinessOf(int schoolSystemId) =>
        IsStateAdministrator || DistrictSchoolSystemIds.Contains(schoolSystemId) || SupervisedSchoolSystemIds.Contains(schoolSystemId);

    /// <summary>Whether a change in this school system (and school) shows in any view of this person's scope.</summary>
    public bool Touches(int? schoolSystemId, int? schoolId) =>
        IsStateAdministrator
        || (schoolSystemId is int lea && (DecidesDistrictIds.Contains(lea) || EndorsesSchoolSystemIds.Contains(lea)))
        || (schoolId is int school && DecidesSchoolIds.Contains(school));

    /// <summary>
    /// See a person's record, status and signed documents: state administrators, the district coordinators and
    /// supervisors of the person's school system, and local coordinators of any of the person's schools.
    /// </summary>
    public bool CoversPerson(int? schoolSystemId, IEnumerable<int> schoolIds) =>
        IsStateAdministrator
        || (schoolSystemId is int lea && (DistrictSchoolSystemIds.Contains(lea) || SupervisedSchoolSystemIds.Contains(lea)))
        || schoolIds.Any(LocalSchoolIds.Contains);

    /// <summary>Where this scope's refusals are recorded; <see cref="ScopeService"/> sets it on every scope it computes.</summary>
    internal SecurityEvents? Events { get; init; }

    /// <summary>
    /// Records that this person was refused something outside their scope (<paramref name="schoolSystemId"/>: the
    /// school system they asked about, when known) and returns the exception to throw.
    /// </summary>
    public ScopeDeniedException Refuse(string message, int? schoolSystemId = null) =>
        (Events ?? throw new InvalidOperationException("This scope was not computed by ScopeService, so it cannot record a refusal."))
        .Refuse(StaffMemberId, message, schoolSystemId);

    public void DemandStateAdministrator(string what)
    {
        if (!IsStateAdministrator)
        {
            throw Refuse($"Only a state administrator may {what}.");
        }
    }

    public void DemandAdministerSchoolSystem(int schoolSystemId, string what)
    {
        if (!CanAdministerSchoolSystem(schoolSystemId))
        {
            throw Refuse($"You may not {what}: it is outside the school systems you coordinate.", schoolSystemId);
        }
    }

    public void DemandViewSchoolSystem(int schoolSystemId, string what)
    {
        if (!CanViewSchoolSystem(schoolSystemId))
        {
            throw Refuse($"You may not {what}: it is outside your scope.", schoolSystemId);
        }
    }
}

using System.Linq.Expressions;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Data;
using EserSecurity.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.AccessRequests;

/// <summary>
/// The routing rule of the product brief: a request for school S of school system L reaches every local coordinator
/// covering S and every district coordinator of L; a school-system-level request reaches district coordinators only.
/// </summary>
public static class RequestRouting
{
    /// <summary>
    /// The requests in any state whose school system or school routes them to the person with this scope, on their own
    /// or as deputy: the one place the routing rule is written for queries. Two disjoint parts (the scope's school
    /// systems, then its other schools) joined with UNION ALL, so that each part is searched through its own index
    /// together with a later status filter, where one condition with OR makes SQLite walk every request of the status:
    /// about ten times the work on every queue page, badge and home count, which every open queue repeats after each change.
    /// </summary>
    public static IQueryable<AccessRequest> RoutedTo(IQueryable<AccessRequest> requests, AccessScope scope)
    {
        var district = scope.DecidesDistrictIds.ToArray();
        var localSchools = scope.DecidesSchoolIds.ToArray();
        var bySchoolSystem = requests.Where(r => district.Contains(r.SchoolSystemId));
        if (localSchools.Length == 0)
        {
            return bySchoolSystem;
        }
        var bySchool = requests.Where(r => r.SchoolId != null && localSchools.Contains(r.SchoolId.Value) && !district.Contains(r.SchoolSystemId));
        return district.Length == 0 ? bySchool : bySchoolSystem.Concat(bySchool);
    }

    /// <summary>Whether a request for this school system and school reaches the person as a coordinator or a coordinator's deputy.</summary>
    public static bool IsRoutedTo(AccessScope scope, int schoolSystemId, int? schoolId) => scope.Decides(schoolSystemId, schoolId);

    /// <summary>Requests waiting for the special education supervisor of the person's school systems, or of the supervisor they deputize for.</summary>
    public static Expression<Func<AccessRequest, bool>> AwaitingSupervisor(AccessScope scope)
    {
        var supervised = scope.EndorsesSchoolSystemIds.ToArray();
        return r => r.Status == AccessRequestStatus.PendingSupervisor && supervised.Contains(r.SchoolSystemId);
    }

    /// <summary>
    /// Everyone a request for this school system (and school) reaches today: the school system's district coordinators
    /// and the local coordinators covering the school, on their own or through a group. Empty means the request is
    /// unrouted and belongs on the state administrator's list.
    /// </summary>
    public static async Task<IReadOnlySet<int>> WhoSeesAsync(
        EserSecurityDbContext db, int schoolSystemId, int? schoolId, DateOnly today, CancellationToken ct = default) =>
        (await LoadRecipientsAsync(db, schoolSystemId, today, ct)).WhoSees(schoolId).Select(r => r.StaffMemberId).ToHashSet();

    /// <summary>
    /// The school system's coordinators and special education supervisors in force today, read in three queries, so
    /// that who each of many requests waits for is answered without a query per request.
    /// </summary>
    public static async Task<SchoolSystemRecipients> LoadRecipientsAsync(
        EserSecurityDbContext db, int schoolSystemId, DateOnly today, CancellationToken ct = default)
    {
        var assignments = await db.CoordinatorAssignments.AsNoTracking().ActiveOn(today)
            .Where(a => a.SchoolSystemId == schoolSystemId && a.StaffMember!.EmploymentStatus == Staff.EmploymentStatus.Active)
            .Select(a => new { a.StaffMemberId, Name = a.StaffMember!.FirstName + " " + a.StaffMember.LastName, a.Coverage, a.SchoolId, a.SchoolGroupId })
            .ToListAsync(ct);
        var groupIds = assignments.Where(a => a.SchoolGroupId is not null).Select(a => a.SchoolGroupId!.Value).Distinct().ToList();
        var groupSchools = (groupIds.Count == 0 ? []
            : await db.SchoolGroupMembers.AsNoTracking().Where(m => groupIds.Contains(m.SchoolGroupId))
                .Select(m => new { m.SchoolGroupId, m.SchoolId }).ToListAsync(ct))
            .ToLookup(m => m.SchoolGroupId, m => m.SchoolId);
        var supervisors = await db.SupervisorAssignments.AsNoTracking().ActiveOn(today)
            .Where(a => a.SchoolSystemId == schoolSystemId && a.StaffMember!.EmploymentStatus == Staff.EmploymentStatus.Active)
            .Select(a => new RequestRecipient(a.StaffMemberId, a.StaffMember!.FirstName + " " + a.StaffMember.LastName))
            .ToListAsync(ct);

        var district = assignments.Where(a => a.Coverage == CoordinatorCoverage.SchoolSystem)
            .Select(a => new RequestRecipient(a.StaffMemberId, a.Name)).Distinct().ToList();
        var local = assignments.Where(a => a.Coverage != CoordinatorCoverage.SchoolSystem)
            .SelectMany(a => (a.SchoolId is int school ? new[] { school } : groupSchools[a.SchoolGroupId ?? 0])
                .Select(school => (School: school, Recipient: new RequestRecipient(a.StaffMemberId, a.Name))))
            .ToLookup(x => x.School, x => x.Recipient);
        return new SchoolSystemRecipients(district, local, supervisors.Distinct().ToList());
    }
}

/// <summary>A coordinator or supervisor a request waits for.</summary>
public sealed record RequestRecipient(int StaffMemberId, string Name);

/// <summary>A school system's coordinators by what they cover, and its special education supervisors, in force on one day.</summary>
public sealed class SchoolSystemRecipients
{
    private readonly IReadOnlyList<RequestRecipient> _district;
    private readonly ILookup<int, RequestRecipient> _localBySchool;

    internal SchoolSystemRecipients(IReadOnlyList<RequestRecipient> district, ILookup<int, RequestRecipient> localBySchool, IReadOnlyList<RequestRecipient> supervisors)
    {
        _district = district;
        _localBySchool = localBySchool;
        Supervisors = supervisors;
    }

    /// <summary>The special education supervisors, who endorse IEP Forms access.</summary>
    public IReadOnlyList<RequestRecipient> Supervisors { get; }

    /// <summary>The routing rule: the district coordinators, and for a school the local coordinators covering it.</summary>
    public IReadOnlyList<RequestRecipient> WhoSees(int? schoolId) =>
        schoolId is int school ? _district.Concat(_localBySchool[school]).Distinct().ToList() : _district;

    /// <summary>Who a pending request waits for now: the coordinators it is routed to, or the supervisors once a coordinator approved it.</summary>
    public IReadOnlyList<RequestRecipient> WaitingFor(AccessRequestStatus status, int? schoolId) =>
        status == AccessRequestStatus.PendingSupervisor ? Supervisors : WhoSees(schoolId);
}

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
    /// <summary>Requests waiting for a coordinator that reach the person with this scope.</summary>
    public static Expression<Func<AccessRequest, bool>> AwaitingCoordinator(AccessScope scope)
    {
        var district = scope.DistrictSchoolSystemIds.ToArray();
        var localSchools = scope.LocalSchoolIds.ToArray();
        return r => r.Status == AccessRequestStatus.PendingCoordinator
            && (district.Contains(r.SchoolSystemId) || (r.SchoolId != null && localSchools.Contains(r.SchoolId.Value)));
    }

    /// <summary>Requests in any state whose school system or school routes them to the person with this scope.</summary>
    public static Expression<Func<AccessRequest, bool>> RoutedTo(AccessScope scope)
    {
        var district = scope.DistrictSchoolSystemIds.ToArray();
        var localSchools = scope.LocalSchoolIds.ToArray();
        return r => district.Contains(r.SchoolSystemId) || (r.SchoolId != null && localSchools.Contains(r.SchoolId.Value));
    }

    /// <summary>Whether a request for this school system and school reaches the person as a coordinator.</summary>
    public static bool IsRoutedTo(AccessScope scope, int schoolSystemId, int? schoolId) =>
        scope.DistrictSchoolSystemIds.Contains(schoolSystemId) || (schoolId is int id && scope.LocalSchoolIds.Contains(id));

    /// <summary>Requests waiting for the special education supervisor of the person's school systems.</summary>
    public static Expression<Func<AccessRequest, bool>> AwaitingSupervisor(AccessScope scope)
    {
        var supervised = scope.SupervisedSchoolSystemIds.ToArray();
        return r => r.Status == AccessRequestStatus.PendingSupervisor && supervised.Contains(r.SchoolSystemId);
    }

    /// <summary>
    /// Everyone a request for this school system (and school) reaches today: the school system's district coordinators
    /// and the local coordinators covering the school, on their own or through a group. Empty means the request is
    /// unrouted and belongs on the state administrator's list.
    /// </summary>
    public static async Task<IReadOnlySet<int>> WhoSeesAsync(
        EserSecurityDbContext db, int schoolSystemId, int? schoolId, DateOnly today, CancellationToken ct = default)
    {
        var active = db.CoordinatorAssignments.AsNoTracking().ActiveOn(today).Where(a => a.SchoolSystemId == schoolSystemId);
        var recipients = await active.Where(a => a.Coverage == CoordinatorCoverage.SchoolSystem
                || (schoolId != null && a.SchoolId == schoolId)
                || (schoolId != null && a.SchoolGroupId != null && db.SchoolGroupMembers.Any(m => m.SchoolGroupId == a.SchoolGroupId && m.SchoolId == schoolId)))
            .Where(a => a.StaffMember!.EmploymentStatus == Staff.EmploymentStatus.Active)
            .Select(a => a.StaffMemberId).Distinct().ToListAsync(ct);
        return recipients.ToHashSet();
    }
}

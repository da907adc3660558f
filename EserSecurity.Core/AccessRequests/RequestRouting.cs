using System.Linq.Expressions;
using EserSecurity.Core.Security;

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

    /// <summary>Requests waiting for the special education supervisor of the person's school systems.</summary>
    public static Expression<Func<AccessRequest, bool>> AwaitingSupervisor(AccessScope scope)
    {
        var supervised = scope.SupervisedSchoolSystemIds.ToArray();
        return r => r.Status == AccessRequestStatus.PendingSupervisor && supervised.Contains(r.SchoolSystemId);
    }
}

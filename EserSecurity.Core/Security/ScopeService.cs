using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.Security;

/// <summary>Computes a person's scope from the assignments in force today.</summary>
public sealed class ScopeService(IDbContextFactory<EserSecurityDbContext> dbFactory, TimeProvider clock)
{
    public async Task<AccessScope> GetScopeAsync(Caller caller, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await GetScopeAsync(db, caller.StaffMemberId, ct);
    }

    internal async Task<AccessScope> GetScopeAsync(EserSecurityDbContext db, int staffMemberId, CancellationToken ct)
    {
        var today = Today;
        var person = await db.StaffMembers.AsNoTracking()
            .Where(s => s.Id == staffMemberId)
            .Select(s => new { s.SchoolSystemId, s.EmploymentStatus })
            .SingleOrDefaultAsync(ct)
            ?? throw new ScopeDeniedException("Your account is not linked to a staff record.");

        // A person whose employment has ended keeps no scope beyond their own record.
        if (person.EmploymentStatus != Staff.EmploymentStatus.Active)
        {
            return new AccessScope(staffMemberId, person.SchoolSystemId, false,
                new HashSet<int>(), new HashSet<int>(), new HashSet<int>(), new HashSet<int>());
        }

        var isStateAdministrator = await db.StateAdministrators.ActiveOn(today).AnyAsync(a => a.StaffMemberId == staffMemberId, ct);

        var coordinatorAssignments = await db.CoordinatorAssignments.AsNoTracking().ActiveOn(today)
            .Where(a => a.StaffMemberId == staffMemberId)
            .Select(a => new { a.SchoolSystemId, a.Coverage, a.SchoolId, a.SchoolGroupId })
            .ToListAsync(ct);

        var district = coordinatorAssignments.Where(a => a.Coverage == CoordinatorCoverage.SchoolSystem)
            .Select(a => a.SchoolSystemId).ToHashSet();
        var localSchools = coordinatorAssignments.Where(a => a.SchoolId is not null).Select(a => a.SchoolId!.Value).ToHashSet();
        var groupIds = coordinatorAssignments.Where(a => a.SchoolGroupId is not null).Select(a => a.SchoolGroupId!.Value).ToList();
        if (groupIds.Count > 0)
        {
            localSchools.UnionWith(await db.SchoolGroupMembers.Where(m => groupIds.Contains(m.SchoolGroupId))
                .Select(m => m.SchoolId).ToListAsync(ct));
        }
        var localSchoolSystems = coordinatorAssignments.Where(a => a.Coverage != CoordinatorCoverage.SchoolSystem)
            .Select(a => a.SchoolSystemId).ToHashSet();

        var supervised = (await db.SupervisorAssignments.AsNoTracking().ActiveOn(today)
            .Where(a => a.StaffMemberId == staffMemberId)
            .Select(a => a.SchoolSystemId).ToListAsync(ct)).ToHashSet();

        return new AccessScope(staffMemberId, person.SchoolSystemId, isStateAdministrator,
            district, localSchools, localSchoolSystems, supervised);
    }

    private DateOnly Today => clock.Today();
}

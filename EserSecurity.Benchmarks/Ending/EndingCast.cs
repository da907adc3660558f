using EserSecurity.Core.Data;
using EserSecurity.Core.Directories;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Roles;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using EserSecurity.DemoState;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Benchmarks.Ending;

/// <summary>A person the benchmark signs in as: their staff record, sign-in name and the name the console shows.</summary>
internal sealed record EndingPerson(int StaffMemberId, string Username, string Name);

/// <summary>A grant made for one round, and the label of its "End grant" button on the person's page.</summary>
internal sealed record GrantToEnd(int GrantId, string RoleAndSchool)
{
    public string EndButtonLabel => $"End grant {RoleAndSchool}";
}

/// <summary>
/// Who takes part, from the console's database: plain staff of the demo district coordinator's school system (no
/// coordinator, supervisor or administrator duties), one holder of a fresh grant per round, and one leaver per round.
/// </summary>
internal sealed record EndingCast(EndingPerson Holder, IReadOnlyList<GrantToEnd> Grants, IReadOnlyList<EndingPerson> Leavers)
{
    /// <summary>
    /// Picks the people and gives the holder one active grant per round, each of another school role or school so that
    /// every "End grant" button has its own name. Written before any page opens: no open page needs to hear of them.
    /// </summary>
    public static async Task<EndingCast> PrepareAsync(IServiceProvider services, int grantRounds, int leaverRounds, CancellationToken ct)
    {
        var coordinator = await services.CallerAsync(DemoPeople.DistrictCoordinator, ct);
        var lea = (await services.GetRequiredService<ScopeService>().GetScopeAsync(coordinator, ct)).DistrictSchoolSystemIds.First();
        await using var db = await services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>().CreateDbContextAsync(ct);
        var people = await db.StaffMembers.AsNoTracking()
            .Where(s => s.SchoolSystemId == lea && s.Username != null && !DemoPeople.All.Contains(s.Username)
                && s.EmploymentStatus == EmploymentStatus.Active && s.Schools.Count == 1
                && !db.CoordinatorAssignments.Any(a => a.StaffMemberId == s.Id) && !db.SupervisorAssignments.Any(a => a.StaffMemberId == s.Id)
                && !db.StateAdministrators.Any(a => a.StaffMemberId == s.Id))
            .OrderByDescending(s => s.Id).Take(1 + leaverRounds)
            .Select(s => new EndingPerson(s.Id, s.Username!, s.FirstName + " " + s.LastName)).ToListAsync(ct);
        if (people.Count < 1 + leaverRounds)
        {
            throw new InvalidOperationException($"The Small demo state has {people.Count} plain staff with a sign-in in school system #{lea}; the run needs {1 + leaverRounds}.");
        }

        var roles = await db.EserRoles.Where(r => r.Level == RoleLevel.School).OrderBy(r => r.Id).Select(r => new { r.Id, r.Name }).ToListAsync(ct);
        var schools = await db.Schools.Where(s => s.SchoolSystemId == lea && s.ClosedOn == null).OrderBy(s => s.Id)
            .Select(s => new { s.Id, s.Name }).ToListAsync(ct);
        var pairs = schools.SelectMany(school => roles.Select(role => (Role: role, School: school)))
            .DistinctBy(p => (p.Role.Name, p.School.Name)).Take(grantRounds).ToList();
        if (pairs.Count < grantRounds)
        {
            throw new InvalidOperationException($"School system #{lea} offers {pairs.Count} distinct school roles and schools; the run needs {grantRounds}.");
        }
        var holder = people[0];
        var grants = pairs.Select(p => new AccessGrant
        {
            StaffMemberId = holder.StaffMemberId, EserRoleId = p.Role.Id, SchoolSystemId = lea, SchoolId = p.School.Id,
            Origin = GrantOrigin.Request, GrantedAt = DateTimeOffset.UtcNow.AddDays(-7),
        }).ToList();
        db.AccessGrants.AddRange(grants);
        await db.SaveChangesAsync(ct);
        return new EndingCast(holder, grants.Zip(pairs, (g, p) => new GrantToEnd(g.Id, $"{p.Role.Name} at {p.School.Name}")).ToList(), people[1..]);
    }

    /// <summary>The server's stamp on the grant's end, taken once it holds the write lock, before the commit.</summary>
    public static async Task<DateTimeOffset> GrantEndedAtAsync(IServiceProvider services, int grantId, CancellationToken ct)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>().CreateDbContextAsync(ct);
        return await db.AccessGrants.Where(g => g.Id == grantId).Select(g => g.EndedAt).SingleAsync(ct)
            ?? throw new InvalidOperationException($"Grant #{grantId} has not ended.");
    }

    /// <summary>The server's stamp on the end of employment (its directory change), taken the same way.</summary>
    public static async Task<DateTimeOffset> EmploymentEndedAtAsync(IServiceProvider services, int staffMemberId, CancellationToken ct)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>().CreateDbContextAsync(ct);
        // SQLite cannot order DateTimeOffset values in SQL; a person has a handful of directory changes at most.
        var stamps = await db.StaffDirectoryChanges
            .Where(c => c.StaffMemberId == staffMemberId && c.Kind == StaffDirectoryChangeKind.EmploymentStatusChanged && c.NewValue == nameof(EmploymentStatus.Ended))
            .Select(c => c.RecordedAt).ToListAsync(ct);
        return stamps.Count > 0 ? stamps.Max() : throw new InvalidOperationException($"The employment of staff member #{staffMemberId} has not ended.");
    }
}

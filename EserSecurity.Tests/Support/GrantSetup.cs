using EserSecurity.Core.Grants;
using EserSecurity.Core.Roles;
using EserSecurity.Core.SchoolSystems;
using EserSecurity.Core.Staff;

namespace EserSecurity.Tests.Support;

/// <summary>Active grants put straight into the database, as test preconditions.</summary>
public static class GrantSetup
{
    public static async Task<AccessGrant> AddAsync(TestDatabase database, StaffMember person, EserRole role, SchoolSystem lea, School? school)
    {
        await using var db = await database.OpenAsync();
        var grant = new AccessGrant
        {
            StaffMemberId = person.Id, EserRoleId = role.Id, SchoolSystemId = lea.Id, SchoolId = school?.Id, Origin = GrantOrigin.Request,
            GrantedAt = database.Clock.GetUtcNow().AddDays(-30),
        };
        db.AccessGrants.Add(grant);
        await db.SaveChangesAsync();
        return grant;
    }

    public static async Task<AccessGrant> FindAsync(TestDatabase database, int grantId)
    {
        await using var db = await database.OpenAsync();
        return await db.AccessGrants.FindAsync(grantId) ?? throw new InvalidOperationException($"No grant {grantId}.");
    }
}

using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Data;
using EserSecurity.Core.Roles;
using EserSecurity.Core.Staff;
using EserSecurity.DemoState;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Benchmarks.Notifications;

/// <summary>
/// Pending requests for a coordinator to approve: active, linked staff of one school system (not the demo people), each
/// asking for a role without IEP Forms (so no approval waits for an assurance or a supervisor) at one of their own
/// schools or for their school system, never one they already hold or have pending. Stored through EF with the
/// submission step a real request has, in a random order.
/// </summary>
internal static class DecisionRequests
{
    private const int Seed = 20261128;

    public static async Task<Queue<int>> AddAsync(
        IDbContextFactory<EserSecurityDbContext> dbFactory, int schoolSystemId, int count, TimeProvider clock, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var roles = await db.EserRoles.AsNoTracking().Where(r => !r.IsRetired && !r.GrantsIepForms).OrderBy(r => r.Id)
            .Select(r => new { r.Id, r.Level, r.Name }).ToListAsync(ct);
        var demoPeople = DemoPeople.All.ToArray();
        var staff = await db.StaffMembers.AsNoTracking()
            .Where(s => s.EmploymentStatus == EmploymentStatus.Active && s.Username != null && s.SchoolSystemId == schoolSystemId
                && !demoPeople.Contains(s.Username))
            .OrderBy(s => s.Id)
            .Select(s => new { s.Id, Schools = s.Schools.Select(x => x.SchoolId).ToList() })
            .ToListAsync(ct);
        var pending = await db.AccessRequests.AsNoTracking()
            .Where(r => r.SchoolSystemId == schoolSystemId
                && (r.Status == AccessRequestStatus.PendingCoordinator || r.Status == AccessRequestStatus.PendingSupervisor))
            .Select(r => new { r.RequesterId, r.EserRoleId, r.SchoolId }).ToListAsync(ct);
        var held = await db.AccessGrants.AsNoTracking().Where(g => g.SchoolSystemId == schoolSystemId && g.EndedAt == null)
            .Select(g => new { g.StaffMemberId, g.EserRoleId, g.SchoolId }).ToListAsync(ct);
        var taken = pending.Select(r => (r.RequesterId, r.EserRoleId, r.SchoolId))
            .Concat(held.Select(g => (g.StaffMemberId, g.EserRoleId, g.SchoolId))).ToHashSet();

        var candidates = staff
            .SelectMany(person => roles.SelectMany(role => role.Level == RoleLevel.SchoolSystem
                ? [(Person: person.Id, Role: role.Id, School: (int?)null)]
                : person.Schools.Select(school => (Person: person.Id, Role: role.Id, School: (int?)school))))
            .Where(want => !taken.Contains(want))
            .ToArray();
        if (candidates.Length < count)
        {
            throw new InvalidOperationException(
                $"The demo school system has {candidates.Length:N0} roles its staff could still ask for, fewer than the {count:N0} decisions asked for: " +
                "lower --rounds or --decisions.");
        }
        var random = new Random(Seed);
        random.Shuffle(candidates);
        var roleNames = roles.ToDictionary(r => r.Id, r => r.Name);
        var now = clock.GetUtcNow();
        var requests = candidates.Take(count)
            .Select(want => AccessRequest.Open(want.Person, want.Role, schoolSystemId, want.School,
                $"My duties need {roleNames[want.Role]}; added by the decision-notify benchmark.", now - TimeSpan.FromHours(random.Next(1, 24 * 14))))
            .ToList();

        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.AccessRequests.AddRange(requests);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new Queue<int>(requests.Select(r => r.Id));
    }
}

using System.Diagnostics;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Data;
using EserSecurity.Core.Roles;
using EserSecurity.Core.Staff;
using EserSecurity.DemoState;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Benchmarks.Queue;

/// <summary>What the top-up added to the demo state.</summary>
internal sealed record TopUpResult(int AddedInSchoolSystem, int AddedElsewhere, int Duplicates, TimeSpan Elapsed);

/// <summary>
/// Adds pending requests to the Full demo state until the demo school system has <see cref="SchoolSystemPending"/>
/// requests waiting for a coordinator and the state <see cref="StatewidePending"/> pending requests in all. Requesters
/// are active, linked staff asking for a role at one of their own schools (or for their school system), each with the
/// submission step a real request has. The rows go in through EF so they are stored exactly as the console stores them.
/// </summary>
internal static class PendingTopUp
{
    public const int SchoolSystemPending = 5_000;
    public const int StatewidePending = 50_000;

    private const int Seed = 20261128;
    private const int BatchSize = 5_000;

    public static async Task<TopUpResult> RunAsync(
        IDbContextFactory<EserSecurityDbContext> dbFactory, int schoolSystemId, TimeProvider clock, CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var pendingHere = await db.AccessRequests.CountAsync(
            r => r.Status == AccessRequestStatus.PendingCoordinator && r.SchoolSystemId == schoolSystemId, ct);
        var pendingStatewide = await db.AccessRequests.CountAsync(
            r => r.Status == AccessRequestStatus.PendingCoordinator || r.Status == AccessRequestStatus.PendingSupervisor, ct);
        var neededHere = SchoolSystemPending - pendingHere;
        var neededElsewhere = StatewidePending - pendingStatewide - neededHere;
        if (neededHere < 0 || neededElsewhere < 0)
        {
            throw new InvalidOperationException(
                $"The demo state already has {pendingHere:N0} requests waiting in the demo school system and {pendingStatewide:N0} pending " +
                $"statewide; raise the benchmark's targets ({SchoolSystemPending:N0} and {StatewidePending:N0}).");
        }

        var taken = (await db.AccessRequests.AsNoTracking()
                .Where(r => r.Status == AccessRequestStatus.PendingCoordinator || r.Status == AccessRequestStatus.PendingSupervisor)
                .Select(r => new { r.RequesterId, r.EserRoleId, r.SchoolId })
                .ToListAsync(ct))
            .Select(r => (r.RequesterId, r.EserRoleId, r.SchoolId))
            .ToHashSet();
        var candidates = await CandidatesAsync(db, ct);
        var random = new Random(Seed);
        var (here, duplicatesHere) = Pick(candidates.Where(c => c.SchoolSystemId == schoolSystemId).ToList(), taken, neededHere, random);
        var (elsewhere, duplicatesElsewhere) = Pick(candidates.Where(c => c.SchoolSystemId != schoolSystemId).ToList(), taken, neededElsewhere, random);

        var roleNames = await db.EserRoles.AsNoTracking().ToDictionaryAsync(r => r.Id, r => r.Name, ct);
        var now = clock.GetUtcNow();
        var requests = here.Concat(elsewhere).Select(want => NewRequest(want, roleNames[want.EserRoleId], now, random)).ToList();

        // One transaction, batches of plain inserts: change detection and a growing change tracker only cost time here.
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var batch in requests.Chunk(BatchSize))
        {
            db.AccessRequests.AddRange(batch);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
        await transaction.CommitAsync(ct);
        return new TopUpResult(here.Count, elsewhere.Count, duplicatesHere + duplicatesElsewhere, stopwatch.Elapsed);
    }

    /// <summary>Every role each active, linked staff member could ask for: school roles at their own schools, school-system roles once.</summary>
    private static async Task<List<Want>> CandidatesAsync(EserSecurityDbContext db, CancellationToken ct)
    {
        var roles = await db.EserRoles.AsNoTracking().Where(r => !r.IsRetired).OrderBy(r => r.Id)
            .Select(r => new { r.Id, r.Level }).ToListAsync(ct);
        var demoPeople = DemoPeople.All.ToArray();
        var staff = await db.StaffMembers.AsNoTracking()
            .Where(s => s.EmploymentStatus == EmploymentStatus.Active && s.Username != null && s.SchoolSystemId != null
                && !demoPeople.Contains(s.Username))
            .OrderBy(s => s.Id)
            .Select(s => new { s.Id, SchoolSystemId = s.SchoolSystemId!.Value, Schools = s.Schools.Select(x => x.SchoolId).ToList() })
            .ToListAsync(ct);
        return staff
            .SelectMany(person => roles.SelectMany(role => role.Level == RoleLevel.SchoolSystem
                ? [new Want(person.Id, person.SchoolSystemId, role.Id, null)]
                : person.Schools.Select(school => new Want(person.Id, person.SchoolSystemId, role.Id, school))))
            .ToList();
    }

    /// <summary>
    /// Takes <paramref name="count"/> candidates at random that nobody has asked for yet; only when those run out does it
    /// repeat a person, role and school (counted as duplicates).
    /// </summary>
    private static (List<Want> Picked, int Duplicates) Pick(
        List<Want> candidates, HashSet<(int RequesterId, int EserRoleId, int? SchoolId)> taken, int count, Random random)
    {
        var pool = candidates.ToArray();
        random.Shuffle(pool);
        var picked = new List<Want>(count);
        foreach (var want in pool)
        {
            if (picked.Count == count)
            {
                break;
            }
            if (taken.Add((want.RequesterId, want.EserRoleId, want.SchoolId)))
            {
                picked.Add(want);
            }
        }
        var duplicates = count - picked.Count;
        if (duplicates > 0 && pool.Length == 0)
        {
            throw new InvalidOperationException("No active, linked staff member can be given a request.");
        }
        for (var i = 0; i < duplicates; i++)
        {
            picked.Add(pool[i % pool.Length]);
        }
        return (picked, duplicates);
    }

    private static AccessRequest NewRequest(Want want, string roleName, DateTimeOffset now, Random random)
    {
        // Ages like the demo state's: most requests are a few days old, a long tail reaches six weeks.
        var submittedAt = now - TimeSpan.FromDays(42 * Math.Pow(random.NextDouble(), 1.6)) - TimeSpan.FromMinutes(10);
        return AccessRequest.Open(want.RequesterId, want.EserRoleId, want.SchoolSystemId, want.SchoolId,
            $"My duties need {roleName}; added by the queue benchmark.", submittedAt);
    }

    private sealed record Want(int RequesterId, int SchoolSystemId, int EserRoleId, int? SchoolId);
}

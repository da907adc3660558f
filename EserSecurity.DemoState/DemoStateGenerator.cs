using EserSecurity.Core.Data;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Provisioning;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.DemoState;

/// <summary>
/// Creates a deterministic fictional state (fixed seed) for demos and tests: school systems, schools, staff, the
/// role catalog, the TAS report, coordinators, requests, grants, assurance signatures and key dates, all relative
/// to today so the state always stands a few weeks before go-live.
/// </summary>
public sealed class DemoStateGenerator(TimeProvider clock) : IDemoStateGenerator
{
    /// <summary>Seeds an empty database in one transaction. <see cref="DemoStateSize.None"/> does nothing.</summary>
    public async Task SeedAsync(EserSecurityDbContext db, DemoStateSize size, CancellationToken ct = default)
    {
        if (size == DemoStateSize.None)
        {
            return;
        }
        if (await db.SchoolSystems.AnyAsync(ct) || await db.StaffMembers.AnyAsync(ct))
        {
            throw new InvalidOperationException("The demo state can only be created in an empty database.");
        }

        // Anchored at the start of the UTC day, so the same size on the same day always builds the same state.
        var startOfDay = new DateTimeOffset(clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        var data = new DemoStateBuilder(size, startOfDay).Build(followedUpAsOf: clock.GetUtcNow());

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // School systems carry an owned policy, so EF writes them; the rest is plain rows.
        db.SchoolSystems.AddRange(data.SchoolSystems);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        await InsertAsync(db, data.Schools, ct);
        await InsertAsync(db, data.StaffMembers, ct);
        await InsertAsync(db, data.StaffSchools, ct);
        await InsertAsync(db, data.EserRoles, ct);
        await InsertAsync(db, data.TasRoles, ct);
        await InsertAsync(db, data.LegacySerAccess, ct);
        await InsertAsync(db, data.SchoolGroups, ct);
        await InsertAsync(db, data.SchoolGroupMembers, ct);
        await InsertAsync(db, data.CoordinatorAssignments, ct);
        await InsertAsync(db, data.SupervisorAssignments, ct);
        await InsertAsync(db, data.StateAdministrators, ct);
        await InsertAsync(db, data.Deputyships, ct);
        await InsertAsync(db, data.AccessRequests, ct);
        await InsertAsync(db, data.AccessRequestSteps, ct);
        await InsertAsync(db, data.AccessGrants, ct);
        await InsertAsync(db, data.AccessReviews, ct);
        await InsertAsync(db, data.AccessReviewItems, ct);
        await InsertAsync(db, data.StatementVersions, ct);
        await InsertAsync(db, data.AssuranceSignatures, ct);
        await InsertAsync(db, data.KeyDates, ct);
        await InsertAsync(db, data.Notifications, ct);
        await InsertAsync(db, DecisionHistory(data), ct);
        await IdentitySequences.AlignAsync(db, ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>The change feed the demo's grants and signatures would have written, in time order.</summary>
    private static List<AccessDecisionChange> DecisionHistory(DemoStateData data)
    {
        var granted = data.AccessGrants.Select(g => new AccessDecisionChange
        {
            At = g.GrantedAt, Kind = AccessDecisionChangeKind.Granted, StaffMemberId = g.StaffMemberId, AccessGrantId = g.Id,
        });
        var ended = data.AccessGrants.Where(g => g.EndedAt is not null).Select(g => new AccessDecisionChange
        {
            At = g.EndedAt!.Value, Kind = AccessDecisionChangeKind.Ended, StaffMemberId = g.StaffMemberId, AccessGrantId = g.Id,
            Reason = (g.EndReason ?? GrantEndReason.Manual).ToString(),
        });
        var signed = data.AssuranceSignatures.Select(s => new AccessDecisionChange
        {
            At = s.SignedAt, Kind = AccessDecisionChangeKind.AssuranceSigned, StaffMemberId = s.StaffMemberId, Reason = AccessDecisionReasons.AssuranceSigned,
        });
        var history = granted.Concat(ended).Concat(signed).OrderBy(c => c.At).ToList();
        for (var i = 0; i < history.Count; i++)
        {
            history[i].Id = i + 1;
        }
        return history;
    }

    // The demo rows carry their keys, so they insert in dependency order without key round trips.
    private static Task InsertAsync<T>(EserSecurityDbContext db, List<T> rows, CancellationToken ct) where T : class =>
        RowInserter.InsertAsync(db, rows, keysFromStore: false, progress: null, ct);
}

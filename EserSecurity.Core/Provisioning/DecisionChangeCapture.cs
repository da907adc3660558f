using EserSecurity.Core.Assurance;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EserSecurity.Core.Provisioning;

/// <summary>
/// Writes the change feed's rows from what a save is about to change, so that every way a grant is created or ended, a
/// person's employment changes or an assurance is signed reaches the applications that enforce access, in the same
/// transaction, without each service remembering to. Bulk writes that bypass tracking (the staff directory) call
/// <see cref="ForEmploymentStatus"/> themselves.
/// </summary>
internal sealed class DecisionChangeCapture(TimeProvider clock) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } db)
        {
            Capture(db, clock.GetUtcNow());
        }
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } db)
        {
            Capture(db, clock.GetUtcNow());
        }
        return ValueTask.FromResult(result);
    }

    private static void Capture(DbContext db, DateTimeOffset now)
    {
        List<AccessDecisionChange>? found = null;
        foreach (var entry in db.ChangeTracker.Entries())
        {
            var change = entry.Entity switch
            {
                AccessGrant grant => OfGrant(entry, grant),
                StaffMember person when entry.State == EntityState.Modified => OfPerson(entry, person, now),
                AssuranceSignature signature when entry.State == EntityState.Added => new AccessDecisionChange
                {
                    At = signature.SignedAt, Kind = AccessDecisionChangeKind.AssuranceSigned, StaffMemberId = signature.StaffMemberId, StaffMember = signature.StaffMember,
                    Reason = AccessDecisionReasons.AssuranceSigned,
                },
                _ => null,
            };
            if (change is not null)
            {
                (found ??= []).Add(change);
            }
        }
        if (found is not null)
        {
            db.Set<AccessDecisionChange>().AddRange(found);
        }
    }

    private static AccessDecisionChange? OfGrant(EntityEntry entry, AccessGrant grant)
    {
        if (entry.State == EntityState.Added)
        {
            // The navigations let the save fill in the ids of a new grant (and of a person added with it).
            return new AccessDecisionChange
            {
                At = grant.GrantedAt, Kind = AccessDecisionChangeKind.Granted, StaffMemberId = grant.StaffMemberId, StaffMember = grant.StaffMember, AccessGrant = grant,
            };
        }
        var endedAt = entry.Property(nameof(AccessGrant.EndedAt));
        if (entry.State == EntityState.Modified && endedAt.IsModified && endedAt.OriginalValue is null && grant.EndedAt is { } at)
        {
            return new AccessDecisionChange
            {
                At = at, Kind = AccessDecisionChangeKind.Ended, StaffMemberId = grant.StaffMemberId, AccessGrantId = grant.Id,
                Reason = (grant.EndReason ?? GrantEndReason.Manual).ToString(),
            };
        }
        return null;
    }

    private static AccessDecisionChange? OfPerson(EntityEntry entry, StaffMember person, DateTimeOffset now)
    {
        var status = entry.Property(nameof(StaffMember.EmploymentStatus));
        return status.IsModified && status.OriginalValue is EmploymentStatus before
            ? ForEmploymentStatus(person.Id, before, person.EmploymentStatus, now)
            : null;
    }

    /// <summary>The change a new employment status makes to a person's decision, or null when it makes none.</summary>
    public static AccessDecisionChange? ForEmploymentStatus(int staffMemberId, EmploymentStatus before, EmploymentStatus after, DateTimeOffset now) =>
        (before, after) switch
        {
            _ when before == after => null,
            (_, EmploymentStatus.Ended) => new AccessDecisionChange { At = now, Kind = AccessDecisionChangeKind.PersonEnded, StaffMemberId = staffMemberId },
            (_, EmploymentStatus.Leave) => new AccessDecisionChange
            {
                At = now, Kind = AccessDecisionChangeKind.Suspended, StaffMemberId = staffMemberId, Reason = AccessDecisionReasons.OnLeave,
            },
            (_, EmploymentStatus.Active) => new AccessDecisionChange
            {
                At = now, Kind = AccessDecisionChangeKind.Restored, StaffMemberId = staffMemberId, Reason = AccessDecisionReasons.ReturnedToWork,
            },
            _ => null,
        };
}

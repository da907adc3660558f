using EserSecurity.Core.Assurance;
using EserSecurity.Core.Data;
using EserSecurity.Core.KeyDates;
using EserSecurity.Core.Roles;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Provisioning;

/// <summary>
/// What the applications that enforce access read: one person's current decision, and every change to anyone's decision
/// in commit order. Callers are API clients, authorized by <see cref="ApiClientRegistry"/>; the scope each read needs is
/// checked here.
/// </summary>
public sealed class AccessDecisionService(IDbContextFactory<EserSecurityDbContext> dbFactory, TimeProvider clock, IOptions<AssuranceOptions> assurance)
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;

    /// <summary>The person's decision today: admit or not and why, their assurance, and each active grant.</summary>
    /// <exception cref="ApiRefusedException">No <see cref="ApiScopes.AccessRead"/>, or no person with that Staff ID.</exception>
    public async Task<AccessDecision> GetAsync(ApiCaller caller, string staffId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.Demand(ApiScopes.AccessRead);
        staffId = (staffId ?? "").Trim();
        if (!StaffMember.IsStaffId(staffId))
        {
            throw new ApiRefusedException(ApiRefusal.BadRequest, "A Staff ID is 6 to 20 digits.");
        }
        var today = clock.Today();
        var year = SchoolYear.Containing(today);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var person = await db.StaffMembers.AsNoTracking().Where(s => s.StaffId == staffId)
            .Select(s => new
            {
                s.Id, s.StaffId, s.FirstName, s.LastName, s.EmploymentStatus, s.EmploymentEndedOn,
                SignedAt = db.AssuranceSignatures.Where(a => a.StaffMemberId == s.Id && a.SchoolYear == year.StartYear)
                    .OrderBy(a => a.Id).Select(a => (DateTimeOffset?)a.SignedAt).FirstOrDefault(),
            })
            .SingleOrDefaultAsync(ct)
            ?? throw new ApiRefusedException(ApiRefusal.NotFound, $"No staff record has the Staff ID {staffId}.");
        var grants = await db.AccessGrants.AsNoTracking().Where(g => g.StaffMemberId == person.Id && g.EndedAt == null)
            .OrderBy(g => g.Id)
            .Select(g => new
            {
                g.Id, g.EserRole!.Code, g.EserRole.Name, g.EserRole.Permissions, g.EserRole.GrantsIepForms,
                SystemCode = g.SchoolSystem!.Code, SystemName = g.SchoolSystem.Name,
                SiteCode = g.School != null ? g.School.SiteCode : null, SiteName = g.School != null ? g.School.Name : null,
                g.Origin, g.GrantedAt, g.EndsOn,
            })
            .ToListAsync(ct);
        var goLive = (await KeyDateService.GoLiveAsync(db, today, ct))?.On;

        var settings = assurance.Value;
        var signed = person.SignedAt is not null;
        var status = AssuranceRules.StatusOn(today, signed, settings.GraceDays);
        var decision = AccessDecisionRules.Decide(today, goLive, person.EmploymentStatus, grants.Count > 0, status);
        var endsOn = StaffMember.EndIsScheduled(person.EmploymentStatus, person.EmploymentEndedOn) ? person.EmploymentEndedOn : null;
        return new AccessDecision(
            person.StaffId, person.FirstName, person.LastName, person.EmploymentStatus, endsOn, today, goLive,
            decision == AdmitDecision.Admit, decision, AccessDecisionRules.Explain(decision, goLive, year),
            AccessDecisionRules.DecideWhenLive(person.EmploymentStatus, grants.Count > 0, status) == AdmitDecision.Admit,
            new DecisionAssurance(status, year.Label, AssuranceRules.OverdueFrom(year, settings.GraceDays), person.SignedAt),
            grants.Select(g => new DecisionGrant(g.Id, g.Code, g.Name, EserRole.SplitPermissions(g.Permissions), g.SystemCode, g.SystemName,
                g.SiteCode, g.SiteName, g.GrantsIepForms,
                AssuranceRules.IepFormsStandingOn(today, g.GrantsIepForms, signed, settings.GraceDays, settings.UnsignedIepForms),
                g.Origin, g.GrantedAt, g.EndsOn is DateOnly last && (endsOn is null || last < endsOn) ? last : endsOn)).ToList());
    }

    /// <summary>
    /// The changes after <paramref name="after"/> (0 for the beginning), oldest first, at most <paramref name="limit"/>.
    /// A client that keeps asking after the <see cref="DecisionChangePage.Next"/> it was given sees every change once.
    /// </summary>
    /// <exception cref="ApiRefusedException">No <see cref="ApiScopes.ChangesRead"/>, or a cursor or limit out of range.</exception>
    public async Task<DecisionChangePage> ReadChangesAsync(ApiCaller caller, long after, int limit = DefaultPageSize, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.Demand(ApiScopes.ChangesRead);
        if (after < 0)
        {
            throw new ApiRefusedException(ApiRefusal.BadRequest, "The cursor is a number the feed handed out, 0 or more.");
        }
        if (limit is < 1 or > MaxPageSize)
        {
            throw new ApiRefusedException(ApiRefusal.BadRequest, $"Ask for 1 to {MaxPageSize} changes at a time.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await ReadAsync(db, after, limit + 1, ct);
        var hasMore = rows.Count > limit;
        if (hasMore)
        {
            rows.RemoveAt(rows.Count - 1);
        }
        return new DecisionChangePage(rows, rows.Count > 0 ? rows[^1].Cursor : after, hasMore);
    }

    /// <summary>The newest cursor: where a client that has just read everyone's decision starts following.</summary>
    public async Task<long> GetLatestCursorAsync(ApiCaller caller, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.Demand(ApiScopes.ChangesRead);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await LatestAsync(db, ct);
    }

    internal static async Task<long> LatestAsync(EserSecurityDbContext db, CancellationToken ct) =>
        await db.AccessDecisionChanges.MaxAsync(c => (long?)c.Id, ct) ?? 0;

    internal static Task<List<DecisionChangeItem>> ReadAsync(EserSecurityDbContext db, long after, int take, CancellationToken ct) =>
        db.AccessDecisionChanges.AsNoTracking().Where(c => c.Id > after).OrderBy(c => c.Id).Take(take)
            .Select(c => new DecisionChangeItem(c.Id, c.At, c.Kind, c.StaffMember!.StaffId, c.Reason,
                c.AccessGrant == null ? null : new DecisionChangeGrant(c.AccessGrant.Id, c.AccessGrant.EserRole!.Code,
                    c.AccessGrant.SchoolSystem!.Code, c.AccessGrant.School != null ? c.AccessGrant.School.SiteCode : null,
                    c.AccessGrant.EserRole.GrantsIepForms)))
            .ToListAsync(ct);
}

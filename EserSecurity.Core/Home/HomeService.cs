using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Data;
using EserSecurity.Core.Grants;
using EserSecurity.Core.KeyDates;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Home;

/// <summary>The figures on each person's home page, computed from the database within the person's scope.</summary>
public sealed class HomeService(
    IDbContextFactory<EserSecurityDbContext> dbFactory, ScopeService scopes, TimeProvider clock, IOptions<QueueOptions> queueOptions,
    IOptions<AssuranceOptions> assuranceOptions)
{
    /// <summary>How many of a person's ended grants their home shows, newest first.</summary>
    public const int RecentlyEndedGrants = 10;

    private int StaleAfterDays => queueOptions.Value.StaleAfterDays;

    private int GraceDays => assuranceOptions.Value.GraceDays;

    /// <summary>
    /// Whether a change can move the figures <see cref="GetSummaryAsync"/> reads for the person of <paramref name="scope"/>:
    /// anything in a school system or school the scope reaches, anything the person did, the calendar (go-live and key
    /// dates), a change about the person (a grant of theirs ended, their employment), or a change to one of the open
    /// requests <paramref name="shown"/> lists. Nothing concerns a scope not yet known.
    /// </summary>
    public static bool ConcernsSummary(AccessChange change, AccessScope? scope, HomeSummary? shown) =>
        scope is not null
        && (scope.Touches(change.SchoolSystemId, change.SchoolId)
            || change.ActorId == scope.StaffMemberId
            || change.SubjectStaffMemberId == scope.StaffMemberId
            || KeyDateService.ConcernsCalendar(change)
            || (change.AccessRequestId is int id && shown?.Personal.OpenRequests.Any(r => r.Id == id) == true));

    public async Task<HomeSummary> GetSummaryAsync(Caller caller, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetReadScopeAsync(db, caller.StaffMemberId, ct);
        // The same counts as the Assurance status page, over the same people.
        var assurance = StatusScope.Of(scope) is { } statusScope
            ? await AssuranceStatusQueries.TotalsAsync(db, statusScope, clock.Today(), GraceDays, ct)
            : null;
        return new HomeSummary(
            await GetPersonalAsync(db, caller.StaffMemberId, ct),
            scope.IsCoordinator ? await GetCoordinatorAsync(db, scope, ct) : null,
            scope.IsSupervisor ? await GetSupervisorAsync(db, scope, ct) : null,
            scope.IsStateAdministrator && assurance is not null ? await GetStatewideAsync(db, assurance, ct) : null,
            await GetGoLiveAsync(db, ct),
            assurance);
    }

    private async Task<PersonalSummary> GetPersonalAsync(EserSecurityDbContext db, int staffMemberId, CancellationToken ct)
    {
        var today = clock.Today();
        var year = SchoolYear.Containing(today);
        var person = await db.StaffMembers.AsNoTracking().Where(s => s.Id == staffMemberId)
            .Select(s => new { Name = s.FirstName + " " + s.LastName, s.Position, SchoolSystemName = s.SchoolSystem != null ? s.SchoolSystem.Name : null })
            .SingleAsync(ct);
        var grants = await StaffDirectory.ActiveGrantsOf(db, staffMemberId)
            .OrderBy(g => g.EserRole!.Name)
            .Select(g => new OwnGrant(g.EserRole!.Name, g.School != null ? g.School.Name : g.SchoolSystem!.Name, g.EserRole.GrantsIepForms, g.GrantedAt))
            .ToListAsync(ct);
        var requests = await db.AccessRequests.AsNoTracking()
            .Where(r => r.RequesterId == staffMemberId
                && (r.Status == AccessRequestStatus.PendingCoordinator || r.Status == AccessRequestStatus.PendingSupervisor))
            .OrderByDescending(r => r.SubmittedAt)
            .Select(r => new OwnRequest(r.Id, r.EserRole!.Name, r.School != null ? r.School.Name : r.SchoolSystem!.Name, r.Status, r.SubmittedAt))
            .ToListAsync(ct);
        var ended = await db.AccessGrants.AsNoTracking().Where(g => g.StaffMemberId == staffMemberId && g.EndedAt != null)
            .OrderByDescending(g => g.EndedAt).Take(RecentlyEndedGrants)
            .Select(g => new EndedOwnGrant(g.EserRole!.Name, g.School != null ? g.School.Name : g.SchoolSystem!.Name, g.EndedAt!.Value,
                g.EndReason ?? GrantEndReason.Manual, g.EndNote))
            .ToListAsync(ct);
        var signed = await db.AssuranceSignatures.AnyAsync(s => s.StaffMemberId == staffMemberId && s.SchoolYear == year.StartYear, ct);
        return new PersonalSummary(person.Name, person.Position, person.SchoolSystemName, grants, requests,
            AssuranceRules.StatusOn(today, signed, GraceDays), year.Label, ended);
    }

    private async Task<CoordinatorSummary> GetCoordinatorAsync(EserSecurityDbContext db, AccessScope scope, CancellationToken ct)
    {
        var today = clock.Today();
        var staleBefore = clock.GetUtcNow().AddDays(-StaleAfterDays);
        var routed = RequestRouting.RoutedTo(db.AccessRequests.AsNoTracking(), scope).Where(r => r.Status == AccessRequestStatus.PendingCoordinator);
        var pending = await routed.CountAsync(ct);
        var stale = await routed.CountAsync(r => r.SubmittedAt < staleBefore, ct);

        var district = scope.DistrictSchoolSystemIds.ToArray();
        var localSchools = scope.LocalSchoolIds.ToArray();
        var coveredSchools = db.Schools.AsNoTracking().Where(s => district.Contains(s.SchoolSystemId) || localSchools.Contains(s.Id));
        var schoolsCovered = await coveredSchools.CountAsync(ct);

        // Schools of the caller's districts that no local coordinator covers, on their own or through a group.
        var activeLocal = db.CoordinatorAssignments.ActiveOn(today).Where(a => a.Coverage != CoordinatorCoverage.SchoolSystem);
        var districtOnly = await db.Schools.AsNoTracking()
            .Where(s => district.Contains(s.SchoolSystemId))
            .CountAsync(s => !activeLocal.Any(a => a.SchoolId == s.Id)
                && !activeLocal.Any(a => a.SchoolGroupId != null && db.SchoolGroupMembers.Any(m => m.SchoolGroupId == a.SchoolGroupId && m.SchoolId == s.Id)), ct);

        var schoolSystems = scope.DistrictSchoolSystemIds.Union(scope.LocalSchoolSystemIds).Count();
        return new CoordinatorSummary(pending, stale, StaleAfterDays, schoolSystems, schoolsCovered, districtOnly);
    }

    private static async Task<SupervisorSummary> GetSupervisorAsync(EserSecurityDbContext db, AccessScope scope, CancellationToken ct)
    {
        var supervised = scope.SupervisedSchoolSystemIds.ToArray();
        var pending = await db.AccessRequests.AsNoTracking().CountAsync(RequestRouting.AwaitingSupervisor(scope), ct);
        var iepGrants = await db.AccessGrants.AsNoTracking()
            .CountAsync(g => g.EndedAt == null && g.EserRole!.GrantsIepForms && supervised.Contains(g.SchoolSystemId), ct);
        return new SupervisorSummary(pending, iepGrants, supervised.Length);
    }

    private async Task<StatewideSummary> GetStatewideAsync(EserSecurityDbContext db, AssuranceCounts assurance, CancellationToken ct)
    {
        var today = clock.Today();
        var activeDistrict = db.CoordinatorAssignments.ActiveOn(today).Where(a => a.Coverage == CoordinatorCoverage.SchoolSystem);
        return new StatewideSummary(
            await db.SchoolSystems.CountAsync(ct),
            await db.Schools.CountAsync(ct),
            // The statewide assurance population is every active staff member: its total is that count.
            assurance.Total,
            await db.AccessGrants.CountAsync(g => g.EndedAt == null, ct),
            await db.AccessRequests.CountAsync(r => r.Status == AccessRequestStatus.PendingCoordinator || r.Status == AccessRequestStatus.PendingSupervisor, ct),
            await db.SchoolSystems.CountAsync(s => !activeDistrict.Any(a => a.SchoolSystemId == s.Id), ct),
            assurance.Signed);
    }

    private Task<GoLiveCountdown?> GetGoLiveAsync(EserSecurityDbContext db, CancellationToken ct) =>
        KeyDateService.GoLiveAsync(db, clock.Today(), ct);
}

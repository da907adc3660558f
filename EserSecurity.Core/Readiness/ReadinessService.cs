using System.Globalization;
using System.Text;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using EserSecurity.Core.Documents;
using EserSecurity.Core.Home;
using EserSecurity.Core.KeyDates;
using EserSecurity.Core.Roles;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Readiness;

/// <summary>
/// Go-live readiness: of the people the TAS report lists with SER access, who holds an approved eSER role and this
/// school year's confidentiality assurance, per school system and per school, with the countdown to go-live, and after
/// it who is locked out. State administrators see every school system; district coordinators and special education
/// supervisors their own. The figures come from one grouped query, never a query per person; the statewide board's
/// and each school system's counts are kept until the next audited change (<see cref="ReadinessFigureCache"/>), so
/// every open board refreshing for one change, and every reload in between, shares one count; after a change only the
/// school systems it can move are counted again (<see cref="ReadinessChangeScope"/>).
/// </summary>
public sealed class ReadinessService(
    IDbContextFactory<EserSecurityDbContext> dbFactory, ScopeService scopes, TimeProvider clock, IOptions<AssuranceOptions> assuranceOptions)
{
    private const string WithoutSite = "No site in TAS";

    private readonly ReadinessFigureCache _kept = new();

    private static readonly string[] CsvHeader =
        ["Last name", "First name", "Staff ID", "Position", "TAS schools", "Reason", "Request pending with", "Assurance signed", "Locked out"];

    /// <summary>Whether a change can move readiness figures anywhere.</summary>
    private static bool MovesFigures(AccessChange change) => change.Kind is AccessChangeKind.GrantCreated or AccessChangeKind.GrantEnded
        or AccessChangeKind.RequestSubmitted or AccessChangeKind.RequestDecided or AccessChangeKind.RequestEndorsed or AccessChangeKind.RequestWithdrawn or AccessChangeKind.RequestCancelled
        or AccessChangeKind.AssuranceSigned or AccessChangeKind.LegacyAccessImported or AccessChangeKind.KeyDatesChanged
        or AccessChangeKind.EmploymentChanged;

    /// <summary>
    /// Whether a change can move the figures of the board of <paramref name="scope"/>: one that moves readiness in a
    /// school system or school the scope reaches, or a statewide one (key dates). Nothing concerns a scope not yet known.
    /// </summary>
    public static bool ConcernsBoard(AccessChange change, AccessScope? scope) =>
        scope is not null && MovesFigures(change) && (change.SchoolSystemId is null || scope.Touches(change.SchoolSystemId, change.SchoolId));

    /// <summary>
    /// Whether a change can move the figures or the not-ready people of school system <paramref name="schoolSystemId"/>.
    /// </summary>
    public static bool ConcernsSchoolSystem(AccessChange change, int schoolSystemId) =>
        MovesFigures(change) && (change.SchoolSystemId is null || change.SchoolSystemId == schoolSystemId);

    /// <summary>The board: every school system in the caller's scope with its figures, sorted (by default least ready first).</summary>
    public async Task<ReadinessBoard> GetBoardAsync(
        Caller caller, ReadinessSort sort = ReadinessSort.PercentReady, bool descending = false, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // The board refreshes live; a kept scope is forgotten as soon as an assignment change is published.
        var scope = await scopes.GetReadScopeAsync(db, caller.StaffMemberId, ct);
        var (goLive, hasGoneLive, year) = await CalendarAsync(db, ct);
        var visible = scope.IsStateAdministrator ? null : VisibleSchoolSystems(scope).ToArray();

        var systems = db.SchoolSystems.AsNoTracking();
        if (visible is not null)
        {
            systems = systems.Where(s => visible.Contains(s.Id));
        }
        var names = await systems.Select(s => new { s.Id, s.Code, s.Name }).ToListAsync(ct);
        // The statewide counts are kept until the next audited change; a coordinator's few school systems are counted
        // afresh, which costs less than keeping every scope's counts.
        var sequence = visible is null ? await ReadinessFigureCache.SequenceAsync(db, ct) : 0;
        var today = clock.Today();
        var counts = visible is null
            ? await _kept.GetAsync<Dictionary<int, Counts>>(sequence, today, "board", earlier => InNewContextAsync(d => RecountMovedAsync(d, sequence, earlier,
                moved => CountSchoolSystemsAsync(d, moved, year))), ct)
            : await CountSchoolSystemsAsync(db, visible, year, ct);

        // The one assurance rule decides whether an unsigned holder's IEP Forms grant is marked today at all.
        var options = assuranceOptions.Value;
        var marking = AssuranceRules.IepFormsStandingOn(today, grantsIepForms: true, signedThisYear: false, options.GraceDays, options.UnsignedIepForms);
        var unsigned = new Dictionary<int, int>();
        if (marking != IepFormsStanding.InForce)
        {
            unsigned = visible is null
                ? await _kept.GetAsync<Dictionary<int, int>>(sequence, today, "unsigned IEP Forms", earlier => InNewContextAsync(d => RecountMovedAsync(d, sequence, earlier,
                    moved => CountUnsignedIepFormsAsync(d, moved, year))), ct)
                : await CountUnsignedIepFormsAsync(db, visible, year, ct);
        }

        var rows = names.Select(s => new SchoolSystemReadinessRow(s.Id, s.Code, s.Name, Figures(counts.GetValueOrDefault(s.Id), hasGoneLive),
            unsigned.GetValueOrDefault(s.Id))).ToList();
        var total = rows.Aggregate(ReadinessFigures.None, (sum, r) => sum.Plus(r.Figures));
        return new ReadinessBoard(goLive, hasGoneLive, year.Label, total, Sort(rows, r => r.Name, r => r.Figures, sort, descending), marking);
    }

    /// <summary>Per school system (every one, or the <paramref name="visible"/> ones): its legacy users and how many are ready.</summary>
    private static async Task<Dictionary<int, Counts>> CountSchoolSystemsAsync(
        EserSecurityDbContext db, int[]? visible, SchoolYear year, CancellationToken ct = default)
    {
        var legacy = LegacyUsers(db);
        if (visible is [var only])
        {
            // One school system (as after most changes) by equality, which the covering index answers.
            legacy = legacy.Where(l => l.SchoolSystemId == only);
        }
        else if (visible is not null)
        {
            legacy = legacy.Where(l => visible.Contains(l.SchoolSystemId));
        }
        var people = legacy.Select(l => new { l.SchoolSystemId, l.StaffMemberId }).Distinct();
        return await people
            .Select(p => new
            {
                p.SchoolSystemId,
                HasGrant = db.AccessGrants.Any(g => g.StaffMemberId == p.StaffMemberId && g.SchoolSystemId == p.SchoolSystemId && g.EndedAt == null),
                Signed = db.AssuranceSignatures.Any(s => s.StaffMemberId == p.StaffMemberId && s.SchoolYear == year.StartYear),
                Pending = db.AccessRequests.Any(r => r.RequesterId == p.StaffMemberId && r.SchoolSystemId == p.SchoolSystemId
                    && (r.Status == AccessRequestStatus.PendingCoordinator || r.Status == AccessRequestStatus.PendingSupervisor)),
            })
            .GroupBy(p => p.SchoolSystemId)
            .Select(g => new Counts(g.Key, g.Count(), g.Count(x => x.HasGrant), g.Count(x => x.Signed), g.Count(x => x.HasGrant && x.Signed),
                g.Count(x => !x.HasGrant && x.Pending)))
            .ToDictionaryAsync(c => c.Key ?? 0, ct);
    }

    /// <summary>Per school system: active grants of a role with IEP Forms whose holder has not signed this year's assurance.</summary>
    private static async Task<Dictionary<int, int>> CountUnsignedIepFormsAsync(
        EserSecurityDbContext db, int[]? visible, SchoolYear year, CancellationToken ct = default)
    {
        var grants = db.AccessGrants.AsNoTracking().Where(g => g.EndedAt == null && g.EserRole!.GrantsIepForms
            && !db.AssuranceSignatures.Any(a => a.StaffMemberId == g.StaffMemberId && a.SchoolYear == year.StartYear));
        if (visible is not null)
        {
            grants = grants.Where(g => visible.Contains(g.SchoolSystemId));
        }
        return await grants.GroupBy(g => g.SchoolSystemId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
    }

    /// <summary>
    /// Per-school-system counts at <paramref name="sequence"/>: the <paramref name="earlier"/> ones with only the school
    /// systems the changes since then moved counted again (<see cref="ReadinessChangeScope"/>), or all counted afresh
    /// when there are no earlier counts or the changes cannot be attributed. A school system's count is the same
    /// whether it is counted alone or with the others, so the merged counts are those a full count would give.
    /// </summary>
    private static async Task<Dictionary<int, TCount>> RecountMovedAsync<TCount>(EserSecurityDbContext db, long sequence,
        ReadinessFigureCache.Earlier<Dictionary<int, TCount>>? earlier, Func<int[]?, Task<Dictionary<int, TCount>>> count)
    {
        var moved = earlier is null ? null : await ReadinessChangeScope.SchoolSystemsMovedAsync(db, earlier.Sequence, sequence);
        if (earlier is null || moved is null)
        {
            return await count(null);
        }
        var counts = new Dictionary<int, TCount>(earlier.Counts);
        if (moved.Count == 0)
        {
            return counts;
        }
        foreach (var schoolSystemId in moved)
        {
            counts.Remove(schoolSystemId);
        }
        foreach (var (schoolSystemId, recounted) in await count(moved.ToArray()))
        {
            counts[schoolSystemId] = recounted;
        }
        return counts;
    }

    /// <summary>
    /// Runs a count that may be shared between readers in a context of its own, never cancelled by one reader leaving.
    /// </summary>
    private async Task<T> InNewContextAsync<T>(Func<EserSecurityDbContext, Task<T>> count)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        return await count(db);
    }

    /// <summary>One school system's figures with a row per school (and one for access TAS listed without a site).</summary>
    public async Task<SchoolSystemReadiness> GetSchoolSystemAsync(
        Caller caller, int schoolSystemId, ReadinessSort sort = ReadinessSort.PercentReady, bool descending = false, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var system = await DemandViewAsync(db, caller, schoolSystemId, ct);
        var (goLive, hasGoneLive, year) = await CalendarAsync(db, ct);

        var schools = await db.Schools.AsNoTracking().Where(s => s.SchoolSystemId == schoolSystemId)
            .Select(s => new { s.Id, s.SiteCode, s.Name }).ToListAsync(ct);
        // Kept until the next audited change that can move this school system's figures.
        var sequence = await ReadinessFigureCache.SequenceAsync(db, ct);
        var (counts, total) = await _kept.GetAsync<SchoolCounts>(sequence, clock.Today(), ("school system", schoolSystemId),
            earlier => InNewContextAsync(async d => earlier is not null
                && await ReadinessChangeScope.SchoolSystemsMovedAsync(d, earlier.Sequence, sequence) is { } moved && !moved.Contains(schoolSystemId)
                    ? earlier.Counts
                    : await CountSchoolsAsync(d, schoolSystemId, year)), ct);

        var rows = schools.Select(s => new SchoolReadinessRow(s.Id, s.SiteCode, s.Name, Figures(counts.GetValueOrDefault(s.Id), hasGoneLive))).ToList();
        if (counts.TryGetValue(0, out var withoutSite))
        {
            rows.Add(new SchoolReadinessRow(null, null, WithoutSite, Figures(withoutSite, hasGoneLive)));
        }
        return new SchoolSystemReadiness(goLive, hasGoneLive, year.Label, new SchoolSystemReadinessRow(system.Id, system.Code, system.Name, Figures(total, hasGoneLive)),
            Sort(rows, r => r.Name, r => r.Figures, sort, descending));
    }

    /// <summary>The not-ready people of a school system or school, each with the reason and who a pending request waits for.</summary>
    public async Task<PagedResult<NotReadyPerson>> GetNotReadyAsync(Caller caller, NotReadyQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var system = await DemandViewAsync(db, caller, query.SchoolSystemId, ct);
        await DemandSchoolOfAsync(db, caller, query.SchoolSystemId, query.SchoolId, ct);
        var people = await LoadNotReadyAsync(db, query, system.Name, ct);
        var pageSize = Math.Clamp(query.PageSize, 1, 500);
        return new PagedResult<NotReadyPerson>(people.Skip(Math.Max(0, query.Page) * pageSize).Take(pageSize).ToList(), people.Count);
    }

    /// <summary>The drill-down as CSV (UTF-8, RFC 4180, formulas neutralised): every not-ready person of the school system or school.</summary>
    public async Task<GeneratedDocument> ExportNotReadyCsvAsync(Caller caller, int schoolSystemId, int? schoolId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var system = await DemandViewAsync(db, caller, schoolSystemId, ct);
        await DemandSchoolOfAsync(db, caller, schoolSystemId, schoolId, ct);
        var people = await LoadNotReadyAsync(db, new NotReadyQuery(schoolSystemId, schoolId), system.Name, ct);
        var csv = new StringBuilder();
        Csv.AppendRecord(csv, CsvHeader);
        foreach (var p in people)
        {
            Csv.AppendRecord(csv,
            [
                p.LastName, p.FirstName, p.StaffId, p.Position, string.Join("; ", p.TasSchools), p.Explanation,
                p.PendingRequest is null ? "" : string.Join("; ", p.PendingRequest.WaitingFor),
                p.AssuranceSigned ? "Yes" : "No", p.IsLockedOut ? "Yes" : "No",
            ]);
        }
        await scopes.Events.PersonalDataHandedOutAsync(caller, "Not-ready list (CSV)", schoolSystemId, people.Count,
            schoolId is int school ? $"school {school.ToString(CultureInfo.InvariantCulture)}" : null, ct);
        var today = clock.Today().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new GeneratedDocument($"not-ready-{system.Code}-{today}.csv", GeneratedDocument.CsvContentType, Csv.Encode(csv));
    }

    private sealed record Counts(int? Key, int Legacy, int WithGrant, int Signed, int Ready, int Pending);

    private sealed record SchoolCounts(Dictionary<int, Counts> BySchool, Counts Total);

    private sealed record SchoolSystemName(int Id, string Code, string Name);

    private sealed record PersonState(int Id, string FirstName, string LastName, string StaffId, string Position, bool HasGrant, bool Signed);

    /// <summary>Active SER access in TAS of people still employed: who would be locked out without an eSER role.</summary>
    internal static IQueryable<LegacySerAccess> LegacyUsers(EserSecurityDbContext db) =>
        db.LegacySerAccess.AsNoTracking().Where(l => l.TasStatus == LegacySerAccess.ActiveStatus && l.StaffMember!.EmploymentStatus == EmploymentStatus.Active);

    private static IEnumerable<int> VisibleSchoolSystems(AccessScope scope) => scope.DistrictSchoolSystemIds.Union(scope.SupervisedSchoolSystemIds);

    private async Task<SchoolSystemName> DemandViewAsync(EserSecurityDbContext db, Caller caller, int schoolSystemId, CancellationToken ct)
    {
        var scope = await scopes.GetReadScopeAsync(db, caller.StaffMemberId, ct);
        if (!scope.CanSeeReadinessOf(schoolSystemId))
        {
            throw scope.Refuse("You may not see that school system's readiness: it is outside your scope.");
        }
        return await db.SchoolSystems.AsNoTracking().Where(s => s.Id == schoolSystemId).Select(s => new SchoolSystemName(s.Id, s.Code, s.Name))
            .SingleOrDefaultAsync(ct) ?? throw scope.Refuse("That school system does not exist.");
    }

    /// <summary>A school filter names one of the school system's schools; any other id is refused, not answered with nobody.</summary>
    private async Task DemandSchoolOfAsync(EserSecurityDbContext db, Caller caller, int schoolSystemId, int? schoolId, CancellationToken ct)
    {
        if (schoolId is int id && !await db.Schools.AnyAsync(s => s.Id == id && s.SchoolSystemId == schoolSystemId, ct))
        {
            throw scopes.Refuse(caller.StaffMemberId, "That school does not exist or is outside your scope.", schoolSystemId);
        }
    }

    private async Task<(GoLiveCountdown? GoLive, bool HasGoneLive, SchoolYear Year)> CalendarAsync(EserSecurityDbContext db, CancellationToken ct)
    {
        var today = clock.Today();
        var goLive = await KeyDateService.GoLiveAsync(db, today, ct);
        return (goLive, goLive is { DaysRemaining: <= 0 }, SchoolYear.Containing(today));
    }

    /// <summary>Per school of one school system (key 0: no site in TAS), and for the whole school system, where a person counts once.</summary>
    private static async Task<SchoolCounts> CountSchoolsAsync(EserSecurityDbContext db, int schoolSystemId, SchoolYear year, CancellationToken ct = default)
    {
        var people = LegacyUsers(db).Where(l => l.SchoolSystemId == schoolSystemId).Select(l => new { l.SchoolId, l.StaffMemberId }).Distinct();
        var counts = await people
            .Select(p => new
            {
                p.SchoolId,
                HasGrant = db.AccessGrants.Any(g => g.StaffMemberId == p.StaffMemberId && g.SchoolSystemId == schoolSystemId && g.EndedAt == null),
                Signed = db.AssuranceSignatures.Any(s => s.StaffMemberId == p.StaffMemberId && s.SchoolYear == year.StartYear),
                Pending = db.AccessRequests.Any(r => r.RequesterId == p.StaffMemberId && r.SchoolSystemId == schoolSystemId
                    && (r.Status == AccessRequestStatus.PendingCoordinator || r.Status == AccessRequestStatus.PendingSupervisor)),
            })
            .GroupBy(p => p.SchoolId)
            .Select(g => new Counts(g.Key, g.Count(), g.Count(x => x.HasGrant), g.Count(x => x.Signed), g.Count(x => x.HasGrant && x.Signed),
                g.Count(x => !x.HasGrant && x.Pending)))
            .ToDictionaryAsync(c => c.Key ?? 0, ct);
        return new SchoolCounts(counts, await CountSchoolSystemAsync(db, schoolSystemId, year, ct));
    }

    private static async Task<Counts> CountSchoolSystemAsync(EserSecurityDbContext db, int schoolSystemId, SchoolYear year, CancellationToken ct)
    {
        var people = LegacyUsers(db).Where(l => l.SchoolSystemId == schoolSystemId).Select(l => l.StaffMemberId).Distinct()
            .Select(id => new
            {
                HasGrant = db.AccessGrants.Any(g => g.StaffMemberId == id && g.SchoolSystemId == schoolSystemId && g.EndedAt == null),
                Signed = db.AssuranceSignatures.Any(s => s.StaffMemberId == id && s.SchoolYear == year.StartYear),
                Pending = db.AccessRequests.Any(r => r.RequesterId == id && r.SchoolSystemId == schoolSystemId
                    && (r.Status == AccessRequestStatus.PendingCoordinator || r.Status == AccessRequestStatus.PendingSupervisor)),
            });
        // One school system's people are at most a few thousand: counted here rather than in a second grouped query.
        var flags = await people.ToListAsync(ct);
        return new Counts(null, flags.Count, flags.Count(x => x.HasGrant), flags.Count(x => x.Signed), flags.Count(x => x.HasGrant && x.Signed),
            flags.Count(x => !x.HasGrant && x.Pending));
    }

    private static ReadinessFigures Figures(Counts? counts, bool hasGoneLive) => counts is null
        ? ReadinessFigures.None
        : new ReadinessFigures(counts.Legacy, counts.WithGrant, counts.Signed, counts.Ready, counts.Pending,
            hasGoneLive ? counts.Legacy - counts.WithGrant : 0);

    /// <summary>Sorted as asked; rows nobody is counted in (no percentage) always come last, then by name.</summary>
    private static List<T> Sort<T>(List<T> rows, Func<T, string> name, Func<T, ReadinessFigures> figures, ReadinessSort sort, bool descending)
    {
        var byName = StringComparer.Create(CultureInfo.CurrentCulture, CompareOptions.IgnoreCase);
        Func<T, double> key = sort switch
        {
            ReadinessSort.LegacyUsers => r => figures(r).LegacyUsers,
            ReadinessSort.NotReady => r => figures(r).NotReady,
            ReadinessSort.Name => _ => 0,
            _ => r => figures(r).PercentReady ?? 0,
        };
        var ordered = rows.OrderBy(r => figures(r).LegacyUsers == 0 && sort != ReadinessSort.Name);
        ordered = descending ? ordered.ThenByDescending(key) : ordered.ThenBy(key);
        ordered = sort == ReadinessSort.Name && descending ? ordered.ThenByDescending(name, byName) : ordered.ThenBy(name, byName);
        return ordered.ToList();
    }

    private async Task<List<NotReadyPerson>> LoadNotReadyAsync(EserSecurityDbContext db, NotReadyQuery query, string schoolSystemName, CancellationToken ct)
    {
        var schoolSystemId = query.SchoolSystemId;
        var (_, hasGoneLive, year) = await CalendarAsync(db, ct);
        var legacy = LegacyUsers(db).Where(l => l.SchoolSystemId == schoolSystemId);
        var inUnit = query.WithoutSiteOnly ? legacy.Where(l => l.SchoolId == null)
            : query.SchoolId is int schoolId ? legacy.Where(l => l.SchoolId == schoolId)
            : legacy;
        var people = (await db.StaffMembers.AsNoTracking()
                .Where(s => inUnit.Any(l => l.StaffMemberId == s.Id))
                .Select(s => new
                {
                    s.Id, s.FirstName, s.LastName, s.StaffId, s.Position,
                    HasGrant = db.AccessGrants.Any(g => g.StaffMemberId == s.Id && g.SchoolSystemId == schoolSystemId && g.EndedAt == null),
                    Signed = db.AssuranceSignatures.Any(a => a.StaffMemberId == s.Id && a.SchoolYear == year.StartYear),
                })
                .Where(p => !p.HasGrant || !p.Signed)
                .ToListAsync(ct))
            .Select(p => new PersonState(p.Id, p.FirstName, p.LastName, p.StaffId, p.Position, p.HasGrant, p.Signed))
            .ToList();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim();
            people = people.Where(p => p.StaffId == term || $"{p.FirstName} {p.LastName}".Contains(term, StringComparison.CurrentCultureIgnoreCase)).ToList();
        }

        var sites = (await legacy.Select(l => new { l.StaffMemberId, School = l.School != null ? l.School.Name : null }).Distinct().ToListAsync(ct))
            .ToLookup(x => x.StaffMemberId, x => x.School ?? WithoutSite);
        var pending = (await db.AccessRequests.AsNoTracking()
                .Where(r => r.SchoolSystemId == schoolSystemId
                    && (r.Status == AccessRequestStatus.PendingCoordinator || r.Status == AccessRequestStatus.PendingSupervisor))
                .Select(r => new { r.RequesterId, r.Id, Role = r.EserRole!.Name, r.Status, r.SchoolId, School = r.School != null ? r.School.Name : null, r.SubmittedAt })
                .ToListAsync(ct))
            .GroupBy(r => r.RequesterId)
            .ToDictionary(g => g.Key, g => g.OrderBy(r => r.SubmittedAt).ThenBy(r => r.Id).First());
        var recipients = await RequestRouting.LoadRecipientsAsync(db, schoolSystemId, clock.Today(), ct);

        var result = new List<NotReadyPerson>(people.Count);
        foreach (var p in people)
        {
            PendingRequestInfo? request = null;
            if (!p.HasGrant && pending.TryGetValue(p.Id, out var r))
            {
                request = new PendingRequestInfo(r.Id, r.Role, r.School ?? schoolSystemName, r.Status,
                    // A coordinator's own request waits for the others: nobody decides their own.
                    recipients.WaitingFor(r.Status, r.SchoolId).Where(x => x.StaffMemberId != p.Id).Select(x => x.Name).Order(StringComparer.CurrentCulture).ToList());
            }
            var reason = p.HasGrant ? NotReadyReason.AssuranceNotSigned : request is null ? NotReadyReason.NoRequest : NotReadyReason.RequestPending;
            if (query.Reason is { } wanted && wanted != reason)
            {
                continue;
            }
            var isLockedOut = hasGoneLive && !p.HasGrant;
            result.Add(new NotReadyPerson(p.Id, p.FirstName, p.LastName, p.StaffId, p.Position,
                sites[p.Id].Order(StringComparer.CurrentCulture).ToList(), reason, p.HasGrant, p.Signed, request, isLockedOut,
                Explain(reason, request, p.Signed, isLockedOut, year)));
        }
        var byName = StringComparer.Create(CultureInfo.CurrentCulture, CompareOptions.IgnoreCase);
        return result.OrderBy(p => p.LastName, byName).ThenBy(p => p.Name, byName).ThenBy(p => p.StaffId, StringComparer.Ordinal).ToList();
    }

    private static string Explain(NotReadyReason reason, PendingRequestInfo? request, bool signed, bool isLockedOut, SchoolYear year)
    {
        var text = reason switch
        {
            NotReadyReason.NoRequest => "No request for an eSER role",
            NotReadyReason.RequestPending when request!.WaitingFor.Count == 0 =>
                $"Request for {request.RoleName} at {request.ScopeName} pending, but no coordinator covers it",
            NotReadyReason.RequestPending => request!.Status == AccessRequestStatus.PendingSupervisor
                ? $"Request for {request.RoleName} at {request.ScopeName} waiting for the special education supervisor ({string.Join(", ", request.WaitingFor)})"
                : $"Request for {request.RoleName} at {request.ScopeName} pending with {string.Join(", ", request.WaitingFor)}",
            _ => $"Approved role; the {year.Label} confidentiality assurance is not signed",
        };
        if (reason != NotReadyReason.AssuranceNotSigned && !signed)
        {
            text += $"; the {year.Label} assurance is not signed either";
        }
        return isLockedOut ? $"Locked out: {char.ToLowerInvariant(text[0])}{text[1..]}." : text + ".";
    }
}

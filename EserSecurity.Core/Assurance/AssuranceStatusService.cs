using System.Linq.Expressions;
using System.Text;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using EserSecurity.Core.Documents;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Assurance;

/// <summary>
/// Who has signed this school year's confidentiality assurance, and who is due or overdue: counts by school system
/// and school, a paged list of people, and its CSV export. For coordinators and supervisors (their scope) and state
/// administrators (everyone); anyone else gets <see cref="ScopeDeniedException"/>. Active staff only.
/// </summary>
public sealed class AssuranceStatusService(
    IDbContextFactory<EserSecurityDbContext> dbFactory, ScopeService scopes, TimeProvider clock, IOptions<AssuranceOptions> options)
{
    private const string NoSchool = "No school (school-system staff)";
    private const string AgencyStaff = "State agency staff";

    private static readonly string[] CsvHeader =
        ["Last name", "First name", "Staff ID", "Position", "School system", "Schools", "Status", "Signed on", "Version"];

    private int GraceDays => options.Value.GraceDays;

    /// <summary>
    /// Whether a change can alter the counts and people of <paramref name="scope"/>: a signature in a school system or
    /// school the scope reaches. A signature publishes one change per school of the signer, so local coordinators hear
    /// of it too. Nothing concerns a scope not yet known.
    /// </summary>
    public static bool ConcernsStatus(AccessChange change, AccessScope? scope) =>
        scope is not null && change.Kind == AccessChangeKind.AssuranceSigned && scope.Touches(change.SchoolSystemId, change.SchoolId);

    /// <summary>Counts over the caller's scope, optionally narrowed to one school system the caller may see.</summary>
    public async Task<AssuranceStatusReport> GetReportAsync(Caller caller, int? schoolSystemId = null, CancellationToken ct = default)
    {
        var today = clock.Today();
        var year = SchoolYear.Containing(today);
        var inGrace = AssuranceRules.IsInGracePeriod(today, GraceDays);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (scope, access) = await DemandScopeAsync(db, caller, ct);
        var population = AssuranceStatusQueries.Population(db, scope, year.StartYear);
        if (schoolSystemId is int only)
        {
            access.DemandViewSchoolSystem(only, "see this school system's assurance status");
            await DemandSchoolSystemAsync(db, caller, only, ct);
            population = population.Where(p => p.Person.SchoolSystemId == only);
        }

        // Every person is in exactly one school system's group (the state agency's is null), so the totals add up from them.
        var bySystem = await population
            .GroupBy(p => p.Person.SchoolSystemId, p => p.Signature != null ? 1 : 0)
            .Select(g => new { SchoolSystemId = g.Key, Total = g.Count(), Signed = g.Sum() })
            .ToListAsync(ct);
        var leas = scope.SchoolSystemIds;
        var localSchools = scope.SchoolIds;
        var all = scope.All;
        var bySchool = await population
            .SelectMany(p => p.Person.Schools, (p, school) => new { school.SchoolId, school.School!.SchoolSystemId, Signed = p.Signature != null ? 1 : 0 })
            .Where(x => all || leas.Contains(x.SchoolSystemId) || localSchools.Contains(x.SchoolId))
            .GroupBy(x => x.SchoolId, x => x.Signed)
            .Select(g => new { SchoolId = g.Key, Total = g.Count(), Signed = g.Sum() })
            .ToDictionaryAsync(g => g.SchoolId, ct);
        var withoutSchool = await population
            .Where(p => !p.Person.Schools.Any())
            .GroupBy(p => p.Person.SchoolSystemId, p => p.Signature != null ? 1 : 0)
            .Select(g => new { SchoolSystemId = g.Key, Total = g.Count(), Signed = g.Sum() })
            .ToListAsync(ct);

        // Every school in scope is listed, also those with nobody on staff yet, so the page shows the whole picture.
        var schools = db.Schools.AsNoTracking();
        var systems = db.SchoolSystems.AsNoTracking();
        if (schoolSystemId is int filter)
        {
            schools = schools.Where(s => s.SchoolSystemId == filter);
            systems = systems.Where(s => s.Id == filter);
        }
        if (!all)
        {
            schools = schools.Where(s => leas.Contains(s.SchoolSystemId) || localSchools.Contains(s.Id));
            var visible = leas.Union(access.LocalSchoolSystemIds).ToArray();
            systems = systems.Where(s => visible.Contains(s.Id));
        }
        var schoolRows = await schools.OrderBy(s => s.SiteCode)
            .Select(s => new { s.Id, s.SiteCode, s.Name, s.SchoolSystemId }).ToListAsync(ct);
        var systemRows = await systems.OrderBy(s => s.Code).Select(s => new { s.Id, s.Code, s.Name }).ToListAsync(ct);
        var systemsById = systemRows.ToDictionary(s => s.Id);
        string NameOf(int id) => systemsById.TryGetValue(id, out var system) ? system.Name : "";

        AssuranceCounts Counts(int groupTotal, int groupSigned) => AssuranceCounts.Of(groupTotal, groupSigned, inGrace);

        var schoolCounts = schoolRows.Select(s => new SchoolAssuranceCounts(s.SchoolSystemId,
                NameOf(s.SchoolSystemId), s.Id, s.SiteCode, s.Name,
                bySchool.TryGetValue(s.Id, out var c) ? Counts(c.Total, c.Signed) : AssuranceCounts.None))
            .ToList();
        // People at no school close the list: each school system's office staff, then the state agency's.
        foreach (var office in withoutSchool.OrderBy(g => g.SchoolSystemId is null)
                     .ThenBy(g => g.SchoolSystemId is int id && systemsById.TryGetValue(id, out var system) ? system.Code : "", StringComparer.Ordinal))
        {
            schoolCounts.Add(office.SchoolSystemId is int id
                ? new SchoolAssuranceCounts(id, NameOf(id), null, null, NoSchool, Counts(office.Total, office.Signed))
                : new SchoolAssuranceCounts(null, AssuranceService.StateAgencyName, null, null, AgencyStaff, Counts(office.Total, office.Signed)));
        }

        var systemCounts = systemRows.Select(s => new SchoolSystemAssuranceCounts(s.Id, s.Code, s.Name,
                bySystem.FirstOrDefault(g => g.SchoolSystemId == s.Id) is { } g ? Counts(g.Total, g.Signed) : AssuranceCounts.None))
            .ToList();
        if (bySystem.FirstOrDefault(g => g.SchoolSystemId is null) is { } state)
        {
            systemCounts.Add(new SchoolSystemAssuranceCounts(null, null, AssuranceService.StateAgencyName, Counts(state.Total, state.Signed)));
        }

        return new AssuranceStatusReport(year, today, AssuranceRules.OverdueFrom(year, GraceDays), Counts(bySystem.Sum(g => g.Total), bySystem.Sum(g => g.Signed)), systemCounts, schoolCounts);
    }

    /// <summary>People in the caller's scope with their status, filtered, sorted and paged in the database.</summary>
    public async Task<PagedResult<AssurancePersonRow>> GetPeopleAsync(Caller caller, AssurancePeopleQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (people, today) = await FilterAsync(db, caller, query, ct);
        var total = await people.CountAsync(ct);
        var rows = await Rows(Sort(people, query).Skip(Math.Max(0, query.Page) * query.PageSize).Take(Math.Clamp(query.PageSize, 1, 200)))
            .ToListAsync(ct);
        return new PagedResult<AssurancePersonRow>(rows.Select(r => r.ToRow(today, GraceDays)).ToList(), total);
    }

    /// <summary>Every person the filters select (paging ignored), as RFC 4180 CSV in UTF-8; formula-like values are neutralised.</summary>
    public async Task<GeneratedDocument> ExportCsvAsync(Caller caller, AssurancePeopleQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (people, today) = await FilterAsync(db, caller, query, ct);
        var csv = new StringBuilder();
        Csv.AppendRecord(csv, CsvHeader);
        var count = 0;
        await foreach (var raw in Rows(Sort(people, query)).AsAsyncEnumerable().WithCancellation(ct))
        {
            count++;
            var row = raw.ToRow(today, GraceDays);
            Csv.AppendRecord(csv,
            [
                raw.LastName, raw.FirstName, row.StaffId, row.Position, row.SchoolSystemName, string.Join("; ", row.Schools), row.Status.ToString(),
                row.SignedAt is { } at ? DocumentDates.Iso(DateOnly.FromDateTime(at.UtcDateTime)) : "", row.VersionNumber?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
            ]);
        }
        var code = query.SchoolSystemId is int lea
            ? await db.SchoolSystems.Where(s => s.Id == lea).Select(s => s.Code).SingleAsync(ct) + "-"
            : "";
        await scopes.Events.PersonalDataHandedOutAsync(caller, "Assurance status list (CSV)", query.SchoolSystemId, count, query.Describe(), ct);
        return new GeneratedDocument($"assurance-status-{code}{DocumentDates.Iso(today)}.csv", GeneratedDocument.CsvContentType, Csv.Encode(csv));
    }

    /// <summary>A state administrator's filter may name any id: one that does not exist is refused, not answered with nothing.</summary>
    private async Task DemandSchoolSystemAsync(EserSecurityDbContext db, Caller caller, int schoolSystemId, CancellationToken ct)
    {
        if (!await db.SchoolSystems.AnyAsync(s => s.Id == schoolSystemId, ct))
        {
            throw scopes.Refuse(caller.StaffMemberId, "That school system does not exist or is outside your scope.", schoolSystemId);
        }
    }

    private async Task<(StatusScope Scope, AccessScope Access)> DemandScopeAsync(EserSecurityDbContext db, Caller caller, CancellationToken ct)
    {
        var access = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        var scope = StatusScope.Of(access)
            ?? throw access.Refuse("Only coordinators, supervisors and state administrators see the assurance status of others.");
        return (scope, access);
    }

    private async Task<(IQueryable<PersonStatus> People, DateOnly Today)> FilterAsync(
        EserSecurityDbContext db, Caller caller, AssurancePeopleQuery query, CancellationToken ct)
    {
        var today = clock.Today();
        var (scope, access) = await DemandScopeAsync(db, caller, ct);
        var people = AssuranceStatusQueries.Population(db, scope, SchoolYear.Containing(today).StartYear);
        if (query.SchoolSystemId is int lea)
        {
            access.DemandViewSchoolSystem(lea, "see this school system's assurance status");
            await DemandSchoolSystemAsync(db, caller, lea, ct);
            people = people.Where(p => p.Person.SchoolSystemId == lea);
        }
        if (query.SchoolId is int schoolId)
        {
            var school = await db.Schools.AsNoTracking().Where(s => s.Id == schoolId).Select(s => new { s.SchoolSystemId }).SingleOrDefaultAsync(ct);
            if (school is null || !access.Touches(school.SchoolSystemId, schoolId))
            {
                throw access.Refuse("That school does not exist or is outside your scope.");
            }
            people = people.Where(p => p.Person.Schools.Any(x => x.SchoolId == schoolId));
        }
        if (query.Status is { } status)
        {
            people = people.WithStatus(status, AssuranceRules.IsInGracePeriod(today, GraceDays));
        }
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim();
            people = StaffMember.IsStaffId(term)
                ? people.Where(p => p.Person.StaffId == term)
                : people.Where(p => p.Person.LastName.StartsWith(term) || p.Person.FirstName.StartsWith(term)
                    || (p.Person.FirstName + " " + p.Person.LastName).StartsWith(term));
        }
        return (people, today);
    }

    private static IQueryable<PersonStatus> Sort(IQueryable<PersonStatus> people, AssurancePeopleQuery query)
    {
        var ordered = query.Sort switch
        {
            AssurancePeopleSort.SchoolSystem => Order(people, p => p.Person.SchoolSystem != null ? p.Person.SchoolSystem.Name : "", query.Descending),
            AssurancePeopleSort.SignedAt => Order(people, p => (DateTimeOffset?)p.Signature!.SignedAt, query.Descending),
            _ => Order(people, p => p.Person.LastName, query.Descending),
        };
        return ordered.ThenBy(p => p.Person.LastName).ThenBy(p => p.Person.FirstName).ThenBy(p => p.Person.Id);
    }

    private static IOrderedQueryable<PersonStatus> Order<TKey>(IQueryable<PersonStatus> source, Expression<Func<PersonStatus, TKey>> key, bool descending) =>
        descending ? source.OrderByDescending(key) : source.OrderBy(key);

    private static IQueryable<RawRow> Rows(IQueryable<PersonStatus> people) =>
        people.Select(p => new RawRow(
            p.Person.Id, p.Person.StaffId, p.Person.FirstName, p.Person.LastName, p.Person.Position, p.Person.SchoolSystemId,
            p.Person.SchoolSystem != null ? p.Person.SchoolSystem.Name : null,
            p.Person.Schools.OrderBy(x => x.School!.Name).Select(x => x.School!.Name).ToList(),
            (int?)p.Signature!.Id,
            (DateTimeOffset?)p.Signature.SignedAt,
            (int?)p.Signature.StatementVersion!.VersionNumber));

    private sealed record RawRow(
        int Id, string StaffId, string FirstName, string LastName, string Position, int? SchoolSystemId, string? SchoolSystemName,
        List<string> Schools, int? SignatureId, DateTimeOffset? SignedAt, int? VersionNumber)
    {
        public AssurancePersonRow ToRow(DateOnly today, int graceDays) => new(Id, StaffId, $"{FirstName} {LastName}", Position, SchoolSystemId,
            SchoolSystemName ?? AssuranceService.StateAgencyName, Schools, AssuranceRules.StatusOn(today, SignatureId is not null, graceDays),
            SignatureId, SignedAt, VersionNumber);
    }
}

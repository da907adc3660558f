using System.Globalization;
using System.Text;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Data;
using EserSecurity.Core.Documents;
using EserSecurity.Core.Employment;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Identity;
using EserSecurity.Core.Reviews;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.Audit;

/// <summary>The order audit events are listed and exported in.</summary>
public enum AuditSort
{
    /// <summary>The latest recorded first.</summary>
    NewestFirst,

    /// <summary>The first recorded first.</summary>
    OldestFirst,
}

/// <summary>
/// What a reader of the audit log asks for. Every filter is optional; <see cref="From"/> and <see cref="To"/> are UTC
/// days, both included.
/// </summary>
/// <param name="PersonId">A staff record: the events they acted in and the events about them (see <see cref="AuditSearch"/>).</param>
/// <param name="Kind">The key of one of <see cref="AuditSearch.Kinds"/>: the start of the action, such as "AccessRequest".</param>
public sealed record AuditQuery(
    int? PersonId = null,
    int? SchoolSystemId = null,
    string? Kind = null,
    DateOnly? From = null,
    DateOnly? To = null,
    AuditSort Sort = AuditSort.NewestFirst,
    int Page = 0,
    int PageSize = 25)
{
    /// <summary>The filters in words, for the record of an export; null when there are none.</summary>
    public string? Describe()
    {
        string?[] parts =
        [
            PersonId is int person ? $"person {person.ToString(CultureInfo.InvariantCulture)}" : null,
            SchoolSystemId is int lea ? $"school system {lea.ToString(CultureInfo.InvariantCulture)}" : null,
            Kind is { } kind ? $"kind {SecurityEvents.Loggable(kind)}" : null,
            From is { } from ? $"from {DocumentDates.Iso(from)}" : null,
            To is { } to ? $"to {DocumentDates.Iso(to)}" : null,
            Sort == AuditSort.OldestFirst ? "oldest first" : null,
        ];
        var given = parts.OfType<string>().ToList();
        return given.Count == 0 ? null : string.Join(", ", given);
    }
}

/// <summary>A kind of action to filter on: every action whose name starts with <see cref="Key"/> and a dot.</summary>
public sealed record AuditKind(string Key, string Label);

/// <summary>
/// One audit event as a reader sees it, with what it concerns resolved for its link: <see cref="PersonId"/> for a
/// record that belongs to one person (their staff record, a grant they hold, a request they made, their signature, an
/// assignment of theirs), <see cref="ReviewId"/> for an access review or one of its items.
/// </summary>
public sealed record AuditSearchRow(
    long Sequence,
    DateTimeOffset At,
    string ActorName,
    string Action,
    string EntityType,
    string EntityId,
    int? SchoolSystemId,
    string? SchoolSystemCode,
    string? Before,
    string? After,
    int? PersonId = null,
    int? ReviewId = null);

/// <summary>A person a reader may filter the audit log by.</summary>
public sealed record AuditPerson(int StaffMemberId, string Name, string StaffId, string? SchoolSystemName);

/// <summary>A school system a reader may filter the audit log by.</summary>
public sealed record AuditSchoolSystem(int Id, string Code, string Name);

/// <summary>An export that would hold more than <see cref="AuditSearch.MaxExportRows"/> events; the message says how to narrow it.</summary>
public sealed class AuditExportTooLargeException(string message) : Exception(message);

/// <summary>
/// Reading the audit log: search with filters, a page at a time, and export as CSV what the filters select.
/// State administrators read every event; district security coordinators and supervisors the events of their school
/// systems (<see cref="AuditEvent.SchoolSystemId"/>; statewide events have none and stay with state administrators);
/// everyone else is refused. A deputy's covers do not widen it.
/// </summary>
/// <remarks>
/// The person filter selects the events the person acted in (<see cref="AuditEvent.ActorId"/>) and the events about a
/// record that is theirs: their staff record (which a refusal of them also names), the grants they hold, the requests
/// they made, their assurance signatures, the review items and change-of-duties items of their grants, their
/// coordinator, supervisor and state administrator assignments, the deputyships they are away or deputy in, and their
/// sign-on links. These are found through the records' own tables, not the events' before and after JSON, which no
/// index reaches; an event that only mentions the person inside that JSON (a decision on someone else's request) is not
/// theirs.
/// </remarks>
public sealed class AuditSearch(IDbContextFactory<EserSecurityDbContext> dbFactory, ScopeService scopes, TimeProvider clock)
{
    /// <summary>The most events one export holds: past it the reader narrows the filters.</summary>
    public const int MaxExportRows = 100_000;

    /// <summary>The most events one page holds.</summary>
    public const int MaxPageSize = 200;

    /// <summary>The document name an export is recorded under, as a personal-data download.</summary>
    public const string ExportDocumentName = "Audit log (CSV)";

    private const string ReaderRefusal =
        "The audit log is for state administrators, district security coordinators and supervisors. "
        + "Ask your district security coordinator about a change in your school system.";

    private const string SchoolSystemRefusal =
        "That school system does not exist or is outside the school systems whose audit log you read. Choose one from the School system list.";

    private const string PersonRefusal =
        "That person does not exist or is outside the school systems whose audit log you read. Choose someone from the Person list.";

    /// <summary>The kinds of action to filter on, in the order a reader is offered them.</summary>
    public static IReadOnlyList<AuditKind> Kinds { get; } =
    [
        new("Security", "Refusals and personal-data downloads"),
        new("AccessRequest", "Access requests"),
        new("AccessGrant", "Access grants"),
        new("AccessReview", "Access reviews"),
        new("Assurance", "Assurance signatures"),
        new("Statement", "Assurance statements"),
        new("StaffMember", "Employment"),
        new("ChangeOfDuties", "Change of duties"),
        new("Coordinator", "Coordinator assignments"),
        new("Supervisor", "Supervisor assignments"),
        new("Deputyship", "Deputies"),
        new("SeparationException", "Separation-of-duties exceptions"),
        new("StateAdministrator", "State administrators"),
        new("SchoolSystem", "School system policies and duties"),
        new("LocalTraining", "Local training"),
        new("SchoolGroup", "School groups"),
        new("StaffDirectory", "Staff directory imports"),
        new("SchoolDirectory", "School directory imports"),
        new("TasReport", "TAS report imports"),
        new("EserRole", "eSER roles"),
        new("TasRole", "TAS role mapping"),
        new("KeyDate", "Key dates"),
        new("LinkRequest", "Link requests"),
        new("SignOn", "Sign-on links"),
        new("ApiClient", "API clients"),
        new("AccessDecision", "Provisioning decisions"),
        new("Notification", "Email choices"),
        new("PersonHistory", "Complete histories retrieved"),
        new("Archive", "Records moved to the archive"),
    ];

    /// <summary>Whether the reader of <paramref name="scope"/> reads the audit log at all.</summary>
    public static bool CanRead(AccessScope? scope) =>
        scope is not null && (scope.IsStateAdministrator || scope.IsDistrictCoordinator || scope.IsSupervisor);

    /// <summary>
    /// Whether a published change concerns the log a reader of <paramref name="scope"/> sees: every change writes an
    /// event, so every one concerns a state administrator, and a coordinator or supervisor the changes in their school systems.
    /// </summary>
    public static bool Concerns(AccessChange change, AccessScope? scope) =>
        CanRead(scope)
        && (scope!.IsStateAdministrator
            || (change.SchoolSystemId is int lea && (scope.DistrictSchoolSystemIds.Contains(lea) || scope.SupervisedSchoolSystemIds.Contains(lea))));

    /// <summary>
    /// The console page an event's record opens on: the person's page for a record of one person, the review for a
    /// review or its item, the statement versions for a statement; null for records with no page of their own.
    /// </summary>
    public static string? LinkFor(AuditSearchRow row) =>
        row.PersonId is int person ? $"people/{person.ToString(CultureInfo.InvariantCulture)}"
        : row.ReviewId is int review ? $"reviews/{review.ToString(CultureInfo.InvariantCulture)}"
        : row.EntityType == nameof(StatementVersion) ? "assurance/statements"
        : null;

    /// <summary>
    /// Refuses, and so records, anyone who does not read the audit log: the page asks before it shows anything, so that
    /// opening it out of scope is a refusal like any other.
    /// </summary>
    public async Task<AccessScope> DemandReaderAsync(Caller caller, CancellationToken ct = default)
    {
        var scope = await scopes.GetScopeAsync(caller, ct);
        return CanRead(scope) ? scope : throw scope.Refuse(ReaderRefusal);
    }

    /// <summary>The school systems whose events the reader sees, by code: every one for a state administrator.</summary>
    public async Task<IReadOnlyList<AuditSchoolSystem>> GetSchoolSystemsAsync(Caller caller, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await ReaderScopeAsync(db, caller, ct);
        var systems = db.SchoolSystems.AsNoTracking();
        if (!scope.IsStateAdministrator)
        {
            var ids = ReadSystems(scope);
            systems = systems.Where(s => ids.Contains(s.Id));
        }
        return await systems.OrderBy(s => s.Code).Select(s => new AuditSchoolSystem(s.Id, s.Code, s.Name)).ToListAsync(ct);
    }

    /// <summary>
    /// The first 20 people matching a Staff ID or the start of a name whom the reader may filter by: anyone for a
    /// state administrator; for a coordinator or supervisor the staff of their school systems, whatever their
    /// employment, and whoever acted in an event of those school systems.
    /// </summary>
    public async Task<IReadOnlyList<AuditPerson>> FindPeopleAsync(Caller caller, string? search, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await ReaderScopeAsync(db, caller, ct);
        if (string.IsNullOrWhiteSpace(search))
        {
            return [];
        }
        var term = search.Trim();
        var people = PeopleOf(db, scope);
        people = StaffMember.IsStaffId(term)
            ? people.Where(s => s.StaffId == term)
            : people.Where(s => s.LastName.StartsWith(term) || s.FirstName.StartsWith(term) || (s.FirstName + " " + s.LastName).StartsWith(term));
        return await Describe(people.OrderBy(s => s.LastName).ThenBy(s => s.FirstName).Take(20)).ToListAsync(ct);
    }

    /// <summary>One person the reader may filter by, to show the filter chosen; null for anyone else.</summary>
    public async Task<AuditPerson?> GetPersonAsync(Caller caller, int staffMemberId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await ReaderScopeAsync(db, caller, ct);
        return await Describe(PeopleOf(db, scope).Where(s => s.Id == staffMemberId)).SingleOrDefaultAsync(ct);
    }

    /// <summary>A page of the events the filters select, in the reader's scope.</summary>
    public async Task<PagedResult<AuditSearchRow>> SearchAsync(Caller caller, AuditQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await ReaderScopeAsync(db, caller, ct);
        var events = await FilterAsync(db, scope, query, ct);
        var total = await events.CountAsync(ct);
        var pageSize = Math.Clamp(query.PageSize, 1, MaxPageSize);
        var page = await Sorted(events, query.Sort).Skip(Math.Max(0, query.Page) * pageSize).Take(pageSize).ToListAsync(ct);
        var codes = await CodesAsync(db, page.Select(e => e.SchoolSystemId), ct);
        var subjects = await SubjectsAsync(db, page, ct);
        return new PagedResult<AuditSearchRow>(page.Select(e =>
        {
            var subject = subjects.GetValueOrDefault((e.EntityType, e.EntityId));
            return Row(e, codes) with { PersonId = subject.PersonId, ReviewId = subject.ReviewId };
        }).ToList(), total);
    }

    /// <summary>
    /// Every event the filters select (paging ignored), as RFC 4180 CSV in UTF-8 with formula-like values neutralised,
    /// recorded as a personal-data download before it is handed out. More than <see cref="MaxExportRows"/> events are
    /// refused with <see cref="AuditExportTooLargeException"/>.
    /// </summary>
    public async Task<GeneratedDocument> ExportCsvAsync(Caller caller, AuditQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        DemandReader(scope);
        var events = await FilterAsync(db, scope, query, ct);
        var total = await events.CountAsync(ct);
        if (total > MaxExportRows)
        {
            throw new AuditExportTooLargeException(
                $"These filters select {total:N0} events; an export holds at most {MaxExportRows:N0}. "
                + "Choose a shorter time range, a kind of action or a school system, then export again.");
        }
        var codes = await CodesAsync(db, null, ct);
        var csv = new StringBuilder();
        Csv.AppendRecord(csv, CsvHeader);
        var actors = new HashSet<int>();
        await foreach (var e in Sorted(events, query.Sort).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (e.ActorId is int actor)
            {
                actors.Add(actor);
            }
            Csv.AppendRecord(csv,
            [
                e.Sequence.ToString(CultureInfo.InvariantCulture),
                e.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                e.ActorName,
                e.ActorId?.ToString(CultureInfo.InvariantCulture) ?? "",
                e.Action,
                e.EntityType,
                e.EntityId,
                e.SchoolSystemId is int lea ? codes.GetValueOrDefault(lea, lea.ToString(CultureInfo.InvariantCulture)) : "",
                e.Before ?? "",
                e.After ?? "",
            ]);
        }
        var only = query.SchoolSystemId ?? (scope.IsStateAdministrator ? null : ReadSystems(scope) is [var one] ? one : null);
        await scopes.Events.PersonalDataHandedOutAsync(caller, ExportDocumentName, only, actors.Count, query.Describe(), ct);
        var code = only is int id && codes.TryGetValue(id, out var c) ? c + "-" : "";
        return new GeneratedDocument($"audit-log-{code}{DocumentDates.Iso(clock.Today())}.csv", GeneratedDocument.CsvContentType, Csv.Encode(csv));
    }

    private static readonly string[] CsvHeader =
        ["Event", "Time (UTC)", "Who", "Who (staff record)", "Action", "Record type", "Record", "School system", "Before", "After"];

    private async Task<AccessScope> ReaderScopeAsync(EserSecurityDbContext db, Caller caller, CancellationToken ct)
    {
        // Searches run on every live update of an open page: the kept read scope spares recomputing it each time.
        var scope = await scopes.GetReadScopeAsync(db, caller.StaffMemberId, ct);
        DemandReader(scope);
        return scope;
    }

    private static void DemandReader(AccessScope scope)
    {
        if (!CanRead(scope))
        {
            throw scope.Refuse(ReaderRefusal);
        }
    }

    /// <summary>The school systems a coordinator or supervisor reads the events of.</summary>
    private static int[] ReadSystems(AccessScope scope) => [.. scope.DistrictSchoolSystemIds.Union(scope.SupervisedSchoolSystemIds).Order()];

    private static IQueryable<AuditEvent> EventsOf(EserSecurityDbContext db, AccessScope scope)
    {
        var events = db.AuditEvents.AsNoTracking();
        if (scope.IsStateAdministrator)
        {
            return events;
        }
        var systems = ReadSystems(scope);
        return events.Where(e => e.SchoolSystemId != null && systems.Contains(e.SchoolSystemId.Value));
    }

    private static IQueryable<StaffMember> PeopleOf(EserSecurityDbContext db, AccessScope scope)
    {
        var people = db.StaffMembers.AsNoTracking();
        if (scope.IsStateAdministrator)
        {
            return people;
        }
        var systems = ReadSystems(scope);
        var actors = EventsOf(db, scope).Where(e => e.ActorId != null).Select(e => e.ActorId!.Value);
        return people.Where(s => (s.SchoolSystemId != null && systems.Contains(s.SchoolSystemId.Value)) || actors.Contains(s.Id));
    }

    private static IQueryable<AuditPerson> Describe(IQueryable<StaffMember> people) =>
        people.Select(s => new AuditPerson(s.Id, s.FirstName + " " + s.LastName, s.StaffId, s.SchoolSystem != null ? s.SchoolSystem.Name : null));

    private async Task<IQueryable<AuditEvent>> FilterAsync(EserSecurityDbContext db, AccessScope scope, AuditQuery query, CancellationToken ct)
    {
        var events = EventsOf(db, scope);
        if (query.SchoolSystemId is int lea)
        {
            if ((!scope.IsStateAdministrator && !ReadSystems(scope).Contains(lea)) || !await db.SchoolSystems.AnyAsync(s => s.Id == lea, ct))
            {
                throw scope.Refuse(SchoolSystemRefusal, lea);
            }
            events = events.Where(e => e.SchoolSystemId == lea);
        }
        if (query.PersonId is int person)
        {
            if (!await PeopleOf(db, scope).AnyAsync(s => s.Id == person, ct))
            {
                throw scope.Refuse(PersonRefusal);
            }
            events = Concerning(db, events, person);
        }
        if (query.Kind is { } kind)
        {
            var prefix = (Kinds.FirstOrDefault(k => k.Key == kind) ?? throw new ArgumentException($"There is no kind of action called '{kind}'.", nameof(query))).Key + ".";
            events = events.Where(e => e.Action.StartsWith(prefix));
        }
        if (query.From is { } from)
        {
            var start = StartOf(from);
            events = events.Where(e => e.At >= start);
        }
        if (query.To is { } to)
        {
            var end = StartOf(to.AddDays(1));
            events = events.Where(e => e.At < end);
        }
        return events;
    }

    private static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>By sequence: the order the events were recorded in, which is their order in time, through the primary key.</summary>
    private static IQueryable<AuditEvent> Sorted(IQueryable<AuditEvent> events, AuditSort sort) =>
        sort == AuditSort.OldestFirst ? events.OrderBy(e => e.Sequence) : events.OrderByDescending(e => e.Sequence);

    /// <summary>The events the person acted in or that are about a record of theirs (see the remarks on <see cref="AuditSearch"/>).</summary>
    internal static IQueryable<AuditEvent> Concerning(EserSecurityDbContext db, IQueryable<AuditEvent> events, int person)
    {
        var key = person.ToString(CultureInfo.InvariantCulture);
        var grants = db.AccessGrants.Where(g => g.StaffMemberId == person).Select(g => g.Id.ToString());
        var requests = db.AccessRequests.Where(r => r.RequesterId == person).Select(r => r.Id.ToString());
        var signatures = db.AssuranceSignatures.Where(s => s.StaffMemberId == person).Select(s => s.Id.ToString());
        var reviewItems = db.AccessReviewItems.Where(i => db.AccessGrants.Any(g => g.Id == i.AccessGrantId && g.StaffMemberId == person)).Select(i => i.Id.ToString());
        var dutyChanges = db.ChangeOfDutiesItems.Where(i => i.StaffMemberId == person).Select(i => i.Id.ToString());
        var coordinators = db.CoordinatorAssignments.Where(a => a.StaffMemberId == person).Select(a => a.Id.ToString());
        var supervisors = db.SupervisorAssignments.Where(a => a.StaffMemberId == person).Select(a => a.Id.ToString());
        var administrators = db.StateAdministrators.Where(a => a.StaffMemberId == person).Select(a => a.Id.ToString());
        var deputyships = db.Deputyships.Where(d => d.AbsentId == person || d.DeputyId == person).Select(d => d.Id.ToString());
        var identities = db.SignOnIdentities.Where(i => i.StaffMemberId == person).Select(i => i.Id.ToString());
        return events.Where(e => e.ActorId == person
            || (e.EntityType == nameof(StaffMember) && e.EntityId == key)
            || (e.EntityType == nameof(AccessGrant) && grants.Contains(e.EntityId))
            || (e.EntityType == nameof(AccessRequest) && requests.Contains(e.EntityId))
            || (e.EntityType == nameof(AssuranceSignature) && signatures.Contains(e.EntityId))
            || (e.EntityType == nameof(AccessReviewItem) && reviewItems.Contains(e.EntityId))
            || (e.EntityType == nameof(ChangeOfDutiesItem) && dutyChanges.Contains(e.EntityId))
            || (e.EntityType == nameof(CoordinatorAssignment) && coordinators.Contains(e.EntityId))
            || (e.EntityType == nameof(SupervisorAssignment) && supervisors.Contains(e.EntityId))
            || (e.EntityType == nameof(StateAdministratorAssignment) && administrators.Contains(e.EntityId))
            || (e.EntityType == nameof(Deputyship) && deputyships.Contains(e.EntityId))
            || (e.EntityType == nameof(SignOnIdentity) && identities.Contains(e.EntityId)));
    }

    private static AuditSearchRow Row(AuditEvent e, IReadOnlyDictionary<int, string> codes) =>
        new(e.Sequence, e.At, e.ActorName, e.Action, e.EntityType, e.EntityId, e.SchoolSystemId,
            e.SchoolSystemId is int lea ? codes.GetValueOrDefault(lea) : null, e.Before, e.After);

    /// <summary>School system codes by id: of the ids given, or of every school system when null.</summary>
    private static async Task<Dictionary<int, string>> CodesAsync(EserSecurityDbContext db, IEnumerable<int?>? ids, CancellationToken ct)
    {
        var systems = db.SchoolSystems.AsNoTracking();
        if (ids is not null)
        {
            var wanted = ids.OfType<int>().Distinct().ToList();
            systems = systems.Where(s => wanted.Contains(s.Id));
        }
        return await systems.ToDictionaryAsync(s => s.Id, s => s.Code, ct);
    }

    /// <summary>For the records of a page's events, the person each belongs to or the review it is part of.</summary>
    private static async Task<Dictionary<(string Type, string Id), (int? PersonId, int? ReviewId)>> SubjectsAsync(
        EserSecurityDbContext db, IReadOnlyList<AuditEvent> page, CancellationToken ct)
    {
        var subjects = new Dictionary<(string, string), (int?, int?)>();
        var byType = page.GroupBy(e => e.EntityType)
            .ToDictionary(g => g.Key, g => g.Select(e => int.TryParse(e.EntityId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : (int?)null)
                .OfType<int>().Distinct().ToList());
        async Task AddAsync(string type, Func<List<int>, IQueryable<Subject>> read)
        {
            if (byType.TryGetValue(type, out var ids) && ids.Count > 0)
            {
                foreach (var subject in await read(ids).ToListAsync(ct))
                {
                    subjects[(type, subject.Id.ToString(CultureInfo.InvariantCulture))] = (subject.PersonId, subject.ReviewId);
                }
            }
        }
        await AddAsync(nameof(StaffMember), ids => db.StaffMembers.Where(s => ids.Contains(s.Id)).Select(s => new Subject(s.Id, s.Id, null)));
        await AddAsync(nameof(AccessGrant), ids => db.AccessGrants.Where(g => ids.Contains(g.Id)).Select(g => new Subject(g.Id, g.StaffMemberId, null)));
        await AddAsync(nameof(AccessRequest), ids => db.AccessRequests.Where(r => ids.Contains(r.Id)).Select(r => new Subject(r.Id, r.RequesterId, null)));
        await AddAsync(nameof(AssuranceSignature), ids => db.AssuranceSignatures.Where(s => ids.Contains(s.Id)).Select(s => new Subject(s.Id, s.StaffMemberId, null)));
        await AddAsync(nameof(ChangeOfDutiesItem), ids => db.ChangeOfDutiesItems.Where(i => ids.Contains(i.Id)).Select(i => new Subject(i.Id, i.StaffMemberId, null)));
        await AddAsync(nameof(CoordinatorAssignment), ids => db.CoordinatorAssignments.Where(a => ids.Contains(a.Id)).Select(a => new Subject(a.Id, a.StaffMemberId, null)));
        await AddAsync(nameof(SupervisorAssignment), ids => db.SupervisorAssignments.Where(a => ids.Contains(a.Id)).Select(a => new Subject(a.Id, a.StaffMemberId, null)));
        await AddAsync(nameof(StateAdministratorAssignment), ids => db.StateAdministrators.Where(a => ids.Contains(a.Id)).Select(a => new Subject(a.Id, a.StaffMemberId, null)));
        await AddAsync(nameof(SignOnIdentity), ids => db.SignOnIdentities.Where(i => ids.Contains(i.Id)).Select(i => new Subject(i.Id, i.StaffMemberId, null)));
        await AddAsync(nameof(AccessReview), ids => db.AccessReviews.Where(r => ids.Contains(r.Id)).Select(r => new Subject(r.Id, null, r.Id)));
        await AddAsync(nameof(AccessReviewItem), ids => db.AccessReviewItems.Where(i => ids.Contains(i.Id)).Select(i => new Subject(i.Id, null, i.AccessReviewId)));
        return subjects;
    }

    private sealed record Subject(int Id, int? PersonId, int? ReviewId);
}

using System.Collections.Concurrent;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.Security;

/// <summary>
/// Computes a person's scope from the assignments in force today. Writes always compute it afresh inside their
/// transaction; reads that refresh often (queues, badges, home figures) may use
/// <see cref="GetReadScopeAsync(Caller, CancellationToken)"/>, which keeps a scope for a few seconds and forgets every
/// kept scope as soon as an assignment change is published.
/// </summary>
public sealed class ScopeService : IDisposable
{
    /// <summary>The longest a kept scope is used: the bound on staleness for changes made outside this process.</summary>
    public static readonly TimeSpan ReadScopeLifetime = TimeSpan.FromSeconds(10);

    private readonly IDbContextFactory<EserSecurityDbContext> dbFactory;
    private readonly TimeProvider clock;
    private readonly SecurityEvents events;
    private readonly ConcurrentDictionary<int, KeptScope> _kept = new();
    private readonly IDisposable _subscription;
    private long _generation;

    public ScopeService(IDbContextFactory<EserSecurityDbContext> dbFactory, TimeProvider clock, IAccessChangeFeed feed, SecurityEvents events)
    {
        this.dbFactory = dbFactory;
        this.clock = clock;
        this.events = events;
        // CoordinatorService forgets kept scopes itself before it publishes, so a read right after its own change never
        // races the feed's delivery. Listening still matters: the PostgreSQL feed brings other instances' changes, and after
        // a gap in which some were missed it says that anything may have changed.
        _subscription = feed.Subscribe(change =>
        {
            if (change.Kind == AccessChangeKind.AssignmentChanged || change.ConcernsEveryone)
            {
                Forget();
            }
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// The caller's scope for a read, kept for at most <see cref="ReadScopeLifetime"/> and never across a published
    /// assignment change or a change of day.
    /// </summary>
    public async Task<AccessScope> GetReadScopeAsync(EserSecurityDbContext db, int staffMemberId, CancellationToken ct)
    {
        // Read the generation before computing: a change published meanwhile makes this result stale at once.
        var generation = Interlocked.Read(ref _generation);
        return Kept(staffMemberId, generation) ?? Keep(staffMemberId, generation, await GetScopeAsync(db, staffMemberId, ct));
    }

    /// <summary>As <see cref="GetReadScopeAsync(EserSecurityDbContext, int, CancellationToken)"/>, opening a context only when no scope is kept.</summary>
    public async Task<AccessScope> GetReadScopeAsync(Caller caller, CancellationToken ct)
    {
        var generation = Interlocked.Read(ref _generation);
        if (Kept(caller.StaffMemberId, generation) is { } kept)
        {
            return kept;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return Keep(caller.StaffMemberId, generation, await GetScopeAsync(db, caller.StaffMemberId, ct));
    }

    private AccessScope? Kept(int staffMemberId, long generation)
    {
        var now = clock.GetUtcNow();
        return _kept.TryGetValue(staffMemberId, out var kept) && kept.Generation == generation && kept.Today == Today
            && now - kept.At < ReadScopeLifetime && now >= kept.At
            ? kept.Scope
            : null;
    }

    private AccessScope Keep(int staffMemberId, long generation, AccessScope scope)
    {
        _kept[staffMemberId] = new KeptScope(scope, generation, Today, clock.GetUtcNow());
        return scope;
    }

    /// <summary>Drops every kept scope: called for each published assignment change, and by anything else that changes scope.</summary>
    public void Forget()
    {
        Interlocked.Increment(ref _generation);
        _kept.Clear();
    }

    public void Dispose() => _subscription.Dispose();

    /// <summary>
    /// Whether a change can alter someone's scope, so that kept scopes are forgotten before it is delivered: an
    /// assignment, a directory record or employment, the state administrators, or anything at all
    /// (<see cref="AccessChange.ConcernsEveryone"/>). The services that make these changes forget before they publish;
    /// a change from another instance is forgotten for on arrival.
    /// </summary>
    public static bool ChangesScopes(AccessChange change) =>
        change.Kind is AccessChangeKind.AssignmentChanged or AccessChangeKind.StaffDirectoryChanged or AccessChangeKind.EmploymentChanged
            or AccessChangeKind.StateAdministratorsChanged
        || change.ConcernsEveryone;

    /// <summary>
    /// Whether a change can alter the scope of the person <paramref name="staffMemberId"/>: an assignment that names
    /// them, as coordinator or supervisor, or ends one of theirs.
    /// </summary>
    public static bool ConcernsOwnScope(AccessChange change, int? staffMemberId) =>
        change.Kind == AccessChangeKind.AssignmentChanged && staffMemberId is int me && change.SubjectStaffMemberId == me;

    public async Task<AccessScope> GetScopeAsync(Caller caller, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await GetScopeAsync(db, caller.StaffMemberId, ct);
    }

    internal async Task<AccessScope> GetScopeAsync(EserSecurityDbContext db, int staffMemberId, CancellationToken ct)
    {
        var today = Today;
        var person = await db.StaffMembers.AsNoTracking()
            .Where(s => s.Id == staffMemberId)
            .Select(s => new { s.SchoolSystemId, s.EmploymentStatus })
            .SingleOrDefaultAsync(ct)
            ?? throw events.Refuse(staffMemberId, "Your account is not linked to a staff record.");

        // A person whose employment has ended keeps no scope beyond their own record.
        if (person.EmploymentStatus != Staff.EmploymentStatus.Active)
        {
            return new AccessScope(staffMemberId, person.SchoolSystemId, false,
                new HashSet<int>(), new HashSet<int>(), new HashSet<int>(), new HashSet<int>()) { Events = events };
        }

        var isStateAdministrator = await db.StateAdministrators.ActiveOn(today).AnyAsync(a => a.StaffMemberId == staffMemberId, ct);
        var own = await AssignmentsAsync(db, staffMemberId, null, today, ct);
        var covers = new List<DeputyCover>();
        var deputyships = await db.Deputyships.AsNoTracking().ActiveOn(today)
            .Where(d => d.DeputyId == staffMemberId && d.ApprovedAt != null && d.CancelledAt == null
                && d.Absent!.EmploymentStatus == Staff.EmploymentStatus.Active)
            .Select(d => new { d.AbsentId, Name = d.Absent!.FirstName + " " + d.Absent.LastName, d.SchoolSystemId })
            .ToListAsync(ct);
        foreach (var deputyship in deputyships)
        {
            var absent = await AssignmentsAsync(db, deputyship.AbsentId, deputyship.SchoolSystemId, today, ct);
            covers.Add(new DeputyCover(deputyship.AbsentId, deputyship.Name, absent.District, absent.LocalSchools, absent.Supervised));
        }

        var scope = new AccessScope(staffMemberId, person.SchoolSystemId, isStateAdministrator,
            own.District, own.LocalSchools, own.LocalSchoolSystems, own.Supervised) { Events = events };
        return covers.Count == 0 ? scope : scope with
        {
            Covers = covers,
            DecidesDistrictIds = own.District.Concat(covers.SelectMany(c => c.DistrictSchoolSystemIds)).ToHashSet(),
            DecidesSchoolIds = own.LocalSchools.Concat(covers.SelectMany(c => c.LocalSchoolIds)).ToHashSet(),
            EndorsesSchoolSystemIds = own.Supervised.Concat(covers.SelectMany(c => c.SupervisedSchoolSystemIds)).ToHashSet(),
        };
    }

    private sealed record Assignments(HashSet<int> District, HashSet<int> LocalSchools, HashSet<int> LocalSchoolSystems, HashSet<int> Supervised);

    /// <summary>A person's coordinator and supervisor assignments in force today, in one school system or in all.</summary>
    private static async Task<Assignments> AssignmentsAsync(EserSecurityDbContext db, int staffMemberId, int? schoolSystemId, DateOnly today, CancellationToken ct)
    {
        var coordinatorAssignments = await db.CoordinatorAssignments.AsNoTracking().ActiveOn(today)
            .Where(a => a.StaffMemberId == staffMemberId && (schoolSystemId == null || a.SchoolSystemId == schoolSystemId))
            .Select(a => new { a.SchoolSystemId, a.Coverage, a.SchoolId, a.SchoolGroupId })
            .ToListAsync(ct);

        var district = coordinatorAssignments.Where(a => a.Coverage == CoordinatorCoverage.SchoolSystem)
            .Select(a => a.SchoolSystemId).ToHashSet();
        var localSchools = coordinatorAssignments.Where(a => a.SchoolId is not null).Select(a => a.SchoolId!.Value).ToHashSet();
        var groupIds = coordinatorAssignments.Where(a => a.SchoolGroupId is not null).Select(a => a.SchoolGroupId!.Value).ToList();
        if (groupIds.Count > 0)
        {
            localSchools.UnionWith(await db.SchoolGroupMembers.Where(m => groupIds.Contains(m.SchoolGroupId))
                .Select(m => m.SchoolId).ToListAsync(ct));
        }
        var localSchoolSystems = coordinatorAssignments.Where(a => a.Coverage != CoordinatorCoverage.SchoolSystem)
            .Select(a => a.SchoolSystemId).ToHashSet();

        var supervised = (await db.SupervisorAssignments.AsNoTracking().ActiveOn(today)
            .Where(a => a.StaffMemberId == staffMemberId && (schoolSystemId == null || a.SchoolSystemId == schoolSystemId))
            .Select(a => a.SchoolSystemId).ToListAsync(ct)).ToHashSet();
        return new Assignments(district, localSchools, localSchoolSystems, supervised);
    }

    /// <summary>Where refusals and personal-data downloads are recorded.</summary>
    public SecurityEvents Events => events;

    /// <summary>Records a refusal of <paramref name="staffMemberId"/> for scope and returns the exception to throw (see <see cref="SecurityEvents"/>).</summary>
    public ScopeDeniedException Refuse(int? staffMemberId, string message, int? schoolSystemId = null) => events.Refuse(staffMemberId, message, schoolSystemId);

    private DateOnly Today => clock.Today();

    private sealed record KeptScope(AccessScope Scope, long Generation, DateOnly Today, DateTimeOffset At);
}

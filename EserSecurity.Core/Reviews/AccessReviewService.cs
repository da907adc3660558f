using System.Globalization;
using System.Linq.Expressions;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using EserSecurity.Core.Notifications;
using EserSecurity.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Reviews;

/// <summary>
/// Access reviews: a state administrator opens a review period for one, several or all school systems; coordinators
/// keep or end each active grant in their scope (district coordinators every item, local coordinators their schools'
/// ones), the special education supervisor decides the IEP Forms items too and signs the review off, which ends every
/// grant marked to end at once. Items still undecided after the due date get <see cref="AccessReviewOptions.DefaultAtDueDate"/>.
/// </summary>
public sealed partial class AccessReviewService(
    IDbContextFactory<EserSecurityDbContext> dbFactory,
    ScopeService scopes,
    IAccessChangeFeed changes,
    TimeProvider clock,
    IOptions<AccessReviewOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _defaultsGate = new(1, 1);

    /// <summary>An item still waits for a decision: the coordinators', or the supervisor's where it reaches IEP Forms.</summary>
    private static readonly Expression<Func<AccessReviewItem, bool>> Undecided = i => i.Decision == AccessReviewDecision.Undecided
        || (i.NeedsSupervisor && i.SupervisorDecision == AccessReviewDecision.Undecided);

    /// <summary>Whether a change alters one review's page: anything about access reviews or a grant ending in its school system.</summary>
    public static bool ConcernsReview(AccessChange change, int schoolSystemId) =>
        change.Kind is AccessChangeKind.AccessReviewChanged or AccessChangeKind.GrantEnded && change.SchoolSystemId == schoolSystemId;

    /// <summary>
    /// Whether a change alters the review list of a reader of <paramref name="scope"/>: a review changed in a school
    /// system the reader sees (state administrators see every one), or the reader's own scope changed.
    /// </summary>
    public static bool ConcernsReviews(AccessChange change, AccessScope? scope) => scope is not null
        && (ScopeService.ConcernsOwnScope(change, scope.StaffMemberId)
            || (change.Kind == AccessChangeKind.AccessReviewChanged && change.SchoolSystemId is int id && scope.CanViewSchoolSystem(id)));

    /// <summary>Records how often a school system reviews its grants. State administrators and its district coordinators.</summary>
    public async Task SetCadenceAsync(Caller caller, int schoolSystemId, AccessReviewKind cadence, CancellationToken ct = default)
    {
        if (!Enum.IsDefined(cadence))
        {
            throw new AccessReviewRefusedException("Choose annual or semiannual.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        scope.DemandAdministerSchoolSystem(schoolSystemId, "change this school system's review cadence");
        await using var transaction = await db.BeginWriteAsync(ct);
        var system = await db.SchoolSystems.SingleOrDefaultAsync(s => s.Id == schoolSystemId, ct)
            ?? throw scope.Refuse("That school system does not exist.");
        var before = system.SecurityPolicy.ReviewCadence;
        system.SecurityPolicy.ReviewCadence = cadence;
        await db.SaveChangesAsync(ct);
        var now = clock.GetUtcNow();
        await AuditLog.AppendAsync(db, caller, now, new AuditEntry("SchoolSystem.ReviewCadenceSet", "SchoolSystem", Id(schoolSystemId),
            schoolSystemId, new { cadence = before.ToString() }, new { cadence = cadence.ToString() }), ct);
        await transaction.CommitAsync(ct);
        changes.Publish(new AccessChange(AccessChangeKind.SecurityPolicyChanged, schoolSystemId, null, null, caller.StaffMemberId, now));
    }

    /// <summary>
    /// Opens a review period: one review per school system, of the school system's cadence, whose items are every
    /// grant active at this moment. School systems with a review not yet completed are left out and named.
    /// State administrators only.
    /// </summary>
    public async Task<OpenedReviews> OpenAsync(Caller caller, OpenReviewPeriod period, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(period);
        var now = clock.GetUtcNow();
        if (period.DueOn <= clock.Today())
        {
            throw new AccessReviewRefusedException("Choose a due date after today: coordinators need time to review.");
        }
        if (period.SchoolSystemIds is { Count: 0 })
        {
            throw new AccessReviewRefusedException("Choose at least one school system, or all of them.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        scope.DemandStateAdministrator("open an access review period");

        await using var transaction = await db.BeginWriteAsync(ct);
        var systems = db.SchoolSystems.AsNoTracking();
        if (period.SchoolSystemIds is { } ids)
        {
            systems = systems.Where(s => ids.Contains(s.Id));
        }
        var chosen = await systems
            .Select(s => new
            {
                s.Id,
                s.Code,
                s.SecurityPolicy.ReviewCadence,
                Open = db.AccessReviews.Any(r => r.SchoolSystemId == s.Id && r.Status != AccessReviewStatus.Completed),
            })
            .OrderBy(s => s.Code).ToListAsync(ct);
        if (period.SchoolSystemIds is { } asked && chosen.Count != asked.Distinct().Count())
        {
            throw new AccessReviewRefusedException("One of the chosen school systems does not exist.");
        }

        var reviews = chosen.Where(s => !s.Open).Select(s => new AccessReview
        {
            SchoolSystemId = s.Id,
            Kind = s.ReviewCadence,
            DueOn = period.DueOn,
            Status = AccessReviewStatus.Open,
            StartedAt = now,
            StartedById = caller.StaffMemberId,
        }).ToList();
        db.AccessReviews.AddRange(reviews);
        await db.SaveChangesAsync(ct);

        // One set-based statement copies every active grant into its school system's new review: a statewide period has
        // hundreds of thousands of items, which entity tracking would insert one by one.
        var firstId = reviews.Count == 0 ? int.MaxValue : reviews.Min(r => r.Id);
        var items = reviews.Count == 0 ? 0 : await InsertItemsAsync(db, firstId, reviews.Max(r => r.Id), ct);
        var counts = await db.AccessReviewItems.Where(i => i.AccessReviewId >= firstId)
            .GroupBy(i => i.AccessReviewId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, ct);

        // A school system without an active grant has nothing to decide: its review waits for the sign-off at once.
        await db.AccessReviews.Where(r => r.Id >= firstId && r.Status == AccessReviewStatus.Open && !r.Items.Any())
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, AccessReviewStatus.AwaitingSignOff), ct);
        await AuditLog.AppendAsync(db, caller, now, reviews.Select(r => new AuditEntry("AccessReview.Opened", nameof(AccessReview), Id(r.Id),
            r.SchoolSystemId, null, new { kind = r.Kind.ToString(), dueOn = r.DueOn, items = counts.GetValueOrDefault(r.Id) })), ct);
        var notified = await ReviewNotices.OpenedAsync(db, reviews.Select(r => r.Id).ToList(), clock.Today(), now, ct);
        await transaction.CommitAsync(ct);

        foreach (var review in reviews)
        {
            changes.Publish(new AccessChange(AccessChangeKind.AccessReviewChanged, review.SchoolSystemId, null, null, caller.StaffMemberId, now));
        }
        NotificationOutbox.Publish(db, changes, notified, caller.StaffMemberId, now);
        return new OpenedReviews(reviews.Count, items, chosen.Where(s => s.Open).Select(s => s.Code).ToList());
    }

    private static Task<int> InsertItemsAsync(EserSecurityDbContext db, int firstReviewId, int lastReviewId, CancellationToken ct)
    {
        // Reviews just added in this transaction have consecutive ids; earlier reviews are never below the first.
        // Identifiers are quoted: PostgreSQL folds unquoted names to lower case, SQLite accepts either.
        var undecided = AccessReviewDecision.Undecided.ToString();
        return db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO "AccessReviewItems" ("AccessReviewId", "AccessGrantId", "Decision", "NeedsSupervisor", "SupervisorDecision")
            SELECT r."Id", g."Id", {undecided}, e."GrantsIepForms", {undecided}
            FROM "AccessReviews" r
            JOIN "AccessGrants" g ON g."SchoolSystemId" = r."SchoolSystemId" AND g."EndedAt" IS NULL
            JOIN "EserRoles" e ON e."Id" = g."EserRoleId"
            WHERE r."Id" BETWEEN {firstReviewId} AND {lastReviewId}
            ORDER BY r."Id", g."Id"
            """, ct);
    }

    /// <summary>
    /// The reviews the caller may see, newest first (state administrators every school system's, others their own),
    /// each with its progress. Applies the due-date default first where a due date has passed.
    /// </summary>
    public async Task<PagedResult<ReviewRow>> ReadReviewsAsync(Caller caller, bool openOnly, int page, int pageSize, CancellationToken ct = default)
    {
        await ApplyDueDefaultsIfNeededAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetReadScopeAsync(db, caller.StaffMemberId, ct);
        var query = db.AccessReviews.AsNoTracking();
        if (!scope.IsStateAdministrator)
        {
            var visible = scope.DistrictSchoolSystemIds.Concat(scope.SupervisedSchoolSystemIds).Concat(scope.LocalSchoolSystemIds).Distinct().ToArray();
            query = query.Where(r => visible.Contains(r.SchoolSystemId));
        }
        if (openOnly)
        {
            query = query.Where(r => r.Status != AccessReviewStatus.Completed);
        }
        var total = await query.CountAsync(ct);
        var rows = await Project(db, query.OrderByDescending(r => r.StartedAt).ThenBy(r => r.SchoolSystem!.Code)
            .Skip(Math.Max(0, page) * pageSize).Take(pageSize)).ToListAsync(ct);
        return new PagedResult<ReviewRow>(rows, total);
    }

    /// <summary>One review with what the caller may do in it. Anyone who sees its school system.</summary>
    public async Task<ReviewDetail> GetReviewAsync(Caller caller, int reviewId, CancellationToken ct = default)
    {
        await ApplyDueDefaultsIfNeededAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetReadScopeAsync(db, caller.StaffMemberId, ct);
        var row = await Project(db, db.AccessReviews.AsNoTracking().Where(r => r.Id == reviewId)).SingleOrDefaultAsync(ct);
        if (row is null || !scope.CanViewSchoolSystem(row.SchoolSystemId))
        {
            throw NotFound(scope);
        }
        var isSupervisor = scope.SupervisedSchoolSystemIds.Contains(row.SchoolSystemId);
        var canDecide = row.Status != AccessReviewStatus.Completed
            && scope.CoordinatesIn(row.SchoolSystemId);
        var typed = await db.AccessReviews.AsNoTracking().Where(r => r.Id == reviewId).Select(r => r.SignedOffTypedName).SingleAsync(ct);
        var canSignOff = isSupervisor && row.Status != AccessReviewStatus.Completed && row.Decided == row.Items;
        return new ReviewDetail(row, canDecide, isSupervisor && row.Status != AccessReviewStatus.Completed, canSignOff,
            SignOffStatement(row.Items, clock.Today()), typed);
    }

    /// <summary>The sentence the supervisor signs: "I reviewed these N grants on &lt;date&gt;".</summary>
    public static string SignOffStatement(int grants, DateOnly on) =>
        $"I reviewed these {grants:N0} {(grants == 1 ? "grant" : "grants")} on {on.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture)}.";

    private IQueryable<ReviewRow> Project(EserSecurityDbContext db, IQueryable<AccessReview> reviews)
    {
        var today = clock.Today();
        return reviews.Select(r => new ReviewRow(
            r.Id, r.SchoolSystemId, r.SchoolSystem!.Code, r.SchoolSystem.Name, r.Kind, r.DueOn, r.Status,
            r.Items.Count,
            r.Items.Count - r.Items.AsQueryable().Count(Undecided),
            r.Items.AsQueryable().Where(i => i.DefaultedAt != null).Count(Undecided),
            r.Status != AccessReviewStatus.Completed && r.DueOn < today,
            r.SignedOffAt,
            db.StaffMembers.Where(s => s.Id == r.SignedOffById).Select(s => s.FirstName + " " + s.LastName).FirstOrDefault()));
    }

    /// <summary>
    /// The items of a review the caller may see, filtered, sorted and paged in the database: state administrators,
    /// district coordinators and the supervisor every item, local coordinators their schools' ones.
    /// </summary>
    public async Task<PagedResult<ReviewItemRow>> ReadItemsAsync(Caller caller, int reviewId, ReviewItemQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await ApplyDueDefaultsIfNeededAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetReadScopeAsync(db, caller.StaffMemberId, ct);
        var schoolSystemId = await db.AccessReviews.Where(r => r.Id == reviewId).Select(r => (int?)r.SchoolSystemId).SingleOrDefaultAsync(ct);
        if (schoolSystemId is not int lea || !scope.CanViewSchoolSystem(lea))
        {
            throw NotFound(scope);
        }
        var items = db.AccessReviewItems.AsNoTracking().Where(i => i.AccessReviewId == reviewId);
        if (!SeesWholeReview(scope, lea))
        {
            var schools = scope.LocalSchoolIds.ToArray();
            items = items.Where(i => i.AccessGrant!.SchoolId != null && schools.Contains(i.AccessGrant.SchoolId.Value));
        }
        if (query.UndecidedOnly)
        {
            items = items.Where(Undecided);
        }
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim();
            items = items.Where(i => i.AccessGrant!.StaffMember!.LastName.Contains(term) || i.AccessGrant.StaffMember.FirstName.Contains(term)
                || i.AccessGrant.StaffMember.StaffId == term || i.AccessGrant.EserRole!.Name.Contains(term));
        }
        var total = await items.CountAsync(ct);
        items = (query.SortBy, query.Descending) switch
        {
            ("Role", false) => items.OrderBy(i => i.AccessGrant!.EserRole!.Name).ThenBy(i => i.Id),
            ("Role", true) => items.OrderByDescending(i => i.AccessGrant!.EserRole!.Name).ThenBy(i => i.Id),
            ("Decision", false) => items.OrderBy(i => i.Decision).ThenBy(i => i.Id),
            ("Decision", true) => items.OrderByDescending(i => i.Decision).ThenBy(i => i.Id),
            (_, true) => items.OrderByDescending(i => i.AccessGrant!.StaffMember!.LastName).ThenByDescending(i => i.AccessGrant!.StaffMember!.FirstName).ThenBy(i => i.Id),
            _ => items.OrderBy(i => i.AccessGrant!.StaffMember!.LastName).ThenBy(i => i.AccessGrant!.StaffMember!.FirstName).ThenBy(i => i.Id),
        };
        var rows = await items.Skip(Math.Max(0, query.Page) * query.PageSize).Take(query.PageSize)
            .Select(i => new ReviewItemRow(
                i.Id,
                i.AccessGrant!.StaffMember!.FirstName + " " + i.AccessGrant.StaffMember.LastName,
                i.AccessGrant.StaffMember.StaffId,
                i.AccessGrant.StaffMember.Position,
                i.AccessGrant.EserRole!.Name,
                i.AccessGrant.School == null ? "Whole school system" : i.AccessGrant.School.Name,
                DateOnly.FromDateTime(i.AccessGrant.GrantedAt.UtcDateTime),
                i.NeedsSupervisor,
                i.Decision,
                db.StaffMembers.Where(s => s.Id == i.DecidedById).Select(s => s.FirstName + " " + s.LastName).FirstOrDefault(),
                i.DecidedAt,
                i.Note,
                i.SupervisorDecision,
                db.StaffMembers.Where(s => s.Id == i.SupervisorDecidedById).Select(s => s.FirstName + " " + s.LastName).FirstOrDefault(),
                i.DefaultedAt != null && (i.Decision == AccessReviewDecision.Undecided
                    || (i.NeedsSupervisor && i.SupervisorDecision == AccessReviewDecision.Undecided)),
                i.AccessGrant.EndedAt == null))
            .ToListAsync(ct);
        return new PagedResult<ReviewItemRow>(rows, total);
    }

    /// <summary>Whether the reader sees every item of the school system's review, not only their schools' ones.</summary>
    private static bool SeesWholeReview(AccessScope scope, int schoolSystemId) =>
        scope.IsStateAdministrator || scope.DistrictSchoolSystemIds.Contains(schoolSystemId) || scope.SupervisedSchoolSystemIds.Contains(schoolSystemId);

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    private static ScopeDeniedException NotFound(AccessScope scope) => scope.Refuse("That access review does not exist or is outside your scope.");

    private DueDateDefault Default => options.Value.DefaultAtDueDate;

    public void Dispose() => _defaultsGate.Dispose();
}

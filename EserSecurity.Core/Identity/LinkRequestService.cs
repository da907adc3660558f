using System.Globalization;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Data;
using EserSecurity.Core.Notifications;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.Identity;

/// <summary>
/// Link requests and linked accounts. A signed-in account that the console could not link files a request (Staff ID,
/// school system, school); the district security coordinators of that school system, or a state administrator,
/// confirm it against the directory or refuse it with a reason. They can also unlink an account, which ends its
/// sessions. Every change is audited and published.
/// </summary>
public sealed class LinkRequestService(
    IDbContextFactory<EserSecurityDbContext> dbFactory, ScopeService scopes, IAccessChangeFeed changes, TimeProvider clock)
{
    private const string Handle = "handle link requests";

    // ---- The person with an unlinked account ----

    /// <summary>The school systems and their schools, for the link request form.</summary>
    public async Task<IReadOnlyList<LinkRequestSchoolSystem>> GetSchoolSystemsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var systems = await db.SchoolSystems.AsNoTracking().OrderBy(s => s.Name)
            .Select(s => new { s.Id, s.Code, s.Name, Schools = s.Schools.OrderBy(x => x.Name).Select(x => new LinkRequestSchool(x.Id, x.Name)).ToList() })
            .ToListAsync(ct);
        return systems.Select(s => new LinkRequestSchoolSystem(s.Id, s.Code, s.Name, s.Schools)).ToList();
    }

    /// <summary>Where the signed-in account stands: linked, a request waiting, or a refusal not yet shown.</summary>
    public async Task<OwnLinkStatus> GetOwnAsync(SignedInAccount account, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await SignOnLinks.IsLiveAsync(db, account, ct))
        {
            return new OwnLinkStatus(SignedInStatus.SignedOut, null, null);
        }
        var linked = await SignOnLinks.LinkedPersonQuery(db, account.Issuer, account.Subject).SingleOrDefaultAsync(ct);
        if (linked is not null)
        {
            return new OwnLinkStatus(linked.Person.IsActive ? SignedInStatus.Person : SignedInStatus.NoConsole, null, null);
        }
        var own = db.LinkRequests.AsNoTracking().Where(r => r.Issuer == account.Issuer && r.Subject == account.Subject);
        var pending = await OwnRows(own.Where(r => r.State == LinkRequestState.Pending)).FirstOrDefaultAsync(ct);
        var refused = pending is not null ? null : await OwnRows(own.OrderByDescending(r => r.Id).Take(1)
            .Where(r => r.State == LinkRequestState.Refused && !r.SeenByRequester)).FirstOrDefaultAsync(ct);
        return new OwnLinkStatus(SignedInStatus.NotLinked, pending, refused);
    }

    /// <summary>Whether a change can alter <see cref="GetOwnAsync"/>: any link request or sign-on change (an unlinked account has no staff record to name).</summary>
    public static bool ConcernsOwn(AccessChange change) =>
        change.Kind is AccessChangeKind.LinkRequestChanged or AccessChangeKind.SignOnChanged;

    /// <summary>Files a link request for the signed-in account; returns its id. One request waits per account.</summary>
    public async Task<int> FileAsync(SignedInAccount account, LinkRequestForm form, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(form);
        var staffId = (form.StaffId ?? "").Trim();
        if (!StaffMember.IsStaffId(staffId))
        {
            throw new LinkRequestRefusedException(
                $"Enter your Staff ID as it appears on your staff record: {StaffMember.StaffIdMinLength} to {StaffMember.StaffIdMaxLength} digits.");
        }
        if (form.SchoolSystemId is not int schoolSystemId)
        {
            throw new LinkRequestRefusedException("Choose the school system you work for.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.SchoolSystems.AnyAsync(s => s.Id == schoolSystemId, ct))
        {
            throw new LinkRequestRefusedException("That school system does not exist; choose it from the list.");
        }
        if (form.SchoolId is int schoolId && !await db.Schools.AnyAsync(s => s.Id == schoolId && s.SchoolSystemId == schoolSystemId, ct))
        {
            throw new LinkRequestRefusedException("That school is not part of the school system you chose; choose it again.");
        }

        await using var transaction = await db.BeginWriteAsync(ct);
        var session = await db.SignInSessions.AsNoTracking()
            .Where(s => s.Id == account.SessionId && s.Issuer == account.Issuer && s.Subject == account.Subject && s.EndedAt == null)
            .Select(s => new { s.DisplayName })
            .SingleOrDefaultAsync(ct)
            ?? throw scopes.Refuse(null, "Your sign-in has ended. Sign in again to file a link request.");
        if (await db.SignOnIdentities.AnyAsync(i => i.Issuer == account.Issuer && i.Subject == account.Subject, ct))
        {
            throw new LinkRequestRefusedException("Your account is already linked to a staff record. Reload the page to use the console.");
        }
        if (await db.LinkRequests.AnyAsync(r => r.Issuer == account.Issuer && r.Subject == account.Subject && r.State == LinkRequestState.Pending, ct))
        {
            throw new LinkRequestRefusedException("You already have a link request waiting for a coordinator; you will see the answer here.");
        }
        var now = clock.GetUtcNow();
        await db.LinkRequests
            .Where(r => r.Issuer == account.Issuer && r.Subject == account.Subject && r.State == LinkRequestState.Refused && !r.SeenByRequester)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.SeenByRequester, true), ct);
        var request = new LinkRequest
        {
            Issuer = account.Issuer,
            Subject = account.Subject,
            DisplayName = session.DisplayName,
            ClaimedStaffId = staffId,
            SchoolSystemId = schoolSystemId,
            SchoolId = form.SchoolId,
            FiledAt = now,
            State = LinkRequestState.Pending,
        };
        db.LinkRequests.Add(request);
        await db.SaveChangesAsync(ct);
        await AuditLog.AppendAsync(db, null, now, new AuditEntry("LinkRequest.Filed", nameof(LinkRequest), Id(request.Id), schoolSystemId, null,
            new { request.Issuer, request.Subject, request.DisplayName, request.ClaimedStaffId, request.SchoolSystemId, request.SchoolId }), ct);
        var notified = await NotifyFiledAsync(db, request, now, ct);
        await transaction.CommitAsync(ct);
        changes.Publish(new AccessChange(AccessChangeKind.LinkRequestChanged, schoolSystemId, form.SchoolId, null, null, now));
        NotificationOutbox.Publish(db, changes, notified, null, now);
        return request.Id;
    }

    /// <summary>Records that the person has been shown the refusal of their request, so it is shown once.</summary>
    public async Task AcknowledgeRefusalAsync(SignedInAccount account, int linkRequestId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.LinkRequests
            .Where(r => r.Id == linkRequestId && r.Issuer == account.Issuer && r.Subject == account.Subject && r.State == LinkRequestState.Refused)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.SeenByRequester, true), ct);
    }

    // ---- Coordinators and state administrators ----

    /// <summary>A filed link request tells the school system's district coordinators, who confirm it; the state administrators when it has none.</summary>
    private async Task<IReadOnlyList<int>> NotifyFiledAsync(EserSecurityDbContext db, LinkRequest request, DateTimeOffset now, CancellationToken ct)
    {
        var recipients = await DecidersAsync(db, request.SchoolSystemId, clock.Today(), ct);
        var schoolSystem = await db.SchoolSystems.Where(s => s.Id == request.SchoolSystemId).Select(s => s.Name).SingleAsync(ct);
        var notice = new Notice(NotificationKind.LinkRequestWaiting,
            $"{request.DisplayName} asks to link their sign-in to Staff ID {request.ClaimedStaffId} in {schoolSystem}", "link-requests");
        return await NotificationOutbox.AddAsync(db, recipients, notice, null, now, ct);
    }

    /// <summary>
    /// Who a link request of the school system waits for: its district coordinators active on <paramref name="today"/>,
    /// or the state administrators when it has none (they decide every link request).
    /// </summary>
    internal static async Task<List<int>> DecidersAsync(EserSecurityDbContext db, int schoolSystemId, DateOnly today, CancellationToken ct)
    {
        var coordinators = await db.CoordinatorAssignments.ActiveOn(today)
            .Where(a => a.SchoolSystemId == schoolSystemId && a.Coverage == CoordinatorCoverage.SchoolSystem).Select(a => a.StaffMemberId).ToListAsync(ct);
        return coordinators.Count > 0 ? coordinators : await db.StateAdministrators.ActiveOn(today).Select(a => a.StaffMemberId).ToListAsync(ct);
    }

    /// <summary>Whether the person of this scope handles link requests at all: district coordinators and state administrators.</summary>
    public static bool HandlesLinkRequests(AccessScope? scope) => scope is { IsStateAdministrator: true } or { IsDistrictCoordinator: true };

    /// <summary>
    /// Whether a change can alter the pending requests or linked accounts a reader of <paramref name="scope"/> sees: a
    /// link request or sign-on change in a school system they administer (every one for a state administrator), or a
    /// change of their own assignments.
    /// </summary>
    public static bool ConcernsLinkQueue(AccessChange change, AccessScope? scope) => HandlesLinkRequests(scope) && change.Kind switch
    {
        AccessChangeKind.LinkRequestChanged or AccessChangeKind.SignOnChanged or AccessChangeKind.StaffDirectoryChanged =>
            scope!.IsStateAdministrator || (change.SchoolSystemId is int lea && scope.DistrictSchoolSystemIds.Contains(lea)),
        AccessChangeKind.AssignmentChanged => ScopeService.ConcernsOwnScope(change, scope!.StaffMemberId),
        _ => false,
    };

    /// <summary>The pending link requests of the caller's school systems (every one for a state administrator), oldest first.</summary>
    public async Task<PagedResult<PendingLinkRequestRow>> ReadPendingAsync(Caller caller, int page, int pageSize, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await DemandHandlerAsync(db, caller, ct);
        var query = Pending(db, scope);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderBy(r => r.FiledAt).ThenBy(r => r.Id)
            .Skip(Math.Max(0, page) * pageSize).Take(pageSize)
            .Select(r => new
            {
                r.Id, r.DisplayName, r.Issuer, r.ClaimedStaffId, r.SchoolSystemId,
                SchoolSystemName = r.SchoolSystem!.Name,
                SchoolName = r.School != null ? r.School.Name : null,
                r.FiledAt,
                r.FollowUp,
                r.FollowedUpAt,
            })
            .ToListAsync(ct);

        var claimed = rows.Select(r => r.ClaimedStaffId).Distinct().ToList();
        var records = await db.StaffMembers.AsNoTracking().Where(s => claimed.Contains(s.StaffId))
            .Select(s => new
            {
                s.Id, s.StaffId, Name = s.FirstName + " " + s.LastName, s.Position, s.EmploymentStatus, s.SchoolSystemId,
                SchoolSystemName = s.SchoolSystem != null ? s.SchoolSystem.Name : null,
                Issuers = db.SignOnIdentities.Where(i => i.StaffMemberId == s.Id).Select(i => i.Issuer).ToList(),
            })
            .ToListAsync(ct);
        var visible = records
            .Where(s => scope.IsStateAdministrator || (s.SchoolSystemId is int lea && scope.DistrictSchoolSystemIds.Contains(lea)))
            .ToDictionary(s => s.StaffId);
        return new PagedResult<PendingLinkRequestRow>(rows.Select(r => new PendingLinkRequestRow(
            r.Id, r.DisplayName, r.Issuer, r.ClaimedStaffId, r.SchoolSystemId, r.SchoolSystemName, r.SchoolName, r.FiledAt,
            visible.TryGetValue(r.ClaimedStaffId, out var s)
                ? new DirectoryMatch(s.Id, s.Name, s.Position, s.EmploymentStatus, s.SchoolSystemName, s.Issuers.Contains(r.Issuer))
                : null,
            r.FollowUp, r.FollowedUpAt)).ToList(), total);
    }

    /// <summary>How many link requests wait for the caller; zero for anyone who does not handle them.</summary>
    public async Task<int> CountPendingAsync(Caller caller, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetReadScopeAsync(db, caller.StaffMemberId, ct);
        return HandlesLinkRequests(scope) ? await Pending(db, scope).CountAsync(ct) : 0;
    }

    /// <summary>
    /// Confirms a link request against the directory: the claimed Staff ID exists, is active, belongs to the request's
    /// school system and is not linked to another account of the same issuer. Links the account.
    /// </summary>
    public async Task ConfirmAsync(Caller caller, int linkRequestId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await DemandHandlerAsync(db, caller, ct);
        await using var transaction = await db.BeginWriteAsync(ct);
        var request = await FindPendingAsync(db, scope, linkRequestId, "confirm this link request", ct);
        var person = await db.StaffMembers.AsNoTracking().Where(s => s.StaffId == request.ClaimedStaffId)
            .Select(s => new { s.Id, s.EmploymentStatus, s.SchoolSystemId, Name = s.FirstName + " " + s.LastName })
            .SingleOrDefaultAsync(ct)
            ?? throw new LinkRequestRefusedException(
                $"No staff record has Staff ID {request.ClaimedStaffId}. Refuse the request with a reason, or correct the directory first.");
        if (person.EmploymentStatus != EmploymentStatus.Active)
        {
            throw new LinkRequestRefusedException($"The staff record with Staff ID {request.ClaimedStaffId} has ended; an ended person cannot be linked.");
        }
        if (person.SchoolSystemId != request.SchoolSystemId)
        {
            throw new LinkRequestRefusedException(
                $"Staff ID {request.ClaimedStaffId} belongs to another school system in the directory; it cannot be confirmed for this one.");
        }
        if (await db.SignOnIdentities.AnyAsync(i => i.Issuer == request.Issuer && i.StaffMemberId == person.Id, ct))
        {
            throw new LinkRequestRefusedException(
                $"{person.Name} is already linked to another account of this sign-on provider. Unlink that account first if it is not theirs.");
        }
        if (await db.SignOnIdentities.AnyAsync(i => i.Issuer == request.Issuer && i.Subject == request.Subject, ct))
        {
            throw new LinkRequestRefusedException("This account is already linked to a staff record.");
        }

        var now = clock.GetUtcNow();
        await DecideAsync(db, request, LinkRequestState.Confirmed, caller, now, null, ct);
        var identity = new SignOnIdentity
        {
            Issuer = request.Issuer,
            Subject = request.Subject,
            StaffMemberId = person.Id,
            LinkedAt = now,
            LinkedById = caller.StaffMemberId,
            LinkedHow = SignOnLinkMethod.ConfirmedRequest,
        };
        db.SignOnIdentities.Add(identity);
        await db.SaveChangesAsync(ct);
        await AuditLog.AppendAsync(db, caller, now,
        [
            new AuditEntry("LinkRequest.Confirmed", nameof(LinkRequest), Id(request.Id), request.SchoolSystemId,
                new { State = nameof(LinkRequestState.Pending) }, new { State = nameof(LinkRequestState.Confirmed), StaffMemberId = person.Id }),
            new AuditEntry("SignOn.Linked", nameof(SignOnIdentity), Id(identity.Id), request.SchoolSystemId, null, SignOnLinks.LinkSnapshot(identity)),
        ], ct);
        await transaction.CommitAsync(ct);
        changes.Publish(new AccessChange(AccessChangeKind.LinkRequestChanged, request.SchoolSystemId, request.SchoolId, null, caller.StaffMemberId, now, person.Id));
        changes.Publish(new AccessChange(AccessChangeKind.SignOnChanged, request.SchoolSystemId, null, null, caller.StaffMemberId, now, person.Id));
    }

    /// <summary>Refuses a link request; the reason is shown to the person on their next visit.</summary>
    public async Task RefuseAsync(Caller caller, int linkRequestId, string? reason, CancellationToken ct = default)
    {
        var why = (reason ?? "").Trim();
        if (why.Length == 0)
        {
            throw new LinkRequestRefusedException("Give a reason: the person reads it when they next sign in.");
        }
        if (why.Length > LinkRequest.RefusalReasonMaxLength)
        {
            throw new LinkRequestRefusedException($"Keep the reason to {LinkRequest.RefusalReasonMaxLength} characters.");
        }
        if (TextRules.ProseProblem(why, "the reason", LinkRequest.RefusalReasonMaxLength) is { } problem)
        {
            throw new LinkRequestRefusedException(problem);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await DemandHandlerAsync(db, caller, ct);
        await using var transaction = await db.BeginWriteAsync(ct);
        var request = await FindPendingAsync(db, scope, linkRequestId, "refuse this link request", ct);
        var now = clock.GetUtcNow();
        await DecideAsync(db, request, LinkRequestState.Refused, caller, now, why, ct);
        await AuditLog.AppendAsync(db, caller, now, new AuditEntry("LinkRequest.Refused", nameof(LinkRequest), Id(request.Id), request.SchoolSystemId,
            new { State = nameof(LinkRequestState.Pending) }, new { State = nameof(LinkRequestState.Refused), Reason = why }), ct);
        await transaction.CommitAsync(ct);
        changes.Publish(new AccessChange(AccessChangeKind.LinkRequestChanged, request.SchoolSystemId, request.SchoolId, null, caller.StaffMemberId, now));
    }

    /// <summary>The accounts linked to people of the caller's school systems (everyone's for a state administrator), newest first.</summary>
    public async Task<PagedResult<LinkedAccountRow>> ReadLinkedAccountsAsync(
        Caller caller, string? search, int page, int pageSize, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await DemandHandlerAsync(db, caller, ct);
        var query = Linked(db, scope);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim();
            query = query.Where(i => i.StaffMember!.StaffId == term || i.StaffMember.LastName.Contains(term) || i.StaffMember.FirstName.Contains(term));
        }
        var total = await query.CountAsync(ct);
        var rows = await LinkedRows(db, query.OrderByDescending(i => i.LinkedAt).ThenByDescending(i => i.Id)
            .Skip(Math.Max(0, page) * pageSize).Take(pageSize)).ToListAsync(ct);
        return new PagedResult<LinkedAccountRow>(rows, total);
    }

    /// <summary>The accounts linked to one person, for someone whose scope covers the person.</summary>
    public async Task<IReadOnlyList<LinkedAccountRow>> GetLinkedAccountsOfAsync(Caller caller, int staffMemberId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await DemandHandlerAsync(db, caller, ct);
        return await LinkedRows(db, Linked(db, scope).Where(i => i.StaffMemberId == staffMemberId).OrderBy(i => i.LinkedAt)).ToListAsync(ct);
    }

    /// <summary>Unlinks an account from its person and ends the account's sessions: every open tab of it loses the console.</summary>
    public async Task UnlinkAsync(Caller caller, int signOnIdentityId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await DemandHandlerAsync(db, caller, ct);
        await using var transaction = await db.BeginWriteAsync(ct);
        var identity = await db.SignOnIdentities.Include(i => i.StaffMember).SingleOrDefaultAsync(i => i.Id == signOnIdentityId, ct);
        var lea = identity?.StaffMember!.SchoolSystemId;
        // One answer for "missing" (or unlinked meanwhile) and "not yours", so ids cannot be probed.
        if (identity is null || !(lea is int id ? scope.CanAdministerSchoolSystem(id) : scope.IsStateAdministrator))
        {
            throw scope.Refuse("You may not unlink this account: it is no longer linked or is outside the school systems you coordinate.");
        }
        var now = clock.GetUtcNow();
        var before = SignOnLinks.LinkSnapshot(identity);
        db.SignOnIdentities.Remove(identity);
        await db.SaveChangesAsync(ct);
        var sessionsEnded = await db.SignInSessions
            .Where(s => s.Issuer == identity.Issuer && s.Subject == identity.Subject && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now), ct);
        await AuditLog.AppendAsync(db, caller, now, new AuditEntry("SignOn.Unlinked", nameof(SignOnIdentity), Id(identity.Id), lea, before,
            new { SessionsEnded = sessionsEnded }), ct);
        await transaction.CommitAsync(ct);
        changes.Publish(new AccessChange(AccessChangeKind.SignOnChanged, lea, null, null, caller.StaffMemberId, now, identity.StaffMemberId));
    }

    private async Task<AccessScope> DemandHandlerAsync(EserSecurityDbContext db, Caller caller, CancellationToken ct)
    {
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        if (!HandlesLinkRequests(scope))
        {
            throw scope.Refuse($"Only district security coordinators and state administrators may {Handle}.");
        }
        return scope;
    }

    private static IQueryable<LinkRequest> Pending(EserSecurityDbContext db, AccessScope scope)
    {
        var query = db.LinkRequests.AsNoTracking().Where(r => r.State == LinkRequestState.Pending);
        if (!scope.IsStateAdministrator)
        {
            var leas = scope.DistrictSchoolSystemIds.ToList();
            query = query.Where(r => leas.Contains(r.SchoolSystemId));
        }
        return query;
    }

    private static IQueryable<SignOnIdentity> Linked(EserSecurityDbContext db, AccessScope scope)
    {
        var query = db.SignOnIdentities.AsNoTracking();
        if (!scope.IsStateAdministrator)
        {
            var leas = scope.DistrictSchoolSystemIds.ToList();
            query = query.Where(i => i.StaffMember!.SchoolSystemId != null && leas.Contains(i.StaffMember.SchoolSystemId.Value));
        }
        return query;
    }

    private static IQueryable<LinkedAccountRow> LinkedRows(EserSecurityDbContext db, IQueryable<SignOnIdentity> query) =>
        query.Select(i => new LinkedAccountRow(
            i.Id, i.StaffMemberId, i.StaffMember!.FirstName + " " + i.StaffMember.LastName, i.StaffMember.StaffId,
            i.StaffMember.SchoolSystem != null ? i.StaffMember.SchoolSystem.Name : null,
            i.Issuer, i.Subject, i.LinkedAt, i.LinkedHow,
            db.StaffMembers.Where(s => s.Id == i.LinkedById).Select(s => s.FirstName + " " + s.LastName).FirstOrDefault()));

    private static IQueryable<OwnLinkRequest> OwnRows(IQueryable<LinkRequest> query) =>
        query.Select(r => new OwnLinkRequest(r.Id, r.ClaimedStaffId, r.SchoolSystem!.Name, r.School != null ? r.School.Name : null,
            r.FiledAt, r.State, r.RefusalReason, r.DecidedAt));

    private static async Task<LinkRequest> FindPendingAsync(
        EserSecurityDbContext db, AccessScope scope, int linkRequestId, string what, CancellationToken ct)
    {
        var request = await db.LinkRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == linkRequestId, ct);
        if (request is null || !scope.CanAdministerSchoolSystem(request.SchoolSystemId))
        {
            // The same answer for "missing" and "not yours", so ids cannot be probed.
            throw scope.Refuse($"You may not {what}: it does not exist or is outside the school systems you coordinate.");
        }
        if (request.State != LinkRequestState.Pending)
        {
            var by = await db.StaffMembers.Where(s => s.Id == request.DecidedById).Select(s => s.FirstName + " " + s.LastName).FirstOrDefaultAsync(ct);
            throw new LinkRequestRefusedException(
                $"This link request was already {request.State.ToString().ToLowerInvariant()}{(by is null ? "" : " by " + by)}.");
        }
        return request;
    }

    /// <summary>Moves the request out of Pending only if it still is, so two coordinators cannot both decide it.</summary>
    private static async Task DecideAsync(
        EserSecurityDbContext db, LinkRequest request, LinkRequestState state, Caller caller, DateTimeOffset now, string? reason, CancellationToken ct)
    {
        var changed = await db.LinkRequests.Where(r => r.Id == request.Id && r.State == LinkRequestState.Pending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.State, state)
                .SetProperty(r => r.DecidedById, caller.StaffMemberId)
                .SetProperty(r => r.DecidedAt, now)
                .SetProperty(r => r.RefusalReason, reason), ct);
        if (changed == 0)
        {
            throw new LinkRequestRefusedException("Someone else decided this link request a moment ago.");
        }
    }

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}

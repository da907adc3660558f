using System.Globalization;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Notifications;
using EserSecurity.Core.Roles;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.AccessRequests;

/// <summary>
/// Submitting, withdrawing and deciding access requests. Each decision is a conditional update on the request's
/// state, so of any number of simultaneous decisions exactly one is stored and the others learn who decided.
/// </summary>
public sealed class AccessRequestService(
    IDbContextFactory<EserSecurityDbContext> dbFactory, ScopeService scopes, IAccessChangeFeed changes, TimeProvider clock, ConsoleMetrics metrics)
{
    /// <summary>The roles the person may request and the schools of their school system.</summary>
    public async Task<RequestOptions> GetRequestOptionsAsync(Caller caller, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var person = await db.StaffMembers.AsNoTracking().Where(s => s.Id == caller.StaffMemberId)
            .Select(s => new { s.SchoolSystemId, SchoolSystemName = s.SchoolSystem != null ? s.SchoolSystem.Name : null, s.EmploymentStatus })
            .SingleAsync(ct);
        if (person.SchoolSystemId is not int leaId || person.EmploymentStatus != EmploymentStatus.Active)
        {
            throw new AccessRequestRefusedException(
                "Only active staff of a school system can request eSER access. If your staff record is wrong, ask your district security coordinator.");
        }
        var roles = await db.EserRoles.AsNoTracking().Where(r => !r.IsRetired).OrderBy(r => r.Name)
            .Select(r => new RequestableRole(r.Id, r.Name, r.Description, r.Permissions, r.GrantsIepForms, r.Level))
            .ToListAsync(ct);
        var ownSchools = await db.StaffSchools.Where(s => s.StaffMemberId == caller.StaffMemberId).Select(s => s.SchoolId).ToListAsync(ct);
        var schools = await db.Schools.AsNoTracking().Where(s => s.SchoolSystemId == leaId).OrderBy(s => s.Name)
            .Select(s => new RequestableSchool(s.Id, s.SiteCode, s.Name, ownSchools.Contains(s.Id)))
            .ToListAsync(ct);
        return new RequestOptions(leaId, person.SchoolSystemName!, roles,
            schools.OrderByDescending(s => s.IsOwnSchool).ThenBy(s => s.Name).ToList());
    }

    /// <summary>Submits a request for the signed-in person; refused with a clear message when it duplicates one that exists.</summary>
    public async Task<int> SubmitAsync(Caller caller, NewAccessRequest request, CancellationToken ct = default)
    {
        var justification = request.Justification?.Trim() ?? "";
        if (justification.Length == 0)
        {
            throw new AccessRequestRefusedException("Say why your duties need this role: the justification is required.");
        }
        if (justification.Length > AccessRequest.JustificationMaxLength)
        {
            throw new AccessRequestRefusedException(
                $"The justification is {justification.Length} characters; keep it to {AccessRequest.JustificationMaxLength}.");
        }
        if (TextRules.ProseProblem(justification, "the justification", AccessRequest.JustificationMaxLength) is { } problem)
        {
            throw new AccessRequestRefusedException(problem);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var person = await db.StaffMembers.AsNoTracking().Where(s => s.Id == caller.StaffMemberId)
            .Select(s => new { s.SchoolSystemId, s.EmploymentStatus }).SingleAsync(ct);
        if (person.SchoolSystemId is not int leaId || person.EmploymentStatus != EmploymentStatus.Active)
        {
            throw new AccessRequestRefusedException("Only active staff of a school system can request eSER access.");
        }
        var role = await db.EserRoles.AsNoTracking().SingleOrDefaultAsync(r => r.Id == request.EserRoleId, ct);
        if (role is null || role.IsRetired)
        {
            throw new AccessRequestRefusedException("That role is not offered any more. Choose another role from the list.");
        }
        string scopeName;
        if (role.Level == RoleLevel.School)
        {
            var school = request.SchoolId is int schoolId
                ? await db.Schools.AsNoTracking().SingleOrDefaultAsync(s => s.Id == schoolId && s.SchoolSystemId == leaId, ct)
                : null;
            scopeName = school?.Name ?? throw new AccessRequestRefusedException(
                $"{role.Name} is granted at a school: choose one of your school system's schools.");
        }
        else
        {
            if (request.SchoolId is not null)
            {
                throw new AccessRequestRefusedException($"{role.Name} is granted for the whole school system, not at one school.");
            }
            scopeName = await db.SchoolSystems.Where(s => s.Id == leaId).Select(s => s.Name).SingleAsync(ct);
        }

        return await OpenAsync(db, caller, role, leaId, request.SchoolId, scopeName, justification, null, ct);
    }

    /// <summary>
    /// The holder's one-click renewal of a grant that has an end date: a new request for the same role and place, linked
    /// to the grant, routed and decided as any other. When it is approved the old grant ends (reason: renewed) and the
    /// new one carries on.
    /// </summary>
    /// <exception cref="ScopeDeniedException">The grant does not exist or is not the caller's.</exception>
    /// <exception cref="AccessRequestRefusedException">The grant ended or has no end, the role is retired, or a renewal already waits.</exception>
    public async Task<int> RenewAsync(Caller caller, int grantId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var grant = await db.AccessGrants.AsNoTracking().Include(g => g.EserRole).Where(g => g.Id == grantId && g.StaffMemberId == caller.StaffMemberId)
            .Select(g => new { g.EserRole, g.SchoolSystemId, g.SchoolId, g.EndsOn, g.EndedAt, Scope = g.School != null ? g.School.Name : g.SchoolSystem!.Name })
            .SingleOrDefaultAsync(ct)
            ?? throw scopes.Refuse(caller.StaffMemberId, "That grant does not exist or is not yours.");
        var role = grant.EserRole!;
        if (grant.EndedAt is not null)
        {
            throw new AccessRequestRefusedException($"Your {role.Name} at {grant.Scope} has already ended: ask for it again from Request access.");
        }
        if (grant.EndsOn is not DateOnly endsOn)
        {
            throw new AccessRequestRefusedException($"Your {role.Name} at {grant.Scope} has no end date, so there is nothing to renew.");
        }
        if (role.IsRetired)
        {
            throw new AccessRequestRefusedException($"{role.Name} has been retired from the role catalog, so it cannot be renewed. Ask for a current role.");
        }
        var person = await db.StaffMembers.AsNoTracking().Where(s => s.Id == caller.StaffMemberId).Select(s => new { s.SchoolSystemId, s.EmploymentStatus }).SingleAsync(ct);
        if (person.SchoolSystemId != grant.SchoolSystemId || person.EmploymentStatus != EmploymentStatus.Active)
        {
            throw new AccessRequestRefusedException("Only active staff of the grant's school system can renew it.");
        }
        var justification = $"Renewal of {role.Name} at {grant.Scope}, which ends on {GrantTerm.Day(endsOn)}; my duties still need it.";
        return await OpenAsync(db, caller, role, grant.SchoolSystemId, grant.SchoolId, grant.Scope, justification, grantId, ct);
    }

    /// <summary>Opens the request in one write transaction: refused when the same request already waits, or (unless it renews a grant) the role is already held.</summary>
    private async Task<int> OpenAsync(
        EserSecurityDbContext db, Caller caller, EserRole role, int leaId, int? schoolId, string scopeName, string justification, int? renewsGrantId,
        CancellationToken ct)
    {
        await using var transaction = await db.BeginWriteAsync(ct);
        // Checked inside the write transaction so two quick submissions cannot both pass.
        var pending = await db.AccessRequests.AsNoTracking()
            .Where(r => r.RequesterId == caller.StaffMemberId && r.EserRoleId == role.Id && r.SchoolId == schoolId
                && (r.Status == AccessRequestStatus.PendingCoordinator || r.Status == AccessRequestStatus.PendingSupervisor))
            .Select(r => new { r.Id, r.SubmittedAt }).FirstOrDefaultAsync(ct);
        if (pending is not null)
        {
            throw new AccessRequestRefusedException(
                $"You already asked for {role.Name} at {scopeName} on {FormatTime(pending.SubmittedAt)} (request #{pending.Id}); it is still pending.");
        }
        var grant = renewsGrantId is not null ? null : await db.AccessGrants.AsNoTracking()
            .Where(g => g.StaffMemberId == caller.StaffMemberId && g.EserRoleId == role.Id && g.SchoolId == schoolId
                && g.SchoolSystemId == leaId && g.EndedAt == null)
            .Select(g => new { g.GrantedAt }).FirstOrDefaultAsync(ct);
        if (grant is not null)
        {
            throw new AccessRequestRefusedException($"You already hold {role.Name} at {scopeName}, granted on {FormatTime(grant.GrantedAt)}.");
        }

        var now = clock.GetUtcNow();
        var entity = AccessRequest.Open(caller.StaffMemberId, role.Id, leaId, schoolId, justification, now);
        entity.RenewsGrantId = renewsGrantId;
        db.AccessRequests.Add(entity);
        await db.SaveChangesAsync(ct);
        await AuditLog.AppendAsync(db, caller, now, new AuditEntry("AccessRequest.Submitted", nameof(AccessRequest),
            Id(entity.Id), leaId, null, new { role = role.Name, scope = scopeName, schoolId, justification, renewsGrantId }), ct);
        var notified = await RequestNotices.SubmittedAsync(db, entity.Id, leaId, schoolId, caller.StaffMemberId, clock.Today(), now, ct);
        await transaction.CommitAsync(ct);

        changes.Publish(new AccessChange(AccessChangeKind.RequestSubmitted, leaId, schoolId, entity.Id, caller.StaffMemberId, now));
        NotificationOutbox.Publish(db, changes, notified, caller.StaffMemberId, now);
        return entity.Id;
    }

    /// <summary>The requester takes back a request that nobody has finished deciding.</summary>
    public async Task<DecisionOutcome> WithdrawAsync(Caller caller, int requestId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var request = await LoadAsync(db, requestId, ct);
        if (request is null || request.RequesterId != caller.StaffMemberId)
        {
            throw scopes.Refuse(caller.StaffMemberId, "That request does not exist or is not yours.");
        }
        return await TransitionAsync(db, caller, request,
            [AccessRequestStatus.PendingCoordinator, AccessRequestStatus.PendingSupervisor],
            AccessRequestStatus.Withdrawn, AccessRequestAction.Withdrawn, null, AccessChangeKind.RequestWithdrawn, null, ct);
    }

    /// <summary>
    /// A coordinator to whom the request is routed approves or denies it. An approval may set the last day the grant
    /// runs (<paramref name="lastDay"/>); a role with a longest duration ends by then at the latest, and gets that day
    /// when none is set.
    /// </summary>
    public async Task<DecisionOutcome> DecideAsync(
        Caller caller, int requestId, Decision decision, string? reason, DateOnly? lastDay = null, CancellationToken ct = default)
    {
        reason = NormalizeReason(decision, reason);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        var request = await LoadAsync(db, requestId, ct);
        if (request is null || !RequestRouting.IsRoutedTo(scope, request.SchoolSystemId, request.SchoolId))
        {
            throw scope.Refuse("That request does not exist or is outside the schools you coordinate.");
        }
        if (request.RequesterId == caller.StaffMemberId)
        {
            throw new AccessRequestRefusedException("You cannot decide your own request: another coordinator must.");
        }
        var deputyFor = scope.DecidesAsDeputyFor(request.SchoolSystemId, request.SchoolId);
        RefuseAbsentPersonsOwn(deputyFor, request.RequesterId);
        DateOnly? grantLastDay = null;
        if (decision == Decision.Approve)
        {
            ApprovalChecks.DemandApprovable(request.Approval, clock.Today());
            grantLastDay = GrantTerm.LastDay(clock.Today(), lastDay, request.RoleName, request.MaxDurationDays);
        }
        var (target, action) = decision == Decision.Deny
            ? (AccessRequestStatus.Denied, AccessRequestAction.CoordinatorDenied)
            : (StatusAfterCoordinatorApproval(request.GrantsIepForms), AccessRequestAction.CoordinatorApproved);
        return await TransitionAsync(db, caller, request, [AccessRequestStatus.PendingCoordinator], target, action, reason,
            AccessChangeKind.RequestDecided, grantLastDay, ct, deputyFor?.AbsentId);
    }

    /// <summary>Each selected request is decided on its own; the summary says which were taken by someone else first.</summary>
    public async Task<BulkDecisionSummary> BulkApproveAsync(
        Caller caller, IReadOnlyCollection<int> requestIds, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        var outcomes = new List<DecisionOutcome>(requestIds.Count);
        foreach (var id in requestIds)
        {
            try
            {
                outcomes.Add(await DecideAsync(caller, id, Decision.Approve, null, null, ct));
            }
            catch (Exception ex) when (ex is ScopeDeniedException or AccessRequestRefusedException)
            {
                outcomes.Add(new DecisionOutcome(id, false, AccessRequestStatus.PendingCoordinator, ex.Message));
            }
            progress?.Report(outcomes.Count);
        }
        return new BulkDecisionSummary(outcomes);
    }

    /// <summary>The school system's special education supervisor endorses or denies IEP Forms access a coordinator approved.</summary>
    public async Task<DecisionOutcome> EndorseAsync(Caller caller, int requestId, Decision decision, string? reason, CancellationToken ct = default)
    {
        reason = NormalizeReason(decision, reason);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        var request = await LoadAsync(db, requestId, ct);
        if (request is null || !scope.EndorsesSchoolSystemIds.Contains(request.SchoolSystemId))
        {
            throw scope.Refuse("That request does not exist or is outside the school systems you supervise.");
        }
        if (request.RequesterId == caller.StaffMemberId)
        {
            throw new AccessRequestRefusedException("You cannot endorse your own request.");
        }
        var deputyFor = scope.EndorsesAsDeputyFor(request.SchoolSystemId);
        RefuseAbsentPersonsOwn(deputyFor, request.RequesterId);
        if (decision == Decision.Approve)
        {
            ApprovalChecks.DemandEndorsableBy(request.Approval, caller.StaffMemberId);
            ApprovalChecks.DemandApprovable(request.Approval, clock.Today());
        }
        var (target, action) = decision == Decision.Deny
            ? (AccessRequestStatus.Denied, AccessRequestAction.SupervisorDenied)
            : (AccessRequestStatus.Approved, AccessRequestAction.SupervisorEndorsed);
        return await TransitionAsync(db, caller, request, [AccessRequestStatus.PendingSupervisor], target, action, reason,
            AccessChangeKind.RequestEndorsed, request.GrantEndsOn, ct, deputyFor?.AbsentId);
    }

    /// <summary>A deputy decides for the absent person, so never on the absent person's own request.</summary>
    private static void RefuseAbsentPersonsOwn(DeputyCover? deputyFor, int requesterId)
    {
        if (deputyFor is not null && deputyFor.AbsentId == requesterId)
        {
            throw new AccessRequestRefusedException(
                $"This is {deputyFor.AbsentName}'s own request, and you decide it only as their deputy: another coordinator must decide it.");
        }
    }

    /// <summary>
    /// The state machine's one fork: a coordinator's approval grants the role, unless the role reaches IEP Forms, which
    /// then waits for the special education supervisor's endorsement.
    /// </summary>
    internal static AccessRequestStatus StatusAfterCoordinatorApproval(bool grantsIepForms) =>
        grantsIepForms ? AccessRequestStatus.PendingSupervisor : AccessRequestStatus.Approved;

    /// <summary>
    /// A request a coordinator opens for a person from the SER role they held in TAS, already past the coordinator's
    /// approval: for a role that reaches IEP Forms it waits for the supervisor, who endorses it as any other. Its
    /// grant then records the TAS migration as its origin. The caller adds it and audits it in its own transaction.
    /// </summary>
    internal static AccessRequest OpenMigratedRequest(
        int staffMemberId, EserRole role, int schoolSystemId, int? schoolId, int coordinatorId, string justification, DateTimeOffset now)
    {
        var status = StatusAfterCoordinatorApproval(role.GrantsIepForms);
        if (status == AccessRequestStatus.Approved)
        {
            throw new InvalidOperationException($"{role.Name} needs no endorsement: the TAS migration grants it directly.");
        }
        var request = AccessRequest.Open(staffMemberId, role.Id, schoolSystemId, schoolId,
            justification.Length > AccessRequest.JustificationMaxLength ? justification[..AccessRequest.JustificationMaxLength] : justification,
            now, migratedById: coordinatorId);
        request.Status = status;
        request.Steps.Add(new AccessRequestStep
        {
            Action = AccessRequestAction.CoordinatorApproved,
            FromStatus = AccessRequestStatus.PendingCoordinator,
            ToStatus = status,
            ActorId = coordinatorId,
            At = now,
        });
        return request;
    }

    /// <summary>
    /// A request as its steps need it, with what the requester's notice says and whether and how it reaches them by
    /// e-mail, so that the notice costs the step no read of its own.
    /// </summary>
    private sealed record RequestFacts(
        int Id, int RequesterId, int EserRoleId, string RoleName, bool GrantsIepForms, int SchoolSystemId, int? SchoolId, bool FromTasMigration,
        int? MaxDurationDays, DateOnly? GrantEndsOn, int? RenewsGrantId, ApprovalFacts Approval, string ScopeName, bool RequesterHasAddress,
        NotificationDelivery? RequesterChoice)
    {
        public RequestNoticeFacts Notice => new(Approval.RequesterName, Approval.RequesterStaffId, RoleName, ScopeName);

        public NoticeRecipient Requester => new(RequesterId, RequesterHasAddress, RequesterChoice);
    }

    private Task<RequestFacts?> LoadAsync(EserSecurityDbContext db, int requestId, CancellationToken ct)
    {
        var schoolYear = SchoolYear.Containing(clock.Today()).StartYear;
        return db.AccessRequests.AsNoTracking().Where(r => r.Id == requestId)
            .Select(r => new RequestFacts(r.Id, r.RequesterId, r.EserRoleId, r.EserRole!.Name, r.EserRole.GrantsIepForms, r.SchoolSystemId, r.SchoolId,
                r.Steps.Any(s => s.Action == AccessRequestAction.MigratedFromTas),
                r.EserRole.MaxDurationDays, r.GrantEndsOn, r.RenewsGrantId,
                new ApprovalFacts(
                    r.Requester!.FirstName + " " + r.Requester.LastName,
                    r.Requester.StaffId,
                    r.Requester.EmploymentStatus == EmploymentStatus.Active,
                    r.Requester.SchoolSystemId == r.SchoolSystemId,
                    r.EserRole.Name,
                    r.EserRole.IsRetired,
                    r.EserRole.GrantsIepForms,
                    db.AssuranceSignatures.Any(a => a.StaffMemberId == r.RequesterId && a.SchoolYear == schoolYear),
                    r.Steps.Where(s => (s.Action == AccessRequestAction.CoordinatorApproved || s.Action == AccessRequestAction.MigratedFromTas)
                        && s.ActorId != null).Select(s => s.ActorId!.Value).ToList()),
                r.School != null ? r.School.Name : r.SchoolSystem!.Name,
                r.Requester.Email != "",
                db.NotificationPreferences.Where(p => p.StaffMemberId == r.RequesterId && p.Kind == NotificationKind.RequestDecided)
                    .Select(p => (NotificationDelivery?)p.Delivery).FirstOrDefault()))
            .SingleOrDefaultAsync(ct);
    }

    /// <summary>
    /// Moves the request from one of the expected states to the target in one conditional update. When no row
    /// changes, someone else decided first: nothing is written and the caller is told who and when.
    /// </summary>
    private async Task<DecisionOutcome> TransitionAsync(
        EserSecurityDbContext db, Caller caller, RequestFacts request, AccessRequestStatus[] expected, AccessRequestStatus target,
        AccessRequestAction action, string? reason, AccessChangeKind changeKind, DateOnly? grantLastDay, CancellationToken ct, int? onBehalfOfId = null)
    {
        var now = clock.GetUtcNow();
        var isFinal = target is not (AccessRequestStatus.PendingCoordinator or AccessRequestStatus.PendingSupervisor);
        DateTimeOffset? closedAt = isFinal ? now : null;
        var token = Guid.NewGuid();

        await using var transaction = await db.BeginWriteAsync(ct);
        var from = await db.AccessRequests.Where(r => r.Id == request.Id).Select(r => r.Status).SingleAsync(ct);
        var updated = await db.AccessRequests
            .Where(r => r.Id == request.Id && expected.Contains(r.Status))
            .ExecuteUpdateAsync(s =>
            {
                s.SetProperty(r => r.Status, target)
                    .SetProperty(r => r.ClosedAt, closedAt)
                    .SetProperty(r => r.FollowUp, WaitingFollowUp.None)
                    .SetProperty(r => r.FollowedUpAt, (DateTimeOffset?)null)
                    .SetProperty(r => r.StageSince, now)
                    .SetProperty(r => r.ConcurrencyToken, token);
                if (action == AccessRequestAction.CoordinatorApproved)
                {
                    // The coordinator's end day waits on the request while the supervisor endorses.
                    s.SetProperty(r => r.GrantEndsOn, grantLastDay);
                }
            }, ct);
        if (updated == 0)
        {
            await transaction.RollbackAsync(ct);
            return await AlreadyDecidedAsync(db, request.Id, ct);
        }

        db.AccessRequestSteps.Add(new AccessRequestStep
        {
            AccessRequestId = request.Id,
            Action = action,
            FromStatus = from,
            ToStatus = target,
            ActorId = caller.StaffMemberId,
            At = now,
            Reason = reason,
            OnBehalfOfId = onBehalfOfId,
        });
        AccessGrant? grant = null;
        if (target == AccessRequestStatus.Approved)
        {
            grant = new AccessGrant
            {
                StaffMemberId = request.RequesterId,
                EserRoleId = request.EserRoleId,
                SchoolSystemId = request.SchoolSystemId,
                SchoolId = request.SchoolId,
                Origin = request.FromTasMigration ? GrantOrigin.TasMigration : GrantOrigin.Request,
                AccessRequestId = request.Id,
                GrantedAt = now,
                GrantedById = caller.StaffMemberId,
                EndsOn = grantLastDay,
            };
            db.AccessGrants.Add(grant);
        }
        var renewed = grant is not null && request.RenewsGrantId is int renewsId
            ? await db.AccessGrants.SingleOrDefaultAsync(g => g.Id == renewsId && g.EndedAt == null, ct)
            : null;
        var endedRenewed = renewed?.End(now, caller.StaffMemberId, GrantEndReason.Renewed, $"Renewed by request #{request.Id}.");
        // The requester's notice (the outbox row its e-mail goes from) is written by the same SaveChanges as the step.
        var notified = await RequestNotices.DecidedAsync(db, request.Notice, request.Requester, request.SchoolSystemId, target, reason, caller.StaffMemberId,
            clock.Today(), now, ct);
        await db.SaveChangesAsync(ct);
        if (renewed is not null)
        {
            await Employment.ChangeOfDutiesRules.CloseForEndedGrantsAsync(db, [renewed.Id], now, caller.StaffMemberId, ct);
        }

        var entries = new List<AuditEntry>
        {
            new($"AccessRequest.{action}", nameof(AccessRequest), Id(request.Id), request.SchoolSystemId,
                new { status = from.ToString() }, onBehalfOfId is int absent ? new { status = target.ToString(), reason, asDeputyFor = absent } : (object)new { status = target.ToString(), reason }),
        };
        if (grant is not null)
        {
            entries.Add(new AuditEntry("AccessGrant.Created", nameof(AccessGrant), Id(grant.Id), request.SchoolSystemId, null,
                new { staffMemberId = request.RequesterId, role = request.RoleName, schoolId = request.SchoolId, origin = grant.Origin.ToString(), requestId = request.Id,
                    endsOn = grantLastDay, renews = request.RenewsGrantId }));
        }
        if (endedRenewed is not null)
        {
            entries.Add(endedRenewed.Audit);
        }
        await AuditLog.AppendAsync(db, caller, now, entries, ct);
        await transaction.CommitAsync(ct);

        if (CountedAs(action) is { } outcome)
        {
            metrics.Decided(outcome);
        }
        changes.Publish(new AccessChange(changeKind, request.SchoolSystemId, request.SchoolId, request.Id, caller.StaffMemberId, now));
        NotificationOutbox.Publish(db, changes, notified, caller.StaffMemberId, now);
        if (grant is not null)
        {
            changes.Publish(new AccessChange(AccessChangeKind.GrantCreated, request.SchoolSystemId, request.SchoolId, request.Id, caller.StaffMemberId, now));
        }
        if (endedRenewed is not null)
        {
            changes.Publish(endedRenewed.Change);
        }
        return new DecisionOutcome(request.Id, true, target, SuccessMessage(target, request.RoleName));
    }

    /// <summary>A coordinator's or supervisor's decision counts; a withdrawal is the requester's own and does not.</summary>
    private static DecisionOutcomeKind? CountedAs(AccessRequestAction action) => action switch
    {
        AccessRequestAction.CoordinatorApproved => DecisionOutcomeKind.Approved,
        AccessRequestAction.CoordinatorDenied or AccessRequestAction.SupervisorDenied => DecisionOutcomeKind.Denied,
        AccessRequestAction.SupervisorEndorsed => DecisionOutcomeKind.Endorsed,
        _ => null,
    };

    private static async Task<DecisionOutcome> AlreadyDecidedAsync(EserSecurityDbContext db, int requestId, CancellationToken ct)
    {
        var current = await db.AccessRequests.AsNoTracking().Where(r => r.Id == requestId)
            .Select(r => new
            {
                r.Status,
                Last = r.Steps.OrderByDescending(s => s.At).ThenByDescending(s => s.Id)
                    .Select(s => new { s.Action, s.At, Actor = s.Actor != null ? s.Actor.FirstName + " " + s.Actor.LastName : "the system" })
                    .FirstOrDefault(),
            })
            .SingleAsync(ct);
        var who = current.Last is null ? "" : $" by {current.Last.Actor} at {FormatTime(current.Last.At)}";
        var message = current.Status switch
        {
            AccessRequestStatus.Approved => $"Already approved{who}.",
            AccessRequestStatus.Denied => $"Already denied{who}.",
            AccessRequestStatus.Withdrawn => $"Already withdrawn{who}.",
            AccessRequestStatus.Cancelled => $"Already cancelled{who}.",
            AccessRequestStatus.PendingSupervisor => $"Already approved{who}; it now waits for the special education supervisor.",
            _ => $"It is waiting for a coordinator, not for this step.",
        };
        return new DecisionOutcome(requestId, false, current.Status, message);
    }

    private static string? NormalizeReason(Decision decision, string? reason)
    {
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (decision == Decision.Deny && reason is null)
        {
            throw new AccessRequestRefusedException("Give a reason for the denial: the requester sees it.");
        }
        if (reason?.Length > AccessRequest.ReasonMaxLength)
        {
            throw new AccessRequestRefusedException($"Keep the reason to {AccessRequest.ReasonMaxLength} characters.");
        }
        return TextRules.ProseProblem(reason, "the reason", AccessRequest.ReasonMaxLength) is { } problem ? throw new AccessRequestRefusedException(problem) : reason;
    }

    private static string SuccessMessage(AccessRequestStatus target, string roleName) => target switch
    {
        AccessRequestStatus.Approved => $"Approved: {roleName} is granted.",
        AccessRequestStatus.PendingSupervisor => $"Approved: {roleName} includes IEP Forms, so it now waits for the special education supervisor.",
        AccessRequestStatus.Denied => "Denied.",
        AccessRequestStatus.Withdrawn => "Withdrawn.",
        _ => "Done.",
    };

    internal static string FormatTime(DateTimeOffset at) => at.UtcDateTime.ToString("MMM d, yyyy h:mm tt 'UTC'", CultureInfo.InvariantCulture);

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Whether a change can alter the person's own requests that <see cref="ApprovalQueue.GetOwnRequestsAsync"/> reads
    /// and <paramref name="shown"/> lists: any change to one of them (a decision, an endorsement, a withdrawal, the grant
    /// an approval creates).
    /// </summary>
    public static bool ConcernsOwnRequests(AccessChange change, IEnumerable<OwnRequestRow>? shown) =>
        change.AccessRequestId is int id && shown?.Any(r => r.Id == id) == true;
}

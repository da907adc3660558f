using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using EserSecurity.Core.Notifications;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.Reviews;

public sealed partial class AccessReviewService
{
    private sealed record ItemFacts(int Id, int ReviewId, int SchoolSystemId, int? SchoolId, AccessReviewStatus Status, bool NeedsSupervisor);

    /// <summary>
    /// A coordinator keeps an item or marks it to end (with a reason): district coordinators and state administrators
    /// any item of the review, local coordinators their schools' ones. When someone decided it first, nothing is stored
    /// and the outcome says who.
    /// </summary>
    public Task<ReviewDecisionOutcome> DecideAsync(Caller caller, int itemId, ReviewDecision decision, string? reason, CancellationToken ct = default) =>
        DecideAsync(caller, itemId, decision, reason, asSupervisor: false, ct);

    /// <summary>The school system's special education supervisor keeps or ends an IEP Forms item; the coordinators decide it as well.</summary>
    public Task<ReviewDecisionOutcome> DecideAsSupervisorAsync(Caller caller, int itemId, ReviewDecision decision, string? reason, CancellationToken ct = default) =>
        DecideAsync(caller, itemId, decision, reason, asSupervisor: true, ct);

    /// <summary>Each item decided on its own, reporting how many are done; the summary says which someone else decided first.</summary>
    public async Task<ReviewBulkSummary> BulkDecideAsync(
        Caller caller, IReadOnlyCollection<int> itemIds, ReviewDecision decision, string? reason, bool asSupervisor,
        IProgress<int>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(itemIds);
        NormalizeReason(decision, reason);
        var outcomes = new List<ReviewDecisionOutcome>(itemIds.Count);
        foreach (var id in itemIds)
        {
            try
            {
                outcomes.Add(await DecideAsync(caller, id, decision, reason, asSupervisor, ct));
            }
            catch (Exception ex) when (ex is ScopeDeniedException or AccessReviewRefusedException)
            {
                outcomes.Add(new ReviewDecisionOutcome(id, false, ex.Message));
            }
            progress?.Report(outcomes.Count);
        }
        return new ReviewBulkSummary(decision, outcomes);
    }

    private async Task<ReviewDecisionOutcome> DecideAsync(
        Caller caller, int itemId, ReviewDecision decision, string? reason, bool asSupervisor, CancellationToken ct)
    {
        reason = NormalizeReason(decision, reason);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        var item = await db.AccessReviewItems.AsNoTracking().Where(i => i.Id == itemId)
            .Select(i => new ItemFacts(i.Id, i.AccessReviewId, i.AccessGrant!.SchoolSystemId, i.AccessGrant.SchoolId,
                db.AccessReviews.Where(r => r.Id == i.AccessReviewId).Select(r => r.Status).Single(), i.NeedsSupervisor))
            .SingleOrDefaultAsync(ct);
        if (asSupervisor)
        {
            if (item is null || !scope.SupervisedSchoolSystemIds.Contains(item.SchoolSystemId))
            {
                throw scope.Refuse("That review item does not exist or is outside the school systems you supervise.");
            }
            if (!item.NeedsSupervisor)
            {
                throw new AccessReviewRefusedException("This role does not reach IEP Forms: the coordinators decide it alone.");
            }
        }
        else if (item is null || !scope.CanCoordinateSchool(item.SchoolSystemId, item.SchoolId))
        {
            throw scope.Refuse("That review item does not exist or is outside the schools you coordinate.");
        }
        if (item.Status == AccessReviewStatus.Completed)
        {
            throw new AccessReviewRefusedException("This review is already signed off: its decisions are final.");
        }

        var now = clock.GetUtcNow();
        var value = decision == ReviewDecision.Keep ? AccessReviewDecision.Keep : AccessReviewDecision.Revoke;
        await using var transaction = await db.BeginWriteAsync(ct);
        var open = db.AccessReviews.Where(r => r.Status != AccessReviewStatus.Completed).Select(r => r.Id);
        var target = db.AccessReviewItems.Where(i => i.Id == itemId && open.Contains(i.AccessReviewId));
        var updated = asSupervisor
            ? await target.Where(i => i.SupervisorDecision == AccessReviewDecision.Undecided).ExecuteUpdateAsync(s => s
                .SetProperty(i => i.SupervisorDecision, value)
                .SetProperty(i => i.SupervisorDecidedById, caller.StaffMemberId)
                .SetProperty(i => i.SupervisorDecidedAt, now)
                .SetProperty(i => i.SupervisorNote, reason), ct)
            : await target.Where(i => i.Decision == AccessReviewDecision.Undecided).ExecuteUpdateAsync(s => s
                .SetProperty(i => i.Decision, value)
                .SetProperty(i => i.DecidedById, caller.StaffMemberId)
                .SetProperty(i => i.DecidedAt, now)
                .SetProperty(i => i.Note, reason), ct);
        if (updated == 0)
        {
            await transaction.RollbackAsync(ct);
            return await AlreadyDecidedAsync(db, itemId, asSupervisor, ct);
        }
        await MarkAwaitingSignOffAsync(db, item.ReviewId, ct);
        await AuditLog.AppendAsync(db, caller, now, new AuditEntry(
            asSupervisor ? "AccessReview.ItemDecidedBySupervisor" : "AccessReview.ItemDecided", nameof(AccessReviewItem), Id(itemId),
            item.SchoolSystemId, null, new { reviewId = item.ReviewId, decision = decision.ToString(), reason }), ct);
        await transaction.CommitAsync(ct);
        changes.Publish(new AccessChange(AccessChangeKind.AccessReviewChanged, item.SchoolSystemId, item.SchoolId, null, caller.StaffMemberId, now));
        return new ReviewDecisionOutcome(itemId, true, decision == ReviewDecision.Keep ? "Kept." : "Marked to end when the review is signed off.");
    }

    private static async Task<ReviewDecisionOutcome> AlreadyDecidedAsync(EserSecurityDbContext db, int itemId, bool asSupervisor, CancellationToken ct)
    {
        var current = await db.AccessReviewItems.AsNoTracking().Where(i => i.Id == itemId)
            .Select(i => new
            {
                Decision = asSupervisor ? i.SupervisorDecision : i.Decision,
                At = asSupervisor ? i.SupervisorDecidedAt : i.DecidedAt,
                By = db.StaffMembers.Where(s => s.Id == (asSupervisor ? i.SupervisorDecidedById : i.DecidedById))
                    .Select(s => s.FirstName + " " + s.LastName).FirstOrDefault(),
            })
            .SingleAsync(ct);
        if (current.Decision == AccessReviewDecision.Undecided)
        {
            return new ReviewDecisionOutcome(itemId, false, "This review is already signed off: its decisions are final.");
        }
        var what = current.Decision == AccessReviewDecision.Keep ? "kept" : "marked to end";
        var who = current.By is null ? " by the due-date default" : $" by {current.By}";
        var when = current.At is { } at ? $" at {AccessRequestService.FormatTime(at)}" : "";
        return new ReviewDecisionOutcome(itemId, false, $"Already {what}{who}{when}.");
    }

    /// <summary>Moves an open review to awaiting sign-off once no item is left undecided.</summary>
    private static Task<int> MarkAwaitingSignOffAsync(EserSecurityDbContext db, int reviewId, CancellationToken ct) =>
        db.AccessReviews.Where(r => r.Id == reviewId && r.Status == AccessReviewStatus.Open
                && !r.Items.AsQueryable().Any(Undecided))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, AccessReviewStatus.AwaitingSignOff), ct);

    private static string? NormalizeReason(ReviewDecision decision, string? reason)
    {
        if (!Enum.IsDefined(decision))
        {
            throw new AccessReviewRefusedException("Choose Keep or End.");
        }
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (decision == ReviewDecision.End && reason is null)
        {
            throw new AccessReviewRefusedException("Say why the access ends: the person sees it under their access and it is kept in the record.");
        }
        if (reason?.Length > AccessReviewItem.NoteMaxLength)
        {
            throw new AccessReviewRefusedException($"Keep the reason to {AccessReviewItem.NoteMaxLength} characters.");
        }
        return TextRules.ProseProblem(reason, "the reason", AccessReviewItem.NoteMaxLength) is { } problem ? throw new AccessReviewRefusedException(problem) : reason;
    }

    /// <summary>
    /// The school system's special education supervisor signs the review off with their full name, confirming the
    /// number of grants reviewed; every grant marked to end (by a coordinator, the supervisor or the due-date default)
    /// ends at once through <see cref="GrantEnding.End"/>, in one transaction: all of them or, on any failure, none.
    /// </summary>
    public async Task<CompletedReview> SignOffAsync(Caller caller, int reviewId, string? typedName, int reviewedCount, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        var review = await db.AccessReviews.AsNoTracking().Where(r => r.Id == reviewId)
            .Select(r => new
            {
                r.SchoolSystemId,
                r.Status,
                Items = r.Items.Count,
                Undecided = r.Items.AsQueryable().Count(Undecided),
            })
            .SingleOrDefaultAsync(ct);
        if (review is null || !scope.SupervisedSchoolSystemIds.Contains(review.SchoolSystemId))
        {
            throw scope.Refuse("Only the school system's special education supervisor signs off its access review.");
        }
        if (review.Status == AccessReviewStatus.Completed)
        {
            throw new AccessReviewRefusedException("This review is already signed off.");
        }
        if (review.Undecided > 0)
        {
            throw new AccessReviewRefusedException($"{review.Undecided:N0} of {review.Items:N0} grants are still undecided: decide them before signing off.");
        }
        if (reviewedCount != review.Items)
        {
            throw new AccessReviewRefusedException($"This review has {review.Items:N0} grants, not {reviewedCount:N0}: reload the page and sign again.");
        }
        var fullName = await db.StaffMembers.Where(s => s.Id == caller.StaffMemberId).Select(s => s.FirstName + " " + s.LastName).SingleAsync(ct);
        if (!AssuranceRules.TypedNameMatches(typedName, fullName))
        {
            throw new AccessReviewRefusedException($"Type your full name as it appears in your staff record: {fullName}");
        }

        var now = clock.GetUtcNow();
        try
        {
            await using var transaction = await db.BeginWriteAsync(ct);
            var signed = await db.AccessReviews.Where(r => r.Id == reviewId && r.Status != AccessReviewStatus.Completed)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.Status, AccessReviewStatus.Completed)
                    .SetProperty(r => r.SignedOffAt, now)
                    .SetProperty(r => r.SignedOffById, caller.StaffMemberId)
                    .SetProperty(r => r.SignedOffTypedName, AssuranceRules.NormalizeName(typedName))
                    .SetProperty(r => r.CompletedAt, now), ct);
            if (signed == 0)
            {
                await transaction.RollbackAsync(ct);
                throw new AccessReviewRefusedException("This review is already signed off.");
            }

            var toEnd = await db.AccessReviewItems.Where(i => i.AccessReviewId == reviewId
                    && (i.Decision == AccessReviewDecision.Revoke || i.SupervisorDecision == AccessReviewDecision.Revoke))
                .Select(i => new { i.AccessGrant, i.Note, i.SupervisorNote })
                .ToListAsync(ct);
            var ended = new List<EndedGrant>();
            foreach (var item in toEnd.Where(i => i.AccessGrant!.IsActive))
            {
                var note = string.Join(" ", new[] { item.Note, item.SupervisorNote }.Where(n => n is not null).Distinct());
                ended.Add(item.AccessGrant!.End(now, caller.StaffMemberId, GrantEndReason.RevokedInReview,
                    note.Length > AccessGrant.EndNoteMaxLength ? note[..AccessGrant.EndNoteMaxLength] : note));
            }
            await db.SaveChangesAsync(ct);
            await Employment.ChangeOfDutiesRules.CloseForEndedGrantsAsync(db,
                toEnd.Where(i => !i.AccessGrant!.IsActive).Select(i => i.AccessGrant!.Id).ToList(), now, caller.StaffMemberId, ct);
            await AuditLog.AppendAsync(db, caller, now,
                ended.Select(e => e.Audit).Append(new AuditEntry("AccessReview.SignedOff", nameof(AccessReview), Id(reviewId), review.SchoolSystemId,
                    new { status = review.Status.ToString() },
                    new { status = nameof(AccessReviewStatus.Completed), reviewed = review.Items, ended = ended.Count, typedName = AssuranceRules.NormalizeName(typedName) })),
                ct);
            await transaction.CommitAsync(ct);

            foreach (var end in ended)
            {
                changes.Publish(end.Change);
            }
            changes.Publish(new AccessChange(AccessChangeKind.AccessReviewChanged, review.SchoolSystemId, null, null, caller.StaffMemberId, now));
            return new CompletedReview(reviewId, review.Items, ended.Count, toEnd.Count - ended.Count);
        }
        catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException or GrantRefusedException)
        {
            throw new AccessReviewRefusedException(
                $"The review could not be completed, so nothing changed: no grant ended and it is still open for sign-off. ({ex.GetBaseException().Message})");
        }
    }

    /// <summary>
    /// Applies <see cref="AccessReviewOptions.DefaultAtDueDate"/> to the items still undecided in every review whose due
    /// date has passed, once per review, as the system, audited. Called periodically by
    /// <see cref="AccessReviewDeadlines"/> and before reads of reviews.
    /// </summary>
    public async Task<IReadOnlyList<DueDateDefaultApplied>> ApplyDueDefaultsAsync(CancellationToken ct = default)
    {
        await _defaultsGate.WaitAsync(ct);
        try
        {
            var today = clock.Today();
            var setting = Default;
            var applied = new List<DueDateDefaultApplied>();
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var due = await DueReviews(db, today).Select(r => new { r.Id, r.SchoolSystemId }).ToListAsync(ct);
            foreach (var review in due)
            {
                var now = clock.GetUtcNow();
                await using var transaction = await db.BeginWriteAsync(ct);
                var claimed = await db.AccessReviews.Where(r => r.Id == review.Id && r.DefaultsAppliedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.DefaultsAppliedAt, now), ct);
                if (claimed == 0)
                {
                    await transaction.RollbackAsync(ct);
                    continue;
                }
                var items = db.AccessReviewItems.Where(i => i.AccessReviewId == review.Id);
                var count = await items.Where(Undecided).ExecuteUpdateAsync(s => s.SetProperty(i => i.DefaultedAt, now), ct);
                if (setting != DueDateDefault.Flag)
                {
                    var value = setting == DueDateDefault.End ? AccessReviewDecision.Revoke : AccessReviewDecision.Keep;
                    var note = setting == DueDateDefault.End ? "Not decided by the due date; the configured default ends it." : null;
                    await items.Where(i => i.Decision == AccessReviewDecision.Undecided).ExecuteUpdateAsync(s => s
                        .SetProperty(i => i.Decision, value).SetProperty(i => i.DecidedAt, now).SetProperty(i => i.Note, note), ct);
                    await items.Where(i => i.NeedsSupervisor && i.SupervisorDecision == AccessReviewDecision.Undecided).ExecuteUpdateAsync(s => s
                        .SetProperty(i => i.SupervisorDecision, value).SetProperty(i => i.SupervisorDecidedAt, now).SetProperty(i => i.SupervisorNote, note), ct);
                    await MarkAwaitingSignOffAsync(db, review.Id, ct);
                }
                await AuditLog.AppendAsSystemAsync(db, AuditLog.SystemActorName, now, new AuditEntry("AccessReview.DueDateDefaultApplied",
                    nameof(AccessReview), Id(review.Id), review.SchoolSystemId, null, new { @default = setting.ToString(), items = count }), ct);
                var notified = await ReviewNotices.OverdueAsync(db, review.Id, count, today, now, ct);
                await transaction.CommitAsync(ct);
                changes.Publish(new AccessChange(AccessChangeKind.AccessReviewChanged, review.SchoolSystemId, null, null, null, now));
                NotificationOutbox.Publish(db, changes, notified, null, now);
                applied.Add(new DueDateDefaultApplied(review.Id, review.SchoolSystemId, setting, count));
            }
            return applied;
        }
        finally
        {
            _defaultsGate.Release();
        }
    }

    private async Task ApplyDueDefaultsIfNeededAsync(CancellationToken ct)
    {
        bool any;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            any = await DueReviews(db, clock.Today()).AnyAsync(ct);
        }
        if (any)
        {
            await ApplyDueDefaultsAsync(ct);
        }
    }

    /// <summary>
    /// Tells the reviewers of each open review due within <see cref="ReviewNotices.DueSoonDays"/> days, once per review;
    /// returns how many people were told.
    /// </summary>
    public async Task<int> RemindDueSoonAsync(CancellationToken ct = default)
    {
        var today = clock.Today();
        var soon = today.AddDays(ReviewNotices.DueSoonDays);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var due = await db.AccessReviews.Where(r => r.Status == AccessReviewStatus.Open && r.DueOn >= today && r.DueOn <= soon).Select(r => r.Id).ToListAsync(ct);
        if (due.Count == 0)
        {
            return 0;
        }
        var now = clock.GetUtcNow();
        await using var transaction = await db.BeginWriteAsync(ct);
        var notified = await ReviewNotices.DueSoonAsync(db, due, today, now, ct);
        await transaction.CommitAsync(ct);
        NotificationOutbox.Publish(db, changes, notified, null, now);
        return notified.Count;
    }

    /// <summary>Reviews past their due date (the due day itself still counts as in time) with the default not yet applied.</summary>
    private static IQueryable<AccessReview> DueReviews(EserSecurityDbContext db, DateOnly today) =>
        db.AccessReviews.Where(r => r.Status != AccessReviewStatus.Completed && r.DefaultsAppliedAt == null && r.DueOn < today);
}

using System.Globalization;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using EserSecurity.Core.Directories;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Employment;

/// <summary>What ending a person's employment did, or, for a day still to come, that it is scheduled.</summary>
public sealed record EmploymentEndedOutcome(
    int GrantsEnded, int RequestsCancelled, int AssignmentsEnded, IReadOnlyList<string> SchoolSystemsLeftWithoutDistrictCoordinator,
    DateOnly? ScheduledFor = null)
{
    /// <summary>A sentence for the person who ended it.</summary>
    public string Message => ScheduledFor is { } day
        ? $"Employment ends on {EmploymentLifecycle.Day(day)}. Until then the person keeps their access; on that day every grant ends, "
          + "pending requests are cancelled and assignments end."
        : $"Employment ended: {GrantsEnded} grant(s) ended, {RequestsCancelled} request(s) cancelled, {AssignmentsEnded} assignment(s) ended."
          + (SchoolSystemsLeftWithoutDistrictCoordinator.Count == 0
              ? ""
              : $" {string.Join(", ", SchoolSystemsLeftWithoutDistrictCoordinator)} now has no district security coordinator; the state administrators see it flagged.");
}

/// <summary>An end of employment scheduled by the staff directory or a coordinator that the console applied on its day.</summary>
public sealed record ScheduledEndApplied(int StaffMemberId, DateOnly EndedOn, EmploymentEndedOutcome Outcome);

/// <summary>An employment cannot be ended as asked; the message says why and is safe to show.</summary>
public sealed class EmploymentRefusedException(string message) : Exception(message);

/// <summary>
/// A manual "end employment" between directory imports: state administrators for anyone, district coordinators for the
/// people of their school systems, local coordinators for people whose every school they cover. An end today or earlier
/// applies the leaver rules of <see cref="EmploymentLifecycle"/> in the same transaction, as the staff directory import
/// does; an end on a later day is scheduled, and <see cref="ApplyDueEndsAsync"/> applies it when the day comes.
/// </summary>
public sealed class EmploymentService(
    IDbContextFactory<EserSecurityDbContext> dbFactory, ScopeService scopes, IAccessChangeFeed changes, TimeProvider clock,
    IOptions<ChangeOfDutiesOptions> options)
{
    /// <summary>How far ahead an end of employment can be scheduled, in days.</summary>
    public const int MaxDaysAhead = 366;

    /// <summary>Whether the reader of <paramref name="scope"/> may end the employment of a person of that school system and those schools.</summary>
    public static bool CanEndEmployment(AccessScope scope, int? schoolSystemId, IReadOnlyCollection<int> schoolIds) =>
        scope.StaffMemberId != 0
        && (scope.IsStateAdministrator
            || (schoolSystemId is int lea && scope.DistrictSchoolSystemIds.Contains(lea))
            || (schoolIds.Count > 0 && schoolIds.All(scope.LocalSchoolIds.Contains)));

    /// <summary>
    /// Ends the person's employment as of <paramref name="effectiveOn"/>. Today or earlier: their record says Ended, a
    /// directory change records it, every grant ends, pending requests are cancelled and assignments end, and their open
    /// pages lose the console at once. A later day (at most <see cref="MaxDaysAhead"/> ahead): the end is scheduled, or
    /// moved to that day, and the person keeps their status and access until then.
    /// </summary>
    /// <exception cref="ScopeDeniedException">The person does not exist or is outside the caller's scope.</exception>
    /// <exception cref="EmploymentRefusedException">Already ended (the message says when), the caller's own record, or a day too far ahead.</exception>
    public async Task<EmploymentEndedOutcome> EndEmploymentAsync(
        Caller caller, int staffMemberId, DateOnly effectiveOn, string? note = null, CancellationToken ct = default)
    {
        var today = clock.Today();
        if (effectiveOn > today.AddDays(MaxDaysAhead))
        {
            throw new EmploymentRefusedException(
                $"An end of employment can be scheduled at most a year ahead, up to {EmploymentLifecycle.Day(today.AddDays(MaxDaysAhead))}.");
        }
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (note?.Length > StaffDirectoryChange.ValueMaxLength)
        {
            throw new EmploymentRefusedException($"Keep the note to {StaffDirectoryChange.ValueMaxLength} characters.");
        }
        if (TextRules.ProseProblem(note, "the note", StaffDirectoryChange.ValueMaxLength) is { } problem)
        {
            throw new EmploymentRefusedException(problem);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.BeginWriteAsync(ct);
        var person = await FindInScopeAsync(db, caller, staffMemberId, ct);
        if (person.EmploymentStatus == EmploymentStatus.Ended)
        {
            throw new EmploymentRefusedException(
                $"{person.FullName}'s employment already ended{(person.EmploymentEndedOn is { } on ? $" on {EmploymentLifecycle.Day(on)}" : "")}.");
        }
        if (effectiveOn <= today)
        {
            var ended = await EndAsync(db, person, effectiveOn, caller, note, ct);
            await transaction.CommitAsync(ct);
            Announce(ended.Changes);
            return ended.Outcome;
        }

        var now = clock.GetUtcNow();
        var before = StaffMember.EndIsScheduled(person.EmploymentStatus, person.EmploymentEndedOn) ? person.EmploymentEndedOn : null;
        person.EmploymentEndedOn = effectiveOn;
        db.StaffDirectoryChanges.Add(HistoryRow(person, StaffDirectoryChangeKind.EmploymentEndScheduled, IsoDate(before), IsoDate(effectiveOn), effectiveOn, now));
        await db.SaveChangesAsync(ct);
        await AuditLog.AppendAsync(db, caller, now, new AuditEntry("StaffMember.EmploymentEndScheduled", nameof(StaffMember), Id(person.Id),
            person.SchoolSystemId, before is null ? null : new { endsOn = before }, new { endsOn = effectiveOn, note }), ct);
        await transaction.CommitAsync(ct);
        changes.Publish(new AccessChange(AccessChangeKind.EmploymentChanged, person.SchoolSystemId, null, null, caller.StaffMemberId, now, person.Id));
        return new EmploymentEndedOutcome(0, 0, 0, [], effectiveOn);
    }

    /// <summary>Calls off an end of employment still to come, whoever scheduled it; the person stays employed.</summary>
    /// <exception cref="ScopeDeniedException">The person does not exist or is outside the caller's scope.</exception>
    /// <exception cref="EmploymentRefusedException">No end is scheduled, or it is the caller's own record.</exception>
    public async Task<string> CancelScheduledEndAsync(Caller caller, int staffMemberId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.BeginWriteAsync(ct);
        var person = await FindInScopeAsync(db, caller, staffMemberId, ct);
        if (!StaffMember.EndIsScheduled(person.EmploymentStatus, person.EmploymentEndedOn))
        {
            throw new EmploymentRefusedException(person.EmploymentStatus == EmploymentStatus.Ended
                ? $"{person.FullName}'s employment has already ended; a return is recorded by the staff directory."
                : $"No end of employment is scheduled for {person.FullName}.");
        }
        var now = clock.GetUtcNow();
        var scheduled = person.EmploymentEndedOn!.Value;
        person.EmploymentEndedOn = null;
        db.StaffDirectoryChanges.Add(HistoryRow(person, StaffDirectoryChangeKind.EmploymentEndCancelled, IsoDate(scheduled), null, clock.Today(), now));
        await db.SaveChangesAsync(ct);
        await AuditLog.AppendAsync(db, caller, now, new AuditEntry("StaffMember.EmploymentEndCancelled", nameof(StaffMember), Id(person.Id),
            person.SchoolSystemId, new { endsOn = scheduled }, new { endsOn = (DateOnly?)null }), ct);
        await transaction.CommitAsync(ct);
        changes.Publish(new AccessChange(AccessChangeKind.EmploymentChanged, person.SchoolSystemId, null, null, caller.StaffMemberId, now, person.Id));
        return $"The end of {person.FullName}'s employment scheduled for {EmploymentLifecycle.Day(scheduled)} is called off.";
    }

    /// <summary>
    /// Applies every scheduled end whose day has come, each in its own transaction and audited as
    /// <see cref="AuditLog.ScheduledEmploymentEndActorName"/>: the leaver rules as for an end recorded on the day.
    /// </summary>
    public async Task<IReadOnlyList<ScheduledEndApplied>> ApplyDueEndsAsync(CancellationToken ct = default)
    {
        var today = clock.Today();
        List<int> due;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            due = await DueEnds(db, today).Select(s => s.Id).ToListAsync(ct);
        }
        var applied = new List<ScheduledEndApplied>();
        foreach (var id in due)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var transaction = await db.BeginWriteAsync(ct);
            // Checked again under the write lock: an import or a coordinator may have changed the record meanwhile.
            if (await DueEnds(db, today).Include(s => s.Schools).SingleOrDefaultAsync(s => s.Id == id, ct) is not { } person)
            {
                continue;
            }
            var endedOn = person.EmploymentEndedOn!.Value;
            var ended = await EndAsync(db, person, endedOn, null, null, ct);
            await transaction.CommitAsync(ct);
            Announce(ended.Changes);
            applied.Add(new ScheduledEndApplied(id, endedOn, ended.Outcome));
        }
        return applied;
    }

    private static IQueryable<StaffMember> DueEnds(EserSecurityDbContext db, DateOnly today) =>
        db.StaffMembers.Where(s => s.EmploymentStatus != EmploymentStatus.Ended && s.EmploymentEndedOn != null && s.EmploymentEndedOn <= today);

    private async Task<StaffMember> FindInScopeAsync(EserSecurityDbContext db, Caller caller, int staffMemberId, CancellationToken ct)
    {
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        var person = await db.StaffMembers.Include(s => s.Schools).SingleOrDefaultAsync(s => s.Id == staffMemberId, ct);
        if (person is null || !CanEndEmployment(scope, person.SchoolSystemId, person.Schools.Select(s => s.SchoolId).ToList()))
        {
            throw scope.Refuse("That staff record does not exist or is outside the people whose employment you may end.");
        }
        if (person.Id == caller.StaffMemberId)
        {
            throw new EmploymentRefusedException("You cannot end your own employment: another coordinator or a state administrator must.");
        }
        return person;
    }

    /// <summary>
    /// Ends the employment inside the caller's write transaction: the record, its history row, the leaver rules and the
    /// audit trail (by <paramref name="caller"/>, or by the console itself for a scheduled end). The changes are published
    /// by the caller after the commit.
    /// </summary>
    private async Task<(EmploymentEndedOutcome Outcome, IReadOnlyList<AccessChange> Changes)> EndAsync(
        EserSecurityDbContext db, StaffMember person, DateOnly effectiveOn, Caller? caller, string? note, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var before = person.EmploymentStatus;
        person.EmploymentStatus = EmploymentStatus.Ended;
        person.EmploymentEndedOn = effectiveOn;
        db.StaffDirectoryChanges.Add(HistoryRow(person, StaffDirectoryChangeKind.EmploymentStatusChanged, before.ToString(), nameof(EmploymentStatus.Ended), effectiveOn, now));
        await db.SaveChangesAsync(ct);
        var outcome = await EmploymentLifecycle.ApplyAsync(db,
            [new EmploymentEvent(person.Id, EmploymentEventKind.Ended, person.SchoolSystemId, [], effectiveOn)],
            caller?.StaffMemberId, now, clock.Today(), options.Value.DecideWithinDays, ct);
        AuditEntry[] audit =
        [
            new AuditEntry("StaffMember.EmploymentEnded", nameof(StaffMember), Id(person.Id), person.SchoolSystemId,
                new { status = before.ToString() }, new { status = nameof(EmploymentStatus.Ended), endedOn = effectiveOn, note }),
            .. outcome.Audit,
        ];
        await (caller is null
            ? AuditLog.AppendAsSystemAsync(db, AuditLog.ScheduledEmploymentEndActorName, now, audit, ct)
            : AuditLog.AppendAsync(db, caller, now, audit, ct));
        var gapNames = await db.SchoolSystems.Where(s => outcome.SchoolSystemsLeftWithoutDistrictCoordinator.Contains(s.Id))
            .Select(s => s.Code + " " + s.Name).ToListAsync(ct);
        return (new EmploymentEndedOutcome(outcome.GrantsEnded, outcome.RequestsCancelled, outcome.AssignmentsEnded, gapNames), outcome.Changes);
    }

    /// <summary>Employment decides scope: kept scopes are dropped before anyone hears of the change.</summary>
    private void Announce(IReadOnlyList<AccessChange> lifecycleChanges)
    {
        scopes.Forget();
        foreach (var change in lifecycleChanges)
        {
            changes.Publish(change);
        }
    }

    private static StaffDirectoryChange HistoryRow(
        StaffMember person, StaffDirectoryChangeKind kind, string? oldValue, string? newValue, DateOnly effectiveOn, DateTimeOffset now) => new()
    {
        StaffMemberId = person.Id, Kind = kind, OldValue = oldValue, NewValue = newValue, FromSchoolSystemId = person.SchoolSystemId,
        ToSchoolSystemId = person.SchoolSystemId, EffectiveOn = effectiveOn, RecordedAt = now,
    };

    private static string? IsoDate(DateOnly? day) => day is { } d ? Documents.DocumentDates.Iso(d) : null;

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}

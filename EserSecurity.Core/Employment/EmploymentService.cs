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

/// <summary>What ending a person's employment did.</summary>
public sealed record EmploymentEndedOutcome(
    int GrantsEnded, int RequestsCancelled, int AssignmentsEnded, IReadOnlyList<string> SchoolSystemsLeftWithoutDistrictCoordinator)
{
    /// <summary>A sentence for the person who ended it.</summary>
    public string Message =>
        $"Employment ended: {GrantsEnded} grant(s) ended, {RequestsCancelled} request(s) cancelled, {AssignmentsEnded} assignment(s) ended."
        + (SchoolSystemsLeftWithoutDistrictCoordinator.Count == 0
            ? ""
            : $" {string.Join(", ", SchoolSystemsLeftWithoutDistrictCoordinator)} now has no district security coordinator; the state administrators see it flagged.");
}

/// <summary>An employment cannot be ended as asked; the message says why and is safe to show.</summary>
public sealed class EmploymentRefusedException(string message) : Exception(message);

/// <summary>
/// A manual "end employment" between directory imports: state administrators for anyone, district coordinators for the
/// people of their school systems, local coordinators for people whose every school they cover. The leaver rules of
/// <see cref="EmploymentLifecycle"/> apply in the same transaction, as they do for the staff directory import.
/// </summary>
public sealed class EmploymentService(
    IDbContextFactory<EserSecurityDbContext> dbFactory, ScopeService scopes, IAccessChangeFeed changes, TimeProvider clock,
    IOptions<ChangeOfDutiesOptions> options)
{
    /// <summary>Whether the reader of <paramref name="scope"/> may end the employment of a person of that school system and those schools.</summary>
    public static bool CanEndEmployment(AccessScope scope, int? schoolSystemId, IReadOnlyCollection<int> schoolIds) =>
        scope.StaffMemberId != 0
        && (scope.IsStateAdministrator
            || (schoolSystemId is int lea && scope.DistrictSchoolSystemIds.Contains(lea))
            || (schoolIds.Count > 0 && schoolIds.All(scope.LocalSchoolIds.Contains)));

    /// <summary>
    /// Ends the person's employment as of <paramref name="effectiveOn"/> (today or earlier): their record says Ended, a
    /// directory change records it, every grant ends, pending requests are cancelled and assignments end. Their open
    /// pages lose the console at once.
    /// </summary>
    /// <exception cref="ScopeDeniedException">The person does not exist or is outside the caller's scope.</exception>
    /// <exception cref="EmploymentRefusedException">Already ended (the message says when), the caller's own record, or a date in the future.</exception>
    public async Task<EmploymentEndedOutcome> EndEmploymentAsync(
        Caller caller, int staffMemberId, DateOnly effectiveOn, string? note = null, CancellationToken ct = default)
    {
        var today = clock.Today();
        if (effectiveOn > today)
        {
            throw new EmploymentRefusedException("The day employment ended cannot be in the future: end it on that day or later.");
        }
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (note?.Length > StaffDirectoryChange.ValueMaxLength)
        {
            throw new EmploymentRefusedException($"Keep the note to {StaffDirectoryChange.ValueMaxLength} characters.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.BeginWriteAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        var person = await db.StaffMembers.Include(s => s.Schools).SingleOrDefaultAsync(s => s.Id == staffMemberId, ct);
        if (person is null || !CanEndEmployment(scope, person.SchoolSystemId, person.Schools.Select(s => s.SchoolId).ToList()))
        {
            throw new ScopeDeniedException("That staff record does not exist or is outside the people whose employment you may end.");
        }
        if (person.Id == caller.StaffMemberId)
        {
            throw new EmploymentRefusedException("You cannot end your own employment: another coordinator or a state administrator must.");
        }
        if (person.EmploymentStatus == EmploymentStatus.Ended)
        {
            throw new EmploymentRefusedException(
                $"{person.FullName}'s employment already ended{(person.EmploymentEndedOn is { } on ? $" on {EmploymentLifecycle.Day(on)}" : "")}.");
        }

        var now = clock.GetUtcNow();
        var before = person.EmploymentStatus;
        person.EmploymentStatus = EmploymentStatus.Ended;
        person.EmploymentEndedOn = effectiveOn;
        db.StaffDirectoryChanges.Add(new StaffDirectoryChange
        {
            StaffMemberId = person.Id, Kind = StaffDirectoryChangeKind.EmploymentStatusChanged, OldValue = before.ToString(),
            NewValue = nameof(EmploymentStatus.Ended), FromSchoolSystemId = person.SchoolSystemId, ToSchoolSystemId = person.SchoolSystemId,
            EffectiveOn = effectiveOn, RecordedAt = now,
        });
        await db.SaveChangesAsync(ct);
        var outcome = await EmploymentLifecycle.ApplyAsync(db,
            [new EmploymentEvent(person.Id, EmploymentEventKind.Ended, person.SchoolSystemId, [], effectiveOn)],
            caller.StaffMemberId, now, today, options.Value.DecideWithinDays, ct);
        await AuditLog.AppendAsync(db, caller, now,
            [
                new AuditEntry("StaffMember.EmploymentEnded", nameof(StaffMember), person.Id.ToString(CultureInfo.InvariantCulture), person.SchoolSystemId,
                    new { status = before.ToString() }, new { status = nameof(EmploymentStatus.Ended), endedOn = effectiveOn, note }),
                .. outcome.Audit,
            ], ct);
        var gapNames = await db.SchoolSystems.Where(s => outcome.SchoolSystemsLeftWithoutDistrictCoordinator.Contains(s.Id))
            .Select(s => s.Code + " " + s.Name).ToListAsync(ct);
        await transaction.CommitAsync(ct);

        // Employment decides scope: kept scopes are dropped before anyone hears of the change.
        scopes.Forget();
        foreach (var change in outcome.Changes)
        {
            changes.Publish(change);
        }
        return new EmploymentEndedOutcome(outcome.GrantsEnded, outcome.RequestsCancelled, outcome.AssignmentsEnded, gapNames);
    }
}

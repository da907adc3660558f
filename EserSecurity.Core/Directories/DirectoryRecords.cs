using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using EserSecurity.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.Directories;

/// <summary>Reads a person's directory record and the directory changes recorded for them.</summary>
public sealed class DirectoryRecords(IDbContextFactory<EserSecurityDbContext> dbFactory, ScopeService scopes)
{
    /// <summary>
    /// The person's record and changes, newest first: for the person themself, state administrators, and whoever's scope
    /// covers the person (<see cref="AccessScope.CoversPerson"/>).
    /// </summary>
    /// <exception cref="ScopeDeniedException">The record does not exist or is outside the caller's scope (one answer for both).</exception>
    public async Task<PersonDirectoryRecord> GetPersonAsync(Caller caller, int staffMemberId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        var person = await db.StaffMembers.AsNoTracking()
            .Where(s => s.Id == staffMemberId)
            .Select(s => new
            {
                s.Id, s.StaffId, s.FirstName, s.LastName, s.Email, s.Position, s.Username, s.EmploymentStatus, s.EmploymentEndedOn,
                s.SchoolSystemId,
                SchoolSystemCode = s.SchoolSystem != null ? s.SchoolSystem.Code : null,
                SchoolSystemName = s.SchoolSystem != null ? s.SchoolSystem.Name : null,
                Schools = s.Schools.OrderBy(x => x.School!.SiteCode)
                    .Select(x => new PersonSchool(x.SchoolId, x.School!.SiteCode, x.School.Name, x.School.ClosedOn)).ToList(),
            })
            .SingleOrDefaultAsync(ct);
        var visible = person is not null
            && (person.Id == caller.StaffMemberId || scope.CoversPerson(person.SchoolSystemId, person.Schools.Select(s => s.SchoolId)));
        if (!visible)
        {
            // The same answer for "missing" and "not yours", so ids cannot be probed.
            throw scope.Refuse("That staff record does not exist or is outside your scope.");
        }

        var changes = await db.StaffDirectoryChanges.AsNoTracking()
            .Where(c => c.StaffMemberId == staffMemberId)
            .OrderByDescending(c => c.EffectiveOn).ThenByDescending(c => c.Id)
            .Select(c => new StaffDirectoryChangeRow(c.Id, c.Kind, c.OldValue, c.NewValue, c.EffectiveOn, c.RecordedAt, c.DirectoryImportId,
                db.DirectoryImports.Where(i => i.Id == c.DirectoryImportId)
                    .Select(i => db.StaffMembers.Where(s => s.Id == i.ImportedByStaffMemberId).Select(s => s.FirstName + " " + s.LastName)
                        .FirstOrDefault() ?? AuditLog.FirstDirectoryImportActorName)
                    .FirstOrDefault()))
            .ToListAsync(ct);
        return new PersonDirectoryRecord(person!.Id, person.StaffId, person.FirstName, person.LastName, person.Email, person.Position,
            person.Username, person.EmploymentStatus, person.EmploymentEndedOn, person.SchoolSystemId, person.SchoolSystemCode,
            person.SchoolSystemName, person.Schools, changes);
    }

    /// <summary>
    /// The person a command-line import acts as, by Staff ID: the operator who runs it on the server names them, and the
    /// import services then check that person's scope as they do for anyone. Null when no staff record has the Staff ID.
    /// </summary>
    public async Task<Caller?> FindActingPersonAsync(string staffId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var id = staffId.Trim();
        return await db.StaffMembers.AsNoTracking().Where(s => s.StaffId == id)
            .Select(s => new Caller(s.Id, s.FirstName + " " + s.LastName)).SingleOrDefaultAsync(ct);
    }

    /// <summary>
    /// Whether a change concerns the record of <paramref name="staffMemberId"/>: a directory or employment change of that
    /// person, or a school directory change.
    /// </summary>
    public static bool ConcernsPerson(AccessChange change, int staffMemberId) =>
        (change.Kind is AccessChangeKind.StaffDirectoryChanged or AccessChangeKind.EmploymentChanged && change.SubjectStaffMemberId == staffMemberId)
        || change.Kind == AccessChangeKind.SchoolDirectoryChanged;
}

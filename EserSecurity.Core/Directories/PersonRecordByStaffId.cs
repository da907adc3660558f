using EserSecurity.Core.Data;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.Directories;

/// <summary>
/// A person's directory record found by the eScholar Staff ID, the key people quote. Scope is checked by
/// <see cref="DirectoryRecords.GetPersonAsync"/>, so the answer is the same as for the person's own page.
/// </summary>
public sealed class PersonRecordByStaffId(IDbContextFactory<EserSecurityDbContext> dbFactory, DirectoryRecords records, ScopeService scopes)
{
    /// <exception cref="ScopeDeniedException">
    /// No person has that Staff ID, or the person is outside the caller's scope (one answer for both, so Staff IDs cannot be probed).
    /// </exception>
    public async Task<PersonDirectoryRecord> GetPersonAsync(Caller caller, string staffId, CancellationToken ct = default)
    {
        var id = staffId.Trim();
        int? staffMemberId = null;
        if (StaffMember.IsStaffId(id))
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            staffMemberId = await db.StaffMembers.AsNoTracking().Where(s => s.StaffId == id).Select(s => (int?)s.Id).SingleOrDefaultAsync(ct);
        }
        return staffMemberId is int found
            ? await records.GetPersonAsync(caller, found, ct)
            : throw scopes.Refuse(caller.StaffMemberId, "That staff record does not exist or is outside your scope.");
    }
}

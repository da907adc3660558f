using System.Text;
using EserSecurity.Core.Data;
using EserSecurity.Core.Imports;
using EserSecurity.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.Tas;

/// <summary>
/// Everything a TAS report is checked against, read once into dictionaries so that checking 100,000 rows costs a few
/// queries and no query per row: school systems, schools, the staff directory, TAS roles and the legacy access already
/// recorded in the school systems the importer may import for.
/// </summary>
internal sealed class TasImportLookups
{
    public required IReadOnlyDictionary<string, SchoolSystemEntry> SchoolSystemsByCode { get; init; }
    public required IReadOnlyDictionary<string, SchoolEntry> SchoolsBySiteCode { get; init; }
    public required IReadOnlyDictionary<string, StaffEntry> StaffByStaffId { get; init; }
    public required IReadOnlyDictionary<string, TasRoleEntry> TasRolesByKey { get; init; }
    public required IReadOnlyDictionary<LegacyKey, RecordedAccess> Recorded { get; init; }

    /// <summary>The importer's scope: which school systems their file imports for, and whose Staff IDs it resolves.</summary>
    public required AccessScope Scope { get; init; }

    public bool MayImport(int schoolSystemId) => Scope.CanAdministerSchoolSystem(schoolSystemId);

    /// <summary>Whether the file may name this person: one of the importer's school systems' (<see cref="ImportReach"/>).</summary>
    public bool Reaches(StaffEntry person) => ImportReach.Reaches(Scope, person.SchoolSystemId);

    /// <summary>Whether the import adds TAS roles the catalog lacks: the catalog is statewide, so only a state administrator's does.</summary>
    public bool MayAddTasRoles => Scope.IsStateAdministrator;

    public static async Task<TasImportLookups> LoadAsync(EserSecurityDbContext db, AccessScope scope, CancellationToken ct)
    {
        var importable = scope.IsStateAdministrator ? null : scope.DistrictSchoolSystemIds.ToHashSet();
        var importableIds = importable?.ToArray() ?? [];

        var schoolSystems = await db.SchoolSystems.AsNoTracking().Select(s => new SchoolSystemEntry(s.Id, s.Code, s.Name)).ToListAsync(ct);
        var schools = await db.Schools.AsNoTracking().Select(s => new SchoolEntry(s.Id, s.SiteCode, s.SchoolSystemId)).ToListAsync(ct);
        var staff = await db.StaffMembers.AsNoTracking().Select(s => new StaffEntry(s.Id, s.StaffId, s.FirstName, s.LastName, s.SchoolSystemId)).ToListAsync(ct);
        var tasRoles = await db.TasRoles.AsNoTracking().Select(t => new TasRoleEntry(t.Id, t.Name, t.EserRoleId != null)).ToListAsync(ct);
        var recordedQuery = db.LegacySerAccess.AsNoTracking();
        if (importable is not null)
        {
            recordedQuery = recordedQuery.Where(l => importableIds.Contains(l.SchoolSystemId));
        }
        var recorded = await recordedQuery
            .Select(l => new { l.Id, l.StaffMemberId, l.SchoolSystemId, l.SchoolId, l.TasRoleId, l.TasStatus })
            .ToListAsync(ct);

        var recordedByKey = new Dictionary<LegacyKey, RecordedAccess>(recorded.Count);
        foreach (var r in recorded)
        {
            // SQLite's unique index lets rows without a school repeat; the first one stands for them all.
            recordedByKey.TryAdd(new LegacyKey(r.StaffMemberId, r.SchoolSystemId, r.SchoolId ?? 0, r.TasRoleId), new RecordedAccess(r.Id, r.TasStatus));
        }
        var rolesByKey = new Dictionary<string, TasRoleEntry>(StringComparer.OrdinalIgnoreCase);
        foreach (var role in tasRoles)
        {
            rolesByKey.TryAdd(TasRoleKey(role.Name), role);
        }
        return new TasImportLookups
        {
            SchoolSystemsByCode = schoolSystems.ToDictionary(s => s.Code, StringComparer.Ordinal),
            SchoolsBySiteCode = schools.ToDictionary(s => s.SiteCode, StringComparer.Ordinal),
            StaffByStaffId = staff.ToDictionary(s => s.StaffId, StringComparer.Ordinal),
            TasRolesByKey = rolesByKey,
            Recorded = recordedByKey,
            Scope = scope,
        };
    }

    /// <summary>A TAS role name as it is matched: spaces collapsed (and, by the dictionaries, case ignored).</summary>
    public static string TasRoleKey(string name)
    {
        var key = new StringBuilder(name.Length);
        foreach (var part in name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (key.Length > 0)
            {
                key.Append(' ');
            }
            key.Append(part);
        }
        return key.ToString();
    }
}

internal sealed record SchoolSystemEntry(int Id, string Code, string Name);

internal sealed record SchoolEntry(int Id, string SiteCode, int SchoolSystemId);

internal sealed record StaffEntry(int Id, string StaffId, string FirstName, string LastName, int? SchoolSystemId);

internal sealed record TasRoleEntry(int Id, string Name, bool IsMapped);

/// <summary>A legacy access row's identity: person, school system, school (0 for none) and TAS role.</summary>
internal readonly record struct LegacyKey(int StaffMemberId, int SchoolSystemId, int SchoolId, int TasRoleId);

internal readonly record struct RecordedAccess(int Id, string Status);

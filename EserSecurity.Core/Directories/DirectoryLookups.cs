using EserSecurity.Core.Data;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.Directories;

internal sealed record KnownSchoolSystem(int Id, string Code, string Name);

internal sealed record KnownSchool(int Id, int SchoolSystemId, string SiteCode, string Name, DateOnly? ClosedOn);

/// <summary>A staff record as the checker compares it with a row; <see cref="SchoolIds"/> is sorted.</summary>
internal sealed record KnownPerson(
    int Id, string StaffId, string FirstName, string LastName, string Email, string Position, string? Username, int? SchoolSystemId,
    EmploymentStatus Status, DateOnly? EndedOn, int[] SchoolIds);

/// <summary>The school systems, schools and staff a directory file is checked against, each loaded once into a dictionary.</summary>
internal sealed class DirectoryLookups
{
    public required Dictionary<string, KnownSchoolSystem> SchoolSystemsByCode { get; init; }

    public required Dictionary<int, KnownSchoolSystem> SchoolSystemsById { get; init; }

    public required Dictionary<string, KnownSchool> SchoolsBySiteCode { get; init; }

    public required Dictionary<int, KnownSchool> SchoolsById { get; init; }

    /// <summary>Every staff record by Staff ID; empty for a school file.</summary>
    public Dictionary<string, KnownPerson> StaffByStaffId { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The staff record that holds each sign-on username; empty for a school file.</summary>
    public Dictionary<string, int> StaffIdByUsername { get; init; } = new(StringComparer.Ordinal);

    public static async Task<DirectoryLookups> LoadAsync(EserSecurityDbContext db, bool withStaff, CancellationToken ct)
    {
        var systems = await db.SchoolSystems.AsNoTracking().Select(s => new KnownSchoolSystem(s.Id, s.Code, s.Name)).ToListAsync(ct);
        var schools = await db.Schools.AsNoTracking()
            .Select(s => new KnownSchool(s.Id, s.SchoolSystemId, s.SiteCode, s.Name, s.ClosedOn)).ToListAsync(ct);
        var lookups = new DirectoryLookups
        {
            SchoolSystemsByCode = systems.ToDictionary(s => s.Code, StringComparer.Ordinal),
            SchoolSystemsById = systems.ToDictionary(s => s.Id),
            SchoolsBySiteCode = schools.ToDictionary(s => s.SiteCode, StringComparer.Ordinal),
            SchoolsById = schools.ToDictionary(s => s.Id),
            StaffByStaffId = new Dictionary<string, KnownPerson>(withStaff ? 1024 : 0, StringComparer.Ordinal),
        };
        if (!withStaff)
        {
            return lookups;
        }

        var schoolsOf = new Dictionary<int, List<int>>();
        foreach (var link in await db.StaffSchools.AsNoTracking().Select(s => new { s.StaffMemberId, s.SchoolId }).ToListAsync(ct))
        {
            if (!schoolsOf.TryGetValue(link.StaffMemberId, out var list))
            {
                schoolsOf[link.StaffMemberId] = list = new List<int>(2);
            }
            list.Add(link.SchoolId);
        }
        var people = await db.StaffMembers.AsNoTracking()
            .Select(s => new { s.Id, s.StaffId, s.FirstName, s.LastName, s.Email, s.Position, s.Username, s.SchoolSystemId, s.EmploymentStatus, s.EmploymentEndedOn })
            .ToListAsync(ct);
        lookups.StaffByStaffId.EnsureCapacity(people.Count);
        foreach (var p in people)
        {
            var schoolIds = schoolsOf.TryGetValue(p.Id, out var list) ? list.ToArray() : [];
            Array.Sort(schoolIds);
            lookups.StaffByStaffId[p.StaffId] = new KnownPerson(p.Id, p.StaffId, p.FirstName, p.LastName, p.Email, p.Position, p.Username,
                p.SchoolSystemId, p.EmploymentStatus, p.EmploymentEndedOn, schoolIds);
            if (p.Username is not null)
            {
                lookups.StaffIdByUsername[p.Username] = p.Id;
            }
        }
        return lookups;
    }
}

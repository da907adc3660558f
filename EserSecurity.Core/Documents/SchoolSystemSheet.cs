using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Data;
using EserSecurity.Core.KeyDates;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.Documents;

/// <summary>A person named on a one-pager.</summary>
internal sealed record SheetPerson(string Name, string Email);

/// <summary>A local coordinator and what they cover: one school, or a named group and its schools.</summary>
internal sealed record LocalCoordinatorLine(SheetPerson Person, string? SchoolName, string? SiteCode, string? GroupName, IReadOnlyList<string> GroupSchools);

/// <summary>What the one-pagers of one school system say about it, from the assignments in force today.</summary>
internal sealed record SchoolSystemSheet(
    int Id,
    string Code,
    string Name,
    int SchoolCount,
    int SchoolsCoveredByDistrictOnly,
    IReadOnlyList<SheetPerson> DistrictCoordinators,
    IReadOnlyList<LocalCoordinatorLine> LocalCoordinators,
    IReadOnlyList<SheetPerson> Supervisors);

/// <summary>A key date as the documents print it.</summary>
internal sealed record KeyDateLine(KeyDateKind Kind, string Title, DateOnly On, TimeOnly? StartsAt, TimeOnly? EndsAt);

/// <summary>
/// Loads the sheets for one school system or for all of them with the same handful of queries, so the ZIP of every
/// one-pager costs no more round trips than a single one. People whose employment ended are left out: they hold no
/// scope and cannot decide anything.
/// </summary>
internal static class SchoolSystemSheets
{
    public static async Task<IReadOnlyList<SchoolSystemSheet>> LoadAsync(
        EserSecurityDbContext db, int? schoolSystemId, DateOnly today, CancellationToken ct)
    {
        // Filtered only when asked, so SQLite can use the school-system indexes (a "@p IS NULL OR" filter cannot).
        // Three plain queries: folding the supervisors into the first as a correlated collection made SQLite scan.
        var systemsQuery = db.SchoolSystems.AsNoTracking();
        var coordinatorsQuery = db.CoordinatorAssignments.AsNoTracking();
        var supervisorsQuery = db.SupervisorAssignments.AsNoTracking();
        if (schoolSystemId is int id)
        {
            systemsQuery = systemsQuery.Where(s => s.Id == id);
            coordinatorsQuery = coordinatorsQuery.Where(a => a.SchoolSystemId == id);
            supervisorsQuery = supervisorsQuery.Where(a => a.SchoolSystemId == id);
        }

        var systems = await systemsQuery
            .OrderBy(s => s.Code)
            .Select(s => new { s.Id, s.Code, s.Name, Schools = s.Schools.Select(school => school.Id).ToList() })
            .ToListAsync(ct);
        if (systems.Count == 0)
        {
            return [];
        }

        var supervisors = (await supervisorsQuery
                .ActiveOn(today).Where(a => a.StaffMember!.EmploymentStatus == EmploymentStatus.Active)
                .Select(a => new { a.SchoolSystemId, a.StaffMember!.FirstName, a.StaffMember.LastName, a.StaffMember.Email })
                .ToListAsync(ct))
            .ToLookup(a => a.SchoolSystemId);

        var coordinators = (await coordinatorsQuery
                .ActiveOn(today).Where(a => a.StaffMember!.EmploymentStatus == EmploymentStatus.Active)
                .Select(a => new
                {
                    a.SchoolSystemId,
                    a.Coverage,
                    a.StaffMember!.FirstName,
                    a.StaffMember.LastName,
                    a.StaffMember.Email,
                    SchoolName = a.School == null ? null : a.School.Name,
                    SiteCode = a.School == null ? null : a.School.SiteCode,
                    GroupName = a.SchoolGroup == null ? null : a.SchoolGroup.Name,
                    a.SchoolId,
                    GroupSchools = a.SchoolGroup == null ? null : a.SchoolGroup.Members.Select(m => new { m.SchoolId, m.School!.Name }).ToList(),
                })
                .ToListAsync(ct))
            .ToLookup(a => a.SchoolSystemId);

        var byName = StringComparer.OrdinalIgnoreCase;
        return systems.Select(system =>
        {
            var assignments = coordinators[system.Id].ToList();
            var district = assignments.Where(a => a.Coverage == CoordinatorCoverage.SchoolSystem)
                .OrderBy(a => a.LastName, byName).ThenBy(a => a.FirstName, byName)
                .Select(a => new SheetPerson($"{a.FirstName} {a.LastName}", a.Email))
                .DistinctBy(p => p.Email)
                .ToList();
            var local = assignments.Where(a => a.Coverage != CoordinatorCoverage.SchoolSystem)
                .Select(a => new LocalCoordinatorLine(new SheetPerson($"{a.FirstName} {a.LastName}", a.Email), a.SchoolName, a.SiteCode,
                    a.GroupName, a.GroupSchools?.Select(m => m.Name).Order(byName).ToList() ?? []))
                // Groups first (they cover most), then by school, so the truncated tail is the narrowest coverage.
                .OrderBy(l => l.GroupName is null)
                .ThenBy(l => l.GroupName ?? l.SchoolName, byName)
                .ThenBy(l => l.Person.Name, byName)
                .ToList();
            var supervisorsOfSystem = supervisors[system.Id].OrderBy(a => a.LastName, byName).ThenBy(a => a.FirstName, byName)
                .Select(a => new SheetPerson($"{a.FirstName} {a.LastName}", a.Email)).ToList();
            var covered = assignments.Where(a => a.SchoolId is not null).Select(a => a.SchoolId!.Value)
                .Concat(assignments.SelectMany(a => a.GroupSchools?.Select(m => m.SchoolId) ?? []))
                .ToHashSet();
            return new SchoolSystemSheet(system.Id, system.Code, system.Name, system.Schools.Count,
                system.Schools.Count(school => !covered.Contains(school)), district, local, supervisorsOfSystem);
        }).ToList();
    }

    /// <summary>Key dates from today on: a printed one-pager looks ahead.</summary>
    public static async Task<IReadOnlyList<KeyDateLine>> LoadKeyDatesAsync(EserSecurityDbContext db, DateOnly today, CancellationToken ct) =>
        await db.KeyDates.AsNoTracking()
            .Where(k => k.On >= today || k.Kind == KeyDateKind.GoLive)
            .OrderBy(k => k.On).ThenBy(k => k.StartsAt)
            .Select(k => new KeyDateLine(k.Kind, k.Title, k.On, k.StartsAt, k.EndsAt))
            .ToListAsync(ct);
}

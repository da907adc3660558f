using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Data;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.Staff;

/// <summary>The person a sign-on account is linked to.</summary>
public sealed record LinkedPerson(int StaffMemberId, string DisplayName, string StaffId, bool IsActive)
{
    public Caller ToCaller() => new(StaffMemberId, DisplayName);
}

/// <summary>A person offered on the development sign-in page.</summary>
public sealed record SignInCandidate(string StaffId, string Username, string Name, string Position, string? SchoolSystemName, string RoleGroup);

/// <summary>A staff member's record as a coordinator or the person themself sees it.</summary>
public sealed record StaffProfile(
    int Id,
    string StaffId,
    string? Username,
    string Name,
    string Email,
    string Position,
    EmploymentStatus EmploymentStatus,
    string? SchoolSystemName,
    IReadOnlyList<string> Schools);

public sealed class StaffDirectory(IDbContextFactory<EserSecurityDbContext> dbFactory, ScopeService scopes, TimeProvider clock)
{
    public const string StateAdministratorsGroup = "State administrators";
    public const string DistrictCoordinatorsGroup = "District security coordinators";
    public const string LocalCoordinatorsGroup = "Local security coordinators";
    public const string SupervisorsGroup = "Special education supervisors";
    public const string StaffGroup = "Staff";

    /// <summary>
    /// People to sign in as in the Development environment: the given usernames first, then matches of the search,
    /// each labelled with the most senior role they hold today.
    /// </summary>
    public async Task<IReadOnlyList<SignInCandidate>> FindSignInCandidatesAsync(
        IReadOnlyList<string> featuredUsernames, string? search, int max, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var today = clock.Today();
        var people = db.StaffMembers.AsNoTracking().Where(s => s.Username != null && s.EmploymentStatus == EmploymentStatus.Active);
        if (string.IsNullOrWhiteSpace(search))
        {
            people = people.Where(s => featuredUsernames.Contains(s.Username!));
        }
        else
        {
            var term = search.Trim();
            people = people.Where(s => s.Username!.Contains(term) || s.LastName.Contains(term) || s.FirstName.Contains(term) || s.StaffId == term);
        }

        var admins = db.StateAdministrators.ActiveOn(today);
        var coordinators = db.CoordinatorAssignments.ActiveOn(today);
        var supervisors = db.SupervisorAssignments.ActiveOn(today);
        var rows = await people
            .OrderBy(s => s.LastName).ThenBy(s => s.FirstName)
            .Take(max)
            .Select(s => new
            {
                s.StaffId,
                s.Username,
                Name = s.FirstName + " " + s.LastName,
                s.Position,
                SchoolSystemName = s.SchoolSystem != null ? s.SchoolSystem.Name : null,
                IsAdmin = admins.Any(a => a.StaffMemberId == s.Id),
                IsDistrict = coordinators.Any(a => a.StaffMemberId == s.Id && a.Coverage == CoordinatorCoverage.SchoolSystem),
                IsLocal = coordinators.Any(a => a.StaffMemberId == s.Id && a.Coverage != CoordinatorCoverage.SchoolSystem),
                IsSupervisor = supervisors.Any(a => a.StaffMemberId == s.Id),
            })
            .ToListAsync(ct);

        var candidates = rows.Select(r => new SignInCandidate(r.StaffId, r.Username!, r.Name, r.Position, r.SchoolSystemName,
            r.IsAdmin ? StateAdministratorsGroup
            : r.IsDistrict ? DistrictCoordinatorsGroup
            : r.IsLocal ? LocalCoordinatorsGroup
            : r.IsSupervisor ? SupervisorsGroup
            : StaffGroup));
        // The featured people lead, in the order given, so the README's demo people are always at the top.
        return candidates
            .OrderBy(c => FeaturedRank(featuredUsernames, c.Username))
            .ToList();
    }

    private static int FeaturedRank(IReadOnlyList<string> featured, string username)
    {
        for (var i = 0; i < featured.Count; i++)
        {
            if (featured[i] == username)
            {
                return i;
            }
        }
        return int.MaxValue;
    }

    /// <summary>A staff member's record: the person themself, or someone whose scope covers them.</summary>
    public async Task<StaffProfile> GetProfileAsync(Caller caller, int staffMemberId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        var person = await db.StaffMembers.AsNoTracking()
            .Where(s => s.Id == staffMemberId)
            .Select(s => new
            {
                s.Id, s.StaffId, s.Username, Name = s.FirstName + " " + s.LastName, s.Email, s.Position, s.EmploymentStatus,
                s.SchoolSystemId,
                SchoolSystemName = s.SchoolSystem != null ? s.SchoolSystem.Name : null,
                Schools = s.Schools.Select(x => new { x.SchoolId, x.School!.Name }).ToList(),
            })
            .SingleOrDefaultAsync(ct);

        var visible = person is not null
            && (person.Id == caller.StaffMemberId || scope.CoversPerson(person.SchoolSystemId, person.Schools.Select(s => s.SchoolId)));
        if (!visible)
        {
            // The same answer for "missing" and "not yours", so ids cannot be probed.
            throw scope.Refuse("That staff record does not exist or is outside your scope.");
        }
        return new StaffProfile(person!.Id, person.StaffId, person.Username, person.Name, person.Email, person.Position,
            person.EmploymentStatus, person.SchoolSystemName, person.Schools.Select(s => s.Name).ToList());
    }

    /// <summary>The person's own active grants, for their home page.</summary>
    internal static IQueryable<AccessGrant> ActiveGrantsOf(EserSecurityDbContext db, int staffMemberId) =>
        db.AccessGrants.AsNoTracking().Where(g => g.StaffMemberId == staffMemberId && g.EndedAt == null);
}

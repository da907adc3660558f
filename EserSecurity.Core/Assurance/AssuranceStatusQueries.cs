using EserSecurity.Core.Data;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.Assurance;

/// <summary>
/// Whose assurance status a person may see: state administrators everyone; district coordinators and supervisors
/// the staff of their school systems; local coordinators the staff of their schools. Null for anyone else.
/// </summary>
internal sealed record StatusScope(bool All, int[] SchoolSystemIds, int[] SchoolIds)
{
    public static StatusScope? Of(AccessScope scope) =>
        scope.IsStateAdministrator ? new StatusScope(true, [], [])
        : scope.IsCoordinator || scope.IsSupervisor
            ? new StatusScope(false, scope.DistrictSchoolSystemIds.Union(scope.SupervisedSchoolSystemIds).ToArray(), scope.LocalSchoolIds.ToArray())
            : null;
}

/// <summary>An active staff member in scope with their signature of the school year, if any.</summary>
internal sealed class PersonStatus
{
    public required StaffMember Person { get; init; }

    public AssuranceSignature? Signature { get; init; }
}

/// <summary>
/// The status queries the status page and the home figures share, so both count the same people the same way.
/// Everything is counted and grouped in the database: the statewide view covers about 30,000 people.
/// </summary>
internal static class AssuranceStatusQueries
{
    /// <summary>Active staff in scope, each joined to their signature of <paramref name="schoolYear"/> (at most one, by a unique index).</summary>
    public static IQueryable<PersonStatus> Population(EserSecurityDbContext db, StatusScope scope, int schoolYear)
    {
        var people = db.StaffMembers.AsNoTracking().Where(s => s.EmploymentStatus == EmploymentStatus.Active);
        if (!scope.All)
        {
            var leas = scope.SchoolSystemIds;
            var schools = scope.SchoolIds;
            people = people.Where(s => (s.SchoolSystemId != null && leas.Contains(s.SchoolSystemId.Value))
                || s.Schools.Any(x => schools.Contains(x.SchoolId)));
        }
        return from person in people
               join signature in db.AssuranceSignatures.AsNoTracking().Where(a => a.SchoolYear == schoolYear)
                   on person.Id equals signature.StaffMemberId into signatures
               from signature in signatures.DefaultIfEmpty()
               select new PersonStatus { Person = person, Signature = signature };
    }

    /// <summary>The people whose status is <paramref name="status"/> on a day inside or after the grace period.</summary>
    public static IQueryable<PersonStatus> WithStatus(this IQueryable<PersonStatus> population, AssuranceStatus status, bool inGracePeriod) => status switch
    {
        AssuranceStatus.Signed => population.Where(p => p.Signature != null),
        AssuranceStatus.Due when inGracePeriod => population.Where(p => p.Signature == null),
        AssuranceStatus.Overdue when !inGracePeriod => population.Where(p => p.Signature == null),
        _ => population.Where(p => false),
    };

    public static async Task<AssuranceCounts> TotalsAsync(EserSecurityDbContext db, StatusScope scope, DateOnly today, int graceDays, CancellationToken ct)
    {
        var population = Population(db, scope, SchoolYear.Containing(today).StartYear);
        var total = await population.CountAsync(ct);
        var signed = await population.CountAsync(p => p.Signature != null, ct);
        return AssuranceCounts.Of(total, signed, AssuranceRules.IsInGracePeriod(today, graceDays));
    }
}

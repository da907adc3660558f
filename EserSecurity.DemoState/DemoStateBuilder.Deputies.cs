using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Grants;

namespace EserSecurity.DemoState;

internal sealed partial class DemoStateBuilder
{
    /// <summary>
    /// Access approved for a limited time in the demo school system (one grant in nine, ending between 16 and 75 days
    /// from today, so no warning is due when the console starts), the demo local coordinator's own among them so they
    /// can renew it; and the local coordinator away this week with the second district coordinator as deputy. Chosen by id,
    /// without the random generator, so the rest of the state stays as it was.
    /// </summary>
    private void AddTemporaryAccessAndDeputy()
    {
        var lea = _leas.Single(l => l.Spec.Code == DemoSchoolSystemCode);
        var warnFrom = GrantExpiry.WarnDaysBefore + 2;
        foreach (var grant in _data.AccessGrants.Where(g => g.SchoolSystemId == lea.System.Id && g.EndedAt is null && g.Origin == GrantOrigin.Request && g.Id % 9 == 0))
        {
            grant.EndsOn = _today.AddDays(warnFrom + grant.Id % 60);
        }
        var local = DemoPerson(DemoPeople.LocalCoordinator);
        if (local.ActiveGrants.FirstOrDefault(g => g.EndedAt is null) is { } own)
        {
            own.EndsOn = _today.AddDays(warnFrom + 5);
        }

        var deputy = DemoPerson(DemoPeople.DistrictCoordinator2);
        var namedAt = At(_today.AddDays(-3), 15);
        _data.Deputyships.Add(new Deputyship
        {
            Id = 1, AbsentId = local.Id, DeputyId = deputy.Id, SchoolSystemId = lea.System.Id, StartsOn = _today.AddDays(-2), EndsOn = _today.AddDays(5),
            Note = "Away at the state special education conference.", NamedById = local.Id, NamedAt = namedAt, ApprovedAt = namedAt, ApprovedById = local.Id,
        });
    }
}

using System.Runtime.InteropServices;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Roles;
using EserSecurity.Core.SchoolSystems;

namespace EserSecurity.DemoState;

/// <summary>The TAS report, coordinators, supervisors and state administrators.</summary>
internal sealed partial class DemoStateBuilder
{
    private void AddLegacyAccess(Lea lea)
    {
        if (WithoutTasImport.Contains(lea.Spec.Code))
        {
            return;
        }
        lea.TasImportedAt = At(_today.AddDays(-_random.Int(3, 20)), _random.Double(14, 22));
        if (lea.Spec.Code == DemoSchoolSystemCode)
        {
            AddLegacy(DemoPerson(DemoPeople.StaffUser), lea, _tasRoles[DemoCatalog.TasIepWriter], lea.Schools[0]);
            AddLegacy(DemoPerson(DemoPeople.DistrictCoordinator), lea, _tasRoles[DemoCatalog.TasSponsorDataManager], null);
            AddLegacy(DemoPerson(DemoPeople.LocalCoordinator), lea, _tasRoles[DemoCatalog.TasViewOnly], lea.Schools[1]);
            AddLegacy(DemoPerson(DemoPeople.SpedSupervisor), lea, _tasRoles[DemoCatalog.TasSupervisor], null);
            AddLegacy(DemoPerson(DemoPeople.SpedSupervisor), lea, _tasRoles[DemoCatalog.TasReports], null);
        }
        foreach (var person in lea.Staff)
        {
            if (person.IsDemo || !person.IsActive || !_random.Bool((float)person.Position.SerShare))
            {
                continue;
            }
            var tasRole = person.Position.MayHoldUnmapped && _random.Bool(0.03f)
                ? _tasRoles[_random.Bool() ? DemoCatalog.TasGiftedScreening : DemoCatalog.TasLegacyUpload]
                : _tasRoles[Pick(person.Position.TasRoles)];
            AddLegacy(person, lea, tasRole, person.Schools[0]);
            if (person.Schools.Count > 1 && _random.Bool(0.6f))
            {
                AddLegacy(person, lea, tasRole, person.Schools[1]);
            }
            if (person.Position == DemoCatalog.SpecialEducationSupervisor && _random.Bool(0.7f))
            {
                AddLegacy(person, lea, _tasRoles[DemoCatalog.TasReports], null);
            }
        }
    }

    private void AddLegacy(Person person, Lea lea, TasRole tasRole, School? school)
    {
        var mapped = tasRole.EserRoleId is null ? null : _data.EserRoles[tasRole.EserRoleId.Value - 1];
        int? schoolId = mapped?.Level == RoleLevel.SchoolSystem ? null : school?.Id;
        if (person.Legacy.Any(l => l.TasRoleId == tasRole.Id && l.SchoolId == schoolId))
        {
            return;
        }
        var row = new LegacySerAccess
        {
            Id = _data.LegacySerAccess.Count + 1,
            StaffMemberId = person.Id,
            SchoolSystemId = lea.System.Id,
            SchoolId = schoolId,
            TasRoleId = tasRole.Id,
            TasStatus = TasActive,
            ImportedAt = lea.TasImportedAt ?? _now,
        };
        _data.LegacySerAccess.Add(row);
        person.Legacy.Add(row);
    }

    private void AddCoordinators(Lea lea)
    {
        var isDemo = lea.Spec.Code == DemoSchoolSystemCode;
        if (isDemo)
        {
            AddCoordinator(DemoPerson(DemoPeople.DistrictCoordinator), lea, CoordinatorCoverage.SchoolSystem, DistrictStart());
            AddCoordinator(DemoPerson(DemoPeople.DistrictCoordinator2), lea, CoordinatorCoverage.SchoolSystem, DistrictStart());
        }
        else if (!WithoutDistrictCoordinator.Contains(lea.Spec.Code))
        {
            var candidates = lea.Staff.Where(p => p.CanServe && (p.Position == DemoCatalog.TechnologyCoordinator
                || p.Position == DemoCatalog.CentralDataManager || p.Position == DemoCatalog.SpecialEducationSupervisor)).ToList();
            var count = lea.Schools.Count >= 30 || _random.Bool(0.3f) ? 2 : 1;
            foreach (var person in _random.Shuffle(candidates).ToList().Take(count))
            {
                AddCoordinator(person, lea, CoordinatorCoverage.SchoolSystem, DistrictStart());
            }
        }
        if (WithEndedCoordinator.Contains(lea.Spec.Code))
        {
            AddEndedCoordinator(lea);
        }

        var grouped = new HashSet<int>();
        if (isDemo)
        {
            var northside = AddGroup(lea, DemoGroupName, lea.Schools.Take(DemoGroupSchools.Length));
            AddCoordinator(DemoPerson(DemoPeople.LocalCoordinator), lea, CoordinatorCoverage.SchoolGroup, LocalStart(), group: northside);
            grouped.UnionWith(lea.Schools.Take(DemoGroupSchools.Length).Select(s => s.Id));
        }
        if (lea.Schools.Count >= 10 && (isDemo ? _profile == Profile.Full : _random.Bool(0.25f)))
        {
            var available = lea.Schools.Where(s => !grouped.Contains(s.Id)).ToList();
            var size = _random.Int(2, 5);
            var members = _random.Shuffle(available).ToList().Take(size).OrderBy(s => s.Id).ToList();
            var group = AddGroup(lea, Pick(DemoNames.SchoolGroupNames), members);
            var coordinator = LocalCoordinatorCandidate(lea, members);
            if (coordinator is not null)
            {
                AddCoordinator(coordinator, lea, CoordinatorCoverage.SchoolGroup, LocalStart(), group: group);
            }
            grouped.UnionWith(members.Select(s => s.Id));
        }
        if (lea.Schools.Count >= 5)
        {
            foreach (var school in lea.Schools.Where(s => !grouped.Contains(s.Id)))
            {
                if (!_random.Bool(0.18f))
                {
                    continue;
                }
                var coordinator = LocalCoordinatorCandidate(lea, [school]);
                if (coordinator is not null)
                {
                    AddCoordinator(coordinator, lea, CoordinatorCoverage.School, LocalStart(), school: school);
                }
            }
        }
    }

    private Person? LocalCoordinatorCandidate(Lea lea, IEnumerable<School> schools)
    {
        var candidates = schools
            .SelectMany(s => lea.StaffBySchool.GetValueOrDefault(s.Id) ?? [])
            .Where(p => p.CanServe && (p.Position == DemoCatalog.Principal || p.Position == DemoCatalog.AssistantPrincipal
                || p.Position == DemoCatalog.Secretary || p.Position == DemoCatalog.DataManager))
            .Distinct()
            .ToList();
        return candidates.Count == 0 ? null : Pick(candidates);
    }

    private SchoolGroup AddGroup(Lea lea, string name, IEnumerable<School> members)
    {
        var group = new SchoolGroup { Id = _data.SchoolGroups.Count + 1, SchoolSystemId = lea.System.Id, Name = name };
        _data.SchoolGroups.Add(group);
        foreach (var school in members)
        {
            _data.SchoolGroupMembers.Add(new SchoolGroupMember { SchoolGroupId = group.Id, SchoolId = school.Id });
            (CollectionsMarshal.GetValueRefOrAddDefault(lea.GroupSchools, group.Id, out _) ??= []).Add(school.Id);
        }
        return group;
    }

    private void AddCoordinator(
        Person person, Lea lea, CoordinatorCoverage coverage, DateOnly startsOn, School? school = null, SchoolGroup? group = null)
    {
        _data.CoordinatorAssignments.Add(new CoordinatorAssignment
        {
            Id = _data.CoordinatorAssignments.Count + 1,
            StaffMemberId = person.Id,
            SchoolSystemId = lea.System.Id,
            Coverage = coverage,
            SchoolId = school?.Id,
            SchoolGroupId = group?.Id,
            StartsOn = startsOn,
        });
        switch (coverage)
        {
            case CoordinatorCoverage.SchoolSystem:
                lea.DistrictCoordinatorIds.Add(person.Id);
                break;
            case CoordinatorCoverage.School:
                (CollectionsMarshal.GetValueRefOrAddDefault(lea.LocalCoordinatorIdsBySchool, school!.Id, out _) ??= []).Add(person.Id);
                break;
            case CoordinatorCoverage.SchoolGroup:
                foreach (var schoolId in lea.GroupSchools[group!.Id])
                {
                    (CollectionsMarshal.GetValueRefOrAddDefault(lea.LocalCoordinatorIdsBySchool, schoolId, out _) ??= []).Add(person.Id);
                }
                break;
        }
    }

    /// <summary>A former district coordinator, kept for the assignment history.</summary>
    private void AddEndedCoordinator(Lea lea)
    {
        var former = lea.Staff.Where(p => p.CanServe && p.Position == DemoCatalog.Principal).ToList();
        if (former.Count == 0)
        {
            return;
        }
        var endsOn = _today.AddDays(-_random.Int(160, 200));
        _data.CoordinatorAssignments.Add(new CoordinatorAssignment
        {
            Id = _data.CoordinatorAssignments.Count + 1,
            StaffMemberId = Pick(former).Id,
            SchoolSystemId = lea.System.Id,
            Coverage = CoordinatorCoverage.SchoolSystem,
            StartsOn = endsOn.AddDays(-_random.Int(240, 400)),
            EndsOn = endsOn,
            EndedAt = At(endsOn, 15),
            EndedById = StateAdmin.Id,
            EndReason = _random.Bool() ? "Duties changed: now principal; handed over at the end of the school year." : "Named principal; the new district coordinators took over.",
        });
    }

    private DateOnly DistrictStart() => _today.AddDays(-_random.Int(150, 240));

    private DateOnly LocalStart() => _today.AddDays(-_random.Int(120, 200));

    private void AddSupervisor(Lea lea)
    {
        if (WithoutSupervisor.Contains(lea.Spec.Code))
        {
            return;
        }
        var supervisor = lea.Spec.Code == DemoSchoolSystemCode
            ? DemoPerson(DemoPeople.SpedSupervisor)
            : lea.Staff.FirstOrDefault(p => p.CanServe && p.Position == DemoCatalog.SpecialEducationSupervisor
                // One person is never both district coordinator and supervisor of a school system (separation of duties).
                && !lea.DistrictCoordinatorIds.Contains(p.Id));
        if (supervisor is null)
        {
            return;
        }
        _data.SupervisorAssignments.Add(new SupervisorAssignment
        {
            Id = _data.SupervisorAssignments.Count + 1,
            StaffMemberId = supervisor.Id,
            SchoolSystemId = lea.System.Id,
            StartsOn = _today.AddDays(-_random.Int(200, 900)),
        });
        lea.SupervisorId = supervisor.Id;
    }

    private void AddStateAdministrators()
    {
        _data.StateAdministrators.Add(new StateAdministratorAssignment
        {
            Id = 1,
            StaffMemberId = StateAdmin.Id,
            StartsOn = _today.AddDays(-730),
        });
        _data.StateAdministrators.Add(new StateAdministratorAssignment
        {
            Id = 2,
            StaffMemberId = _stateStaff.First(p => p.Position.Name == DemoCatalog.StateDataDirectorPosition).Id,
            StartsOn = _today.AddDays(-400),
        });
    }
}

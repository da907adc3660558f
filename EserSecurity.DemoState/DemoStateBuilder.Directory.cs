using System.Globalization;
using System.Runtime.InteropServices;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Roles;
using EserSecurity.Core.SchoolSystems;
using EserSecurity.Core.Staff;
using BogusName = Bogus.DataSets.Name;

namespace EserSecurity.DemoState;

/// <summary>The role catalog, school systems, schools and the staff directory.</summary>
internal sealed partial class DemoStateBuilder
{
    private void AddRoles()
    {
        foreach (var spec in DemoCatalog.Roles)
        {
            var role = new EserRole
            {
                Id = _data.EserRoles.Count + 1,
                Code = spec.Code,
                Name = spec.Name,
                Description = spec.Description,
                Permissions = string.Join("; ", spec.Permissions),
                GrantsIepForms = spec.GrantsIepForms,
                Level = spec.Level,
            };
            _data.EserRoles.Add(role);
            _roles[spec.Code] = role;
        }
        foreach (var spec in DemoCatalog.TasRoles)
        {
            var role = spec.RoleCode is null ? null : _roles[spec.RoleCode];
            if (role is not null && !DemoCatalog.Roles.Single(r => r.Code == role.Code).Permissions.Contains(spec.Permission))
            {
                throw new InvalidOperationException($"TAS role '{spec.Name}' maps to a permission its eSER role does not carry.");
            }
            var tasRole = new TasRole
            {
                Id = _data.TasRoles.Count + 1,
                Name = spec.Name,
                EserRoleId = role?.Id,
                EserPermission = spec.Permission,
            };
            _data.TasRoles.Add(tasRole);
            _tasRoles[spec.Name] = tasRole;
            _tasRolesById[tasRole.Id] = tasRole;
        }
    }

    private void AddSchoolSystems()
    {
        var specs = DemoNames.SchoolSystems.ToDictionary(s => s.Code);
        IEnumerable<(LeaSpec Spec, int Schools)> plan = _profile == Profile.Small
            ? SmallSchoolSystems.Select(s => (specs[s.Code], s.Schools)).ToList()
            : FullPlan();
        foreach (var (spec, schoolCount) in plan.OrderBy(p => p.Spec.Code, StringComparer.Ordinal))
        {
            var system = new SchoolSystem
            {
                Id = _data.SchoolSystems.Count + 1,
                Code = spec.Code,
                Name = spec.Name,
                Kind = spec.Kind,
                SecurityPolicy = spec.Code == DemoSchoolSystemCode ? CompliantPolicy() : RandomPolicy(),
            };
            _data.SchoolSystems.Add(system);
            var lea = new Lea(system, spec);
            _leas.Add(lea);
            AddSchools(lea, schoolCount);
        }
    }

    private List<(LeaSpec Spec, int Schools)> FullPlan()
    {
        var plan = new List<(LeaSpec, int)>();
        var parishes = new List<LeaSpec>();
        foreach (var spec in DemoNames.SchoolSystems)
        {
            if (spec.Code == DemoSchoolSystemCode)
            {
                plan.Add((spec, FullDemoSchoolCount));
            }
            else if (DemoNames.FixedSchools.TryGetValue(spec.Code, out var fixedSchools))
            {
                plan.Add((spec, fixedSchools.Length));
            }
            else if (spec.Kind == SchoolSystemKind.Charter)
            {
                plan.Add((spec, _random.Int(1, 3)));
            }
            else if (spec.Name.EndsWith(" Schools", StringComparison.Ordinal))
            {
                plan.Add((spec, _random.Int(8, 22)));
            }
            else
            {
                parishes.Add(spec);
            }
        }
        // A few large parishes, many middling ones and a long tail of small rural ones.
        var shuffled = _random.Shuffle(parishes).ToList();
        for (var i = 0; i < shuffled.Count; i++)
        {
            var count = i < 5 ? _random.Int(55, 80) : i < 25 ? _random.Int(20, 40) : _random.Int(6, 15);
            plan.Add((shuffled[i], count));
        }
        return plan;
    }

    private LocalSecurityPolicy CompliantPolicy()
    {
        var year = SchoolYear.Containing(_today);
        return new LocalSecurityPolicy
        {
            WrittenPolicyAdoptedOn = new DateOnly(year.StartYear - 2, 8, 12),
            IncludesIepSecurity = true,
            LastAnnualTrainingOn = RandomDay(year.StartsOn.AddDays(30), _today),
        };
    }

    private LocalSecurityPolicy RandomPolicy()
    {
        var year = SchoolYear.Containing(_today);
        DateOnly? adopted = _random.Bool(0.07f) ? null : _today.AddDays(-_random.Int(200, 2200));
        var includesIep = adopted is not null && _random.Bool(0.88f);
        var training = _random.Double();
        DateOnly? trainedOn = training < 0.08
            ? null
            : training < 0.2
                ? RandomDay(year.StartsOn.AddYears(-1), year.StartsOn.AddDays(-1))
                : RandomDay(year.StartsOn.AddDays(14), _today);
        return new LocalSecurityPolicy { WrittenPolicyAdoptedOn = adopted, IncludesIepSecurity = includesIep, LastAnnualTrainingOn = trainedOn };
    }

    private void AddSchools(Lea lea, int count)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        string[] fixedNames = lea.Spec.Code == DemoSchoolSystemCode
            ? DemoGroupSchools
            : DemoNames.FixedSchools.GetValueOrDefault(lea.Spec.Code) ?? [];
        var number = 0;
        for (var i = 0; i < count; i++)
        {
            // Site numbers have gaps where schools closed or merged.
            number += i == 0 || !_random.Bool(0.15f) ? 1 : _random.Int(2, 4);
            var name = i < fixedNames.Length
                ? fixedNames[i]
                : lea.Spec.Kind == SchoolSystemKind.Charter
                    ? count == 1 ? lea.Spec.Name : $"{lea.Spec.Name} – {DemoNames.CharterCampuses[i]}"
                    : RandomSchoolName(names);
            names.Add(name);
            var school = new School
            {
                Id = _data.Schools.Count + 1,
                SiteCode = lea.Spec.Code + number.ToString("000", CultureInfo.InvariantCulture),
                Name = name,
                SchoolSystemId = lea.System.Id,
            };
            _data.Schools.Add(school);
            lea.Schools.Add(school);
        }
    }

    private string RandomSchoolName(HashSet<string> taken)
    {
        while (true)
        {
            var name = $"{Pick(DemoNames.SchoolStems)} {PickWeighted(DemoNames.SchoolLevels, l => l.Weight).Suffix}";
            if (!taken.Contains(name))
            {
                return name;
            }
        }
    }

    private void AddStateStaff()
    {
        var admin = NewPerson("Renée", "Thibodeaux", StatePosition(DemoCatalog.StateAdminPosition), null, DemoPeople.StateAdmin);
        _demo[DemoPeople.StateAdmin] = admin;
        _stateStaff.Add(admin);
        var (first, last) = RandomName();
        _stateStaff.Add(NewPerson(first, last, StatePosition(DemoCatalog.StateDataDirectorPosition), null, linked: true));
        foreach (var position in DemoCatalog.StatePositions)
        {
            (first, last) = RandomName();
            _stateStaff.Add(NewPerson(first, last, StatePosition(position), null, linked: !_random.Bool(0.1f)));
        }
    }

    private static PositionSpec StatePosition(string name) => new(name, 0, 0, [], 0);

    private void AddStaff(Lea lea)
    {
        var target = Math.Max(
            (int)Math.Round(lea.Schools.Count * _profile.StaffPerSchool * _random.Double(0.85, 1.15)),
            lea.Schools.Count * 3 + 6);
        if (lea.Spec.Code == DemoSchoolSystemCode)
        {
            AddDemoLeaPeople(lea);
        }
        var supervisors = lea.Schools.Count >= 40 ? 2 : 1;
        for (var i = 0; i < supervisors; i++)
        {
            AddRandomPerson(lea, DemoCatalog.SpecialEducationSupervisor, central: true);
        }
        var technologyCoordinators = lea.Schools.Count >= 25 ? 2 : 1;
        for (var i = 0; i < technologyCoordinators; i++)
        {
            AddRandomPerson(lea, DemoCatalog.TechnologyCoordinator, central: true);
        }
        if (lea.Schools.Count >= 3)
        {
            AddRandomPerson(lea, DemoCatalog.CentralDataManager, central: true);
        }
        foreach (var school in lea.Schools)
        {
            AddRandomPerson(lea, DemoCatalog.Principal, central: false, school);
        }
        while (lea.Staff.Count < target)
        {
            AddRandomPerson(lea, PickWeighted(DemoCatalog.SchoolPositions, p => (float)p.Weight), central: false);
        }
    }

    private void AddDemoLeaPeople(Lea lea)
    {
        var northsideElementary = lea.Schools[0];
        var northsideMiddle = lea.Schools[1];
        var centralOffice = lea.Schools[DemoGroupSchools.Length];
        AddDemoPerson(lea, DemoPeople.DistrictCoordinator, "Marcus", "Fontenot", DemoCatalog.CentralDataManager, centralOffice);
        AddDemoPerson(lea, DemoPeople.DistrictCoordinator2, "Danielle", "Guidry", DemoCatalog.TechnologyCoordinator, centralOffice);
        AddDemoPerson(lea, DemoPeople.LocalCoordinator, "Camille", "Broussard", DemoCatalog.AssistantPrincipal, northsideMiddle);
        AddDemoPerson(lea, DemoPeople.SpedSupervisor, "Joëlle", "Landry", DemoCatalog.SpecialEducationSupervisor, centralOffice);
        AddDemoPerson(lea, DemoPeople.StaffUser, "Tyler", "Hébert", DemoCatalog.SpecialEducationTeacher, northsideElementary);
    }

    private void AddDemoPerson(Lea lea, string username, string first, string last, PositionSpec position, School school)
    {
        var person = NewPerson(first, last, position, lea, username);
        person.IsDemo = true;
        _demo[username] = person;
        LinkSchool(person, school);
    }

    private void AddRandomPerson(Lea lea, PositionSpec position, bool central, School? school = null)
    {
        var (first, last) = RandomName();
        // About one in ten has not linked a sign-on account yet; central office staff all have.
        var person = NewPerson(first, last, position, lea, linked: central || !_random.Bool(0.1f));
        var primary = school ?? Pick(lea.Schools);
        LinkSchool(person, primary);
        if (lea.Schools.Count > 1 && _random.Bool((float)position.SecondSchoolShare))
        {
            var second = Pick(lea.Schools);
            if (second != primary)
            {
                LinkSchool(person, second);
            }
        }
        if (!central && school is null && _random.Bool(0.02f))
        {
            person.Member.EmploymentStatus = EmploymentStatus.Ended;
            person.Member.EmploymentEndedOn = _today.AddDays(-_random.Int(3, 45));
        }
    }

    private Person NewPerson(string first, string last, PositionSpec position, Lea? lea, string? username = null, bool linked = true)
    {
        var handle = NewHandle(first, last);
        var member = new StaffMember
        {
            Id = _data.StaffMembers.Count + 1,
            StaffId = NewStaffId(),
            Username = username ?? (linked ? handle : null),
            FirstName = first,
            LastName = last,
            Email = $"{handle}@{(lea is null ? DemoNames.StateEmailDomain : $"{lea.Spec.EmailSlug}.k12.example.org")}",
            SchoolSystemId = lea?.System.Id,
            Position = position.Name,
            EmploymentStatus = EmploymentStatus.Active,
        };
        _data.StaffMembers.Add(member);
        var person = new Person(member, position, lea);
        lea?.Staff.Add(person);
        return person;
    }

    private void LinkSchool(Person person, School school)
    {
        person.Schools.Add(school);
        _data.StaffSchools.Add(new StaffSchool { StaffMemberId = person.Id, SchoolId = school.Id });
        if (person.Lea is { } lea)
        {
            (CollectionsMarshal.GetValueRefOrAddDefault(lea.StaffBySchool, school.Id, out _) ??= []).Add(person);
        }
    }

    private (string First, string Last) RandomName()
    {
        // The education workforce is mostly women.
        var female = _random.Bool(0.72f);
        var first = _random.Bool(0.05f)
            ? Pick(female ? DemoNames.AccentedFemaleNames : DemoNames.AccentedMaleNames)
            : _names.FirstName(female ? BogusName.Gender.Female : BogusName.Gender.Male);
        var roll = _random.Double();
        var last = roll < 0.35 ? Pick(DemoNames.CajunSurnames)
            : roll < 0.45 ? Pick(DemoNames.OtherSurnames)
            : Pick(DemoNames.CommonSurnames);
        return (first, last);
    }

    /// <summary>A MyLA-style "first.last" handle, numbered from 2 when taken; also the e-mail's local part.</summary>
    private string NewHandle(string first, string last)
    {
        if (_handles.Count == 0)
        {
            _handles.UnionWith(DemoPeople.All);
        }
        var stem = $"{DemoNames.Slug(first)}.{DemoNames.Slug(last)}";
        var handle = stem;
        for (var n = 2; !_handles.Add(handle); n++)
        {
            handle = stem + n.ToString(CultureInfo.InvariantCulture);
        }
        return handle;
    }

    /// <summary>A 10-digit eScholar-style Staff ID.</summary>
    private string NewStaffId()
    {
        string id;
        do
        {
            id = _random.Long(1_000_000_000, 9_999_999_999).ToString(CultureInfo.InvariantCulture);
        }
        while (!_staffIds.Add(id));
        return id;
    }
}

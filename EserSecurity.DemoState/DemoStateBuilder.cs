using Bogus;
using EserSecurity.Core.Data;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Roles;
using EserSecurity.Core.SchoolSystems;
using EserSecurity.Core.Staff;
using BogusName = Bogus.DataSets.Name;

namespace EserSecurity.DemoState;

/// <summary>
/// Builds the whole demo state in memory from one seeded random stream, relative to "now", so that the same size
/// and day always give the same state: a few weeks before go-live.
/// </summary>
internal sealed partial class DemoStateBuilder
{
    /// <summary>The date of the go-live deck (June 20, 2022); any fixed number would do.</summary>
    private const int Seed = 20220620;

    private const string DemoSchoolSystemCode = "026";
    private const string DemoGroupName = "Northside Schools";
    private const string TasActive = "Active";

    private const int FullDemoSchoolCount = 72;

    private static readonly string[] DemoGroupSchools =
        ["Northside Elementary School", "Northside Middle School", "Northside High School", "North Bayou Elementary School"];

    private static readonly HashSet<string> WithoutDistrictCoordinator = ["041", "049", "307", "402"];
    private static readonly HashSet<string> WithoutSupervisor = ["012", "301", "308"];
    private static readonly HashSet<string> WithoutTasImport = ["036", "055"];
    private static readonly HashSet<string> WithEndedCoordinator = ["026", "013"];
    private static readonly (string Code, int Schools)[] SmallSchoolSystems = [("026", 18), ("041", 7), ("057", 4), ("301", 1)];

    private readonly Profile _profile;
    private readonly DateTimeOffset _now;
    private readonly DateOnly _today;
    private readonly Randomizer _random = new(Seed);
    private readonly BogusName _names;
    private readonly DemoStateData _data = new();
    private readonly HashSet<string> _staffIds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _handles = new(StringComparer.Ordinal);
    private readonly HashSet<string> _verificationCodes = new(StringComparer.Ordinal);
    private readonly List<Lea> _leas = [];
    private readonly Dictionary<string, EserRole> _roles = [];
    private readonly Dictionary<string, TasRole> _tasRoles = [];
    private readonly Dictionary<int, TasRole> _tasRolesById = [];
    private readonly List<Person> _stateStaff = [];
    private readonly Dictionary<string, Person> _demo = [];

    public DemoStateBuilder(DemoStateSize size, DateTimeOffset now)
    {
        _profile = size switch
        {
            DemoStateSize.Small => Profile.Small,
            DemoStateSize.Full => Profile.Full,
            _ => throw new ArgumentOutOfRangeException(nameof(size), size, "Only Small and Full have a demo state."),
        };
        _now = now.ToUniversalTime();
        _today = DateOnly.FromDateTime(_now.UtcDateTime);
        _names = new BogusName("en") { Random = _random };
    }

    private Person StateAdmin => _demo[DemoPeople.StateAdmin];

    private Person DemoPerson(string username) => _demo[username];

    /// <param name="followedUpAsOf">
    /// The moment the console starts with this state: requests that had waited long enough by then carry the follow-ups
    /// the console would have sent, so its first check sends none of them again. The start of the day when null.
    /// </param>
    public DemoStateData Build(DateTimeOffset? followedUpAsOf = null)
    {
        AddRoles();
        AddStateStaff();
        AddSchoolSystems();
        foreach (var lea in _leas)
        {
            AddStaff(lea);
        }
        foreach (var lea in _leas)
        {
            AddLegacyAccess(lea);
        }
        foreach (var lea in _leas)
        {
            AddCoordinators(lea);
            AddSupervisor(lea);
        }
        AddStateAdministrators();
        foreach (var lea in _leas)
        {
            AddAccess(lea);
        }
        AddDemoPeopleAccess();
        MarkFollowedUp(followedUpAsOf ?? _now);
        AddReview();
        AddAssurance();
        AddAssuranceNotices();
        AddKeyDates();
        AddTemporaryAccessAndDeputy();
        return _data;
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Number(items.Count - 1)];

    private T PickWeighted<T>(IReadOnlyList<T> items, Func<T, float> weight)
    {
        var total = items.Sum(weight);
        var target = _random.Double() * total;
        foreach (var item in items)
        {
            target -= weight(item);
            if (target < 0)
            {
                return item;
            }
        }
        return items[^1];
    }

    private DateOnly RandomDay(DateOnly from, DateOnly to) =>
        to <= from ? to : from.AddDays(_random.Int(0, to.DayNumber - from.DayNumber));

    private static DateTimeOffset At(DateOnly day, double hourUtc) =>
        new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddHours(hourUtc);

    /// <summary>A submission about <paramref name="days"/> ago during the working day (8 a.m. to 6 p.m. Central), never in the future.</summary>
    private DateTimeOffset SubmittedDaysAgo(double days)
    {
        var day = DateOnly.FromDateTime((_now - TimeSpan.FromDays(days)).UtcDateTime);
        var at = At(day, _random.Double(13, 23));
        return at <= _now.AddMinutes(-10) ? at : _now.AddMinutes(-_random.Int(10, 240));
    }

    /// <summary>A moment up to <paramref name="maxDays"/> after <paramref name="from"/>, kept before now.</summary>
    private DateTimeOffset Later(DateTimeOffset from, double maxDays)
    {
        var candidate = from + TimeSpan.FromDays(_random.Double(0.02, maxDays));
        var cap = from + (_now - from) * 0.9;
        return candidate < cap ? candidate : cap;
    }

    /// <summary>A moment between the two, more often early: most people sign when the statement comes out.</summary>
    private DateTimeOffset Between(DateTimeOffset from, DateTimeOffset to) =>
        to <= from ? from : from + (to - from) * Math.Pow(_random.Double(), 1.5);

    /// <param name="GrantShare">The share of needed roles already granted.</param>
    /// <param name="PendingShare">The share of needed roles requested and waiting; Small is busier so its queues fill.</param>
    /// <param name="NewToSerShare">The share of staff without a TAS row who need a role anyway.</param>
    private sealed record Profile(
        double StaffPerSchool, double GrantShare, double PendingShare, double DemoPendingShare, double NewToSerShare, int ReviewItems)
    {
        public static readonly Profile Small = new(14, 0.2, 0.68, 0.72, 0.45, 12);
        public static readonly Profile Full = new(21.5, 0.42, 0.28, 0.38, 0.2, 40);
    }

    /// <summary>A role at a scope: a school, or the whole school system when <see cref="School"/> is null.</summary>
    private sealed record Want(EserRole Role, School? School);

    private sealed class Lea(SchoolSystem system, LeaSpec spec)
    {
        public SchoolSystem System => system;
        public LeaSpec Spec => spec;
        public List<School> Schools { get; } = [];
        public List<Person> Staff { get; } = [];
        public Dictionary<int, List<Person>> StaffBySchool { get; } = [];
        public Dictionary<int, List<int>> GroupSchools { get; } = [];
        public List<int> DistrictCoordinatorIds { get; } = [];
        public Dictionary<int, List<int>> LocalCoordinatorIdsBySchool { get; } = [];
        public int? SupervisorId { get; set; }
        public DateTimeOffset? TasImportedAt { get; set; }
        public DateTimeOffset MigratedAt { get; set; }
    }

    private sealed class Person(StaffMember member, PositionSpec position, Lea? lea)
    {
        public StaffMember Member => member;
        public PositionSpec Position => position;
        public Lea? Lea => lea;
        public int Id => member.Id;
        public bool IsDemo { get; set; }
        public bool IsActive => member.EmploymentStatus == EmploymentStatus.Active;
        public bool IsLinked => member.Username is not null;

        /// <summary>Whether the random generator may make this person a coordinator or supervisor.</summary>
        public bool CanServe => !IsDemo && IsActive && IsLinked;

        public List<School> Schools { get; } = [];
        public List<LegacySerAccess> Legacy { get; } = [];
        public List<AccessGrant> ActiveGrants { get; } = [];
        public bool HasPendingRequest { get; set; }

        /// <summary>When the person first asked for an IEP Forms role; approving one needs this school year's assurance, so they sign before it.</summary>
        public DateTimeOffset? IepFormsRequestedAt { get; set; }

        public bool HeldInTas(Want want, Dictionary<int, TasRole> tasRoles) =>
            Legacy.Any(l => tasRoles[l.TasRoleId].EserRoleId == want.Role.Id && l.SchoolId == want.School?.Id);
    }
}

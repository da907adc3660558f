using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Roles;
using EserSecurity.Core.SchoolSystems;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Support;

/// <summary>
/// A small hand-built state with known answers: school systems A and B; A's schools A1–A3, where a local
/// coordinator covers the group {A1, A2}; B's school B1. One person per role.
/// </summary>
public sealed class TestState
{
    public required SchoolSystem LeaA { get; init; }
    public required SchoolSystem LeaB { get; init; }
    public required School A1 { get; init; }
    public required School A2 { get; init; }
    public required School A3 { get; init; }
    public required School B1 { get; init; }
    public required StaffMember StateAdmin { get; init; }
    public required StaffMember DistrictA { get; init; }
    public required StaffMember LocalA { get; init; }
    public required StaffMember SupervisorA { get; init; }
    public required StaffMember UserA1 { get; init; }
    public required StaffMember UserA3 { get; init; }
    public required StaffMember UserB1 { get; init; }
    public required StaffMember DistrictB { get; init; }
    public required EserRole SchoolRole { get; init; }
    public required EserRole IepRole { get; init; }
    public required EserRole LeaRole { get; init; }

    public static Caller CallerFor(StaffMember person) => new(person.Id, person.FullName);

    public static async Task<TestState> CreateAsync(TestDatabase database)
    {
        await using var db = await database.OpenAsync();
        var startedOn = new DateOnly(2026, 1, 1);
        var leaA = new SchoolSystem { Code = "101", Name = "Alpha Parish Schools", Kind = SchoolSystemKind.ParishOrCitySystem };
        var leaB = new SchoolSystem { Code = "202", Name = "Bravo City Schools", Kind = SchoolSystemKind.ParishOrCitySystem };
        var a1 = new School { SiteCode = "101001", Name = "Alpha Elementary", SchoolSystem = leaA };
        var a2 = new School { SiteCode = "101002", Name = "Alpha Middle", SchoolSystem = leaA };
        var a3 = new School { SiteCode = "101003", Name = "Alpha High", SchoolSystem = leaA };
        var b1 = new School { SiteCode = "202001", Name = "Bravo Elementary", SchoolSystem = leaB };
        db.AddRange(leaA, leaB, a1, a2, a3, b1);

        StaffMember Person(string username, SchoolSystem? lea, School? school, string position)
        {
            var person = new StaffMember
            {
                StaffId = $"90{Math.Abs(username.GetHashCode(StringComparison.Ordinal)) % 10_000_000:0000000}",
                Username = username,
                FirstName = username.Split('.')[0],
                LastName = username.Split('.')[1],
                Email = $"{username}@example.org",
                SchoolSystem = lea,
                Position = position,
            };
            if (school is not null)
            {
                person.Schools.Add(new StaffSchool { School = school });
            }
            db.Add(person);
            return person;
        }

        var admin = Person("state.admin", null, null, "State administrator");
        var districtA = Person("district.alpha", leaA, null, "Data manager");
        var localA = Person("local.alpha", leaA, a1, "Assistant principal");
        var supervisorA = Person("supervisor.alpha", leaA, null, "Special Education Supervisor");
        var userA1 = Person("user.alpha1", leaA, a1, "Teacher");
        var userA3 = Person("user.alpha3", leaA, a3, "Teacher");
        var userB1 = Person("user.bravo1", leaB, b1, "Teacher");
        var districtB = Person("district.bravo", leaB, null, "Data manager");

        var group = new SchoolGroup { SchoolSystemId = 0, Name = "Alpha North" };
        db.Add(admin);
        await db.SaveChangesAsync();
        group.SchoolSystemId = leaA.Id;
        group.Members.Add(new SchoolGroupMember { SchoolId = a1.Id });
        group.Members.Add(new SchoolGroupMember { SchoolId = a2.Id });
        db.Add(group);

        db.StateAdministrators.Add(new StateAdministratorAssignment { StaffMember = admin, StartsOn = startedOn });
        db.CoordinatorAssignments.AddRange(
            new CoordinatorAssignment { StaffMember = districtA, SchoolSystem = leaA, Coverage = CoordinatorCoverage.SchoolSystem, StartsOn = startedOn },
            new CoordinatorAssignment { StaffMember = districtB, SchoolSystem = leaB, Coverage = CoordinatorCoverage.SchoolSystem, StartsOn = startedOn },
            new CoordinatorAssignment { StaffMember = localA, SchoolSystem = leaA, Coverage = CoordinatorCoverage.SchoolGroup, SchoolGroup = group, StartsOn = startedOn });
        db.SupervisorAssignments.Add(new SupervisorAssignment { StaffMember = supervisorA, SchoolSystem = leaA, StartsOn = startedOn });

        var schoolRole = new EserRole { Code = "DATA-ENTRY", Name = "Student Data Entry", Description = "Enter student data.", Permissions = "View student records; Edit student records", Level = RoleLevel.School };
        var iepRole = new EserRole { Code = "IEP-WRITER", Name = "IEP Forms Writer", Description = "Write IEPs.", Permissions = "View student records; Write IEP forms", GrantsIepForms = true, Level = RoleLevel.School };
        var leaRole = new EserRole { Code = "LEA-REPORTS", Name = "LEA Reports", Description = "Run reports.", Permissions = "Run LEA reports", Level = RoleLevel.SchoolSystem };
        db.AddRange(schoolRole, iepRole, leaRole);
        await db.SaveChangesAsync();

        return new TestState
        {
            LeaA = leaA, LeaB = leaB, A1 = a1, A2 = a2, A3 = a3, B1 = b1,
            StateAdmin = admin, DistrictA = districtA, LocalA = localA, SupervisorA = supervisorA,
            UserA1 = userA1, UserA3 = userA3, UserB1 = userB1, DistrictB = districtB,
            SchoolRole = schoolRole, IepRole = iepRole, LeaRole = leaRole,
        };
    }

    /// <summary>Adds a pending request straight to the database, as a test precondition.</summary>
    public static async Task<AccessRequest> AddPendingRequestAsync(
        TestDatabase database, StaffMember requester, EserRole role, SchoolSystem lea, School? school, DateTimeOffset submittedAt,
        AccessRequestStatus status = AccessRequestStatus.PendingCoordinator)
    {
        await using var db = await database.OpenAsync();
        var request = new AccessRequest
        {
            RequesterId = requester.Id,
            EserRoleId = role.Id,
            SchoolSystemId = lea.Id,
            SchoolId = school?.Id,
            Justification = "Needed for my duties.",
            Status = status,
            SubmittedAt = submittedAt,
            StageSince = submittedAt,
        };
        db.Add(request);
        await db.SaveChangesAsync();
        return request;
    }

    /// <summary>
    /// Records that each person signed the assurance of the school year of the database's clock, straight in the
    /// database, as a test precondition (for example before an IEP Forms approval, which needs it).
    /// </summary>
    public static async Task SignThisYearAsync(TestDatabase database, params StaffMember[] people)
    {
        await using var db = await database.OpenAsync();
        var now = database.Clock.GetUtcNow();
        var year = SchoolYear.Containing(DateOnly.FromDateTime(now.UtcDateTime)).StartYear;
        var version = await db.StatementVersions.FirstOrDefaultAsync(v => v.SchoolYear == year && v.Status == StatementStatus.Published);
        if (version is null)
        {
            version = new StatementVersion
            {
                SchoolYear = year, VersionNumber = 1, Title = "Confidentiality Assurance Statement", Body = "I keep students' records confidential.",
                Acknowledgements = "I access records only for my duties.", Status = StatementStatus.Published, PublishedAt = now.AddDays(-1),
            };
            db.StatementVersions.Add(version);
            await db.SaveChangesAsync();
        }
        foreach (var person in people)
        {
            db.AssuranceSignatures.Add(new AssuranceSignature
            {
                StaffMemberId = person.Id, StatementVersionId = version.Id, SchoolYear = year, SignedAt = now, TypedName = person.FullName,
                Acknowledgements = version.Acknowledgements, TextHash = "test", VerificationCode = $"TEST-{person.Id:0000}",
            });
        }
        await db.SaveChangesAsync();
    }
}

using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Data;
using EserSecurity.Core.KeyDates;
using EserSecurity.Core.Staff;
using EserSecurity.DemoState;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace EserSecurity.Tests.DemoState;

/// <summary>One Small demo state shared by the read-only tests below.</summary>
public sealed class SmallDemoStateFixture : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;

    public TimeSpan SeedTime { get; private set; }

    public async Task InitializeAsync()
    {
        var stopwatch = Stopwatch.StartNew();
        Database = await TestDatabase.CreateAsync(DemoStateSize.Small);
        SeedTime = stopwatch.Elapsed;
    }

    public async Task DisposeAsync() => await Database.DisposeAsync();
}

public sealed class DemoStateGeneratorTests(SmallDemoStateFixture small, ITestOutputHelper output) : IClassFixture<SmallDemoStateFixture>
{
    private DateOnly Today => DateOnly.FromDateTime(small.Database.Clock.GetUtcNow().UtcDateTime);

    [Fact]
    public async Task Seed_CreatesAllSixDemoPeople_ActiveWithTheirExactUsernames()
    {
        await using var db = await small.Database.OpenAsync();

        var people = await db.StaffMembers.AsNoTracking().Where(s => DemoPeople.All.Contains(s.Username!)).ToListAsync();

        Assert.Equal(DemoPeople.All.Order(), people.Select(p => p.Username!).Order());
        Assert.All(people, p => Assert.Equal(EmploymentStatus.Active, p.EmploymentStatus));
        output.WriteLine($"Small seed (migrate + generate) took {small.SeedTime.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task Seed_StateAdmin_IsStateStaffWithAnActiveStateAdministratorAssignment()
    {
        await using var db = await small.Database.OpenAsync();
        var today = Today;

        var admin = await Person(db, DemoPeople.StateAdmin);

        Assert.Null(admin.SchoolSystemId);
        Assert.True(await db.StateAdministrators.AnyAsync(a =>
            a.StaffMemberId == admin.Id && a.StartsOn <= today && (a.EndsOn == null || a.EndsOn > today)));
    }

    [Fact]
    public async Task Seed_DistrictCoordinators_ShareTheDemoLeaWhichHasDozensOfPendingRequests()
    {
        await using var db = await small.Database.OpenAsync();
        var first = await Person(db, DemoPeople.DistrictCoordinator);
        var second = await Person(db, DemoPeople.DistrictCoordinator2);

        var assignments = await db.CoordinatorAssignments.AsNoTracking()
            .Where(a => (a.StaffMemberId == first.Id || a.StaffMemberId == second.Id) && a.EndsOn == null)
            .ToListAsync();
        var demoLeaId = Assert.Single(assignments.Select(a => a.SchoolSystemId).Distinct());
        var pending = await db.AccessRequests.CountAsync(r =>
            r.SchoolSystemId == demoLeaId && r.Status == AccessRequestStatus.PendingCoordinator);

        Assert.Equal(2, assignments.Count);
        Assert.All(assignments, a => Assert.Equal(CoordinatorCoverage.SchoolSystem, a.Coverage));
        Assert.Equal(demoLeaId, first.SchoolSystemId);
        Assert.Equal(demoLeaId, second.SchoolSystemId);
        Assert.InRange(pending, 24, int.MaxValue);
    }

    [Fact]
    public async Task Seed_LocalCoordinator_CoversANamedGroupOfSchoolsWithPendingRequests()
    {
        await using var db = await small.Database.OpenAsync();
        var local = await Person(db, DemoPeople.LocalCoordinator);

        var assignment = await db.CoordinatorAssignments.AsNoTracking().SingleAsync(a => a.StaffMemberId == local.Id);
        var group = await db.SchoolGroups.AsNoTracking().Include(g => g.Members).SingleAsync(g => g.Id == assignment.SchoolGroupId);
        var schoolIds = group.Members.Select(m => m.SchoolId).ToList();
        var schoolsInLea = await db.Schools.CountAsync(s => schoolIds.Contains(s.Id) && s.SchoolSystemId == local.SchoolSystemId);
        var pendingInGroup = await db.AccessRequests.CountAsync(r =>
            r.SchoolId != null && schoolIds.Contains(r.SchoolId.Value) && r.Status == AccessRequestStatus.PendingCoordinator);

        Assert.Equal(CoordinatorCoverage.SchoolGroup, assignment.Coverage);
        Assert.Equal("Northside Schools", group.Name);
        Assert.InRange(schoolIds.Count, 2, int.MaxValue);
        Assert.Equal(schoolIds.Count, schoolsInLea);
        Assert.InRange(pendingInGroup, 1, int.MaxValue);
    }

    [Fact]
    public async Task Seed_SpedSupervisor_SupervisesTheDemoLeaWithRequestsAwaitingEndorsement()
    {
        await using var db = await small.Database.OpenAsync();
        var supervisor = await Person(db, DemoPeople.SpedSupervisor);
        var coordinator = await Person(db, DemoPeople.DistrictCoordinator);

        var assignment = await db.SupervisorAssignments.AsNoTracking().SingleAsync(a => a.StaffMemberId == supervisor.Id);
        var awaiting = await db.AccessRequests.CountAsync(r =>
            r.SchoolSystemId == assignment.SchoolSystemId && r.Status == AccessRequestStatus.PendingSupervisor);

        Assert.Equal("Special Education Supervisor", supervisor.Position);
        Assert.Equal(coordinator.SchoolSystemId, assignment.SchoolSystemId);
        Assert.Null(assignment.EndsOn);
        Assert.InRange(awaiting, 1, int.MaxValue);
    }

    [Fact]
    public async Task Seed_StaffUser_WorksAtOneDemoLeaSchoolAndHasNoGrantRequestOrCurrentSignature()
    {
        await using var db = await small.Database.OpenAsync();
        var user = await Person(db, DemoPeople.StaffUser);
        var coordinator = await Person(db, DemoPeople.DistrictCoordinator);
        var year = SchoolYear.Containing(Today).StartYear;

        Assert.Equal(coordinator.SchoolSystemId, user.SchoolSystemId);
        Assert.Single(await db.StaffSchools.Where(s => s.StaffMemberId == user.Id).ToListAsync());
        Assert.False(await db.AccessGrants.AnyAsync(g => g.StaffMemberId == user.Id));
        Assert.False(await db.AccessRequests.AnyAsync(r => r.RequesterId == user.Id));
        Assert.False(await db.AssuranceSignatures.AnyAsync(s => s.StaffMemberId == user.Id && s.SchoolYear == year));
        Assert.True(await db.LegacySerAccess.AnyAsync(l => l.StaffMemberId == user.Id));
    }

    [Fact]
    public async Task Seed_SiteCodes_AreSixDigitsStartingWithTheirLeaCode()
    {
        await using var db = await small.Database.OpenAsync();

        var schools = await db.Schools.AsNoTracking().Select(s => new { s.SiteCode, LeaCode = s.SchoolSystem!.Code }).ToListAsync();

        Assert.NotEmpty(schools);
        Assert.All(schools, s =>
        {
            Assert.Matches("^[0-9]{6}$", s.SiteCode);
            Assert.StartsWith(s.LeaCode, s.SiteCode, StringComparison.Ordinal);
        });
        Assert.Equal(schools.Count, schools.Select(s => s.SiteCode).Distinct().Count());
    }

    [Fact]
    public async Task Seed_EveryTasRoleButTheDeliberatelyUnmappedMapsToAPermissionOfItsRole()
    {
        await using var db = await small.Database.OpenAsync();

        var tasRoles = await db.TasRoles.AsNoTracking().Include(t => t.EserRole).ToListAsync();
        var mapped = tasRoles.Where(t => t.EserRoleId is not null).ToList();

        Assert.InRange(mapped.Count, 8, int.MaxValue);
        Assert.InRange(tasRoles.Count - mapped.Count, 1, 2);
        Assert.All(mapped, t => Assert.Contains(t.EserPermission!, t.EserRole!.Permissions.Split("; ")));
        Assert.All(tasRoles.Except(mapped), t => Assert.Null(t.EserPermission));
    }

    [Fact]
    public async Task Seed_NoPendingRequestDuplicatesAnActiveGrantOrAnotherPendingRequest()
    {
        await using var db = await small.Database.OpenAsync();

        var pending = await db.AccessRequests.AsNoTracking()
            .Where(r => r.Status == AccessRequestStatus.PendingCoordinator || r.Status == AccessRequestStatus.PendingSupervisor)
            .Select(r => new { r.RequesterId, r.EserRoleId, r.SchoolSystemId, r.SchoolId })
            .ToListAsync();
        var active = (await db.AccessGrants.AsNoTracking()
            .Where(g => g.EndedAt == null)
            .Select(g => new { RequesterId = g.StaffMemberId, g.EserRoleId, g.SchoolSystemId, g.SchoolId })
            .ToListAsync()).ToHashSet();

        Assert.NotEmpty(pending);
        Assert.Equal(pending.Count, pending.Distinct().Count());
        Assert.DoesNotContain(pending, active.Contains);
    }

    [Fact]
    public async Task Seed_PendingSupervisor_OnlyForIepFormsRolesAfterACoordinatorApproval()
    {
        await using var db = await small.Database.OpenAsync();

        var awaiting = await db.AccessRequests.AsNoTracking().Include(r => r.EserRole).Include(r => r.Steps)
            .Where(r => r.Status == AccessRequestStatus.PendingSupervisor)
            .ToListAsync();

        Assert.NotEmpty(awaiting);
        Assert.All(awaiting, r =>
        {
            Assert.True(r.EserRole!.GrantsIepForms);
            Assert.Contains(r.Steps, s => s.Action == AccessRequestAction.CoordinatorApproved && s.ToStatus == AccessRequestStatus.PendingSupervisor);
        });
    }

    [Fact]
    public async Task Seed_EveryRequestHasItsHistory_AndApprovedOnesTheirGrant()
    {
        await using var db = await small.Database.OpenAsync();

        var requests = await db.AccessRequests.AsNoTracking().Include(r => r.Steps).ToListAsync();
        var grantsByRequest = await db.AccessGrants.AsNoTracking()
            .Where(g => g.AccessRequestId != null)
            .ToDictionaryAsync(g => g.AccessRequestId!.Value);

        Assert.Contains(requests, r => r.Status == AccessRequestStatus.Denied);
        Assert.Contains(requests, r => r.Status == AccessRequestStatus.Withdrawn);
        Assert.All(requests, r =>
        {
            var steps = r.Steps.OrderBy(s => s.At).ThenBy(s => s.Id).ToList();
            Assert.Equal(AccessRequestAction.Submitted, steps[0].Action);
            Assert.Equal(r.RequesterId, steps[0].ActorId);
            Assert.Equal(r.SubmittedAt, steps[0].At);
            Assert.Equal(r.Status, steps[^1].ToStatus);
            Assert.Equal(r.Status is AccessRequestStatus.PendingCoordinator or AccessRequestStatus.PendingSupervisor, r.ClosedAt is null);
            Assert.False(string.IsNullOrWhiteSpace(r.Justification));
            if (r.Status == AccessRequestStatus.Approved)
            {
                var grant = grantsByRequest[r.Id];
                Assert.Equal((r.RequesterId, r.EserRoleId, r.SchoolId), (grant.StaffMemberId, grant.EserRoleId, grant.SchoolId));
                Assert.Equal(r.ClosedAt, grant.GrantedAt);
            }
            if (r.Status == AccessRequestStatus.Denied)
            {
                Assert.False(string.IsNullOrWhiteSpace(steps[^1].Reason));
            }
        });
    }

    [Fact]
    public async Task Seed_AtLeastOneLeaLacksADistrictCoordinator()
    {
        await using var db = await small.Database.OpenAsync();
        var today = Today;

        var covered = await db.CoordinatorAssignments
            .Where(a => a.Coverage == CoordinatorCoverage.SchoolSystem && a.StartsOn <= today && (a.EndsOn == null || a.EndsOn > today))
            .Select(a => a.SchoolSystemId).Distinct().ToListAsync();
        var uncovered = await db.SchoolSystems.CountAsync(s => !covered.Contains(s.Id));

        Assert.InRange(uncovered, 1, int.MaxValue);
    }

    [Fact]
    public async Task Seed_KeyDates_IncludeGoLiveWeeksAheadAndWeeklyMondaySessions()
    {
        await using var db = await small.Database.OpenAsync();
        var today = Today;

        var dates = await db.KeyDates.AsNoTracking().ToListAsync();
        var goLive = Assert.Single(dates, d => d.Kind == KeyDateKind.GoLive);
        var sessions = dates.Where(d => d.Kind == KeyDateKind.QaSession).ToList();

        Assert.InRange(goLive.On.DayNumber - today.DayNumber, 28, 42);
        Assert.InRange(sessions.Count, 6, 10);
        Assert.All(sessions, s =>
        {
            Assert.Equal(DayOfWeek.Monday, s.On.DayOfWeek);
            Assert.Equal((new TimeOnly(14, 0), new TimeOnly(15, 0)), (s.StartsAt, s.EndsAt));
        });
        Assert.Contains(sessions, s => s.On < today);
        Assert.Contains(sessions, s => s.On > goLive.On);
        Assert.Equal(2, dates.Count(d => d.Kind == KeyDateKind.DocumentRelease));
    }

    [Fact]
    public async Task Seed_Signatures_HashTheSignedTextWithUniqueVerificationCodes()
    {
        await using var db = await small.Database.OpenAsync();
        var year = SchoolYear.Containing(Today);

        var current = await db.StatementVersions.AsNoTracking().SingleAsync(v => v.SchoolYear == year.StartYear);
        var signatures = await db.AssuranceSignatures.AsNoTracking().ToListAsync();
        var currentSignatures = signatures.Where(s => s.SchoolYear == year.StartYear).ToList();
        var expectedHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{current.Title}\n\n{current.Body}\n\n{current.Acknowledgements}")));

        Assert.Equal($"Confidentiality Assurance Statement {year.Label}", current.Title);
        Assert.Equal(StatementStatus.Published, current.Status);
        Assert.Equal(3, current.Acknowledgements.Split('\n').Length);
        Assert.True(await db.StatementVersions.AnyAsync(v => v.SchoolYear == year.StartYear - 1));
        Assert.NotEmpty(currentSignatures);
        Assert.All(currentSignatures, s =>
        {
            Assert.Equal(current.Id, s.StatementVersionId);
            Assert.Equal(expectedHash, s.TextHash);
            Assert.Matches("^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$", s.VerificationCode);
            Assert.InRange(s.SignedAt, current.PublishedAt!.Value, small.Database.Clock.GetUtcNow());
        });
        Assert.Equal(signatures.Count, signatures.Select(s => s.VerificationCode).Distinct().Count());
    }

    [Fact]
    public async Task Seed_AllTimes_AreUtcAndNotInTheFuture()
    {
        await using var db = await small.Database.OpenAsync();
        var now = small.Database.Clock.GetUtcNow();

        var times = new List<DateTimeOffset>();
        times.AddRange(await db.AccessRequests.Select(r => r.SubmittedAt).ToListAsync());
        times.AddRange(await db.AccessRequestSteps.Select(s => s.At).ToListAsync());
        times.AddRange(await db.AccessGrants.Select(g => g.GrantedAt).ToListAsync());
        times.AddRange((await db.AccessGrants.Select(g => g.EndedAt).ToListAsync()).OfType<DateTimeOffset>());
        times.AddRange(await db.LegacySerAccess.Select(l => l.ImportedAt).ToListAsync());
        times.AddRange(await db.AssuranceSignatures.Select(s => s.SignedAt).ToListAsync());

        Assert.All(times, t =>
        {
            Assert.Equal(TimeSpan.Zero, t.Offset);
            Assert.True(t <= now, $"{t:O} is after {now:O}");
        });
    }

    [Fact]
    public async Task Seed_Staff_HaveUniqueIdsAndUsernamesAndWorkAtSchoolsOfTheirOwnLea()
    {
        await using var db = await small.Database.OpenAsync();

        var staff = await db.StaffMembers.AsNoTracking().Include(s => s.Schools).ThenInclude(l => l.School).ToListAsync();
        var usernames = staff.Where(s => s.Username is not null).Select(s => s.Username).ToList();
        var lea = staff.Where(s => s.SchoolSystemId is not null).ToList();

        Assert.All(staff, s => Assert.Matches("^[1-9][0-9]{9}$", s.StaffId));
        Assert.Equal(staff.Count, staff.Select(s => s.StaffId).Distinct().Count());
        Assert.Equal(usernames.Count, usernames.Distinct().Count());
        Assert.InRange(staff.Count - usernames.Count, 1, staff.Count / 5);
        Assert.All(lea, s =>
        {
            Assert.InRange(s.Schools.Count, 1, 2);
            Assert.All(s.Schools, l => Assert.Equal(s.SchoolSystemId, l.School!.SchoolSystemId));
        });
        Assert.Contains(staff, s => s.EmploymentStatus == EmploymentStatus.Ended && s.EmploymentEndedOn is not null);
    }

    [Fact]
    public async Task Seed_Rows_ReadAndUpdateThroughEfLikeRowsEfWrote()
    {
        await using var db = await small.Database.OpenAsync();
        var now = small.Database.Clock.GetUtcNow();
        // Rolled back on dispose: the other tests share this database.
        await using var transaction = await db.Database.BeginTransactionAsync();

        var request = await db.AccessRequests.FirstAsync(r => r.Status == AccessRequestStatus.PendingCoordinator);
        var policy = (await db.SchoolSystems.AsNoTracking().FirstAsync()).SecurityPolicy;
        var step = await db.AccessRequestSteps.AsNoTracking().FirstAsync(s => s.AccessRequestId == request.Id);
        var dueReviews = await db.AccessReviews.CountAsync(r => r.DueOn > DateOnly.FromDateTime(now.UtcDateTime));
        request.Justification += " (edited)";
        request.ConcurrencyToken = Guid.NewGuid();
        db.ChangeTracker.DetectChanges();
        var saved = await db.SaveChangesAsync();

        Assert.Equal(1, saved);
        Assert.Equal(AccessRequestAction.Submitted, step.Action);
        Assert.NotNull(policy);
        Assert.Equal(1, dueReviews);
    }

    [Fact]
    public async Task Seed_Small_IsDeterministic()
    {
        await using var again = await SeededAsync(DemoStateSize.Small);
        await using var first = await small.Database.OpenAsync();
        await using var second = await again.OpenAsync();

        Assert.Equal(await Fingerprint(first), await Fingerprint(second));
    }

    [Fact]
    public async Task Seed_Full_HasStateScaleCounts()
    {
        await using var full = await SeededAsync(DemoStateSize.Full);
        await using var db = await full.OpenAsync();

        var counts = await Counts(db);
        foreach (var (table, count) in counts)
        {
            output.WriteLine($"{table}: {count}");
        }

        Assert.InRange(counts["SchoolSystems"], 65, 80);
        Assert.InRange(counts["Schools"], 1300, 1600);
        Assert.InRange(counts["StaffMembers"], 28000, 33000);
        Assert.InRange(counts["PendingCoordinator"], 5000, 8000);
        Assert.InRange(counts["ActiveGrants"], 8000, 14000);
        var demoLea = (await Person(db, DemoPeople.DistrictCoordinator)).SchoolSystemId;
        Assert.InRange(await db.AccessRequests.CountAsync(r =>
            r.SchoolSystemId == demoLea && r.Status == AccessRequestStatus.PendingCoordinator), 200, int.MaxValue);
        Assert.InRange(await db.Schools.CountAsync(s => s.SchoolSystemId == demoLea), 60, 80);
    }

    /// <summary>A migrated database seeded through the generator directly, so the seed alone is timed.</summary>
    private async Task<TestDatabase> SeededAsync(DemoStateSize size)
    {
        var database = await TestDatabase.CreateAsync();
        await using var db = await database.OpenAsync();
        var stopwatch = Stopwatch.StartNew();
        await database.Get<IDemoStateGenerator>().SeedAsync(db, size);
        output.WriteLine($"{size} seed took {stopwatch.Elapsed.TotalMilliseconds:F0} ms");
        return database;
    }

    private static async Task<StaffMember> Person(EserSecurityDbContext db, string username) =>
        await db.StaffMembers.AsNoTracking().SingleAsync(s => s.Username == username);

    private static async Task<SortedDictionary<string, int>> Counts(EserSecurityDbContext db) => new(StringComparer.Ordinal)
    {
        ["SchoolSystems"] = await db.SchoolSystems.CountAsync(),
        ["Schools"] = await db.Schools.CountAsync(),
        ["StaffMembers"] = await db.StaffMembers.CountAsync(),
        ["StaffSchools"] = await db.StaffSchools.CountAsync(),
        ["LegacySerAccess"] = await db.LegacySerAccess.CountAsync(),
        ["CoordinatorAssignments"] = await db.CoordinatorAssignments.CountAsync(),
        ["SchoolGroups"] = await db.SchoolGroups.CountAsync(),
        ["SupervisorAssignments"] = await db.SupervisorAssignments.CountAsync(),
        ["AccessRequests"] = await db.AccessRequests.CountAsync(),
        ["AccessRequestSteps"] = await db.AccessRequestSteps.CountAsync(),
        ["PendingCoordinator"] = await db.AccessRequests.CountAsync(r => r.Status == AccessRequestStatus.PendingCoordinator),
        ["PendingSupervisor"] = await db.AccessRequests.CountAsync(r => r.Status == AccessRequestStatus.PendingSupervisor),
        ["AccessGrants"] = await db.AccessGrants.CountAsync(),
        ["ActiveGrants"] = await db.AccessGrants.CountAsync(g => g.EndedAt == null),
        ["AssuranceSignatures"] = await db.AssuranceSignatures.CountAsync(),
        ["AccessReviewItems"] = await db.AccessReviewItems.CountAsync(),
        ["KeyDates"] = await db.KeyDates.CountAsync(),
    };

    /// <summary>Everything a second seed must reproduce: the counts, every person and every request.</summary>
    private static async Task<string> Fingerprint(EserSecurityDbContext db)
    {
        var text = new StringBuilder();
        foreach (var (table, count) in await Counts(db))
        {
            text.AppendLine($"{table}={count}");
        }
        foreach (var s in await db.StaffMembers.AsNoTracking().OrderBy(s => s.Id).ToListAsync())
        {
            text.AppendLine($"{s.Id}|{s.StaffId}|{s.Username}|{s.FirstName}|{s.LastName}|{s.Email}|{s.Position}|{s.SchoolSystemId}|{s.EmploymentStatus}");
        }
        foreach (var r in await db.AccessRequests.AsNoTracking().OrderBy(r => r.Id).ToListAsync())
        {
            text.AppendLine($"{r.Id}|{r.RequesterId}|{r.EserRoleId}|{r.SchoolId}|{r.Status}|{r.SubmittedAt:O}|{r.ConcurrencyToken}");
        }
        foreach (var s in await db.AssuranceSignatures.AsNoTracking().OrderBy(s => s.Id).ToListAsync())
        {
            text.AppendLine($"{s.Id}|{s.StaffMemberId}|{s.VerificationCode}|{s.SignedAt:O}");
        }
        return text.ToString();
    }
}

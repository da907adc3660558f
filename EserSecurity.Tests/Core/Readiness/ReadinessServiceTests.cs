using System.Text;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Grants;
using EserSecurity.Core.KeyDates;
using EserSecurity.Core.Readiness;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Support;

namespace EserSecurity.Tests.Core.Readiness;

/// <summary>
/// A known state, go-live on January 4, 2027 (37 days after the test clock). TAS lists in school system A:
/// user.alpha1 at A1 (granted, signed: ready), user.alpha3 at A3 twice (granted, unsigned), local.alpha at A1
/// (request waiting for a coordinator), user.alpha2 at A2 (IEP Forms request waiting for the supervisor),
/// supervisor.alpha without a site (signed, no request); not counted: district.alpha (TAS status Inactive) and
/// ended.alpha (employment ended). In B: user.bravo1 at B1, granted and signed.
/// </summary>
public sealed class ReadinessServiceTests
{
    private static readonly DateOnly GoLiveDay = new(2027, 1, 4);

    private sealed record Known(TestDatabase Database, TestState State, StaffMember UserA2, ReadinessService Service);

    private static async Task<Known> ArrangeAsync()
    {
        var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var tas = await LegacyAccessState.CreateAsync(database, state);
        var now = database.Clock.GetUtcNow();
        StaffMember userA2, ended;
        await using (var db = await database.OpenAsync())
        {
            userA2 = new StaffMember { StaffId = "800000002", FirstName = "user", LastName = "alpha2", Email = "a2@example.org", SchoolSystemId = state.LeaA.Id, Position = "Teacher" };
            ended = new StaffMember
            {
                StaffId = "800000003", FirstName = "ended", LastName = "alpha", Email = "e@example.org", SchoolSystemId = state.LeaA.Id, Position = "Teacher",
                EmploymentStatus = EmploymentStatus.Ended,
            };
            var statement = new StatementVersion { SchoolYear = 2026, VersionNumber = 1, Title = "Assurance", Body = "Text", Acknowledgements = "I agree", Status = StatementStatus.Published };
            db.AddRange(userA2, ended, statement);
            await db.SaveChangesAsync();
            foreach (var person in new[] { state.UserA1, state.SupervisorA, state.UserB1 })
            {
                db.AssuranceSignatures.Add(new AssuranceSignature
                {
                    StaffMemberId = person.Id, StatementVersionId = statement.Id, SchoolYear = 2026, SignedAt = now, TypedName = person.FullName,
                    Acknowledgements = "I agree", TextHash = new string('0', 64), VerificationCode = $"CODE-{person.Id}",
                });
            }
            db.AccessGrants.AddRange(
                Grant(state.UserA1, state.SchoolRole.Id, state.LeaA.Id, state.A1.Id, now),
                Grant(state.UserA3, state.SchoolRole.Id, state.LeaA.Id, state.A3.Id, now),
                Grant(state.UserB1, state.SchoolRole.Id, state.LeaB.Id, state.B1.Id, now),
                Grant(state.LocalA, state.LeaRole.Id, state.LeaA.Id, null, now, endedAt: now));
            db.KeyDates.Add(new KeyDate { Kind = KeyDateKind.GoLive, Title = "Go-live", On = GoLiveDay });
            await db.SaveChangesAsync();
        }
        await LegacyAccessState.AddAsync(database, state.UserA1, state.LeaA, state.A1, tas.DataEntry);
        await LegacyAccessState.AddAsync(database, state.UserA3, state.LeaA, state.A3, tas.DataEntry);
        await LegacyAccessState.AddAsync(database, state.UserA3, state.LeaA, state.A3, tas.IepWriter);
        await LegacyAccessState.AddAsync(database, state.LocalA, state.LeaA, state.A1, tas.Gifted);
        await LegacyAccessState.AddAsync(database, userA2, state.LeaA, state.A2, tas.IepWriter);
        await LegacyAccessState.AddAsync(database, state.SupervisorA, state.LeaA, null, tas.Reports);
        await LegacyAccessState.AddAsync(database, state.DistrictA, state.LeaA, state.A2, tas.DataEntry, status: "Inactive");
        await LegacyAccessState.AddAsync(database, ended, state.LeaA, state.A1, tas.DataEntry);
        await LegacyAccessState.AddAsync(database, state.UserB1, state.LeaB, state.B1, tas.DataEntry);
        await TestState.AddPendingRequestAsync(database, state.LocalA, state.SchoolRole, state.LeaA, state.A1, now.AddDays(-2));
        await TestState.AddPendingRequestAsync(database, userA2, state.IepRole, state.LeaA, state.A2, now.AddDays(-1), AccessRequestStatus.PendingSupervisor);
        return new Known(database, state, userA2, database.Get<ReadinessService>());
    }

    private static AccessGrant Grant(StaffMember person, int roleId, int schoolSystemId, int? schoolId, DateTimeOffset at, DateTimeOffset? endedAt = null) => new()
    {
        StaffMemberId = person.Id, EserRoleId = roleId, SchoolSystemId = schoolSystemId, SchoolId = schoolId, Origin = GrantOrigin.Request, GrantedAt = at,
        EndedAt = endedAt, EndReason = endedAt is null ? null : GrantEndReason.Manual,
    };

    private static Caller As(StaffMember person) => TestState.CallerFor(person);

    [Fact]
    public async Task GetBoard_AsStateAdministrator_CountsEverySchoolSystemWithTheCountdown()
    {
        var known = await ArrangeAsync();
        await using var _ = known.Database;

        var board = await known.Service.GetBoardAsync(As(known.State.StateAdmin));

        Assert.Equal(37, board.GoLive!.DaysRemaining);
        Assert.False(board.HasGoneLive);
        Assert.Equal("2026–27", board.SchoolYearLabel);
        Assert.Equal(["101", "202"], board.SchoolSystems.Select(s => s.Code));
        Assert.Equal(new ReadinessFigures(LegacyUsers: 5, WithGrant: 2, WithAssurance: 2, Ready: 1, RequestPending: 2, LockedOut: 0), board.SchoolSystems[0].Figures);
        Assert.Equal(4, board.SchoolSystems[0].Figures.NotReady);
        Assert.Equal(20, board.SchoolSystems[0].Figures.PercentReady);
        Assert.Equal(new ReadinessFigures(1, 1, 1, 1, 0, 0), board.SchoolSystems[1].Figures);
        Assert.Equal(new ReadinessFigures(6, 3, 3, 2, 2, 0), board.Total);
    }

    [Fact]
    public async Task GetBoard_SortsByPercentReadyEitherWay()
    {
        var known = await ArrangeAsync();
        await using var _ = known.Database;
        var admin = As(known.State.StateAdmin);

        var descending = await known.Service.GetBoardAsync(admin, ReadinessSort.PercentReady, descending: true);
        var byLegacyUsers = await known.Service.GetBoardAsync(admin, ReadinessSort.LegacyUsers, descending: true);

        Assert.Equal(["202", "101"], descending.SchoolSystems.Select(s => s.Code));
        Assert.Equal(["101", "202"], byLegacyUsers.SchoolSystems.Select(s => s.Code));
    }

    [Fact]
    public async Task GetSchoolSystem_GivesARowPerSchoolAndOneForAccessWithoutASite()
    {
        var known = await ArrangeAsync();
        await using var _ = known.Database;
        var state = known.State;

        var readiness = await known.Service.GetSchoolSystemAsync(As(state.DistrictA), state.LeaA.Id, ReadinessSort.Name);

        Assert.Equal(5, readiness.SchoolSystem.Figures.LegacyUsers);
        var rows = readiness.Schools.ToDictionary(s => s.Name, s => (s.Figures.LegacyUsers, s.Figures.Ready, s.Figures.WithGrant));
        Assert.Equal((2, 1, 1), rows[state.A1.Name]);
        Assert.Equal((1, 0, 0), rows[state.A2.Name]);
        Assert.Equal((1, 0, 1), rows[state.A3.Name]);
        Assert.Equal((1, 0, 0), rows["No site in TAS"]);
        Assert.Null(readiness.Schools.Single(s => s.Name == "No site in TAS").SchoolId);
    }

    [Fact]
    public async Task GetNotReady_ListsEachPersonWithTheReasonAndWhoARequestWaitsFor()
    {
        var known = await ArrangeAsync();
        await using var _ = known.Database;
        var state = known.State;

        var page = await known.Service.GetNotReadyAsync(As(state.DistrictA), new NotReadyQuery(state.LeaA.Id));

        Assert.Equal(4, page.TotalCount);
        Assert.Equal(["local alpha", "supervisor alpha", "user alpha2", "user alpha3"], page.Items.Select(p => p.Name));
        var local = page.Items[0];
        Assert.Equal(NotReadyReason.RequestPending, local.Reason);
        Assert.Equal(["district alpha"], local.PendingRequest!.WaitingFor);
        Assert.Equal($"Request for {state.SchoolRole.Name} at {state.A1.Name} pending with district alpha; the 2026–27 assurance is not signed either.", local.Explanation);
        Assert.Equal((NotReadyReason.NoRequest, true), (page.Items[1].Reason, page.Items[1].AssuranceSigned));
        Assert.Equal(["No site in TAS"], page.Items[1].TasSchools);
        var a2 = page.Items[2];
        Assert.Equal((NotReadyReason.RequestPending, AccessRequestStatus.PendingSupervisor), (a2.Reason, a2.PendingRequest!.Status));
        Assert.Equal(["supervisor alpha"], a2.PendingRequest.WaitingFor);
        Assert.Equal(NotReadyReason.AssuranceNotSigned, page.Items[3].Reason);
        Assert.All(page.Items, p => Assert.False(p.IsLockedOut));
    }

    [Fact]
    public async Task GetNotReady_FiltersBySchoolReasonSearchAndPages()
    {
        var known = await ArrangeAsync();
        await using var _ = known.Database;
        var state = known.State;
        var coordinator = As(state.DistrictA);

        var atA1 = await known.Service.GetNotReadyAsync(coordinator, new NotReadyQuery(state.LeaA.Id, SchoolId: state.A1.Id));
        var withoutSite = await known.Service.GetNotReadyAsync(coordinator, new NotReadyQuery(state.LeaA.Id, WithoutSiteOnly: true));
        var pending = await known.Service.GetNotReadyAsync(coordinator, new NotReadyQuery(state.LeaA.Id, Reason: NotReadyReason.RequestPending));
        var search = await known.Service.GetNotReadyAsync(coordinator, new NotReadyQuery(state.LeaA.Id, Search: known.UserA2.StaffId));
        var secondPage = await known.Service.GetNotReadyAsync(coordinator, new NotReadyQuery(state.LeaA.Id, Page: 1, PageSize: 3));

        Assert.Equal(["local alpha"], atA1.Items.Select(p => p.Name));
        Assert.Equal(["supervisor alpha"], withoutSite.Items.Select(p => p.Name));
        Assert.Equal(["local alpha", "user alpha2"], pending.Items.Select(p => p.Name));
        Assert.Equal(["user alpha2"], search.Items.Select(p => p.Name));
        Assert.Equal((4, "user alpha3"), (secondPage.TotalCount, Assert.Single(secondPage.Items).Name));
    }

    [Fact]
    public async Task AfterGoLive_PeopleWithoutAnApprovedRoleAreLockedOut()
    {
        var known = await ArrangeAsync();
        await using var _ = known.Database;
        var state = known.State;
        known.Database.Clock.SetUtcNow(new DateTimeOffset(GoLiveDay.ToDateTime(new TimeOnly(6, 0)), TimeSpan.Zero));

        var board = await known.Service.GetBoardAsync(As(state.StateAdmin));
        var people = await known.Service.GetNotReadyAsync(As(state.DistrictA), new NotReadyQuery(state.LeaA.Id));

        Assert.True(board.HasGoneLive);
        Assert.Equal(0, board.GoLive!.DaysRemaining);
        Assert.Equal(3, board.SchoolSystems.Single(s => s.Code == "101").Figures.LockedOut);
        Assert.Equal(0, board.SchoolSystems.Single(s => s.Code == "202").Figures.LockedOut);
        Assert.Equal(["local alpha", "supervisor alpha", "user alpha2"], people.Items.Where(p => p.IsLockedOut).Select(p => p.Name));
        Assert.StartsWith("Locked out: no request for an eSER role", people.Items[1].Explanation);
        Assert.False(people.Items[3].IsLockedOut);
    }

    [Fact]
    public async Task BeforeGoLiveDay_NobodyIsLockedOut()
    {
        var known = await ArrangeAsync();
        await using var _ = known.Database;
        known.Database.Clock.SetUtcNow(new DateTimeOffset(GoLiveDay.AddDays(-1).ToDateTime(new TimeOnly(23, 59)), TimeSpan.Zero));

        var board = await known.Service.GetBoardAsync(As(known.State.StateAdmin));

        Assert.Equal((1, false, 0), (board.GoLive!.DaysRemaining, board.HasGoneLive, board.Total.LockedOut));
    }

    [Fact]
    public async Task Figures_MoveWhenAGrantIsApprovedOrAnAssuranceSigned()
    {
        var known = await ArrangeAsync();
        await using var _ = known.Database;
        var state = known.State;
        var request = (await known.Service.GetNotReadyAsync(As(state.DistrictA), new NotReadyQuery(state.LeaA.Id))).Items[0].PendingRequest!;

        await known.Database.Get<AccessRequestService>().DecideAsync(As(state.DistrictA), request.RequestId, Decision.Approve, null);

        var figures = (await known.Service.GetBoardAsync(As(state.DistrictA))).SchoolSystems.Single().Figures;
        Assert.Equal((3, 1, 1), (figures.WithGrant, figures.RequestPending, figures.Ready));
    }

    [Fact]
    public async Task Scope_CoordinatorsAndSupervisorsSeeTheirOwnSchoolSystemOnly()
    {
        var known = await ArrangeAsync();
        await using var _ = known.Database;
        var state = known.State;

        var district = await known.Service.GetBoardAsync(As(state.DistrictA));
        var supervisor = await known.Service.GetBoardAsync(As(state.SupervisorA));
        var staff = await known.Service.GetBoardAsync(As(state.UserA1));

        Assert.Equal(["101"], district.SchoolSystems.Select(s => s.Code));
        Assert.Equal(["101"], supervisor.SchoolSystems.Select(s => s.Code));
        Assert.Empty(staff.SchoolSystems);
        await Assert.ThrowsAsync<ScopeDeniedException>(() => known.Service.GetSchoolSystemAsync(As(state.DistrictA), state.LeaB.Id));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => known.Service.GetNotReadyAsync(As(state.DistrictB), new NotReadyQuery(state.LeaA.Id)));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => known.Service.ExportNotReadyCsvAsync(As(state.UserA1), state.LeaA.Id));
    }

    [Fact]
    public async Task ExportNotReadyCsv_HasAHeaderAndARowPerPerson()
    {
        var known = await ArrangeAsync();
        await using var _ = known.Database;
        var state = known.State;

        var document = await known.Service.ExportNotReadyCsvAsync(As(state.StateAdmin), state.LeaA.Id);

        Assert.Equal("not-ready-101-2026-11-28.csv", document.FileName);
        var text = Encoding.UTF8.GetString(document.Content.AsSpan(Encoding.UTF8.Preamble.Length));
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Last name,First name,Staff ID,Position,TAS schools,Reason,Request pending with,Assurance signed,Locked out", lines[0]);
        Assert.Equal(5, lines.Length);
        Assert.StartsWith("alpha,local,", lines[1]);
        Assert.EndsWith(",district alpha,No,No", lines[1]);
    }
}

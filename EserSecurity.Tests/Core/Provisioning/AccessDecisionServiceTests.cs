using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Employment;
using EserSecurity.Core.Grants;
using EserSecurity.Core.KeyDates;
using EserSecurity.Core.Provisioning;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EserSecurity.Tests.Core.Provisioning;

public sealed class AccessDecisionServiceTests
{
    private static readonly ApiCaller Reader = new(1, "eser-test", new HashSet<string>(ApiScopes.All));

    private static async Task SetGoLiveAsync(TestDatabase database, DateOnly on)
    {
        await using var db = await database.OpenAsync();
        db.KeyDates.Add(new KeyDate { Kind = KeyDateKind.GoLive, Title = "eSER go-live", On = on });
        await db.SaveChangesAsync();
    }

    private static DateOnly Today(TestDatabase database) => DateOnly.FromDateTime(database.Clock.GetUtcNow().UtcDateTime);

    [Fact]
    public async Task Get_BeforeGoLive_DoesNotAdmit_ButSaysTheSignedPersonWithARoleIsReady()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await SetGoLiveAsync(database, Today(database).AddDays(10));
        await GrantSetup.AddAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1);
        await TestState.SignThisYearAsync(database, state.UserA1);

        var decision = await database.Get<AccessDecisionService>().GetAsync(Reader, state.UserA1.StaffId);

        Assert.False(decision.Admit);
        Assert.Equal(AdmitDecision.BeforeGoLive, decision.Decision);
        Assert.True(decision.ReadyForGoLive);
        Assert.Equal(Today(database).AddDays(10), decision.GoLiveOn);
        var grant = Assert.Single(decision.Grants);
        Assert.Equal(state.SchoolRole.Code, grant.RoleCode);
        Assert.Equal("101", grant.SchoolSystemCode);
        Assert.Equal("101001", grant.SchoolCode);
        Assert.NotEmpty(grant.Permissions);
    }

    [Fact]
    public async Task Get_AfterGoLive_AdmitsOnlyWithARoleAndACurrentAssurance()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await SetGoLiveAsync(database, Today(database).AddDays(-1));
        await GrantSetup.AddAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1);
        await GrantSetup.AddAsync(database, state.UserA3, state.SchoolRole, state.LeaA, state.A3);
        await TestState.SignThisYearAsync(database, state.UserA1, state.UserB1);
        var service = database.Get<AccessDecisionService>();

        var signedWithRole = await service.GetAsync(Reader, state.UserA1.StaffId);
        var unsignedWithRole = await service.GetAsync(Reader, state.UserA3.StaffId);
        var signedWithoutRole = await service.GetAsync(Reader, state.UserB1.StaffId);

        Assert.True(signedWithRole.Admit);
        Assert.Equal(AdmitDecision.Admit, signedWithRole.Decision);
        Assert.Equal(AssuranceStatus.Signed, signedWithRole.Assurance.Status);
        // The test clock stands in November, long after the 30-day grace period.
        Assert.False(unsignedWithRole.Admit);
        Assert.Equal(AdmitDecision.AssuranceOverdue, unsignedWithRole.Decision);
        Assert.Equal(AssuranceStatus.Overdue, unsignedWithRole.Assurance.Status);
        Assert.False(signedWithoutRole.Admit);
        Assert.Equal(AdmitDecision.NoRole, signedWithoutRole.Decision);
    }

    [Fact]
    public async Task Get_InsideTheGracePeriod_AdmitsAnUnsignedPersonWithARole()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        database.Clock.SetUtcNow(new DateTimeOffset(2027, 7, 10, 12, 0, 0, TimeSpan.Zero));
        await SetGoLiveAsync(database, new DateOnly(2027, 1, 4));
        await GrantSetup.AddAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1);

        var decision = await database.Get<AccessDecisionService>().GetAsync(Reader, state.UserA1.StaffId);

        Assert.True(decision.Admit);
        Assert.Equal(AssuranceStatus.Due, decision.Assurance.Status);
        Assert.Equal(new DateOnly(2027, 7, 31), decision.Assurance.OverdueFrom);
    }

    [Fact]
    public async Task Get_OverdueIepFormsGrant_IsSuspendedWhenTheStateSuspends()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await GrantSetup.AddAsync(database, state.UserA1, state.IepRole, state.LeaA, state.A1);
        var suspending = new AccessDecisionService(database.Factory, database.Clock,
            Options.Create(new AssuranceOptions { UnsignedIepForms = UnsignedIepFormsHandling.Suspend }));

        var decision = await suspending.GetAsync(Reader, state.UserA1.StaffId);

        var grant = Assert.Single(decision.Grants);
        Assert.True(grant.IepForms);
        Assert.Equal(IepFormsStanding.Suspended, grant.IepFormsStanding);
    }

    [Fact]
    public async Task Get_PersonOnLeaveOrEnded_IsNotAdmitted_AndAnUnknownStaffIdIsNotFound()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await SetGoLiveAsync(database, Today(database).AddDays(-1));
        await GrantSetup.AddAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1);
        await TestState.SignThisYearAsync(database, state.UserA1);
        await using (var db = await database.OpenAsync())
        {
            await db.StaffMembers.Where(s => s.Id == state.UserA1.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.EmploymentStatus, EmploymentStatus.Leave));
        }
        var service = database.Get<AccessDecisionService>();

        Assert.Equal(AdmitDecision.OnLeave, (await service.GetAsync(Reader, state.UserA1.StaffId)).Decision);
        var missing = await Assert.ThrowsAsync<ApiRefusedException>(() => service.GetAsync(Reader, "99999999"));
        Assert.Equal(ApiRefusal.NotFound, missing.Refusal);
        var malformed = await Assert.ThrowsAsync<ApiRefusedException>(() => service.GetAsync(Reader, "12ab"));
        Assert.Equal(ApiRefusal.BadRequest, malformed.Refusal);
    }

    [Fact]
    public async Task Reads_WithoutTheirScope_AreRefused()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var service = database.Get<AccessDecisionService>();
        var changesOnly = new ApiCaller(1, "feed-only", new HashSet<string> { ApiScopes.ChangesRead });
        var accessOnly = new ApiCaller(1, "access-only", new HashSet<string> { ApiScopes.AccessRead });

        Assert.Equal(ApiRefusal.MissingScope, (await Assert.ThrowsAsync<ApiRefusedException>(() => service.GetAsync(changesOnly, state.UserA1.StaffId))).Refusal);
        Assert.Equal(ApiRefusal.MissingScope, (await Assert.ThrowsAsync<ApiRefusedException>(() => service.ReadChangesAsync(accessOnly, 0))).Refusal);
    }

    [Fact]
    public async Task Feed_RecordsApprovalEndAndSignature_InCommitOrder_WithTheirGrantAndReason()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var service = database.Get<AccessDecisionService>();
        var start = await service.GetLatestCursorAsync(Reader);
        var request = await TestState.AddPendingRequestAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, database.Clock.GetUtcNow());

        await database.Get<AccessRequestService>().DecideAsync(TestState.CallerFor(state.DistrictA), request.Id, Decision.Approve, null);
        var grantId = (await service.ReadChangesAsync(Reader, start)).Changes.Single().Grant!.GrantId;
        await database.Get<GrantService>().EndAsync(TestState.CallerFor(state.DistrictA), grantId, "Moved to another role.");
        await TestState.SignThisYearAsync(database, state.UserA3);

        var page = await service.ReadChangesAsync(Reader, start);

        Assert.Equal([AccessDecisionChangeKind.Granted, AccessDecisionChangeKind.Ended, AccessDecisionChangeKind.AssuranceSigned], page.Changes.Select(c => c.Kind));
        Assert.Equal([state.UserA1.StaffId, state.UserA1.StaffId, state.UserA3.StaffId], page.Changes.Select(c => c.StaffId));
        Assert.Equal(nameof(GrantEndReason.Manual), page.Changes[1].Reason);
        Assert.Equal(grantId, page.Changes[1].Grant!.GrantId);
        Assert.Equal("101001", page.Changes[0].Grant!.SchoolCode);
        Assert.True(page.Changes.Select(c => c.Cursor).SequenceEqual(page.Changes.Select(c => c.Cursor).Order()));
        Assert.Equal(page.Changes[^1].Cursor, page.Next);
        Assert.False(page.HasMore);
        var none = await service.ReadChangesAsync(Reader, page.Next);
        Assert.Empty(none.Changes);
        Assert.Equal(page.Next, none.Next);
    }

    [Fact]
    public async Task Feed_RecordsTheEndOfEmployment_AndEveryGrantItEnds()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var grant = await GrantSetup.AddAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1);
        var service = database.Get<AccessDecisionService>();
        var start = await service.GetLatestCursorAsync(Reader);

        await database.Get<EmploymentService>().EndEmploymentAsync(TestState.CallerFor(state.DistrictA), state.UserA1.Id, Today(database));

        var changes = (await service.ReadChangesAsync(Reader, start)).Changes;
        Assert.Contains(changes, c => c.Kind == AccessDecisionChangeKind.PersonEnded && c.StaffId == state.UserA1.StaffId);
        Assert.Contains(changes, c => c.Kind == AccessDecisionChangeKind.Ended && c.Grant?.GrantId == grant.Id && c.Reason == nameof(GrantEndReason.EmploymentEnded));
    }

    [Fact]
    public async Task Feed_PagesByLimit_AndRefusesOutOfRangeArguments()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var service = database.Get<AccessDecisionService>();
        var start = await service.GetLatestCursorAsync(Reader);
        foreach (var school in new[] { state.A1, state.A2, state.A3 })
        {
            await GrantSetup.AddAsync(database, state.UserA1, state.SchoolRole, state.LeaA, school);
        }

        var first = await service.ReadChangesAsync(Reader, start, limit: 2);
        var second = await service.ReadChangesAsync(Reader, first.Next, limit: 2);

        Assert.Equal(2, first.Changes.Count);
        Assert.True(first.HasMore);
        Assert.Single(second.Changes);
        Assert.False(second.HasMore);
        await Assert.ThrowsAsync<ApiRefusedException>(() => service.ReadChangesAsync(Reader, -1));
        await Assert.ThrowsAsync<ApiRefusedException>(() => service.ReadChangesAsync(Reader, 0, limit: 0));
        await Assert.ThrowsAsync<ApiRefusedException>(() => service.ReadChangesAsync(Reader, 0, limit: AccessDecisionService.MaxPageSize + 1));
    }

    [Fact]
    public async Task Feed_FollowedWhileWritersRun_SeesEveryChangeOnce_InOrder()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var service = database.Get<AccessDecisionService>();
        var grants = database.Get<GrantService>();
        var start = await service.GetLatestCursorAsync(Reader);
        var seeded = new List<int>();
        foreach (var (person, school) in new[] { (state.UserA1, state.A1), (state.UserA3, state.A3) })
        {
            for (var i = 0; i < 15; i++)
            {
                seeded.Add((await GrantSetup.AddAsync(database, person, state.SchoolRole, state.LeaA, school)).Id);
            }
        }
        var afterSeed = await service.GetLatestCursorAsync(Reader);

        // Two writers end grants concurrently while a client follows the feed in small pages.
        var writers = seeded.Chunk(15).Select(chunk => Task.Run(async () =>
        {
            foreach (var id in chunk)
            {
                await grants.EndAsync(TestState.CallerFor(state.DistrictA), id, "No longer needed.");
            }
        })).ToList();
        var seen = new List<DecisionChangeItem>();
        var cursor = afterSeed;
        var allWritten = Task.WhenAll(writers);
        while (true)
        {
            var done = allWritten.IsCompleted;
            var page = await service.ReadChangesAsync(Reader, cursor, limit: 3);
            seen.AddRange(page.Changes);
            cursor = page.Next;
            if (done && !page.HasMore)
            {
                break;
            }
        }
        await allWritten;

        Assert.Equal(30, seen.Count);
        Assert.Equal(seen.Count, seen.Select(c => c.Cursor).Distinct().Count());
        Assert.True(seen.Select(c => c.Cursor).SequenceEqual(seen.Select(c => c.Cursor).Order()));
        Assert.Equal(seeded.Order(), seen.Select(c => c.Grant!.GrantId).Order());
        Assert.True(seen.All(c => c.Kind == AccessDecisionChangeKind.Ended));
        Assert.True(start < afterSeed);
    }

    [Fact]
    public void DecisionRules_AreOneRule_ForEveryCombination()
    {
        var today = new DateOnly(2027, 2, 1);
        Assert.Equal(AdmitDecision.BeforeGoLive, AccessDecisionRules.Decide(today, null, EmploymentStatus.Active, true, AssuranceStatus.Signed));
        Assert.Equal(AdmitDecision.BeforeGoLive, AccessDecisionRules.Decide(today, today.AddDays(1), EmploymentStatus.Active, true, AssuranceStatus.Signed));
        Assert.Equal(AdmitDecision.Admit, AccessDecisionRules.Decide(today, today, EmploymentStatus.Active, true, AssuranceStatus.Signed));
        Assert.Equal(AdmitDecision.NoRole, AccessDecisionRules.Decide(today, today.AddDays(1), EmploymentStatus.Active, false, AssuranceStatus.Signed));
        Assert.Equal(AdmitDecision.EmploymentEnded, AccessDecisionRules.Decide(today, today, EmploymentStatus.Ended, true, AssuranceStatus.Signed));
        Assert.Equal(AdmitDecision.AssuranceOverdue, AccessDecisionRules.Decide(today, today, EmploymentStatus.Active, true, AssuranceStatus.Overdue));
        Assert.Equal(AdmitDecision.Admit, AccessDecisionRules.Decide(today, today, EmploymentStatus.Active, true, AssuranceStatus.Due));
    }
}

using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Grants;
using EserSecurity.Core.LegacyMigration;
using EserSecurity.Core.Security;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.LegacyMigration;

/// <summary>
/// TAS lists in school system A: user.alpha1 as data entry at A1, user.alpha3 as IEP writer and data entry at A3,
/// local.alpha with the unmapped gifted role at A1, supervisor.alpha with reports (no site), district.alpha with data
/// entry but no site; and in B, user.bravo1 at B1.
/// </summary>
public sealed class LegacyMigrationServiceTests
{
    private static async Task<(TestDatabase Db, TestState State, LegacyAccessState Tas, LegacyMigrationService Service)> ArrangeAsync()
    {
        var db = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(db);
        var tas = await LegacyAccessState.CreateAsync(db, state);
        await LegacyAccessState.AddAsync(db, state.UserA1, state.LeaA, state.A1, tas.DataEntry);
        await LegacyAccessState.AddAsync(db, state.UserA3, state.LeaA, state.A3, tas.IepWriter);
        await LegacyAccessState.AddAsync(db, state.UserA3, state.LeaA, state.A3, tas.DataEntry);
        await LegacyAccessState.AddAsync(db, state.LocalA, state.LeaA, state.A1, tas.Gifted);
        await LegacyAccessState.AddAsync(db, state.SupervisorA, state.LeaA, null, tas.Reports);
        await LegacyAccessState.AddAsync(db, state.DistrictA, state.LeaA, null, tas.DataEntry);
        await LegacyAccessState.AddAsync(db, state.UserB1, state.LeaB, state.B1, tas.DataEntry);
        return (db, state, tas, db.Get<LegacyMigrationService>());
    }

    private static Caller As(EserSecurity.Core.Staff.StaffMember person) => TestState.CallerFor(person);

    private static MigrationQuery All => new(PageSize: 100);

    [Fact]
    public async Task GetPlan_ListsEachLegacyUserWithoutAGrant_WithTheSuggestedRoleScopeAndWhatMigratingDoes()
    {
        var (database, state, _, service) = await ArrangeAsync();
        await using var _ = database;

        var plan = await service.GetPlanAsync(As(state.DistrictA), state.LeaA.Id, All);

        var rows = plan.Suggestions.Items.Select(s => (s.Name, s.EserRoleName, s.ScopeName, s.State)).ToList();
        Assert.Equal(
        [
            ("district alpha", state.SchoolRole.Name, state.LeaA.Name, MigrationSuggestionState.NoSchool),
            ("local alpha", null, state.A1.Name, MigrationSuggestionState.Unmapped),
            ("supervisor alpha", state.LeaRole.Name, state.LeaA.Name, MigrationSuggestionState.Grantable),
            ("user alpha1", state.SchoolRole.Name, state.A1.Name, MigrationSuggestionState.Grantable),
            ("user alpha3", state.IepRole.Name, state.A3.Name, MigrationSuggestionState.NeedsSupervisor),
            ("user alpha3", state.SchoolRole.Name, state.A3.Name, MigrationSuggestionState.Grantable),
        ], rows);
        Assert.Equal((5, 3, 1, 2), (plan.PeopleWithoutGrant, plan.Grantable, plan.NeedsSupervisor, plan.NotMigratable));
        Assert.Equal([LegacyAccessState.TasGifted], plan.Suggestions.Items[1].TasRoles);
        Assert.Null(plan.Suggestions.Items[1].Item);
        Assert.Equal(new MigrationItem(state.UserA1.Id, state.SchoolRole.Id, state.A1.Id), plan.Suggestions.Items[3].Item);
    }

    [Fact]
    public async Task GetPlan_LeavesOutPeopleWhoHoldAGrantAndMarksPendingRequests()
    {
        var (database, state, _, service) = await ArrangeAsync();
        await using var _ = database;
        await using (var db = await database.OpenAsync())
        {
            db.AccessGrants.Add(new AccessGrant
            {
                StaffMemberId = state.UserA1.Id, EserRoleId = state.LeaRole.Id, SchoolSystemId = state.LeaA.Id,
                Origin = GrantOrigin.Request, GrantedAt = database.Clock.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        }
        var request = await TestState.AddPendingRequestAsync(database, state.SupervisorA, state.LeaRole, state.LeaA, null, database.Clock.GetUtcNow());

        var plan = await service.GetPlanAsync(As(state.DistrictA), state.LeaA.Id, All);

        Assert.DoesNotContain(plan.Suggestions.Items, s => s.StaffMemberId == state.UserA1.Id);
        var pending = plan.Suggestions.Items.Single(s => s.StaffMemberId == state.SupervisorA.Id);
        Assert.Equal(MigrationSuggestionState.RequestPending, pending.State);
        Assert.Contains($"#{request.Id}", pending.Note);
    }

    [Fact]
    public async Task GetPlan_AsLocalCoordinator_ShowsTheSchoolsTheyCoordinateOnly()
    {
        var (database, state, _, service) = await ArrangeAsync();
        await using var _ = database;

        var plan = await service.GetPlanAsync(As(state.LocalA), state.LeaA.Id, All);

        Assert.All(plan.Suggestions.Items, s => Assert.Equal(state.A1.Id, s.SchoolId));
        Assert.Equal(["local alpha", "user alpha1"], plan.Suggestions.Items.Select(s => s.Name));
    }

    [Fact]
    public async Task GetPlan_SearchAndPage_NarrowTheList()
    {
        var (database, state, _, service) = await ArrangeAsync();
        await using var _ = database;

        var search = await service.GetPlanAsync(As(state.DistrictA), state.LeaA.Id, new MigrationQuery(Search: "ALPHA3"));
        var page = await service.GetPlanAsync(As(state.DistrictA), state.LeaA.Id, new MigrationQuery(MigratableOnly: true, Page: 1, PageSize: 3));

        Assert.Equal(2, search.Suggestions.TotalCount);
        Assert.Equal(4, page.Suggestions.TotalCount);
        Assert.Equal(state.SchoolRole.Name, Assert.Single(page.Suggestions.Items).EserRoleName);
    }

    [Theory]
    [InlineData("districtB")]
    [InlineData("supervisor")]
    [InlineData("staff")]
    public async Task GetPlanAndMigrate_OutsideTheCallersSchoolSystems_AreRefused(string who)
    {
        var (database, state, _, service) = await ArrangeAsync();
        await using var _ = database;
        var caller = As(who switch { "districtB" => state.DistrictB, "supervisor" => state.SupervisorA, _ => state.UserA1 });

        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.GetPlanAsync(caller, state.LeaA.Id, All));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.MigrateAllAsync(caller, state.LeaA.Id));
        var one = await service.MigrateAsync(caller, state.LeaA.Id, [new MigrationItem(state.UserA1.Id, state.SchoolRole.Id, state.A1.Id)]);

        Assert.Contains("outside the schools you coordinate", Assert.Single(one.NotMigrated).Message);
        await using var db = await database.OpenAsync();
        Assert.Equal(0, await db.AccessGrants.CountAsync());
    }

    [Fact]
    public async Task MigrateAll_GrantsWithTasMigrationOrigin_AndSendsIepFormsRolesToTheSupervisor()
    {
        var (database, state, _, service) = await ArrangeAsync();
        await using var _ = database;
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());
        var progress = new List<int>();

        var summary = await service.MigrateAllAsync(As(state.DistrictA), state.LeaA.Id, new SynchronousProgress(progress));

        Assert.Equal((3, 1), (summary.Granted, summary.SentToSupervisor));
        Assert.Empty(summary.NotMigrated);
        Assert.Equal([1, 2, 3, 4], progress);
        await using var db = await database.OpenAsync();
        var grants = await db.AccessGrants.OrderBy(g => g.Id).ToListAsync();
        Assert.Equal(
            [(state.SupervisorA.Id, state.LeaRole.Id, (int?)null), (state.UserA1.Id, state.SchoolRole.Id, state.A1.Id), (state.UserA3.Id, state.SchoolRole.Id, state.A3.Id)],
            grants.Select(g => (g.StaffMemberId, g.EserRoleId, g.SchoolId)));
        Assert.All(grants, g => Assert.Equal((GrantOrigin.TasMigration, state.DistrictA.Id), (g.Origin, g.GrantedById!.Value)));

        var request = await db.AccessRequests.Include(r => r.Steps).SingleAsync();
        Assert.Equal((state.UserA3.Id, state.IepRole.Id, AccessRequestStatus.PendingSupervisor), (request.RequesterId, request.EserRoleId, request.Status));
        Assert.Equal([AccessRequestAction.MigratedFromTas, AccessRequestAction.CoordinatorApproved], request.Steps.OrderBy(s => s.Id).Select(s => s.Action));
        Assert.Contains(LegacyAccessState.TasIepWriter, request.Justification);
        var actions = await db.AuditEvents.OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync();
        Assert.Equal(3, actions.Count(a => a == "AccessGrant.Created"));
        Assert.Contains("AccessRequest.MigratedFromTas", actions);
        await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.RequestDecided && c.AccessRequestId == request.Id);
        await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.GrantCreated && c.SchoolId == state.A1.Id);
    }

    [Fact]
    public async Task MigratedIepFormsRequest_EndorsedBySupervisor_GrantsWithTasMigrationOrigin()
    {
        var (database, state, _, service) = await ArrangeAsync();
        await using var _ = database;
        await TestState.SignThisYearAsync(database, state.UserA3);
        var sent = await service.MigrateAsync(As(state.DistrictA), state.LeaA.Id, [new MigrationItem(state.UserA3.Id, state.IepRole.Id, state.A3.Id)]);
        var requestId = Assert.Single(sent.Outcomes).RequestId!.Value;

        var endorsed = await database.Get<AccessRequestService>().EndorseAsync(As(state.SupervisorA), requestId, Decision.Approve, null);

        Assert.True(endorsed.Succeeded);
        await using var db = await database.OpenAsync();
        var grant = await db.AccessGrants.SingleAsync();
        Assert.Equal((GrantOrigin.TasMigration, requestId, state.IepRole.Id), (grant.Origin, grant.AccessRequestId!.Value, grant.EserRoleId));
    }

    [Fact]
    public async Task Migrate_EachItemIsCheckedOnItsOwn_AgainstTasScopeAndWhatExists()
    {
        var (database, state, tas, service) = await ArrangeAsync();
        await using var _ = database;
        await LegacyAccessState.AddAsync(database, state.DistrictA, state.LeaA, null, tas.Reports);
        MigrationItem[] items =
        [
            new(state.UserA1.Id, state.SchoolRole.Id, state.A1.Id),
            new(state.UserA1.Id, state.SchoolRole.Id, state.A1.Id),
            new(state.UserA1.Id, state.LeaRole.Id, null),
            new(state.DistrictA.Id, state.LeaRole.Id, null),
            new(state.UserA3.Id, state.SchoolRole.Id, null),
            new(state.UserB1.Id, state.SchoolRole.Id, state.B1.Id),
        ];

        var summary = await service.MigrateAsync(As(state.DistrictA), state.LeaA.Id, items);

        var messages = summary.Outcomes.Select(o => (o.Result, o.Message)).ToList();
        Assert.Equal(MigrationResult.Granted, messages[0].Result);
        Assert.Contains("already holds", messages[1].Message);
        Assert.Contains("TAS lists no SER role of user alpha1 that maps to LEA Reports", messages[2].Message);
        Assert.Contains("cannot grant yourself", messages[3].Message);
        Assert.Contains("granted at a school: name the school", messages[4].Message);
        Assert.Contains("not part of this school system", messages[5].Message);
        await using var db = await database.OpenAsync();
        Assert.Equal(1, await db.AccessGrants.CountAsync());
    }

    [Theory]
    [InlineData("district")]
    [InlineData("state")]
    public async Task Migrate_APersonWhoIsNotStaffOfTheSchoolSystem_IsRefusedAndGrantsNothing(string who)
    {
        var (database, state, tas, service) = await ArrangeAsync();
        await using var _ = database;
        // TAS lists Bravo's teacher at an Alpha school, as a state administrator's import may record.
        await LegacyAccessState.AddAsync(database, state.UserB1, state.LeaA, state.A1, tas.DataEntry);
        var caller = As(who == "district" ? state.DistrictA : state.StateAdmin);

        var summary = await service.MigrateAsync(caller, state.LeaA.Id, [new MigrationItem(state.UserB1.Id, state.SchoolRole.Id, state.A1.Id)]);

        var outcome = Assert.Single(summary.Outcomes);
        Assert.Equal(MigrationResult.NotMigrated, outcome.Result);
        Assert.Contains($"not active staff of {state.LeaA.Name}", outcome.Message);
        await using var db = await database.OpenAsync();
        Assert.False(await db.AccessGrants.AnyAsync(g => g.StaffMemberId == state.UserB1.Id));
        Assert.False(await db.AccessRequests.AnyAsync(r => r.RequesterId == state.UserB1.Id));
    }

    [Fact]
    public async Task GetPlanAndMigrateAll_LeaveOutPeopleWhoAreNotStaffOfTheSchoolSystem()
    {
        var (database, state, tas, service) = await ArrangeAsync();
        await using var _ = database;
        await LegacyAccessState.AddAsync(database, state.UserB1, state.LeaA, state.A1, tas.DataEntry);

        var plan = await service.GetPlanAsync(As(state.DistrictA), state.LeaA.Id, All);
        var summary = await service.MigrateAllAsync(As(state.DistrictA), state.LeaA.Id);

        Assert.DoesNotContain(plan.Suggestions.Items, s => s.StaffMemberId == state.UserB1.Id);
        Assert.DoesNotContain(summary.Outcomes, o => o.Item.StaffMemberId == state.UserB1.Id);
        await using var db = await database.OpenAsync();
        Assert.False(await db.AccessGrants.AnyAsync(g => g.StaffMemberId == state.UserB1.Id));
    }

    [Fact]
    public async Task Migrate_WhenARequestIsAlreadyPending_LeavesItToTheQueue()
    {
        var (database, state, _, service) = await ArrangeAsync();
        await using var _ = database;
        var request = await TestState.AddPendingRequestAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, database.Clock.GetUtcNow());

        var summary = await service.MigrateAsync(As(state.DistrictA), state.LeaA.Id, [new MigrationItem(state.UserA1.Id, state.SchoolRole.Id, state.A1.Id)]);

        Assert.Contains($"already pending (#{request.Id})", Assert.Single(summary.NotMigrated).Message);
    }

    [Fact]
    public async Task Migrate_AsLocalCoordinator_GrantsAtTheirSchools()
    {
        var (database, state, _, service) = await ArrangeAsync();
        await using var _ = database;

        var summary = await service.MigrateAllAsync(As(state.LocalA), state.LeaA.Id);

        Assert.Equal(1, summary.Granted);
        await using var db = await database.OpenAsync();
        Assert.Equal((state.UserA1.Id, state.A1.Id), await db.AccessGrants.Select(g => new ValueTuple<int, int?>(g.StaffMemberId, g.SchoolId)).SingleAsync());
    }

    private sealed class SynchronousProgress(List<int> values) : IProgress<int>
    {
        public void Report(int value) => values.Add(value);
    }
}

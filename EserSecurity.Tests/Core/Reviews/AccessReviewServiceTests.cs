using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Reviews;
using EserSecurity.Core.Security;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using EserSecurity.Core.Scheduling;

namespace EserSecurity.Tests.Core.Reviews;

public sealed class AccessReviewServiceTests
{
    private static ReviewItemQuery AllItems => new(false, null, null, false, 0, 100);

    [Fact]
    public async Task Open_ForOneSchoolSystem_ItemsAreItsGrantsActiveAtOpening()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await database.Get<AccessReviewService>().SetCadenceAsync(TestState.CallerFor(state.DistrictA), state.LeaA.Id, AccessReviewKind.Semiannual);

        var setup = await ReviewSetup.OpenForAAsync(database, state);
        // A grant made after the opening is not part of the review.
        await ReviewSetup.AddGrantAsync(database, state.UserA1, state.LeaRole, state.LeaA, null);

        await using var db = await database.OpenAsync();
        var review = await db.AccessReviews.Include(r => r.Items).SingleAsync(r => r.Id == setup.ReviewId);
        Assert.Equal(AccessReviewKind.Semiannual, review.Kind);
        Assert.Equal(AccessReviewStatus.Open, review.Status);
        Assert.Equal(new[] { setup.GrantA1, setup.GrantA3, setup.GrantIepA1, setup.GrantLeaA }.Order(), review.Items.Select(i => i.AccessGrantId).Order());
        Assert.Equal([setup.GrantIepA1], review.Items.Where(i => i.NeedsSupervisor).Select(i => i.AccessGrantId));
        Assert.All(review.Items, i => Assert.Equal(AccessReviewDecision.Undecided, i.Decision));
        Assert.False(await db.AccessReviews.AnyAsync(r => r.SchoolSystemId == state.LeaB.Id));
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "AccessReview.Opened"));
    }

    [Fact]
    public async Task Open_ForAll_OpensOneReviewPerSchoolSystem_AndLeavesOutThoseAlreadyOpen()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await ReviewSetup.OpenForAAsync(database, state);
        var service = database.Get<AccessReviewService>();

        var opened = await service.OpenAsync(TestState.CallerFor(state.StateAdmin), new OpenReviewPeriod(null, new DateOnly(2027, 1, 15)));

        Assert.Equal(1, opened.Reviews);
        Assert.Equal(1, opened.Items);
        Assert.Equal(["101"], opened.AlreadyOpen);
        await using var db = await database.OpenAsync();
        Assert.Equal(1, await db.AccessReviews.CountAsync(r => r.SchoolSystemId == state.LeaB.Id));
    }

    [Fact]
    public async Task Open_ForSeveral_OpensExactlyThose()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await ReviewSetup.AddGrantAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1);
        await ReviewSetup.AddGrantAsync(database, state.UserB1, state.SchoolRole, state.LeaB, state.B1);

        var opened = await database.Get<AccessReviewService>().OpenAsync(TestState.CallerFor(state.StateAdmin),
            new OpenReviewPeriod([state.LeaA.Id, state.LeaB.Id], new DateOnly(2027, 1, 15)));

        Assert.Equal(2, opened.Reviews);
        Assert.Equal(2, opened.Items);
    }

    [Fact]
    public async Task Open_WithDueDateNotAfterToday_IsRefusedAndOpensNothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var today = DateOnly.FromDateTime(database.Clock.GetUtcNow().UtcDateTime);

        await Assert.ThrowsAsync<AccessReviewRefusedException>(() => database.Get<AccessReviewService>()
            .OpenAsync(TestState.CallerFor(state.StateAdmin), new OpenReviewPeriod(null, today)));

        await using var db = await database.OpenAsync();
        Assert.Empty(db.AccessReviews);
    }

    [Fact]
    public async Task LocalCoordinator_SeesAndDecidesOnlyTheirSchoolsItems()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var setup = await ReviewSetup.OpenForAAsync(database, state);
        var service = database.Get<AccessReviewService>();
        var local = TestState.CallerFor(state.LocalA);

        var seen = await service.ReadItemsAsync(local, setup.ReviewId, AllItems);
        var kept = await service.DecideAsync(local, setup.ItemA1, ReviewDecision.Keep, null);

        Assert.Equal(new[] { setup.ItemA1, setup.ItemIepA1 }.Order(), seen.Items.Select(i => i.Id).Order());
        Assert.True(kept.Succeeded);
        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.DecideAsync(local, setup.ItemA3, ReviewDecision.Keep, null));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.DecideAsync(local, setup.ItemLeaA, ReviewDecision.Keep, null));
        var district = await service.ReadItemsAsync(TestState.CallerFor(state.DistrictA), setup.ReviewId, AllItems);
        Assert.Equal(4, district.TotalCount);
        Assert.Equal(state.LocalA.FullName, district.Items.Single(i => i.Id == setup.ItemA1).DecidedBy);
    }

    [Fact]
    public async Task End_WithoutReason_IsRefused_AndStoresNothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var setup = await ReviewSetup.OpenForAAsync(database, state);

        await Assert.ThrowsAsync<AccessReviewRefusedException>(() => database.Get<AccessReviewService>()
            .DecideAsync(TestState.CallerFor(state.DistrictA), setup.ItemA3, ReviewDecision.End, "  "));

        await using var db = await database.OpenAsync();
        Assert.Equal(AccessReviewDecision.Undecided, (await db.AccessReviewItems.FindAsync(setup.ItemA3))!.Decision);
    }

    [Fact]
    public async Task IepFormsItem_NeedsTheSupervisorsDecision_BeforeTheReviewAwaitsSignOff()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var setup = await ReviewSetup.OpenForAAsync(database, state);
        var service = database.Get<AccessReviewService>();
        var district = TestState.CallerFor(state.DistrictA);
        var supervisor = TestState.CallerFor(state.SupervisorA);

        await service.BulkDecideAsync(district, [setup.ItemA1, setup.ItemA3, setup.ItemIepA1, setup.ItemLeaA], ReviewDecision.Keep, null, asSupervisor: false);
        var before = await service.GetReviewAsync(supervisor, setup.ReviewId);
        await Assert.ThrowsAsync<AccessReviewRefusedException>(() => service.DecideAsSupervisorAsync(supervisor, setup.ItemA1, ReviewDecision.Keep, null));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.DecideAsSupervisorAsync(district, setup.ItemIepA1, ReviewDecision.Keep, null));
        var endorsed = await service.DecideAsSupervisorAsync(supervisor, setup.ItemIepA1, ReviewDecision.Keep, null);
        var after = await service.GetReviewAsync(supervisor, setup.ReviewId);

        Assert.Equal(3, before.Review.Decided);
        Assert.False(before.CanSignOff);
        Assert.Equal(AccessReviewStatus.Open, before.Review.Status);
        Assert.True(endorsed.Succeeded);
        Assert.Equal(4, after.Review.Decided);
        Assert.Equal(AccessReviewStatus.AwaitingSignOff, after.Review.Status);
        Assert.True(after.CanSignOff);
    }

    [Fact]
    public async Task Decide_TwoCoordinatorsAtOnce_StoresExactlyOne_AndTellsTheOtherWhoDecided()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var setup = await ReviewSetup.OpenForAAsync(database, state);
        var service = database.Get<AccessReviewService>();

        var outcomes = await Task.WhenAll(
            Task.Run(() => service.DecideAsync(TestState.CallerFor(state.DistrictA), setup.ItemA1, ReviewDecision.Keep, null)),
            Task.Run(() => service.DecideAsync(TestState.CallerFor(state.LocalA), setup.ItemA1, ReviewDecision.End, "Moved to another school.")));

        Assert.Single(outcomes, o => o.Succeeded);
        var lost = Assert.Single(outcomes, o => !o.Succeeded);
        await using var db = await database.OpenAsync();
        var item = await db.AccessReviewItems.SingleAsync(i => i.Id == setup.ItemA1);
        var winner = item.DecidedById == state.DistrictA.Id ? state.DistrictA : state.LocalA;
        Assert.StartsWith(item.Decision == AccessReviewDecision.Keep ? "Already kept by" : "Already marked to end by", lost.Message);
        Assert.Contains(winner.FullName, lost.Message);
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "AccessReview.ItemDecided"));
    }

    [Theory]
    [InlineData(DueDateDefault.Flag)]
    [InlineData(DueDateDefault.End)]
    [InlineData(DueDateDefault.Keep)]
    public async Task AfterTheDueDate_UndecidedItemsGetTheConfiguredDefault_Once(DueDateDefault setting)
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var today = DateOnly.FromDateTime(database.Clock.GetUtcNow().UtcDateTime);
        var setup = await ReviewSetup.OpenForAAsync(database, state, today.AddDays(3));
        var service = ServiceWith(database, setting);
        await service.DecideAsync(TestState.CallerFor(state.DistrictA), setup.ItemA1, ReviewDecision.Keep, null);

        var onDueDay = await DefaultsAfterAsync(database, service, TimeSpan.FromDays(3));
        var applied = await DefaultsAfterAsync(database, service, TimeSpan.FromDays(1));
        var again = await service.ApplyDueDefaultsAsync();

        Assert.Empty(onDueDay);
        Assert.Equal(setting, Assert.Single(applied).Default);
        Assert.Empty(again);
        var rows = (await service.ReadItemsAsync(TestState.CallerFor(state.DistrictA), setup.ReviewId, AllItems)).Items.ToDictionary(i => i.Id);
        var review = (await service.ReadReviewsAsync(TestState.CallerFor(state.StateAdmin), false, 0, 10)).Items.Single();
        Assert.Equal(AccessReviewDecision.Keep, rows[setup.ItemA1].Decision);
        Assert.Equal(state.DistrictA.FullName, rows[setup.ItemA1].DecidedBy);
        var expected = setting switch
        {
            DueDateDefault.End => AccessReviewDecision.Revoke,
            DueDateDefault.Keep => AccessReviewDecision.Keep,
            _ => AccessReviewDecision.Undecided,
        };
        Assert.Equal(expected, rows[setup.ItemA3].Decision);
        Assert.Equal(expected, rows[setup.ItemIepA1].SupervisorDecision);
        Assert.Equal(setting == DueDateDefault.Flag, rows[setup.ItemA3].Flagged);
        Assert.Equal(setting == DueDateDefault.Flag ? 3 : 0, review.Flagged);
        Assert.True(review.Overdue);
        await using var db = await database.OpenAsync();
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "AccessReview.DueDateDefaultApplied" && e.ActorId == null));
        // A default never ends a grant by itself: ends apply only at sign-off.
        Assert.Null((await db.AccessGrants.FindAsync(setup.GrantA3))!.EndedAt);
    }

    [Fact]
    public async Task Deadlines_HostedService_AppliesTheDefaultWhenTheClockPassesTheDueDate()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var today = DateOnly.FromDateTime(database.Clock.GetUtcNow().UtcDateTime);
        var setup = await ReviewSetup.OpenForAAsync(database, state, today.AddDays(1));
        var applied = new TaskCompletionSource<AccessChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watch = database.Get<IAccessChangeFeed>().Subscribe(change =>
        {
            if (change.Kind == AccessChangeKind.AccessReviewChanged && change.ActorId is null)
            {
                applied.TrySetResult(change);
            }
            return Task.CompletedTask;
        });
        var options = database.Get<IOptions<AccessReviewOptions>>();
        using var deadlines = new AccessReviewDeadlines(database.Get<AccessReviewService>(), database.Clock, database.Get<JobLeases>(), options,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<AccessReviewDeadlines>.Instance);

        await deadlines.StartAsync(CancellationToken.None);
        database.Clock.Advance(TimeSpan.FromDays(2));
        var change = await applied.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await deadlines.StopAsync(CancellationToken.None);

        Assert.Equal(state.LeaA.Id, change.SchoolSystemId);
        await using var db = await database.OpenAsync();
        Assert.NotNull((await db.AccessReviews.FindAsync(setup.ReviewId))!.DefaultsAppliedAt);
    }

    [Fact]
    public async Task SignOff_ChecksTheTypedNameAndCount_ThenEndsEveryGrantMarkedToEnd()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var setup = await ReviewSetup.OpenForAAsync(database, state);
        var service = database.Get<AccessReviewService>();
        var supervisor = TestState.CallerFor(state.SupervisorA);
        await DecideAllAsync(service, state, setup);

        var wrongName = await Assert.ThrowsAsync<AccessReviewRefusedException>(() => service.SignOffAsync(supervisor, setup.ReviewId, "Someone Else", 4));
        await Assert.ThrowsAsync<AccessReviewRefusedException>(() => service.SignOffAsync(supervisor, setup.ReviewId, state.SupervisorA.FullName, 3));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.SignOffAsync(TestState.CallerFor(state.DistrictA), setup.ReviewId, state.DistrictA.FullName, 4));
        var detail = await service.GetReviewAsync(supervisor, setup.ReviewId);
        var completed = await service.SignOffAsync(supervisor, setup.ReviewId, "  " + state.SupervisorA.FullName.ToUpperInvariant() + " ", 4);

        Assert.Contains(state.SupervisorA.FullName, wrongName.Message);
        Assert.StartsWith("I reviewed these 4 grants on November 28, 2026", detail.SignOffStatement);
        Assert.Equal(new CompletedReview(setup.ReviewId, 4, 2, 0), completed);
        await using var db = await database.OpenAsync();
        var grants = await db.AccessGrants.Where(g => g.SchoolSystemId == state.LeaA.Id).ToDictionaryAsync(g => g.Id);
        Assert.Equal(GrantEndReason.RevokedInReview, grants[setup.GrantA3].EndReason);
        Assert.Equal("Left the school.", grants[setup.GrantA3].EndNote);
        Assert.Equal(GrantEndReason.RevokedInReview, grants[setup.GrantIepA1].EndReason);
        Assert.Null(grants[setup.GrantA1].EndedAt);
        Assert.Null(grants[setup.GrantLeaA].EndedAt);
        var review = await db.AccessReviews.SingleAsync(r => r.Id == setup.ReviewId);
        Assert.Equal(AccessReviewStatus.Completed, review.Status);
        Assert.Equal(state.SupervisorA.Id, review.SignedOffById);
        Assert.Equal(2, await db.AuditEvents.CountAsync(e => e.Action == "AccessGrant.Ended"));
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "AccessReview.SignedOff"));
        await Assert.ThrowsAsync<AccessReviewRefusedException>(() => service.DecideAsync(TestState.CallerFor(state.DistrictA), setup.ItemA1, ReviewDecision.Keep, null));
    }

    [Fact]
    public async Task SignOff_ClosesTheChangeOfDutiesItemOfAGrantItEnds()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var setup = await ReviewSetup.OpenForAAsync(database, state);
        var service = database.Get<AccessReviewService>();
        var today = DateOnly.FromDateTime(database.Clock.GetUtcNow().UtcDateTime);
        await using (var db = await database.OpenAsync())
        {
            db.ChangeOfDutiesItems.Add(new EserSecurity.Core.Employment.ChangeOfDutiesItem
            {
                AccessGrantId = setup.GrantA3, StaffMemberId = state.UserA3.Id, SchoolSystemId = state.LeaA.Id, SchoolId = state.A3.Id,
                MovedOn = today, ListedAt = database.Clock.GetUtcNow(), DecideBy = today.AddDays(10),
            });
            await db.SaveChangesAsync();
        }
        await DecideAllAsync(service, state, setup);

        await service.SignOffAsync(TestState.CallerFor(state.SupervisorA), setup.ReviewId, state.SupervisorA.FullName, 4);

        await using var read = await database.OpenAsync();
        var item = await read.ChangeOfDutiesItems.SingleAsync(i => i.AccessGrantId == setup.GrantA3);
        Assert.Equal((EserSecurity.Core.Employment.ChangeOfDutiesDecision.End, state.SupervisorA.Id), (item.Decision, item.DecidedById));
    }

    [Fact]
    public async Task SignOff_WhenEndingOneGrantFails_EndsNoneAndLeavesTheReviewOpenForSignOff()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var setup = await ReviewSetup.OpenForAAsync(database, state);
        var service = database.Get<AccessReviewService>();
        await DecideAllAsync(service, state, setup);
        long auditBefore;
        await using (var db = await database.OpenAsync())
        {
            auditBefore = await db.AuditEvents.CountAsync();
        }
        // The second grant to end fails in the database, after the first one was already written.
        await InjectedFailure.OnUpdateOfAsync(database, "AccessGrants", "EndedAt", Math.Max(setup.GrantA3, setup.GrantIepA1));

        var refused = await Assert.ThrowsAsync<AccessReviewRefusedException>(() =>
            service.SignOffAsync(TestState.CallerFor(state.SupervisorA), setup.ReviewId, state.SupervisorA.FullName, 4));

        Assert.Contains("nothing changed", refused.Message);
        await using var after = await database.OpenAsync();
        Assert.Equal(0, await after.AccessGrants.CountAsync(g => g.SchoolSystemId == state.LeaA.Id && g.EndReason == GrantEndReason.RevokedInReview));
        var review = await after.AccessReviews.SingleAsync(r => r.Id == setup.ReviewId);
        Assert.Equal(AccessReviewStatus.AwaitingSignOff, review.Status);
        Assert.Null(review.SignedOffAt);
        Assert.Equal(auditBefore, await after.AuditEvents.CountAsync());
    }

    [Fact]
    public async Task ConcernsRules_FollowReviewChangesInScope()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var scopes = database.Get<ScopeService>();
        var admin = await scopes.GetScopeAsync(TestState.CallerFor(state.StateAdmin));
        var local = await scopes.GetScopeAsync(TestState.CallerFor(state.LocalA));
        var user = await scopes.GetScopeAsync(TestState.CallerFor(state.UserA1));
        var now = database.Clock.GetUtcNow();
        var inA = new AccessChange(AccessChangeKind.AccessReviewChanged, state.LeaA.Id, null, null, null, now);
        var inB = inA with { SchoolSystemId = state.LeaB.Id };
        var grantEndedInA = inA with { Kind = AccessChangeKind.GrantEnded };

        Assert.True(AccessReviewService.ConcernsReviews(inB, admin));
        Assert.True(AccessReviewService.ConcernsReviews(inA, local));
        Assert.False(AccessReviewService.ConcernsReviews(inB, local));
        Assert.False(AccessReviewService.ConcernsReviews(inA, user));
        Assert.False(AccessReviewService.ConcernsReviews(grantEndedInA, admin));
        Assert.True(AccessReviewService.ConcernsReview(inA, state.LeaA.Id));
        Assert.True(AccessReviewService.ConcernsReview(grantEndedInA, state.LeaA.Id));
        Assert.False(AccessReviewService.ConcernsReview(inB, state.LeaA.Id));
    }

    /// <summary>Keeps A1 and the whole-school-system grant, ends A3 (coordinator) and the IEP Forms grant (supervisor).</summary>
    internal static async Task DecideAllAsync(AccessReviewService service, TestState state, ReviewSetup setup)
    {
        var district = TestState.CallerFor(state.DistrictA);
        await service.BulkDecideAsync(district, [setup.ItemA1, setup.ItemIepA1, setup.ItemLeaA], ReviewDecision.Keep, null, asSupervisor: false);
        await service.DecideAsync(district, setup.ItemA3, ReviewDecision.End, "Left the school.");
        await service.DecideAsSupervisorAsync(TestState.CallerFor(state.SupervisorA), setup.ItemIepA1, ReviewDecision.End, "No IEP caseload this year.");
    }

    private static AccessReviewService ServiceWith(TestDatabase database, DueDateDefault setting) => new(
        database.Get<IDbContextFactory<EserSecurityDbContext>>(), database.Get<ScopeService>(), database.Get<IAccessChangeFeed>(),
        database.Clock, Options.Create(new AccessReviewOptions { DefaultAtDueDate = setting }));

    private static async Task<IReadOnlyList<DueDateDefaultApplied>> DefaultsAfterAsync(TestDatabase database, AccessReviewService service, TimeSpan wait)
    {
        database.Clock.Advance(wait);
        return await service.ApplyDueDefaultsAsync();
    }
}

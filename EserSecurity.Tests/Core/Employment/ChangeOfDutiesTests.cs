using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Directories;
using EserSecurity.Core.Employment;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EserSecurity.Tests.Core.Employment;

/// <summary>
/// A move between schools of one school system puts school-level grants at the schools left on the change-of-duties
/// list; coordinators keep or end each; undecided by the deadline, the configured default applies as the system.
/// </summary>
public sealed class ChangeOfDutiesTests
{
    private static Caller As(StaffMember person) => TestState.CallerFor(person);

    /// <summary>UserA1 holds grants at A1 and for the whole of A, then the directory moves them from A1 to A3.</summary>
    private static async Task<(AccessGrant AtA1, AccessGrant AtLea)> MoveUserA1ToA3Async(TestDatabase database, TestState s)
    {
        var atA1 = await GrantSetup.AddAsync(database, s.UserA1, s.SchoolRole, s.LeaA, s.A1);
        var atLea = await GrantSetup.AddAsync(database, s.UserA1, s.LeaRole, s.LeaA, null);
        await database.Get<StaffDirectoryImportService>().CommitAsync(As(s.StateAdmin),
            DirectoryCsv.Staff().Person(s.UserA1, "101", "101003", statusDate: "2026-11-27").ToStream());
        return (atA1, atLea);
    }

    [Fact]
    public async Task MoveBetweenSchools_TellsThoseWhoDecide_OnceEach_AndTheirBellsHearOfIt()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());

        await MoveUserA1ToA3Async(database, s);

        await using var db = await database.OpenAsync();
        var notices = await db.Notifications.AsNoTracking().Where(n => n.Kind == EserSecurity.Core.Notifications.NotificationKind.ChangeOfDutiesWaiting)
            .Select(n => new { n.RecipientId, n.Title, n.Link }).ToListAsync();
        Assert.Equal(new[] { s.DistrictA.Id, s.LocalA.Id }.Order(), notices.Select(n => n.RecipientId).Order());
        Assert.All(notices, n => Assert.Equal(("A role at a school its holder left waits for your decision by December 8, 2026", "change-of-duties"), (n.Title, n.Link)));
        await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.NotificationsChanged && c.SubjectStaffMemberId == s.LocalA.Id);
    }

    [Fact]
    public async Task MoveBetweenSchools_ListsTheGrantAtTheSchoolLeft_ForThatSchoolSystemsCoordinatorsOnly()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());

        var (atA1, atLea) = await MoveUserA1ToA3Async(database, s);

        var list = database.Get<ChangeOfDutiesService>();
        var district = await list.ReadAsync(As(s.DistrictA), 0, 25);
        var row = Assert.Single(district.Items);
        Assert.Equal(("user alpha1", "Student Data Entry", "Alpha Elementary", "Alpha High", new DateOnly(2026, 11, 27), new DateOnly(2026, 12, 8), 10),
            (row.PersonName, row.RoleName, row.SchoolLeft, row.CurrentSchools, row.MovedOn, row.DecideBy, row.DaysLeft));
        Assert.Single((await list.ReadAsync(As(s.LocalA), 0, 25)).Items);
        Assert.Single((await list.ReadAsync(As(s.StateAdmin), 0, 25)).Items);
        Assert.Empty((await list.ReadAsync(As(s.DistrictB), 0, 25)).Items);
        await Assert.ThrowsAsync<ScopeDeniedException>(() => list.ReadAsync(As(s.SupervisorA), 0, 25));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => list.ReadAsync(As(s.UserA3), 0, 25));
        Assert.True((await GrantSetup.FindAsync(database, atA1.Id)).IsActive);
        Assert.True((await GrantSetup.FindAsync(database, atLea.Id)).IsActive);

        var listed = await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.ChangeOfDutiesChanged);
        var scopes = database.Get<ScopeService>();
        Assert.True(ChangeOfDutiesService.ConcernsList(listed, await scopes.GetScopeAsync(As(s.LocalA))));
        Assert.True(ChangeOfDutiesService.ConcernsList(listed, await scopes.GetScopeAsync(As(s.StateAdmin))));
        Assert.False(ChangeOfDutiesService.ConcernsList(listed, await scopes.GetScopeAsync(As(s.DistrictB))));
    }

    [Fact]
    public async Task Decide_KeepOrEnd_IsAuditedAndPublished_AndASecondDecisionIsToldWhoDecided()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        var (atA1, _) = await MoveUserA1ToA3Async(database, s);
        var list = database.Get<ChangeOfDutiesService>();
        var item = Assert.Single((await list.ReadAsync(As(s.DistrictA), 0, 25)).Items);
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());

        var ended = await list.DecideAsync(As(s.LocalA), item.Id, ChangeOfDutiesDecision.End);
        var second = await Assert.ThrowsAsync<ChangeOfDutiesRefusedException>(() => list.DecideAsync(As(s.DistrictA), item.Id, ChangeOfDutiesDecision.Keep));

        Assert.True(ended.Done);
        Assert.Equal("Already ended by local alpha on November 28, 2026.", second.Message);
        var grant = await GrantSetup.FindAsync(database, atA1.Id);
        Assert.Equal((GrantEndReason.DutiesChanged, (int?)s.LocalA.Id), (grant.EndReason!.Value, grant.EndedById));
        Assert.Equal("Duties changed: moved from Alpha Elementary on November 27, 2026.", grant.EndNote);
        Assert.Empty((await list.ReadAsync(As(s.DistrictA), 0, 25)).Items);
        await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.GrantEnded && c.SubjectStaffMemberId == s.UserA1.Id);
        await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.ChangeOfDutiesChanged && c.ActorId == s.LocalA.Id);
        await using var db = await database.OpenAsync();
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "ChangeOfDuties.Decided" && e.ActorId == s.LocalA.Id));
    }

    [Fact]
    public async Task DecideMany_KeepsEachItem_AndReportsTheOnesOutsideScope()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        var (atA1, _) = await MoveUserA1ToA3Async(database, s);
        var list = database.Get<ChangeOfDutiesService>();
        var item = Assert.Single((await list.ReadAsync(As(s.DistrictA), 0, 25)).Items);
        var progress = new List<int>();

        var summary = await list.DecideManyAsync(As(s.DistrictA), [item.Id, 9999], ChangeOfDutiesDecision.Keep, new SynchronousProgress(progress));

        Assert.Equal("1 kept, 1 not kept", summary.Headline);
        Assert.Single(summary.NotDone);
        Assert.Equal([1, 2], progress);
        Assert.True((await GrantSetup.FindAsync(database, atA1.Id)).IsActive);
        Assert.Empty((await list.ReadAsync(As(s.DistrictA), 0, 25)).Items);
    }

    [Theory]
    [InlineData(ChangeOfDutiesDecision.End)]
    [InlineData(ChangeOfDutiesDecision.Keep)]
    public async Task NotDecidedByTheDeadline_TheConfiguredDefaultApplies_AsTheSystem(ChangeOfDutiesDecision defaultAction)
    {
        await using var database = await TestDatabase.CreateAsync();
        database.Services.GetRequiredService<IOptions<ChangeOfDutiesOptions>>().Value.DefaultAction = defaultAction;
        var s = await TestState.CreateAsync(database);
        var (atA1, atLea) = await MoveUserA1ToA3Async(database, s);
        var list = database.Get<ChangeOfDutiesService>();

        database.Clock.Advance(TimeSpan.FromDays(10));
        Assert.Equal(0, await list.ApplyDueDefaultsAsync());
        Assert.Single((await list.ReadAsync(As(s.DistrictA), 0, 25)).Items);
        database.Clock.Advance(TimeSpan.FromDays(1));

        // Reading the list applies the default before it answers.
        Assert.Empty((await list.ReadAsync(As(s.DistrictA), 0, 25)).Items);

        var grant = await GrantSetup.FindAsync(database, atA1.Id);
        Assert.Equal(defaultAction == ChangeOfDutiesDecision.Keep, grant.IsActive);
        Assert.True((await GrantSetup.FindAsync(database, atLea.Id)).IsActive);
        await using var db = await database.OpenAsync();
        var item = await db.ChangeOfDutiesItems.SingleAsync();
        Assert.Equal((defaultAction, true, (int?)null), (item.Decision!.Value, item.DecidedByDefault, item.DecidedById));
        var audit = await db.AuditEvents.SingleAsync(e => e.Action == "ChangeOfDuties.DefaultApplied");
        Assert.Equal(ChangeOfDutiesService.DefaultActorName, audit.ActorName);
        if (defaultAction == ChangeOfDutiesDecision.End)
        {
            Assert.Equal(GrantEndReason.DutiesChanged, grant.EndReason);
            Assert.Null(grant.EndedById);
            Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "AccessGrant.Ended" && e.ActorName == ChangeOfDutiesService.DefaultActorName));
        }
        Assert.True((await database.Get<AuditLog>().VerifyAsync(As(s.StateAdmin))).IsIntact);
    }

    [Fact]
    public async Task GrantEndedByHand_ClosesItsChangeOfDutiesItem()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        var (atA1, _) = await MoveUserA1ToA3Async(database, s);
        var list = database.Get<ChangeOfDutiesService>();
        var item = Assert.Single((await list.ReadAsync(As(s.DistrictA), 0, 25)).Items);

        await database.Get<GrantService>().EndAsync(As(s.DistrictA), atA1.Id, "Not needed at the new school.");

        Assert.Empty((await list.ReadAsync(As(s.DistrictA), 0, 25)).Items);
        var refused = await Assert.ThrowsAsync<ChangeOfDutiesRefusedException>(() => list.DecideAsync(As(s.DistrictA), item.Id, ChangeOfDutiesDecision.Keep));
        Assert.StartsWith("Already ended by district alpha", refused.Message);
    }

    [Fact]
    public async Task BackgroundCheck_AppliesTheDefaultWhenTheClockPassesTheDeadline_WithoutAnyoneReadingTheList()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        var (atA1, _) = await MoveUserA1ToA3Async(database, s);
        var deadlines = database.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<ChangeOfDutiesDeadlines>().Single();
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());
        await deadlines.StartAsync(CancellationToken.None);
        try
        {
            database.Clock.Advance(TimeSpan.FromDays(11));

            var applied = await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.ChangeOfDutiesChanged && c.ActorId == null && c.SchoolId == s.A1.Id);
            Assert.Equal(s.UserA1.Id, applied.SubjectStaffMemberId);
            Assert.Equal(GrantEndReason.DutiesChanged, (await GrantSetup.FindAsync(database, atA1.Id)).EndReason);
        }
        finally
        {
            await deadlines.StopAsync(CancellationToken.None);
        }
    }

    private sealed class SynchronousProgress(List<int> into) : IProgress<int>
    {
        public void Report(int value) => into.Add(value);
    }
}

using EserSecurity.Core.Changes;
using EserSecurity.Core.Documents;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Home;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.Grants;

/// <summary>Ending a grant by hand: scope, the required reason, a second end, audit, the change feed and what the person sees.</summary>
public sealed class GrantServiceTests
{
    [Fact]
    public async Task End_ByDistrictCoordinator_EndsTheGrantWithReason_AuditsAndPublishes()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        var grant = await GrantSetup.AddAsync(database, s.UserA1, s.SchoolRole, s.LeaA, s.A1);
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());

        var outcome = await database.Get<GrantService>().EndAsync(TestState.CallerFor(s.DistrictA), grant.Id, "  Moved to the front office.  ");

        var ended = await GrantSetup.FindAsync(database, grant.Id);
        Assert.Equal(database.Clock.GetUtcNow(), ended.EndedAt);
        Assert.Equal(s.DistrictA.Id, ended.EndedById);
        Assert.Equal(GrantEndReason.Manual, ended.EndReason);
        Assert.Equal("Moved to the front office.", ended.EndNote);
        Assert.Equal("Ended Student Data Entry.", outcome.Message);
        var change = await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.GrantEnded);
        Assert.Equal((s.LeaA.Id, s.A1.Id, s.UserA1.Id, s.DistrictA.Id), (change.SchoolSystemId!.Value, change.SchoolId!.Value, change.SubjectStaffMemberId!.Value, change.ActorId!.Value));
        await using var db = await database.OpenAsync();
        var audit = await db.AuditEvents.SingleAsync(e => e.Action == "AccessGrant.Ended");
        Assert.Equal(s.DistrictA.Id, audit.ActorId);
        Assert.Contains("Moved to the front office.", audit.After);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public async Task End_WithoutReason_IsRefusedAndTheGrantStaysActive(string? reason)
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        var grant = await GrantSetup.AddAsync(database, s.UserA1, s.SchoolRole, s.LeaA, s.A1);

        var refused = await Assert.ThrowsAsync<GrantRefusedException>(() => database.Get<GrantService>().EndAsync(TestState.CallerFor(s.DistrictA), grant.Id, reason));

        Assert.Contains("Say why", refused.Message);
        Assert.True((await GrantSetup.FindAsync(database, grant.Id)).IsActive);
    }

    [Fact]
    public async Task End_WhenAlreadyEnded_SaysByWhomAndWhen_AndChangesNothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        var grant = await GrantSetup.AddAsync(database, s.UserA1, s.SchoolRole, s.LeaA, s.A1);
        var service = database.Get<GrantService>();
        await service.EndAsync(TestState.CallerFor(s.LocalA), grant.Id, "No longer teaches here.");
        database.Clock.Advance(TimeSpan.FromMinutes(5));

        var refused = await Assert.ThrowsAsync<GrantRefusedException>(() => service.EndAsync(TestState.CallerFor(s.DistrictA), grant.Id, "Second try."));

        Assert.Equal("That grant already ended: ended by a coordinator, by local alpha on November 28, 2026 3:00 PM UTC.", refused.Message);
        var ended = await GrantSetup.FindAsync(database, grant.Id);
        Assert.Equal(s.LocalA.Id, ended.EndedById);
        Assert.Equal("No longer teaches here.", ended.EndNote);
    }

    [Fact]
    public async Task End_OfAGrantAtASchoolTheLocalCoordinatorDoesNotCover_IsDenied()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        var atA3 = await GrantSetup.AddAsync(database, s.UserA3, s.SchoolRole, s.LeaA, s.A3);
        var leaLevel = await GrantSetup.AddAsync(database, s.UserA1, s.LeaRole, s.LeaA, null);
        var service = database.Get<GrantService>();

        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.EndAsync(TestState.CallerFor(s.LocalA), atA3.Id, "Reason."));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.EndAsync(TestState.CallerFor(s.LocalA), leaLevel.Id, "Reason."));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.EndAsync(TestState.CallerFor(s.SupervisorA), atA3.Id, "Reason."));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.EndAsync(TestState.CallerFor(s.DistrictB), atA3.Id, "Reason."));
        await service.EndAsync(TestState.CallerFor(s.StateAdmin), atA3.Id, "Reason.");
        Assert.True((await GrantSetup.FindAsync(database, leaLevel.Id)).IsActive);
    }

    [Fact]
    public async Task EndedGrant_ShowsOnThePersonsHomeWithWhenAndWhy_AndTheChangeConcernsTheirHome()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        var grant = await GrantSetup.AddAsync(database, s.UserA1, s.SchoolRole, s.LeaA, s.A1);
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());
        await database.Get<GrantService>().EndAsync(TestState.CallerFor(s.DistrictA), grant.Id, "Left the data team.");
        var change = await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.GrantEnded);

        var home = await database.Get<HomeService>().GetSummaryAsync(TestState.CallerFor(s.UserA1));
        var userScope = await database.Get<ScopeService>().GetScopeAsync(TestState.CallerFor(s.UserA1));

        Assert.Empty(home.Personal.Grants);
        var ended = Assert.Single(home.Personal.EndedGrants!);
        Assert.Equal(("Student Data Entry", "Alpha Elementary", GrantEndReason.Manual, "Left the data team."), (ended.RoleName, ended.ScopeName, ended.Reason, ended.Note));
        Assert.Equal(database.Clock.GetUtcNow(), ended.EndedAt);
        Assert.True(HomeService.ConcernsSummary(change, userScope, home));
        Assert.True(GrantService.ConcernsPersonAccess(change, s.UserA1.Id, s.UserA1.Id));
        Assert.False(GrantService.ConcernsPersonAccess(change, s.UserA3.Id, s.UserA3.Id));
    }

    [Fact]
    public async Task PersonAccess_ShowsWhichGrantsTheReaderMayEnd()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        await GrantSetup.AddAsync(database, s.UserA1, s.SchoolRole, s.LeaA, s.A1);
        await GrantSetup.AddAsync(database, s.UserA1, s.LeaRole, s.LeaA, null);
        var grants = database.Get<GrantService>();

        var local = await grants.GetPersonAccessAsync(TestState.CallerFor(s.LocalA), s.UserA1.Id);
        var own = await grants.GetPersonAccessAsync(TestState.CallerFor(s.UserA1), s.UserA1.Id);
        var district = await grants.GetPersonAccessAsync(TestState.CallerFor(s.DistrictA), s.UserA1.Id);

        Assert.Equal([false, true], local.Grants.OrderBy(g => g.RoleName).Select(g => g.CanEnd));
        Assert.All(own.Grants, g => Assert.False(g.CanEnd));
        Assert.False(own.CanEndEmployment);
        Assert.All(district.Grants, g => Assert.True(g.CanEnd));
        Assert.True(district.CanEndEmployment);
        Assert.True(local.CanEndEmployment);
        await Assert.ThrowsAsync<ScopeDeniedException>(() => grants.GetPersonAccessAsync(TestState.CallerFor(s.DistrictB), s.UserA1.Id));
    }

    [Fact]
    public async Task AuthorizedUserList_NeverShowsAPersonWhoseEmploymentEnded()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        await GrantSetup.AddAsync(database, s.UserA1, s.SchoolRole, s.LeaA, s.A1);
        await GrantSetup.AddAsync(database, s.UserA3, s.SchoolRole, s.LeaA, s.A3);
        await using (var db = await database.OpenAsync())
        {
            // Ended in the record without the lifecycle (as a database changed outside the console would be): still never listed.
            var person = await db.StaffMembers.FindAsync(s.UserA3.Id);
            person!.EmploymentStatus = EmploymentStatus.Ended;
            await db.SaveChangesAsync();
        }

        await using var read = await database.OpenAsync();
        var rows = await AuthorizedUserList.LoadAsync(read, s.LeaA.Id, null, DateOnly.FromDateTime(database.Clock.GetUtcNow().UtcDateTime), new EserSecurity.Core.Assurance.AssuranceOptions(), CancellationToken.None);

        Assert.Equal([s.UserA1.StaffId], rows.Select(r => r.StaffId));
    }
}

using EserSecurity.Core.Administration;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.Administration;

public sealed class StateAdministratorServiceTests
{
    [Fact]
    public async Task Add_MakesThePersonStateAdministrator_Audits_PublishesBothChanges_AndListsWhoAddedThem()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var service = database.Get<StateAdministratorService>();
        var admin = TestState.CallerFor(state.StateAdmin);
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());

        await service.AddAsync(admin, state.UserA1.Id);

        Assert.True((await database.Get<ScopeService>().GetScopeAsync(TestState.CallerFor(state.UserA1))).IsStateAdministrator);
        var listed = Assert.Single((await service.ListAsync(admin)).Active, r => r.StaffMemberId == state.UserA1.Id);
        Assert.Equal((state.StateAdmin.FullName, TestDatabase.DefaultNow, true), (listed.AddedBy, listed.AddedAt!.Value, listed.CanEnd));
        await using var db = await database.OpenAsync();
        var audit = await db.AuditEvents.SingleAsync();
        Assert.Equal(("StateAdministrator.Added", state.StateAdmin.Id), (audit.Action, audit.ActorId!.Value));
        var added = await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.StateAdministratorsChanged);
        var scopeChange = await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.AssignmentChanged);
        Assert.Equal((state.UserA1.Id, (int?)null), (added.SubjectStaffMemberId!.Value, added.SchoolSystemId));
        Assert.True(ScopeService.ConcernsOwnScope(scopeChange, state.UserA1.Id));
    }

    [Fact]
    public async Task Add_SomeoneAlreadyAdministrator_OrNoLongerEmployed_IsRefused()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var service = database.Get<StateAdministratorService>();
        var admin = TestState.CallerFor(state.StateAdmin);
        await using (var db = await database.OpenAsync())
        {
            await db.StaffMembers.Where(s => s.Id == state.UserB1.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.EmploymentStatus, EmploymentStatus.Ended));
        }

        var again = await Assert.ThrowsAsync<StateAdministratorRefusedException>(() => service.AddAsync(admin, state.StateAdmin.Id));
        var ended = await Assert.ThrowsAsync<StateAdministratorRefusedException>(() => service.AddAsync(admin, state.UserB1.Id));

        Assert.Equal("That person is already a state administrator.", again.Message);
        Assert.Equal("Only an active staff member can be made state administrator.", ended.Message);
    }

    [Fact]
    public async Task End_WithAReason_EndsItToday_KeepsWhoAndWhy_AndThePersonLosesTheScope()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var service = database.Get<StateAdministratorService>();
        var admin = TestState.CallerFor(state.StateAdmin);
        var assignment = await service.AddAsync(admin, state.DistrictB.Id);

        await service.EndAsync(admin, assignment, "  Moved to another agency.  ");

        Assert.False((await database.Get<ScopeService>().GetScopeAsync(TestState.CallerFor(state.DistrictB))).IsStateAdministrator);
        var list = await service.ListAsync(admin);
        var ended = Assert.Single(list.Ended);
        Assert.Equal((state.DistrictB.Id, state.StateAdmin.FullName, "Moved to another agency.", DateOnly.FromDateTime(TestDatabase.DefaultNow.UtcDateTime)),
            (ended.StaffMemberId, ended.EndedBy, ended.EndReason, ended.EndsOn!.Value));
        Assert.False(ended.CanEnd);
        await using var db = await database.OpenAsync();
        Assert.Equal(["StateAdministrator.Added", "StateAdministrator.Ended"], await db.AuditEvents.OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync());
        var again = await Assert.ThrowsAsync<AssignmentRefusedException>(() => service.EndAsync(admin, assignment, "Again."));
        Assert.Equal("That assignment has already ended.", again.Message);
    }

    [Fact]
    public async Task End_WithoutAReason_IsRefused_AndTheAdministratorStays()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var service = database.Get<StateAdministratorService>();
        var admin = TestState.CallerFor(state.StateAdmin);
        var assignment = await service.AddAsync(admin, state.UserA1.Id);

        var error = await Assert.ThrowsAsync<AssignmentRefusedException>(() => service.EndAsync(admin, assignment, "  "));

        Assert.Equal("Say why the assignment ends; it is kept in the record.", error.Message);
        Assert.True((await database.Get<ScopeService>().GetScopeAsync(TestState.CallerFor(state.UserA1))).IsStateAdministrator);
    }

    [Fact]
    public async Task TheLastActiveAdministrator_CannotBeEnded_AndTheListSaysWhy()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var service = database.Get<StateAdministratorService>();
        var admin = TestState.CallerFor(state.StateAdmin);
        var only = Assert.Single((await service.ListAsync(admin)).Active);

        var error = await Assert.ThrowsAsync<StateAdministratorRefusedException>(() => service.EndAsync(admin, only.AssignmentId, "Leaving."));

        Assert.StartsWith("This is the last active state administrator", error.Message);
        Assert.Equal((false, error.Message), (only.CanEnd, only.CannotEndReason));
        Assert.True((await database.Get<ScopeService>().GetScopeAsync(admin)).IsStateAdministrator);
    }

    [Fact]
    public async Task WithASecondAdministrator_EitherMayBeEnded_ThenTheOtherIsTheLast()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var service = database.Get<StateAdministratorService>();
        var admin = TestState.CallerFor(state.StateAdmin);
        await service.AddAsync(admin, state.UserA1.Id);
        var first = (await service.ListAsync(admin)).Active.Single(r => r.StaffMemberId == state.StateAdmin.Id);
        Assert.True(first.CanEnd);

        await service.EndAsync(TestState.CallerFor(state.UserA1), first.AssignmentId, "Handed over.");

        var remaining = Assert.Single((await service.ListAsync(TestState.CallerFor(state.UserA1))).Active);
        Assert.Equal((state.UserA1.Id, false), (remaining.StaffMemberId, remaining.CanEnd));
    }

    [Fact]
    public async Task FindCandidates_ByStaffIdOrName_OffersActiveStaffWhoAreNotAdministrators()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var service = database.Get<StateAdministratorService>();
        var admin = TestState.CallerFor(state.StateAdmin);

        var byId = await service.FindCandidatesAsync(admin, state.UserA1.StaffId);
        var byName = await service.FindCandidatesAsync(admin, "user");
        var administrator = await service.FindCandidatesAsync(admin, state.StateAdmin.StaffId);

        Assert.Equal([state.UserA1.Id], byId.Select(c => c.StaffMemberId));
        Assert.Equal("Alpha Parish Schools", byId[0].SchoolSystemName);
        Assert.Equal([state.UserA1.Id, state.UserA3.Id, state.UserB1.Id], byName.Select(c => c.StaffMemberId).Order());
        Assert.Empty(administrator);
    }

    [Fact]
    public async Task NonAdministrators_AreRefusedEveryRead_AndEveryChange()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var service = database.Get<StateAdministratorService>();
        var only = (await service.ListAsync(TestState.CallerFor(state.StateAdmin))).Active.Single();
        var district = TestState.CallerFor(state.DistrictA);

        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.ListAsync(district));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.FindCandidatesAsync(district, "user"));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.AddAsync(district, state.DistrictA.Id));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.EndAsync(district, only.AssignmentId, "Taking over."));

        await using var db = await database.OpenAsync();
        Assert.Single(await db.StateAdministrators.ToListAsync());
        Assert.Empty(await db.AuditEvents.ToListAsync());
    }

    [Fact]
    public async Task ConcernsList_AdministratorChangesConcernAdministrators_AndThePersonAddedOrEnded_NotOthers()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var scopes = database.Get<ScopeService>();
        var adminScope = await scopes.GetScopeAsync(TestState.CallerFor(state.StateAdmin));
        var userScope = await scopes.GetScopeAsync(TestState.CallerFor(state.UserA1));
        var otherScope = await scopes.GetScopeAsync(TestState.CallerFor(state.UserA3));
        var added = new AccessChange(AccessChangeKind.StateAdministratorsChanged, null, null, null, state.StateAdmin.Id, TestDatabase.DefaultNow, state.UserA1.Id);
        var directory = added with { Kind = AccessChangeKind.StaffDirectoryChanged };
        var assignment = added with { Kind = AccessChangeKind.AssignmentChanged };

        Assert.True(StateAdministratorService.ConcernsList(added, adminScope));
        Assert.True(StateAdministratorService.ConcernsList(added, userScope));
        Assert.False(StateAdministratorService.ConcernsList(added, otherScope));
        Assert.False(StateAdministratorService.ConcernsList(added, null));
        Assert.True(StateAdministratorService.ConcernsList(directory, adminScope));
        Assert.False(StateAdministratorService.ConcernsList(directory, userScope));
        Assert.False(StateAdministratorService.ConcernsList(assignment, adminScope));
    }
}

using EserSecurity.Core.Changes;
using EserSecurity.Core.Identity;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.Identity;

public sealed class LinkRequestServiceTests
{
    [Theory]
    [InlineData("12ab", "Staff ID")]
    [InlineData("", "Staff ID")]
    public async Task File_WithABadStaffId_SaysWhatAStaffIdLooksLike(string staffId, string expected)
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var account = await LinkSetup.SignInUnlinkedAsync(database, "new.person");

        var refusal = await Assert.ThrowsAsync<LinkRequestRefusedException>(() =>
            database.Get<LinkRequestService>().FileAsync(account, new LinkRequestForm(staffId, state.LeaA.Id, null)));

        Assert.Contains(expected, refusal.Message);
    }

    [Fact]
    public async Task File_WithoutASchoolSystem_OrWithASchoolOfAnother_IsRefusedClearly()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var account = await LinkSetup.SignInUnlinkedAsync(database, "new.person");
        var service = database.Get<LinkRequestService>();

        var noLea = await Assert.ThrowsAsync<LinkRequestRefusedException>(() => service.FileAsync(account, new LinkRequestForm("12345678", null, null)));
        var wrongSchool = await Assert.ThrowsAsync<LinkRequestRefusedException>(() =>
            service.FileAsync(account, new LinkRequestForm("12345678", state.LeaA.Id, state.B1.Id)));

        Assert.Equal("Choose the school system you work for.", noLea.Message);
        Assert.Contains("not part of the school system", wrongSchool.Message);
    }

    [Fact]
    public async Task File_TwiceFromOneAccount_KeepsOnePendingRequest()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var account = await LinkSetup.SignInUnlinkedAsync(database, "new.person");
        var service = database.Get<LinkRequestService>();
        await service.FileAsync(account, new LinkRequestForm(state.UserA1.StaffId, state.LeaA.Id, state.A1.Id));

        await Assert.ThrowsAsync<LinkRequestRefusedException>(() =>
            service.FileAsync(account, new LinkRequestForm(state.UserA1.StaffId, state.LeaA.Id, null)));

        var own = await service.GetOwnAsync(account);
        Assert.Equal(SignedInStatus.NotLinked, own.Status);
        Assert.Equal(("Alpha Parish Schools", "Alpha Elementary"), (own.Pending!.SchoolSystemName, own.Pending.SchoolName));
        var outcome = await database.Get<SignOnLinks>().SignInAsync(new SignOnAccount(LinkSetup.Issuer, "new.person", null, null, null));
        Assert.Equal(SignInOutcomeKind.LinkRequestPending, outcome.Kind);
    }

    [Fact]
    public async Task File_IsAuditedAndReachesTheSchoolSystemsCoordinators()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        using var changes = new ChangeRecorder(database.Get<IAccessChangeFeed>());

        var id = await LinkSetup.FileAsync(database, "new.person", state.LeaA, state.UserA1.StaffId);

        var change = await changes.WaitForAsync(c => c.Kind == AccessChangeKind.LinkRequestChanged);
        var districtA = await database.Get<ScopeService>().GetScopeAsync(TestState.CallerFor(state.DistrictA));
        var districtB = await database.Get<ScopeService>().GetScopeAsync(TestState.CallerFor(state.DistrictB));
        Assert.True(LinkRequestService.ConcernsLinkQueue(change, districtA));
        Assert.False(LinkRequestService.ConcernsLinkQueue(change, districtB));
        var pending = await database.Get<LinkRequestService>().ReadPendingAsync(TestState.CallerFor(state.DistrictA), 0, 10);
        var row = Assert.Single(pending.Items);
        Assert.Equal(id, row.Id);
        Assert.Equal(state.UserA1.Id, row.DirectoryRecord!.StaffMemberId);
        await using var db = await database.OpenAsync();
        Assert.Equal("LinkRequest.Filed", (await db.AuditEvents.OrderBy(e => e.Sequence).LastAsync()).Action);
    }

    [Fact]
    public async Task Pending_ShowsTheDirectoryRecordOnlyWhenItIsInTheCoordinatorsScope()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        // Someone claims a Bravo person's Staff ID in Alpha.
        await LinkSetup.FileAsync(database, "new.person", state.LeaA, state.UserB1.StaffId);

        var row = Assert.Single((await database.Get<LinkRequestService>().ReadPendingAsync(TestState.CallerFor(state.DistrictA), 0, 10)).Items);
        var adminRow = Assert.Single((await database.Get<LinkRequestService>().ReadPendingAsync(TestState.CallerFor(state.StateAdmin), 0, 10)).Items);

        Assert.Null(row.DirectoryRecord);
        Assert.Equal(state.UserB1.Id, adminRow.DirectoryRecord!.StaffMemberId);
    }

    [Fact]
    public async Task Confirm_LinksTheAccount_AuditsBoth_AndTheNextSignInLandsOnThePerson()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var account = await LinkSetup.SignInUnlinkedAsync(database, "new.person");
        var service = database.Get<LinkRequestService>();
        var id = await service.FileAsync(account, new LinkRequestForm(state.UserA1.StaffId, state.LeaA.Id, state.A1.Id));
        using var changes = new ChangeRecorder(database.Get<IAccessChangeFeed>());

        await service.ConfirmAsync(TestState.CallerFor(state.DistrictA), id);

        Assert.Equal(state.UserA1.Id, (await database.Get<SignOnLinks>().CheckAsync(account)).Person!.StaffMemberId);
        var next = await database.Get<SignOnLinks>().SignInAsync(new SignOnAccount(LinkSetup.Issuer, "new.person", null, null, null));
        Assert.Equal(state.UserA1.Id, next.Person!.StaffMemberId);
        await using var db = await database.OpenAsync();
        var actions = await db.AuditEvents.OrderByDescending(e => e.Sequence).Take(2).Select(e => new { e.Action, e.ActorId }).ToListAsync();
        Assert.Equal(["SignOn.Linked", "LinkRequest.Confirmed"], actions.Select(a => a.Action));
        Assert.All(actions, a => Assert.Equal(state.DistrictA.Id, a.ActorId));
        Assert.Equal(SignOnLinkMethod.ConfirmedRequest, (await db.SignOnIdentities.SingleAsync()).LinkedHow);
        var published = await changes.WaitForAsync(c => c.Kind == AccessChangeKind.LinkRequestChanged);
        Assert.True(SignOnLinks.ConcernsSignedInPerson(published, null));
    }

    [Fact]
    public async Task Confirm_ChecksTheDirectory()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var service = database.Get<LinkRequestService>();
        var admin = TestState.CallerFor(state.StateAdmin);
        var unknown = await LinkSetup.FileAsync(database, "unknown", state.LeaA, "12345678");
        var otherSystem = await LinkSetup.FileAsync(database, "other.system", state.LeaA, state.UserB1.StaffId);
        var ended = await LinkSetup.FileAsync(database, "ended", state.LeaA, state.UserA3.StaffId);
        var taken = await LinkSetup.FileAsync(database, "taken", state.LeaA, state.UserA1.StaffId);
        await database.Get<SignOnLinks>().SignInAsync(new SignOnAccount(LinkSetup.Issuer, "user.a1.first", null, state.UserA1.StaffId, null));
        await using (var db = await database.OpenAsync())
        {
            await db.StaffMembers.Where(s => s.Id == state.UserA3.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.EmploymentStatus, EmploymentStatus.Ended));
        }

        Assert.Contains("No staff record has Staff ID 12345678", (await Assert.ThrowsAsync<LinkRequestRefusedException>(() => service.ConfirmAsync(admin, unknown))).Message);
        Assert.Contains("another school system", (await Assert.ThrowsAsync<LinkRequestRefusedException>(() => service.ConfirmAsync(admin, otherSystem))).Message);
        Assert.Contains("has ended", (await Assert.ThrowsAsync<LinkRequestRefusedException>(() => service.ConfirmAsync(admin, ended))).Message);
        Assert.Contains("already linked to another account", (await Assert.ThrowsAsync<LinkRequestRefusedException>(() => service.ConfirmAsync(admin, taken))).Message);
        Assert.Equal(4, (await service.ReadPendingAsync(admin, 0, 10)).TotalCount);
    }

    [Fact]
    public async Task Refuse_NeedsAReason_IsAudited_AndIsShownToThePersonOnce()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var account = await LinkSetup.SignInUnlinkedAsync(database, "new.person");
        var service = database.Get<LinkRequestService>();
        var id = await service.FileAsync(account, new LinkRequestForm("12345678", state.LeaA.Id, null));
        var coordinator = TestState.CallerFor(state.DistrictA);

        await Assert.ThrowsAsync<LinkRequestRefusedException>(() => service.RefuseAsync(coordinator, id, "  "));
        await service.RefuseAsync(coordinator, id, "No such Staff ID in Alpha.");

        var nextVisit = await database.Get<SignOnLinks>().SignInAsync(new SignOnAccount(LinkSetup.Issuer, "new.person", null, null, null));
        Assert.Equal((SignInOutcomeKind.LinkRequestRefused, "No such Staff ID in Alpha."), (nextVisit.Kind, nextVisit.Message));
        var own = await service.GetOwnAsync(account);
        Assert.Equal("No such Staff ID in Alpha.", own.UnseenRefusal!.RefusalReason);
        await service.AcknowledgeRefusalAsync(account, id);
        Assert.Null((await service.GetOwnAsync(account)).UnseenRefusal);
        await Assert.ThrowsAsync<LinkRequestRefusedException>(() => service.ConfirmAsync(coordinator, id));
        await using var db = await database.OpenAsync();
        var audit = await db.AuditEvents.OrderBy(e => e.Sequence).LastAsync();
        Assert.Equal(("LinkRequest.Refused", state.DistrictA.Id), (audit.Action, audit.ActorId));
        Assert.Contains("No such Staff ID in Alpha.", audit.After);
    }

    [Fact]
    public async Task Unlink_EndsTheAccountsSessions_IsAudited_AndPublishes()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var account = await TestPeople.SignInAsync(database.Services, state.UserA1.StaffId);
        var identity = await LinkSetup.LinkedIdentityAsync(database, state.UserA1);
        using var changes = new ChangeRecorder(database.Get<IAccessChangeFeed>());

        await database.Get<LinkRequestService>().UnlinkAsync(TestState.CallerFor(state.DistrictA), identity);

        Assert.Equal(SignedInStatus.SignedOut, (await database.Get<SignOnLinks>().CheckAsync(account)).Status);
        var change = await changes.WaitForAsync(c => c.Kind == AccessChangeKind.SignOnChanged);
        Assert.True(SignOnLinks.ConcernsSignedInPerson(change, state.UserA1.Id));
        await using var db = await database.OpenAsync();
        Assert.Equal(0, await db.SignOnIdentities.CountAsync());
        var audit = await db.AuditEvents.OrderBy(e => e.Sequence).LastAsync();
        Assert.Equal(("SignOn.Unlinked", state.DistrictA.Id), (audit.Action, audit.ActorId));
    }

    [Fact]
    public async Task ConcernsLinkQueue_OnlyForHandlersOfThatSchoolSystem()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var scopes = database.Get<ScopeService>();
        var districtA = await scopes.GetScopeAsync(TestState.CallerFor(state.DistrictA));
        var admin = await scopes.GetScopeAsync(TestState.CallerFor(state.StateAdmin));
        var localA = await scopes.GetScopeAsync(TestState.CallerFor(state.LocalA));
        AccessChange Change(AccessChangeKind kind, int lea) => new(kind, lea, null, null, null, TestDatabase.DefaultNow);

        Assert.True(LinkRequestService.ConcernsLinkQueue(Change(AccessChangeKind.LinkRequestChanged, state.LeaA.Id), districtA));
        Assert.True(LinkRequestService.ConcernsLinkQueue(Change(AccessChangeKind.SignOnChanged, state.LeaA.Id), districtA));
        Assert.False(LinkRequestService.ConcernsLinkQueue(Change(AccessChangeKind.LinkRequestChanged, state.LeaB.Id), districtA));
        Assert.True(LinkRequestService.ConcernsLinkQueue(Change(AccessChangeKind.LinkRequestChanged, state.LeaB.Id), admin));
        Assert.False(LinkRequestService.ConcernsLinkQueue(Change(AccessChangeKind.LinkRequestChanged, state.LeaA.Id), localA));
        Assert.False(LinkRequestService.ConcernsLinkQueue(Change(AccessChangeKind.RequestSubmitted, state.LeaA.Id), districtA));
        Assert.False(LinkRequestService.ConcernsLinkQueue(Change(AccessChangeKind.LinkRequestChanged, state.LeaA.Id), null));
    }
}

using EserSecurity.Core.Changes;
using EserSecurity.Core.Identity;
using EserSecurity.Core.Staff;
using EserSecurity.Core.Security;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EserSecurity.Tests.Core.Identity;

public sealed class SignOnLinksTests
{
    private const string Provider = "https://sign-on.state.example";

    private static async Task SetEmploymentAsync(TestDatabase database, StaffMember person, EmploymentStatus status)
    {
        await using var db = await database.OpenAsync();
        await db.StaffMembers.Where(s => s.Id == person.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.EmploymentStatus, status));
    }

    [Fact]
    public async Task FirstSignIn_WithTrustedStaffIdOfOneActivePerson_LinksAuditsAndStartsASession()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        using var changes = new ChangeRecorder(database.Get<IAccessChangeFeed>());

        var outcome = await database.Get<SignOnLinks>().SignInAsync(new SignOnAccount(Provider, "oid-1", "User Alpha", state.UserA1.StaffId, null));

        Assert.Equal(SignInOutcomeKind.Linked, outcome.Kind);
        Assert.Equal(state.UserA1.Id, outcome.Person!.StaffMemberId);
        Assert.NotNull(outcome.SessionId);
        await using var db = await database.OpenAsync();
        var link = await db.SignOnIdentities.SingleAsync();
        Assert.Equal((Provider, "oid-1", state.UserA1.Id, SignOnLinkMethod.TrustedStaffId), (link.Issuer, link.Subject, link.StaffMemberId, link.LinkedHow));
        Assert.Equal("SignOn.Linked", (await db.AuditEvents.OrderBy(e => e.Sequence).LastAsync()).Action);
        await changes.WaitForAsync(c => c.Kind == AccessChangeKind.SignOnChanged && c.SubjectStaffMemberId == state.UserA1.Id);
    }

    [Fact]
    public async Task LaterSignIn_FindsThePersonByIssuerAndSubjectOnly()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var links = database.Get<SignOnLinks>();
        await links.SignInAsync(new SignOnAccount(Provider, "oid-1", null, state.UserA1.StaffId, null));

        var again = await links.SignInAsync(new SignOnAccount(Provider, "oid-1", null, null, null));
        var sameSubjectOtherIssuer = await links.SignInAsync(new SignOnAccount("https://other.example", "oid-1", null, null, null));

        Assert.Equal(state.UserA1.Id, again.Person!.StaffMemberId);
        Assert.Equal(SignInOutcomeKind.NeedsLinkRequest, sameSubjectOtherIssuer.Kind);
        Assert.Null(sameSubjectOtherIssuer.Person);
    }

    [Fact]
    public async Task TrustedEmail_MatchingOnePerson_Links()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);

        var outcome = await database.Get<SignOnLinks>().SignInAsync(new SignOnAccount(Provider, "oid-2", null, null, "USER.ALPHA3@example.org"));

        Assert.Equal(state.UserA3.Id, outcome.Person!.StaffMemberId);
    }

    [Fact]
    public async Task TrustedEmail_SharedByTwoActivePeople_NeedsALinkRequest()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using (var db = await database.OpenAsync())
        {
            await db.StaffMembers.Where(s => s.Id == state.UserA3.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.Email, state.UserA1.Email));
        }

        var outcome = await database.Get<SignOnLinks>().SignInAsync(new SignOnAccount(Provider, "oid-3", null, null, state.UserA1.Email));

        Assert.Equal(SignInOutcomeKind.NeedsLinkRequest, outcome.Kind);
        Assert.Null(outcome.Person);
        Assert.NotNull(outcome.SessionId);
        await using var check = await database.OpenAsync();
        Assert.Equal(0, await check.SignOnIdentities.CountAsync());
    }

    [Fact]
    public async Task TrustedClaims_PointingAtTwoDifferentPeople_NeedALinkRequest()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);

        var outcome = await database.Get<SignOnLinks>().SignInAsync(
            new SignOnAccount(Provider, "oid-4", null, state.UserA1.StaffId, state.UserA3.Email));

        Assert.Equal(SignInOutcomeKind.NeedsLinkRequest, outcome.Kind);
    }

    [Fact]
    public async Task TrustedStaffId_OfAnEndedPerson_DoesNotLink()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await SetEmploymentAsync(database, state.UserA1, EmploymentStatus.Ended);

        var outcome = await database.Get<SignOnLinks>().SignInAsync(new SignOnAccount(Provider, "oid-5", null, state.UserA1.StaffId, null));

        Assert.Equal(SignInOutcomeKind.NeedsLinkRequest, outcome.Kind);
    }

    [Fact]
    public async Task TrustedStaffId_OfSomeoneLinkedToAnotherAccountOfTheIssuer_NeedsALinkRequest()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var links = database.Get<SignOnLinks>();
        await links.SignInAsync(new SignOnAccount(Provider, "oid-first", null, state.UserA1.StaffId, null));

        var second = await links.SignInAsync(new SignOnAccount(Provider, "oid-second", null, state.UserA1.StaffId, null));

        Assert.Equal(SignInOutcomeKind.NeedsLinkRequest, second.Kind);
    }

    [Fact]
    public async Task EndedPerson_WithALinkedAccount_IsRefusedWithAClearMessageAndNoSession()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var links = database.Get<SignOnLinks>();
        await links.SignInAsync(new SignOnAccount(Provider, "oid-6", null, state.UserA1.StaffId, null));
        await SetEmploymentAsync(database, state.UserA1, EmploymentStatus.Ended);

        var outcome = await links.SignInAsync(new SignOnAccount(Provider, "oid-6", null, null, null));

        Assert.Equal(SignInOutcomeKind.Refused, outcome.Kind);
        Assert.Null(outcome.SessionId);
        Assert.Equal(SignOnLinks.EndedMessage, outcome.Message);
    }

    [Fact]
    public async Task UsernamePrefix_EqualToAStaffUsername_SignsNobodyIn()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);

        // Once, "state.admin@anywhere" became the state administrator; the name and subject no longer find anyone.
        var outcome = await database.Get<SignOnLinks>().SignInAsync(
            new SignOnAccount("https://anywhere.example", state.StateAdmin.Username!, state.StateAdmin.Username + "@anywhere", null, null));

        Assert.Equal(SignInOutcomeKind.NeedsLinkRequest, outcome.Kind);
        Assert.Null(outcome.Person);
        var check = await database.Get<SignOnLinks>().CheckAsync(new SignedInAccount("https://anywhere.example", state.StateAdmin.Username!, outcome.SessionId!.Value));
        Assert.Equal(SignedInStatus.NotLinked, check.Status);
    }

    [Fact]
    public async Task DevelopmentIssuer_IsRefused_WhereTheDevelopmentSignInIsNotEnabled()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var links = new SignOnLinks(database.Factory, database.Get<IAccessChangeFeed>(), database.Clock, Options.Create(new SignOnLinkOptions()), database.Get<SecurityEvents>());

        var outcome = await links.SignInAsync(new SignOnAccount(SignOnLinks.DevelopmentIssuer, state.StateAdmin.StaffId, null, null, null));

        Assert.Equal(SignInOutcomeKind.Refused, outcome.Kind);
        Assert.Null(outcome.SessionId);
    }

    [Fact]
    public async Task DevelopmentIssuer_SignsInByStaffId_WhereEnabled()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);

        var outcome = await database.Get<SignOnLinks>().SignInAsync(new SignOnAccount(SignOnLinks.DevelopmentIssuer, state.DistrictA.StaffId, null, null, null));

        Assert.Equal(state.DistrictA.Id, outcome.Person!.StaffMemberId);
    }

    [Fact]
    public async Task EndSession_SignsOutThatSessionOnly_AndPublishes()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var links = database.Get<SignOnLinks>();
        var first = await TestPeople.SignInAsync(database.Services, state.UserA1.StaffId);
        var second = await TestPeople.SignInAsync(database.Services, state.UserA1.StaffId);
        using var changes = new ChangeRecorder(database.Get<IAccessChangeFeed>());

        await links.EndSessionAsync(first);

        Assert.Equal(SignedInStatus.SignedOut, (await links.CheckAsync(first)).Status);
        Assert.False(await links.IsSessionLiveAsync(first));
        Assert.Equal(SignedInStatus.Person, (await links.CheckAsync(second)).Status);
        await changes.WaitForAsync(c => c.Kind == AccessChangeKind.SignOnChanged && c.SubjectStaffMemberId == state.UserA1.Id);
    }

    [Fact]
    public async Task Check_OfAnUnknownOrForgedSession_AnswersSignedOut()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var links = database.Get<SignOnLinks>();
        var real = await TestPeople.SignInAsync(database.Services, state.UserA1.StaffId);

        Assert.Equal(SignedInStatus.SignedOut, (await links.CheckAsync(real with { SessionId = Guid.NewGuid() })).Status);
        Assert.Equal(SignedInStatus.SignedOut, (await links.CheckAsync(real with { Subject = state.StateAdmin.StaffId })).Status);
        Assert.Equal(SignedInStatus.SignedOut, (await links.CheckAsync(null)).Status);
    }

    [Fact]
    public async Task Check_OfAPersonWhoseEmploymentEnded_AnswersNoConsole()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var account = await TestPeople.SignInAsync(database.Services, state.UserA1.StaffId);
        await SetEmploymentAsync(database, state.UserA1, EmploymentStatus.Ended);

        var check = await database.Get<SignOnLinks>().CheckAsync(account);

        Assert.Equal(SignedInStatus.NoConsole, check.Status);
        Assert.Null(check.Person);
    }

    [Theory]
    [InlineData(AccessChangeKind.SignOnChanged, 7, 7, true)]
    [InlineData(AccessChangeKind.SignOnChanged, 8, 7, false)]
    [InlineData(AccessChangeKind.LinkRequestChanged, 7, 7, true)]
    [InlineData(AccessChangeKind.StaffDirectoryChanged, 7, 7, true)]
    [InlineData(AccessChangeKind.StaffDirectoryChanged, 8, 7, false)]
    [InlineData(AccessChangeKind.AssignmentChanged, 7, 7, true)]
    [InlineData(AccessChangeKind.AssignmentChanged, 8, 7, false)]
    [InlineData(AccessChangeKind.RequestSubmitted, 7, 7, false)]
    [InlineData(AccessChangeKind.SignOnChanged, null, null, true)]
    [InlineData(AccessChangeKind.LinkRequestChanged, 8, null, true)]
    [InlineData(AccessChangeKind.StaffDirectoryChanged, 8, null, false)]
    public void ConcernsSignedInPerson_TheirOwnSignOnDirectoryAndAssignments(AccessChangeKind kind, int? subject, int? me, bool expected)
    {
        var change = new AccessChange(kind, 1, null, null, null, TestDatabase.DefaultNow, subject);

        Assert.Equal(expected, SignOnLinks.ConcernsSignedInPerson(change, me));
    }
}

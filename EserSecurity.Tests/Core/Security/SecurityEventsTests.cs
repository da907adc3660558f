using System.Text.Json;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Documents;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Identity;
using EserSecurity.Core.Readiness;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EserSecurity.Tests.Core.Security;

/// <summary>
/// What a security office watches: sign-in and sign-out, sign-ins that link to nobody, every refusal for scope and every
/// list of people handed out are structured log events with fixed ids; refusals and personal-data downloads are also in
/// the audit log, where a state administrator filters to them.
/// </summary>
public sealed class SecurityEventsTests
{
    [Fact]
    public async Task RefusalForScope_IsALogEventAndAnAuditEventOfTheRefusedPerson_AndChangesNothing()
    {
        var logs = new RecordedLogs();
        await using var database = await TestDatabase.CreateAsync(logs: logs);
        var state = await TestState.CreateAsync(database);
        var grantInB = await GrantSetup.AddAsync(database, state.UserB1, state.SchoolRole, state.LeaB, state.B1);
        var before = await AuditCountAsync(database);

        var refused = await Assert.ThrowsAsync<ScopeDeniedException>(() =>
            database.Get<GrantService>().EndAsync(TestState.CallerFor(state.DistrictA), grantInB.Id, "Not theirs to end."));

        var logged = Assert.Single(logs.WithId(SecurityEventIds.ScopeRefused));
        Assert.Equal(SecurityEvents.LogCategory, logged.Category);
        Assert.Equal(LogLevel.Warning, logged.Level);
        Assert.Equal(state.DistrictA.Id, logged.Values["StaffMemberId"]);
        Assert.Equal(refused.Message, logged.Values["Refusal"]);

        Assert.Equal(1, await database.Get<SecurityEvents>().WriteQueuedRefusalsAsync());
        var events = await ReadSecurityEventsAsync(database, state);
        var audited = Assert.Single(events);
        Assert.Equal(AuditAction.ScopeRefused, audited.Action);
        Assert.Equal(state.DistrictA.FullName, audited.ActorName);
        Assert.Equal(state.DistrictA.Id.ToString(), audited.EntityId);
        Assert.Contains(JsonSerializer.Serialize(refused.Message), audited.After);
        Assert.Equal(before + 1, await AuditCountAsync(database));
        Assert.Null((await GrantSetup.FindAsync(database, grantInB.Id)).EndedAt);
    }

    [Fact]
    public async Task RefusalOfASchoolSystem_RecordsWhichSchoolSystemWasAskedFor()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);

        await Assert.ThrowsAsync<ScopeDeniedException>(() =>
            database.Get<DocumentService>().AuthorizedUserListCsvAsync(TestState.CallerFor(state.DistrictA), state.LeaB.Id));
        await database.Get<SecurityEvents>().WriteQueuedRefusalsAsync();

        var audited = Assert.Single(await ReadSecurityEventsAsync(database, state));
        Assert.Equal(AuditAction.ScopeRefused, audited.Action);
        Assert.Equal(state.LeaB.Id, audited.SchoolSystemId);
    }

    [Fact]
    public async Task RefusalOfAnAccountWithNoStaffRecord_IsAuditedWithoutAnActorRecord()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);

        await Assert.ThrowsAsync<ScopeDeniedException>(() =>
            database.Get<ScopeService>().GetScopeAsync(new Caller(987_654, "Nobody")));
        await database.Get<SecurityEvents>().WriteQueuedRefusalsAsync();

        await using var db = await database.OpenAsync();
        var audited = await db.AuditEvents.SingleAsync(e => e.Action == AuditAction.ScopeRefused);
        Assert.Null(audited.ActorId);
        Assert.Equal(SecurityEvents.UnknownActorName, audited.ActorName);
        Assert.Equal("987654", audited.EntityId);
    }

    [Fact]
    public async Task ListsOfPeople_AreLoggedAndAudited_WithHowManyPeopleAndTheFilter()
    {
        var logs = new RecordedLogs();
        await using var database = await TestDatabase.CreateAsync(logs: logs);
        var state = await TestState.CreateAsync(database);
        await GrantSetup.AddAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1);
        await GrantSetup.AddAsync(database, state.UserA3, state.SchoolRole, state.LeaA, state.A3);
        var admin = TestState.CallerFor(state.StateAdmin);
        var documents = database.Get<DocumentService>();

        await documents.AuthorizedUserListCsvAsync(admin, state.LeaA.Id);
        await documents.AuthorizedUserListPdfAsync(admin, state.LeaA.Id);
        await database.Get<AssuranceStatusService>().ExportCsvAsync(admin, new AssurancePeopleQuery(AssuranceStatus.Due, state.LeaA.Id));
        await database.Get<ReadinessService>().ExportNotReadyCsvAsync(admin, state.LeaA.Id);

        var downloads = (await ReadSecurityEventsAsync(database, state)).OrderBy(e => e.Sequence).ToList();
        Assert.All(downloads, d => Assert.Equal(AuditAction.PersonalDataDownloaded, d.Action));
        Assert.All(downloads, d => Assert.Equal(state.StateAdmin.FullName, d.ActorName));
        Assert.All(downloads, d => Assert.Equal(state.LeaA.Id, d.SchoolSystemId));
        Assert.Equal(
            ["Authorized-user list (CSV)", "Authorized-user list (PDF)", "Assurance status list (CSV)", "Not-ready list (CSV)"],
            downloads.Select(d => d.EntityId));
        Assert.Contains("\"People\":2", downloads[0].After);
        Assert.Contains($"status Due, school system {state.LeaA.Id}", downloads[2].After);

        var logged = logs.WithId(SecurityEventIds.PersonalDataDownloaded);
        Assert.Equal(4, logged.Count);
        Assert.All(logged, l => Assert.Equal(state.StateAdmin.Id, l.Values["StaffMemberId"]));
        Assert.Equal(2, logged[0].Values["People"]);
    }

    [Fact]
    public async Task SignedStatementOfAnotherPerson_IsAudited_TheSignersOwnCopyIsNot()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await TestState.SignThisYearAsync(database, state.UserA1);
        int signatureId;
        await using (var db = await database.OpenAsync())
        {
            signatureId = await db.AssuranceSignatures.Where(s => s.StaffMemberId == state.UserA1.Id).Select(s => s.Id).SingleAsync();
        }
        var documents = database.Get<DocumentService>();

        await documents.SignedStatementAsync(TestState.CallerFor(state.UserA1), signatureId);
        Assert.Empty(await ReadSecurityEventsAsync(database, state));

        await documents.SignedStatementAsync(TestState.CallerFor(state.DistrictA), signatureId);
        var audited = Assert.Single(await ReadSecurityEventsAsync(database, state));
        Assert.Equal(AuditAction.PersonalDataDownloaded, audited.Action);
        Assert.Equal(state.DistrictA.FullName, audited.ActorName);
        Assert.Contains($"staff record {state.UserA1.Id}", audited.After);
    }

    [Fact]
    public async Task SecurityFilter_ShowsOnlyRefusalsAndDownloads_AndTheChainStaysIntact()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var grant = await GrantSetup.AddAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1);
        var admin = TestState.CallerFor(state.StateAdmin);
        await database.Get<GrantService>().EndAsync(TestState.CallerFor(state.DistrictA), grant.Id, "Left the program.");
        await Assert.ThrowsAsync<ScopeDeniedException>(() => database.Get<AuditSearch>().SearchAsync(TestState.CallerFor(state.LocalA), new AuditQuery()));
        await database.Get<DocumentService>().AuthorizedUserListCsvAsync(admin, state.LeaA.Id);
        await database.Get<SecurityEvents>().WriteQueuedRefusalsAsync();

        var audit = database.Get<AuditLog>();
        var all = await database.Get<AuditSearch>().SearchAsync(admin, new AuditQuery(PageSize: 100));
        var security = await database.Get<AuditSearch>().SearchAsync(admin, new AuditQuery(Kind: "Security", PageSize: 100));

        Assert.Contains(all.Items, e => !e.Action.StartsWith(AuditAction.SecurityPrefix, StringComparison.Ordinal));
        Assert.Equal([AuditAction.PersonalDataDownloaded, AuditAction.ScopeRefused], security.Items.Select(e => e.Action).Order());
        Assert.Equal(2, security.TotalCount);
        Assert.True((await audit.VerifyAsync(admin)).IsIntact);
    }

    [Fact]
    public async Task SignIn_SignOut_AndSignInsThatLinkToNobodyOrAreRefused_AreLogEvents()
    {
        var logs = new RecordedLogs();
        await using var database = await TestDatabase.CreateAsync(logs: logs);
        var state = await TestState.CreateAsync(database);
        var links = database.Get<SignOnLinks>();

        var account = await TestPeople.SignInAsync(database.Services, state.UserA1.StaffId);
        var signedIn = Assert.Single(logs.WithId(SecurityEventIds.SignedIn));
        Assert.Equal(state.UserA1.Id, signedIn.Values["StaffMemberId"]);
        Assert.Equal(state.UserA1.StaffId, signedIn.Values["Subject"]);

        await links.EndSessionAsync(new SignedInAccount(account.Issuer, account.Subject, account.SessionId));
        Assert.Equal(state.UserA1.Id, Assert.Single(logs.WithId(SecurityEventIds.SignedOut)).Values["StaffMemberId"]);

        await links.SignInAsync(new SignOnAccount(TestPeople.UnlinkedIssuer, "someone-new", "Someone New", null, null));
        Assert.Equal("someone-new", Assert.Single(logs.WithId(SecurityEventIds.UnlinkedSignIn)).Values["Subject"]);

        // A subject that tries to start a false log line reaches the log without its line break.
        var refusedOutcome = await links.SignInAsync(new SignOnAccount(SignOnLinks.DevelopmentIssuer, "0000000\nSigned in: admin", "X", null, null));
        Assert.Equal(SignInOutcomeKind.Refused, refusedOutcome.Kind);
        var refused = Assert.Single(logs.WithId(SecurityEventIds.SignInRefused));
        Assert.Equal("0000000Signed in: admin", refused.Values["Subject"]);
        Assert.DoesNotContain('\n', refused.Message);
        Assert.All(logs.Entries.Where(e => e.Category == SecurityEvents.LogCategory), e => Assert.InRange(e.EventId.Id, 7001, 7007));
    }

    [Fact]
    public async Task Writer_PutsRefusalsInTheAuditLogByItself_UntilItStops()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var writer = database.Services.GetServices<IHostedService>().OfType<SecurityEventWriter>().Single();
        await writer.StartAsync(CancellationToken.None);
        var audit = database.Get<AuditLog>();

        await Assert.ThrowsAsync<ScopeDeniedException>(() => database.Get<AuditSearch>().SearchAsync(TestState.CallerFor(state.UserA1), new AuditQuery()));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await ReadSecurityEventsAsync(database, state)).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.Single(await ReadSecurityEventsAsync(database, state));

        await writer.StopAsync(CancellationToken.None);
        database.Clock.Advance(SecurityEvents.RepeatWindow);
        await Assert.ThrowsAsync<ScopeDeniedException>(() => database.Get<AuditSearch>().SearchAsync(TestState.CallerFor(state.UserA1), new AuditQuery()));
        Assert.Single(await ReadSecurityEventsAsync(database, state));
        Assert.Equal(1, await database.Get<SecurityEvents>().WriteQueuedRefusalsAsync());
        Assert.Equal(2, (await ReadSecurityEventsAsync(database, state)).Count);
    }

    [Fact]
    public async Task TheSameRefusalAgainWithinTheRepeatWindow_IsLoggedButAuditedOnce()
    {
        var logs = new RecordedLogs();
        await using var database = await TestDatabase.CreateAsync(logs: logs);
        var state = await TestState.CreateAsync(database);
        var audit = database.Get<AuditLog>();
        var events = database.Get<SecurityEvents>();
        Task Refused(StaffMember person) => Assert.ThrowsAsync<ScopeDeniedException>(() => database.Get<AuditSearch>().SearchAsync(TestState.CallerFor(person), new AuditQuery()));

        // As a page does when it is prerendered and then turns interactive.
        await Refused(state.UserA1);
        await Refused(state.UserA1);
        await Refused(state.LocalA);
        Assert.Equal(2, await events.WriteQueuedRefusalsAsync());

        database.Clock.Advance(SecurityEvents.RepeatWindow - TimeSpan.FromSeconds(1));
        await Refused(state.UserA1);
        Assert.Equal(0, await events.WriteQueuedRefusalsAsync());
        database.Clock.Advance(TimeSpan.FromSeconds(1));
        await Refused(state.UserA1);
        Assert.Equal(1, await events.WriteQueuedRefusalsAsync());

        Assert.Equal(5, logs.WithId(SecurityEventIds.ScopeRefused).Count);
        Assert.Equal([state.LocalA.FullName, state.UserA1.FullName, state.UserA1.FullName],
            (await ReadSecurityEventsAsync(database, state)).Select(e => e.ActorName).Order());
    }

    private static async Task<IReadOnlyList<AuditSearchRow>> ReadSecurityEventsAsync(TestDatabase database, TestState state) =>
        (await database.Get<AuditSearch>().SearchAsync(TestState.CallerFor(state.StateAdmin), new AuditQuery(Kind: "Security", PageSize: 100))).Items;

    private static async Task<int> AuditCountAsync(TestDatabase database)
    {
        await using var db = await database.OpenAsync();
        return await db.AuditEvents.CountAsync();
    }
}

using System.Text;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Documents;
using EserSecurity.Core.Grants;
using EserSecurity.Core.KeyDates;
using EserSecurity.Core.Reviews;
using EserSecurity.Core.SchoolSystems;
using EserSecurity.Core.Security;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.Audit;

public sealed class AuditSearchTests
{
    /// <summary>
    /// Events over four days: Nov 28 both school systems' policies (state administrator); Nov 29 UserA1's request and
    /// DistrictA's denial of it; Nov 30 DistrictA ends UserA3's grant, the state administrator UserB1's, and adds a
    /// statewide key date; Dec 1 DistrictA downloads school system A's authorized-user list.
    /// </summary>
    private static async Task<(TestDatabase Database, TestState State, Trail Trail)> ArrangeAsync()
    {
        var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var admin = TestState.CallerFor(state.StateAdmin);
        var district = TestState.CallerFor(state.DistrictA);
        await PolicySetup.UpdateAsync(database, state, admin, state.LeaA.Id, new SecurityPolicyChange(new DateOnly(2026, 8, 1), true, null));
        await PolicySetup.UpdateAsync(database, state, admin, state.LeaB.Id, new SecurityPolicyChange(new DateOnly(2026, 8, 1), true, null));
        database.Clock.Advance(TimeSpan.FromDays(1));
        var requests = database.Get<AccessRequestService>();
        var request = await requests.SubmitAsync(TestState.CallerFor(state.UserA1), new NewAccessRequest(state.SchoolRole.Id, state.A1.Id, "My duties need it."));
        await requests.DecideAsync(district, request, Decision.Deny, "Not part of your duties.");
        database.Clock.Advance(TimeSpan.FromDays(1));
        var grantOfA3 = await GrantSetup.AddAsync(database, state.UserA3, state.SchoolRole, state.LeaA, state.A3);
        var grantOfB1 = await GrantSetup.AddAsync(database, state.UserB1, state.SchoolRole, state.LeaB, state.B1);
        await database.Get<GrantService>().EndAsync(district, grantOfA3.Id, "Left the program.");
        await database.Get<GrantService>().EndAsync(admin, grantOfB1.Id, "Left the program.");
        await database.Get<KeyDateService>().CreateAsync(admin, new KeyDateEdit(KeyDateKind.Other, "Office hours", new DateOnly(2026, 12, 15)));
        database.Clock.Advance(TimeSpan.FromDays(1));
        await database.Get<DocumentService>().AuthorizedUserListCsvAsync(district, state.LeaA.Id);
        return (database, state, new Trail(request, grantOfA3.Id, grantOfB1.Id));
    }

    private sealed record Trail(int RequestOfA1, int GrantOfA3, int GrantOfB1);

    private static async Task<List<string>> ActionsAsync(TestDatabase database, TestState state, Func<TestState, EserSecurity.Core.Staff.StaffMember> who, AuditQuery query) =>
        (await database.Get<AuditSearch>().SearchAsync(TestState.CallerFor(who(state)), query with { PageSize = 200 })).Items.Select(r => r.Action).ToList();

    private static readonly string[] Everything =
    [
        AuditAction.PersonalDataDownloaded, "KeyDate.Created", "AccessGrant.Ended", "AccessGrant.Ended", "AccessRequest.CoordinatorDenied", "AccessRequest.Submitted",
        "SchoolSystem.SecurityPolicyUpdated", "SchoolSystem.SecurityPolicyUpdated",
    ];

    [Fact]
    public async Task StateAdministrator_SeesEveryEvent_NewestFirst_OrOldestFirst()
    {
        var (database, state, _) = await ArrangeAsync();
        await using var _ = database;

        Assert.Equal(Everything, await ActionsAsync(database, state, s => s.StateAdmin, new AuditQuery()));
        Assert.Equal(Enumerable.Reverse(Everything), await ActionsAsync(database, state, s => s.StateAdmin, new AuditQuery(Sort: AuditSort.OldestFirst)));
    }

    [Fact]
    public async Task Pages_AreCutOnTheServer_WithTheTotal()
    {
        var (database, state, _) = await ArrangeAsync();
        await using var _ = database;

        var second = await database.Get<AuditSearch>().SearchAsync(TestState.CallerFor(state.StateAdmin), new AuditQuery(Page: 1, PageSize: 3));

        Assert.Equal(Everything.Length, second.TotalCount);
        Assert.Equal(Everything[3..6], second.Items.Select(r => r.Action));
    }

    [Fact]
    public async Task DistrictCoordinatorAndSupervisor_SeeTheirSchoolSystemsEvents_NotStatewideOrOthers()
    {
        var (database, state, _) = await ArrangeAsync();
        await using var _ = database;
        string[] ofA = [AuditAction.PersonalDataDownloaded, "AccessGrant.Ended", "AccessRequest.CoordinatorDenied", "AccessRequest.Submitted", "SchoolSystem.SecurityPolicyUpdated"];

        Assert.Equal(ofA, await ActionsAsync(database, state, s => s.DistrictA, new AuditQuery()));
        Assert.Equal(ofA, await ActionsAsync(database, state, s => s.SupervisorA, new AuditQuery()));
        var rows = (await database.Get<AuditSearch>().SearchAsync(TestState.CallerFor(state.DistrictA), new AuditQuery())).Items;
        Assert.All(rows, r => Assert.Equal((state.LeaA.Id, state.LeaA.Code), (r.SchoolSystemId, r.SchoolSystemCode)));
    }

    [Fact]
    public async Task LocalCoordinatorAndStaff_AreRefused_AndTheRefusalIsRecorded()
    {
        var (database, state, _) = await ArrangeAsync();
        await using var _ = database;
        var search = database.Get<AuditSearch>();

        var local = await Assert.ThrowsAsync<ScopeDeniedException>(() => search.SearchAsync(TestState.CallerFor(state.LocalA), new AuditQuery()));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => search.ExportCsvAsync(TestState.CallerFor(state.UserA1), new AuditQuery()));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => search.DemandReaderAsync(TestState.CallerFor(state.UserA1)));

        Assert.StartsWith("The audit log is for state administrators, district security coordinators and supervisors.", local.Message);
        Assert.Equal(2, await database.Get<SecurityEvents>().WriteQueuedRefusalsAsync());
        var refused = await search.SearchAsync(TestState.CallerFor(state.StateAdmin), new AuditQuery(Kind: "Security", Sort: AuditSort.OldestFirst));
        Assert.Equal([AuditAction.PersonalDataDownloaded, AuditAction.ScopeRefused, AuditAction.ScopeRefused], refused.Items.Select(r => r.Action));
        Assert.Equal([state.LocalA.FullName, state.UserA1.FullName], refused.Items.Skip(1).Select(r => r.ActorName));
    }

    [Fact]
    public async Task Person_SelectsWhatTheyDid_AndWhatIsAboutTheirRecords()
    {
        var (database, state, _) = await ArrangeAsync();
        await using var _ = database;

        // UserA1 submitted the request; DistrictA's denial is about it.
        Assert.Equal(["AccessRequest.CoordinatorDenied", "AccessRequest.Submitted"],
            await ActionsAsync(database, state, s => s.StateAdmin, new AuditQuery(PersonId: state.UserA1.Id)));
        // DistrictA ended UserA3's grant: it is about UserA3, and DistrictA acted in it.
        Assert.Equal(["AccessGrant.Ended"], await ActionsAsync(database, state, s => s.DistrictA, new AuditQuery(PersonId: state.UserA3.Id)));
        Assert.Equal([AuditAction.PersonalDataDownloaded, "AccessGrant.Ended", "AccessRequest.CoordinatorDenied"],
            await ActionsAsync(database, state, s => s.StateAdmin, new AuditQuery(PersonId: state.DistrictA.Id)));
        // A coordinator may pick the state administrator, who acted in their school system, and sees only that.
        Assert.Equal(["SchoolSystem.SecurityPolicyUpdated"],
            await ActionsAsync(database, state, s => s.DistrictA, new AuditQuery(PersonId: state.StateAdmin.Id)));
    }

    [Fact]
    public async Task SchoolSystem_Narrows_AndOneOutsideTheScopeIsRefusedLikeOneThatDoesNotExist()
    {
        var (database, state, _) = await ArrangeAsync();
        await using var _ = database;
        var search = database.Get<AuditSearch>();

        Assert.Equal(["AccessGrant.Ended", "SchoolSystem.SecurityPolicyUpdated"],
            await ActionsAsync(database, state, s => s.StateAdmin, new AuditQuery(SchoolSystemId: state.LeaB.Id)));
        var other = await Assert.ThrowsAsync<ScopeDeniedException>(() => search.SearchAsync(TestState.CallerFor(state.DistrictA), new AuditQuery(SchoolSystemId: state.LeaB.Id)));
        var missing = await Assert.ThrowsAsync<ScopeDeniedException>(() => search.SearchAsync(TestState.CallerFor(state.StateAdmin), new AuditQuery(SchoolSystemId: 987_654)));
        Assert.Equal(other.Message, missing.Message);
        var person = await Assert.ThrowsAsync<ScopeDeniedException>(() => search.SearchAsync(TestState.CallerFor(state.DistrictA), new AuditQuery(PersonId: state.UserB1.Id)));
        Assert.Contains("Choose someone from the Person list", person.Message);
    }

    [Fact]
    public async Task KindAndTimeRange_Narrow()
    {
        var (database, state, _) = await ArrangeAsync();
        await using var _ = database;

        Assert.Equal(["AccessGrant.Ended", "AccessGrant.Ended"], await ActionsAsync(database, state, s => s.StateAdmin, new AuditQuery(Kind: "AccessGrant")));
        Assert.Equal([AuditAction.PersonalDataDownloaded], await ActionsAsync(database, state, s => s.StateAdmin, new AuditQuery(Kind: "Security")));
        Assert.Equal(["AccessRequest.CoordinatorDenied", "AccessRequest.Submitted"],
            await ActionsAsync(database, state, s => s.StateAdmin, new AuditQuery(From: new DateOnly(2026, 11, 29), To: new DateOnly(2026, 11, 29))));
        Assert.Equal([AuditAction.PersonalDataDownloaded, "KeyDate.Created", "AccessGrant.Ended", "AccessGrant.Ended"],
            await ActionsAsync(database, state, s => s.StateAdmin, new AuditQuery(From: new DateOnly(2026, 11, 30))));
        Assert.Equal(["SchoolSystem.SecurityPolicyUpdated", "SchoolSystem.SecurityPolicyUpdated"],
            await ActionsAsync(database, state, s => s.StateAdmin, new AuditQuery(To: new DateOnly(2026, 11, 28))));
    }

    [Fact]
    public async Task EachEvent_LinksToWhatItConcerns()
    {
        var (database, state, trail) = await ArrangeAsync();
        await using var _ = database;
        await TestState.SignThisYearAsync(database, state.UserA3);
        await database.Get<AccessReviewService>().OpenAsync(TestState.CallerFor(state.StateAdmin),
            new OpenReviewPeriod([state.LeaA.Id], new DateOnly(2027, 1, 15)));

        var rows = (await database.Get<AuditSearch>().SearchAsync(TestState.CallerFor(state.StateAdmin), new AuditQuery(PageSize: 200))).Items;

        string? LinkOf(string action) => AuditSearch.LinkFor(rows.First(r => r.Action == action));
        Assert.Equal($"people/{state.UserA1.Id}", LinkOf("AccessRequest.Submitted"));
        Assert.Equal($"people/{state.UserA1.Id}", LinkOf("AccessRequest.CoordinatorDenied"));
        Assert.Equal($"people/{state.UserB1.Id}", LinkOf("AccessGrant.Ended"));
        var review = await ReviewOfAAsync(database, state);
        Assert.Equal($"reviews/{review}", LinkOf("AccessReview.Opened"));
        Assert.Null(LinkOf("KeyDate.Created"));
        Assert.Null(LinkOf("SchoolSystem.SecurityPolicyUpdated"));
        Assert.Equal("assurance/statements", AuditSearch.LinkFor(rows[0] with { EntityType = "StatementVersion", EntityId = "1", PersonId = null, ReviewId = null }));
        Assert.Equal(trail.GrantOfB1.ToString(System.Globalization.CultureInfo.InvariantCulture), rows.First(r => r.Action == "AccessGrant.Ended").EntityId);
    }

    private static async Task<int> ReviewOfAAsync(TestDatabase database, TestState state)
    {
        await using var db = await database.OpenAsync();
        return await db.AccessReviews.Where(r => r.SchoolSystemId == state.LeaA.Id).Select(r => r.Id).SingleAsync();
    }

    [Fact]
    public async Task Export_HoldsEveryEventTheFiltersSelect_AsSafeCsv_AndIsRecordedAsAPersonalDataDownload()
    {
        var (database, state, trail) = await ArrangeAsync();
        await using var _ = database;
        await using (var db = await database.OpenAsync())
        {
            // A name stored at the time of the event that a spreadsheet would run as a formula.
            await db.AuditEvents.Where(e => e.Action == "AccessGrant.Ended" && e.SchoolSystemId == state.LeaA.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(e => e.ActorName, "=HYPERLINK(0)"));
        }

        var document = await database.Get<AuditSearch>().ExportCsvAsync(TestState.CallerFor(state.DistrictA), new AuditQuery(Kind: "AccessGrant", PageSize: 1));

        Assert.Equal("audit-log-101-2026-12-01.csv", document.FileName);
        Assert.Equal(GeneratedDocument.CsvContentType, document.ContentType);
        var lines = Encoding.UTF8.GetString(document.Content).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Event,Time (UTC),Who,Who (staff record),Action,Record type,Record,School system,Before,After", lines[0]);
        var row = Assert.Single(lines[1..]);
        Assert.StartsWith($",2026-11-30 15:00:00,'=HYPERLINK(0),{state.DistrictA.Id},AccessGrant.Ended,AccessGrant,{trail.GrantOfA3},101,", row[row.IndexOf(',')..]);
        var recorded = await database.Get<AuditSearch>().SearchAsync(TestState.CallerFor(state.StateAdmin), new AuditQuery(Kind: "Security", PageSize: 1));
        var download = recorded.Items.Single();
        Assert.Equal((AuditAction.PersonalDataDownloaded, state.DistrictA.FullName, state.LeaA.Id), (download.Action, download.ActorName, download.SchoolSystemId));
        Assert.Contains("\"Document\":\"Audit log (CSV)\"", download.After);
        Assert.Contains("\"Filter\":\"kind AccessGrant\"", download.After);
    }

    [Fact]
    public async Task People_ACoordinatorMayPick_AreTheirSchoolSystemsStaffAndWhoeverActedThere()
    {
        var (database, state, _) = await ArrangeAsync();
        await using var _ = database;
        var search = database.Get<AuditSearch>();
        var district = TestState.CallerFor(state.DistrictA);

        Assert.Equal([state.UserA1.Id], (await search.FindPeopleAsync(district, state.UserA1.StaffId)).Select(p => p.StaffMemberId));
        Assert.Equal([state.StateAdmin.Id], (await search.FindPeopleAsync(district, state.StateAdmin.LastName)).Select(p => p.StaffMemberId));
        Assert.Empty(await search.FindPeopleAsync(district, state.UserB1.StaffId));
        Assert.Null(await search.GetPersonAsync(district, state.UserB1.Id));
        Assert.Equal(state.UserB1.FullName, (await search.GetPersonAsync(TestState.CallerFor(state.StateAdmin), state.UserB1.Id))?.Name);
        Assert.Equal([state.LeaA.Id], (await search.GetSchoolSystemsAsync(district)).Select(s => s.Id));
        Assert.Equal([state.LeaA.Id, state.LeaB.Id], (await search.GetSchoolSystemsAsync(TestState.CallerFor(state.StateAdmin))).Select(s => s.Id));
    }

    [Fact]
    public async Task Concerns_EveryChangeForAStateAdministrator_TheirSchoolSystemsForACoordinator()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var scopes = database.Get<ScopeService>();
        AccessChange In(int? lea) => new(AccessChangeKind.GrantEnded, lea, null, null, null, database.Clock.GetUtcNow());

        var admin = await scopes.GetScopeAsync(TestState.CallerFor(state.StateAdmin));
        var district = await scopes.GetScopeAsync(TestState.CallerFor(state.DistrictA));
        var supervisor = await scopes.GetScopeAsync(TestState.CallerFor(state.SupervisorA));
        var local = await scopes.GetScopeAsync(TestState.CallerFor(state.LocalA));

        Assert.True(AuditSearch.Concerns(In(null), admin));
        Assert.True(AuditSearch.Concerns(In(state.LeaB.Id), admin));
        Assert.True(AuditSearch.Concerns(In(state.LeaA.Id), district));
        Assert.True(AuditSearch.Concerns(In(state.LeaA.Id), supervisor));
        Assert.False(AuditSearch.Concerns(In(state.LeaB.Id), district));
        Assert.False(AuditSearch.Concerns(In(null), district));
        Assert.False(AuditSearch.Concerns(In(state.LeaA.Id), local));
        Assert.False(AuditSearch.Concerns(In(state.LeaA.Id), null));
    }
}

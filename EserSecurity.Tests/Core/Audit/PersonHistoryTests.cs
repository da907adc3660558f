using System.Text;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Data;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Retention;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Core.Documents;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.Audit;

public sealed class PersonHistoryTests
{
    private const string Justification = "For my duties, \"as listed\" by the school";

    /// <summary>
    /// UserA1 asks for the school role at A1 (a justification with a comma and quotes), DistrictA approves it an hour
    /// later, UserA1 signs the assurance, and a day later DistrictA ends the grant.
    /// </summary>
    private static async Task<(TestDatabase Database, TestState State, int RequestId, int GrantId)> ArrangeAsync()
    {
        var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var requests = database.Get<AccessRequestService>();
        var request = await requests.SubmitAsync(TestState.CallerFor(state.UserA1), new NewAccessRequest(state.SchoolRole.Id, state.A1.Id, Justification));
        database.Clock.Advance(TimeSpan.FromHours(1));
        await requests.DecideAsync(TestState.CallerFor(state.DistrictA), request, Decision.Approve, "Fits the duties.");
        await TestState.SignThisYearAsync(database, state.UserA1);
        database.Clock.Advance(TimeSpan.FromDays(1));
        int grantId;
        await using (var db = await database.OpenAsync())
        {
            grantId = await db.AccessGrants.Where(g => g.StaffMemberId == state.UserA1.Id).Select(g => g.Id).SingleAsync();
        }
        await database.Get<GrantService>().EndAsync(TestState.CallerFor(state.DistrictA), grantId, "Left the program.");
        return (database, state, request, grantId);
    }

    private static Task<EserSecurity.Core.Documents.GeneratedDocument> RetrieveAsync(
        TestDatabase database, StaffMember caller, int person, PersonHistoryFormat format) =>
        database.Get<PersonHistory>().RetrieveAsync(TestState.CallerFor(caller), person, format);

    private static async Task<List<AuditEvent>> EventsOfAsync(TestDatabase database, int person)
    {
        await using var db = await database.OpenAsync();
        return await AuditSearch.Concerning(db, db.AuditEvents.AsNoTracking(), person).OrderBy(e => e.Sequence).ToListAsync();
    }

    [Fact]
    public async Task StateAdministrator_GetsAPdf_WithTheRecordRequestsGrantsSignaturesAndEventsInOrder()
    {
        var (database, state, requestId, grantId) = await ArrangeAsync();
        await using var _ = database;
        var events = await EventsOfAsync(database, state.UserA1.Id);

        var pdf = await RetrieveAsync(database, state.StateAdmin, state.UserA1.Id, PersonHistoryFormat.Pdf);

        Assert.Equal("application/pdf", pdf.ContentType);
        Assert.Equal($"history-{state.UserA1.StaffId}-2026-11-29.pdf", pdf.FileName);
        var text = PdfText.All(pdf.Content);
        Assert.Contains($"Complete History", text);
        Assert.Contains($"{state.UserA1.FullName} · Staff ID {state.UserA1.StaffId}", text);
        Assert.Contains("user.alpha1@example.org", text);
        Assert.Contains($"Request {requestId} · {state.SchoolRole.Name} at {state.A1.Name}: submitted", text);
        Assert.Contains($"Why: {Justification}", text);
        Assert.Contains($"Request {requestId} · {state.SchoolRole.Name} at {state.A1.Name}: approved by the coordinator", text);
        Assert.Contains("Fits the duties.", text);
        Assert.Contains($"by {state.DistrictA.FullName}: Ended by a coordinator (Left the program.)", text);
        Assert.Contains($"verification code TEST-{state.UserA1.Id:0000}", text);
        Assert.Contains("Archived records: none.", text);
        // The events section lists every event by or about the person, oldest first, each with its number.
        var section = text[text.IndexOf("Audit events When (UTC)", StringComparison.Ordinal)..];
        var positions = events.Select(e => section.IndexOf($"Event {e.Sequence} ·", StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p >= 0));
        Assert.Equal(positions.Order(), positions);
        Assert.Contains(events, e => e.Action == "AccessGrant.Ended" && e.EntityId == grantId.ToString());
    }

    /// <summary>The actions in the audit log so far, oldest first.</summary>
    private static async Task<List<string>> ActionsAsync(TestDatabase database)
    {
        await using var db = await database.OpenAsync();
        return await db.AuditEvents.OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync();
    }

    [Fact]
    public async Task Csv_HasTheSameLines_WithEveryColumn_AndValuesWithCommasQuotesAndLineBreaksKeptWhole()
    {
        var (database, state, requestId, grantId) = await ArrangeAsync();
        await using var _ = database;
        var events = await EventsOfAsync(database, state.UserA1.Id);

        var csv = await RetrieveAsync(database, state.StateAdmin, state.UserA1.Id, PersonHistoryFormat.Csv);

        Assert.Equal($"history-{state.UserA1.StaffId}-2026-11-29.csv", csv.FileName);
        var records = CsvRecords.Parse(Encoding.UTF8.GetString(csv.Content).TrimStart('\uFEFF'));
        Assert.Equal(["Section", "Source", "Time (UTC)", "Who", "What", "Details", "School system", "Record"], records[0]);
        Assert.All(records, r => Assert.Equal(8, r.Count));
        var rows = records.Skip(1).ToList();
        Assert.Equal(["Staff ID", state.UserA1.StaffId], rows.First(r => r[0] == "Staff record" && r[4] == "Staff ID")[4..6]);
        var submitted = rows.Single(r => r[0] == "Access requests" && r[4].EndsWith(": submitted", StringComparison.Ordinal));
        Assert.Equal(["Live", "2026-11-28 15:00", state.UserA1.FullName], submitted[1..4]);
        Assert.Equal($"Why: {Justification}", submitted[5]);
        Assert.Equal([state.LeaA.Code, $"AccessRequest {requestId}"], submitted[6..8]);
        var grant = rows.Single(r => r[0] == "Grants");
        Assert.Equal($"AccessGrant {grantId}", grant[7]);
        Assert.Contains("\nEnded 2026-11-29 16:00 by " + state.DistrictA.FullName, grant[5]);
        Assert.Single(rows, r => r[0] == "Assurance signatures" && r[5].Contains($"verification code TEST-{state.UserA1.Id:0000}", StringComparison.Ordinal));
        var eventRows = rows.Where(r => r[0] == "Audit events").ToList();
        Assert.Equal(events.Select(e => $"Event {e.Sequence} · {e.EntityType} {e.EntityId}"), eventRows.Select(r => r[7]));
        Assert.All(eventRows, r => Assert.Equal("Live", r[1]));
        var ended = eventRows.Single(r => r[4] == "AccessGrant.Ended");
        Assert.Equal((state.DistrictA.FullName, state.LeaA.Code), (ended[3], ended[6]));
        Assert.DoesNotContain("{", ended[5]);
        Assert.Equal(["Archived records", "", "", "", "Archived records: none", "", "", ""], rows[^1]);
    }

    [Fact]
    public async Task DistrictCoordinator_ThePersonThemselves_AndAnUnknownId_AreRefusedAlike_AndTheRefusalsAreRecorded()
    {
        var (database, state, _, _) = await ArrangeAsync();
        await using var _ = database;
        var before = await ActionsAsync(database);

        var coordinator = await Assert.ThrowsAsync<ScopeDeniedException>(() => RetrieveAsync(database, state.DistrictA, state.UserA1.Id, PersonHistoryFormat.Pdf));
        var themselves = await Assert.ThrowsAsync<ScopeDeniedException>(() => RetrieveAsync(database, state.UserA1, state.UserA1.Id, PersonHistoryFormat.Csv));
        var unknown = await Assert.ThrowsAsync<ScopeDeniedException>(() => RetrieveAsync(database, state.StateAdmin, 987_654, PersonHistoryFormat.Pdf));
        var coordinatorUnknown = await Assert.ThrowsAsync<ScopeDeniedException>(() => RetrieveAsync(database, state.DistrictA, 987_654, PersonHistoryFormat.Pdf));

        Assert.StartsWith("That person does not exist or their complete history is outside your scope", coordinator.Message);
        Assert.All(new[] { themselves.Message, unknown.Message, coordinatorUnknown.Message }, m => Assert.Equal(coordinator.Message, m));
        Assert.Equal(before, await ActionsAsync(database));
        // DistrictA's second refusal repeats the first within the repeat window: logged, not audited again.
        Assert.Equal(3, await database.Get<SecurityEvents>().WriteQueuedRefusalsAsync());
        Assert.False(await database.Get<PersonHistory>().CanRetrieveAsync(TestState.CallerFor(state.DistrictA)));
        Assert.True(await database.Get<PersonHistory>().CanRetrieveAsync(TestState.CallerFor(state.StateAdmin)));
    }

    [Fact]
    public async Task Retrieval_WritesExactlyOneAuditEvent_NamingThePersonAndTheFormat_UnderItsOwnKind()
    {
        var (database, state, _, _) = await ArrangeAsync();
        await using var _ = database;
        var before = (await ActionsAsync(database)).Count;

        await RetrieveAsync(database, state.StateAdmin, state.UserA1.Id, PersonHistoryFormat.Csv);

        await using var db = await database.OpenAsync();
        var written = await db.AuditEvents.OrderBy(e => e.Sequence).Skip(before).ToListAsync();
        var retrieved = Assert.Single(written);
        Assert.Equal((PersonHistory.RetrievedAction, nameof(StaffMember), state.UserA1.Id.ToString(), state.LeaA.Id, state.StateAdmin.Id),
            (retrieved.Action, retrieved.EntityType, retrieved.EntityId, retrieved.SchoolSystemId, retrieved.ActorId));
        Assert.Contains("\"Format\":\"CSV\"", retrieved.After);
        var search = await database.Get<AuditSearch>().SearchAsync(TestState.CallerFor(state.StateAdmin), new AuditQuery(PersonId: state.UserA1.Id, Kind: "PersonHistory"));
        Assert.Equal([PersonHistory.RetrievedAction], search.Items.Select(r => r.Action));
        Assert.Equal(state.UserA1.Id, search.Items[0].PersonId);
    }

    [Fact]
    public async Task PersonWithThousandsOfEvents_GetsEveryOneInOrder_AndAMultiPagePdf_WithTheTableHeaderOnEveryPage()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var count = PersonHistory.EventBatchSize + 37;
        await using (var db = await database.OpenAsync())
        {
            await using var transaction = await db.BeginWriteAsync(default);
            var at = database.Clock.GetUtcNow();
            await AuditLog.AppendAsync(db, TestState.CallerFor(state.DistrictA), at, Enumerable.Range(1, count).Select(i => new AuditEntry(
                "AccessRequest.CoordinatorApproved", "AccessRequest", (10_000 + i).ToString(), state.LeaA.Id,
                new { Status = "PendingCoordinator" }, new { Status = "Approved", Reason = $"Decision {i}" })), default);
            await transaction.CommitAsync();
        }

        var csv = await RetrieveAsync(database, state.StateAdmin, state.DistrictA.Id, PersonHistoryFormat.Csv);
        var pdf = await RetrieveAsync(database, state.StateAdmin, state.DistrictA.Id, PersonHistoryFormat.Pdf);

        var events = CsvRecords.Parse(Encoding.UTF8.GetString(csv.Content).TrimStart('\uFEFF')).Where(r => r[0] == "Audit events" && r[4] == "AccessRequest.CoordinatorApproved").ToList();
        Assert.Equal(count, events.Count);
        Assert.Equal(Enumerable.Range(1, count).Select(i => $"Status: PendingCoordinator → Approved\nReason: none → Decision {i}"), events.Select(r => r[5]));
        var pages = PdfText.Pages(pdf.Content);
        Assert.True(pages.Count > 20, $"{pages.Count} pages");
        var firstOfEvents = pages.ToList().FindIndex(p => p.Contains("Audit events When (UTC)", StringComparison.Ordinal));
        Assert.InRange(firstOfEvents, 0, 2);
        Assert.All(pages.Skip(firstOfEvents + 1).SkipLast(1), p => Assert.Contains("When (UTC) Who Action Change Record Source", p));
        Assert.All(pages.Skip(1), p => Assert.Contains("Complete History", p));
        Assert.Contains($"Reason: none → Decision {count}", pages[^1] + pages[^2]);
        // The action column holds a whole action name: a name broken inside a word would read "CoordinatorApprov ed".
        Assert.Contains("CoordinatorApproved", pages[^2]);
    }

    [Fact]
    public async Task ArchivedEvents_AreLinesOfTheSameKind_WithTheirBatchAsSource_BeforeTheLiveOnes()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var db = await database.OpenAsync();
        var person = (await PersonHistoryRecords.LoadPersonAsync(db, state.UserA1.Id, default))!;
        var live = new AuditEvent
        {
            Sequence = 900, At = database.Clock.GetUtcNow(), ActorName = "Live actor", Action = "AccessGrant.Ended", EntityType = "AccessGrant",
            EntityId = "5", PreviousHash = "", Hash = "",
        };
        var old = new AuditEvent
        {
            Sequence = 3, At = database.Clock.GetUtcNow().AddYears(-8), ActorName = "Archived actor", Action = "AccessGrant.Ended",
            EntityType = "AccessGrant", EntityId = "1", SchoolSystemId = state.LeaA.Id, After = "{\"EndReason\":\"Manual\"}", PreviousHash = "", Hash = "",
        };
        var codes = new Dictionary<int, string> { [state.LeaA.Id] = state.LeaA.Code };
        var archived = new ArchivedPersonHistory(state.UserA1.Id,
            [new ArchivedRecord("archive-2018", "AccessGrant", "1", old.At, state.LeaA.Id, "{\"Role\":\"School role\"}")],
            [new ArchivedAuditEvent("archive-2018", old)]);

        var sheet = PersonHistory.WithArchive(person, [], [PersonHistory.EventRow(live, PersonHistory.LiveSource, codes)], archived, codes);

        Assert.Equal([("Audit events", "archive-2018", "Archived actor"), ("Audit events", "Live", "Live actor"), ("Archived records", "archive-2018", "")],
            sheet.Rows.Select(r => (r.Section, r.Source, r.Who)));
        Assert.Equal(("EndReason: Manual", state.LeaA.Code), (sheet.Rows[0].Details, sheet.Rows[0].SchoolSystem));
        Assert.Equal((2, 2), (sheet.EventCount, sheet.ArchivedCount));
    }
}

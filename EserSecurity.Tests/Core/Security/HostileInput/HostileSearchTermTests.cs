using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Administration;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.LocalDuties;
using EserSecurity.Core.Readiness;
using EserSecurity.Core.Reviews;
using EserSecurity.Tests.Core.Reviews;
using EserSecurity.Tests.Support;

namespace EserSecurity.Tests.Core.Security.HostileInput;

/// <summary>
/// Every search box Core answers, fed terms no name holds: far too long, control and text-direction characters, SQL
/// and LIKE wildcards. A search is not stored, so nothing is refused: it answers without an error and finds nobody
/// (a wildcard never matches everyone), and writes nothing. A term with NUL only has to answer: SQLite ends a text
/// value at NUL, so "alpha&lt;NUL&gt;" searches as "alpha".
/// </summary>
public sealed class HostileSearchTermTests
{
    /// <summary>A search box ready to use: a term it finds something for, and how many it finds for a term.</summary>
    private sealed record SearchBox(string Found, Func<string, Task<int>> Search);

    /// <summary>Each search box: how to get it ready (setup may write).</summary>
    private static readonly Dictionary<string, Func<TestDatabase, TestState, Task<SearchBox>>> SearchBoxes = new()
    {
        ["approval queue"] = (db, s) => Ready(SomeoneFound, async term =>
            (await db.Get<ApprovalQueue>().GetCoordinatorQueueAsync(TestState.CallerFor(s.DistrictA), new QueueQuery(Search: term))).TotalCount),
        ["supervisor queue"] = async (db, s) =>
        {
            await TestState.AddPendingRequestAsync(db, s.UserA1, s.IepRole, s.LeaA, s.A1, db.Clock.GetUtcNow().AddDays(-1), AccessRequestStatus.PendingSupervisor);
            return new(SomeoneFound, async term =>
                (await db.Get<ApprovalQueue>().GetSupervisorQueueAsync(TestState.CallerFor(s.SupervisorA), new QueueQuery(Search: term))).TotalCount);
        },
        ["coordinator tree"] = (db, s) => Ready(SchoolSystemFound, async term =>
            (await db.Get<CoordinatorService>().SearchAsync(TestState.CallerFor(s.StateAdmin), term)).Count),
        ["assign a coordinator"] = (db, s) => Ready(SomeoneFound, async term =>
            (await db.Get<CoordinatorService>().FindAssignableStaffAsync(TestState.CallerFor(s.DistrictA), s.LeaA.Id, term)).Count),
        ["add a state administrator"] = (db, s) => Ready(SomeoneFound, async term =>
            (await db.Get<StateAdministratorService>().FindCandidatesAsync(TestState.CallerFor(s.StateAdmin), term)).Count),
        ["training attendees"] = (db, s) => Ready(SomeoneFound, async term =>
            (await db.Get<LocalDutiesService>().FindStaffAsync(TestState.CallerFor(s.DistrictA), s.LeaA.Id, term)).Count),
        ["assurance status people"] = (db, s) => Ready(SomeoneFound, async term =>
            (await db.Get<AssuranceStatusService>().GetPeopleAsync(TestState.CallerFor(s.DistrictA), new AssurancePeopleQuery(Search: term))).TotalCount),
        ["not-ready people"] = async (db, s) =>
        {
            await LegacyAccessState.AddAsync(db, s.UserA1, s.LeaA, s.A1, (await LegacyAccessState.CreateAsync(db, s)).DataEntry);
            return new(SomeoneFound, async term =>
            (await db.Get<ReadinessService>().GetNotReadyAsync(TestState.CallerFor(s.DistrictA), new NotReadyQuery(s.LeaA.Id, Search: term))).TotalCount);
        },
        ["access review items"] = async (db, s) =>
        {
            var review = await ReviewSetup.OpenForAAsync(db, s);
            return new(SomeoneFound, async term => (await db.Get<AccessReviewService>().ReadItemsAsync(TestState.CallerFor(s.DistrictA), review.ReviewId,
                new ReviewItemQuery(false, term, null, false, 0, 25))).TotalCount);
        },
    };

    private static readonly Dictionary<string, string> Terms = new()
    {
        ["10,000 characters"] = new string('a', 10_000),
        ["NUL"] = "alpha\u0000",
        ["ESC"] = "\u001B[31malpha",
        ["RIGHT-TO-LEFT OVERRIDE"] = "\u202Eahpla",
        ["SQL"] = "alpha' OR '1'='1'; DROP TABLE StaffMembers; --",
        ["LIKE wildcards"] = "%_%",
        ["markup"] = "<script>alert(1)</script>",
    };

    /// <summary>A name the people searches find in the test state: user.alpha1 (in the queue, on the review, unsigned and not ready).</summary>
    private const string SomeoneFound = "alpha1";

    /// <summary>What the coordinator tree finds: school systems and schools by name.</summary>
    private const string SchoolSystemFound = "Alpha";

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var box in SearchBoxes.Keys)
        {
            foreach (var term in Terms.Keys)
            {
                cases.Add(box, term);
            }
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task HostileTerm_AnswersWithoutAnError_FindsNobody_AndWritesNothing(string box, string term)
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await TestState.AddPendingRequestAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, database.Clock.GetUtcNow().AddDays(-1));
        var (found, search) = await SearchBoxes[box](database, state);
        // The same search for a plain name finds someone, so finding nobody below is the term's doing.
        Assert.True(await search(found) > 0, $"{box} finds nobody even for {found}");
        var before = await DatabaseSnapshot.TakeAsync(database);

        var hits = await search(Terms[term]);

        if (term != "NUL")
        {
            Assert.Equal(0, hits);
        }
        await DatabaseSnapshot.AssertUnchangedAsync(database, before);
    }

    private static Task<SearchBox> Ready(string found, Func<string, Task<int>> search) => Task.FromResult(new SearchBox(found, search));
}

using EserSecurity.Core.Assurance;
using EserSecurity.Core.Readiness;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Core.Assurance;
using EserSecurity.Tests.Support;
using Microsoft.Extensions.Options;

namespace EserSecurity.Tests.Core.Readiness;

/// <summary>
/// After an audited change the kept readiness counts are made again only for the school systems the change can move.
/// TAS lists user.alpha1 at A1 and user.alpha3 at A3 in school system A, and user.bravo1 and B's district coordinator at
/// B1 in school system B; nobody has signed. A signature written behind the console's back moves no audit sequence, so
/// whether it shows tells whether its school system was counted again.
/// </summary>
public sealed class ReadinessRecountTests
{
    private static async Task<(TestDatabase Database, TestState State, int Statement, ReadinessService Service)> ArrangeAsync(bool alpha1AlsoInB = false)
    {
        var (database, state) = await AssuranceTestSupport.ArrangeAsync();
        var tas = await LegacyAccessState.CreateAsync(database, state);
        await LegacyAccessState.AddAsync(database, state.UserA1, state.LeaA, state.A1, tas.DataEntry);
        await LegacyAccessState.AddAsync(database, state.UserA3, state.LeaA, state.A3, tas.DataEntry);
        await LegacyAccessState.AddAsync(database, state.UserB1, state.LeaB, state.B1, tas.DataEntry);
        await LegacyAccessState.AddAsync(database, state.DistrictB, state.LeaB, state.B1, tas.DataEntry);
        if (alpha1AlsoInB)
        {
            await LegacyAccessState.AddAsync(database, state.UserA1, state.LeaB, state.B1, tas.Reports);
        }
        var statement = await AssuranceTestSupport.PublishAsync(database, state);
        return (database, state, statement, database.Get<ReadinessService>());
    }

    private static Caller As(StaffMember person) => TestState.CallerFor(person);

    private static async Task<(int A, int B, int Total)> SignedOnBoardAsync(ReadinessService service, TestState state)
    {
        var board = await service.GetBoardAsync(As(state.StateAdmin));
        return (board.SchoolSystems.Single(s => s.SchoolSystemId == state.LeaA.Id).Figures.WithAssurance,
            board.SchoolSystems.Single(s => s.SchoolSystemId == state.LeaB.Id).Figures.WithAssurance, board.Total.WithAssurance);
    }

    private static async Task<int> SignedOnSchoolSystemAsync(ReadinessService service, TestState state, int schoolSystemId) =>
        (await service.GetSchoolSystemAsync(As(state.StateAdmin), schoolSystemId)).SchoolSystem.Figures.WithAssurance;

    private static async Task SignBehindTheConsolesBackAsync(TestDatabase database, StaffMember person, int statement)
    {
        await using var db = await database.OpenAsync();
        db.AssuranceSignatures.Add(new AssuranceSignature
        {
            StaffMemberId = person.Id, StatementVersionId = statement, SchoolYear = 2026, SignedAt = database.Clock.GetUtcNow(),
            TypedName = person.FullName, Acknowledgements = "I agree", TextHash = new string('0', 64), VerificationCode = $"BEHIND-{person.Id}",
        });
        await db.SaveChangesAsync();
    }

    private static async Task ReadEveryBoardAsync(ReadinessService service, TestState state)
    {
        Assert.Equal((0, 0, 0), await SignedOnBoardAsync(service, state));
        Assert.Equal(0, await SignedOnSchoolSystemAsync(service, state, state.LeaA.Id));
        Assert.Equal(0, await SignedOnSchoolSystemAsync(service, state, state.LeaB.Id));
    }

    [Fact]
    public async Task Reads_AfterASignatureInOneSchoolSystem_CountItThereAndKeepTheOtherSchoolSystemsCounts()
    {
        var (database, state, statement, service) = await ArrangeAsync();
        await using var _ = database;
        await ReadEveryBoardAsync(service, state);
        await SignBehindTheConsolesBackAsync(database, state.UserB1, statement);

        await AssuranceTestSupport.SignAsync(database, state.UserA1, statement);

        Assert.Equal((1, 0, 1), await SignedOnBoardAsync(service, state));
        Assert.Equal(1, await SignedOnSchoolSystemAsync(service, state, state.LeaA.Id));
        Assert.Equal(0, await SignedOnSchoolSystemAsync(service, state, state.LeaB.Id));

        // A change in B has B counted again, with the row written behind the console's back.
        await AssuranceTestSupport.SignAsync(database, state.DistrictB, statement);

        Assert.Equal((1, 2, 3), await SignedOnBoardAsync(service, state));
        Assert.Equal(1, await SignedOnSchoolSystemAsync(service, state, state.LeaA.Id));
        Assert.Equal(2, await SignedOnSchoolSystemAsync(service, state, state.LeaB.Id));
    }

    [Fact]
    public async Task Reads_AfterASignatureOfSomeoneTasListsInTwoSchoolSystems_CountItInBoth()
    {
        var (database, state, statement, service) = await ArrangeAsync(alpha1AlsoInB: true);
        await using var _ = database;
        Assert.Equal((0, 0, 0), await SignedOnBoardAsync(service, state));
        Assert.Equal(0, await SignedOnSchoolSystemAsync(service, state, state.LeaB.Id));
        await SignBehindTheConsolesBackAsync(database, state.UserB1, statement);

        await AssuranceTestSupport.SignAsync(database, state.UserA1, statement);

        // user.alpha1 counts once in each school system, and the statewide total is the sum of the rows.
        Assert.Equal((1, 2, 3), await SignedOnBoardAsync(service, state));
        Assert.Equal(1, await SignedOnSchoolSystemAsync(service, state, state.LeaA.Id));
        Assert.Equal(2, await SignedOnSchoolSystemAsync(service, state, state.LeaB.Id));
    }

    [Fact]
    public async Task Reads_AfterAChangeWithoutASchoolSystem_CountEverySchoolSystemAgain()
    {
        var (database, state, statement, service) = await ArrangeAsync();
        await using var _ = database;
        await ReadEveryBoardAsync(service, state);
        await SignBehindTheConsolesBackAsync(database, state.UserA3, statement);
        await SignBehindTheConsolesBackAsync(database, state.UserB1, statement);

        // A draft statement moves no figure, but readiness does not know the change, so it counts everything again.
        var year = SchoolYear.Containing(DateOnly.FromDateTime(database.Clock.GetUtcNow().UtcDateTime));
        await database.Get<StatementService>().CreateDraftAsync(As(state.StateAdmin), year, AssuranceTestSupport.Content(title: "Next version"));

        Assert.Equal((1, 1, 2), await SignedOnBoardAsync(service, state));
        Assert.Equal(1, await SignedOnSchoolSystemAsync(service, state, state.LeaA.Id));
        Assert.Equal(1, await SignedOnSchoolSystemAsync(service, state, state.LeaB.Id));
    }

    [Fact]
    public async Task Reads_AfterAChangeThatMovesNoFigure_KeepEveryCount()
    {
        var (database, state, statement, service) = await ArrangeAsync();
        await using var _ = database;
        await ReadEveryBoardAsync(service, state);
        await SignBehindTheConsolesBackAsync(database, state.UserA3, statement);

        // Handing out the not-ready list of A is audited (the sequence moves) but writes nothing a figure counts.
        await service.ExportNotReadyCsvAsync(As(state.StateAdmin), state.LeaA.Id);

        Assert.Equal((0, 0, 0), await SignedOnBoardAsync(service, state));
        Assert.Equal(0, await SignedOnSchoolSystemAsync(service, state, state.LeaA.Id));
    }

    [Fact]
    public async Task Reads_ByASecondConsoleInstance_CountOnlyWhatAnotherInstancesChangeMoved()
    {
        var (database, state, statement, service) = await ArrangeAsync();
        await using var _ = database;
        // A second instance over the same database: it hears nothing of this instance's changes but the audit events.
        var other = new ReadinessService(database.Factory, database.Get<ScopeService>(), database.Clock, database.Get<IOptions<AssuranceOptions>>());
        await ReadEveryBoardAsync(other, state);
        await SignBehindTheConsolesBackAsync(database, state.UserB1, statement);

        await AssuranceTestSupport.SignAsync(database, state.UserA3, statement);

        Assert.Equal((1, 0, 1), await SignedOnBoardAsync(other, state));
        Assert.Equal(1, await SignedOnSchoolSystemAsync(other, state, state.LeaA.Id));
        Assert.Equal(0, await SignedOnSchoolSystemAsync(other, state, state.LeaB.Id));
    }
}

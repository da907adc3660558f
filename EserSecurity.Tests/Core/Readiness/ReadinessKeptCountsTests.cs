using EserSecurity.Core.Assurance;
using EserSecurity.Core.Readiness;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Core.Assurance;
using EserSecurity.Tests.Support;

namespace EserSecurity.Tests.Core.Readiness;

/// <summary>
/// The readiness counts are kept between reads until the next audited change: a change made through the console shows
/// on the next read of the statewide board and of a school system's board, and reads with nothing committed in between
/// count nothing again. TAS lists user.alpha1 at A1 and user.alpha3 at A3 in school system A; nobody has signed.
/// </summary>
public sealed class ReadinessKeptCountsTests
{
    private static async Task<(TestDatabase Database, TestState State, int Statement, ReadinessService Service)> ArrangeAsync()
    {
        var (database, state) = await AssuranceTestSupport.ArrangeAsync();
        var tas = await LegacyAccessState.CreateAsync(database, state);
        await LegacyAccessState.AddAsync(database, state.UserA1, state.LeaA, state.A1, tas.DataEntry);
        await LegacyAccessState.AddAsync(database, state.UserA3, state.LeaA, state.A3, tas.DataEntry);
        var statement = await AssuranceTestSupport.PublishAsync(database, state);
        return (database, state, statement, database.Get<ReadinessService>());
    }

    private static Caller As(StaffMember person) => TestState.CallerFor(person);

    private static async Task<int> SignedOnBoardAsync(ReadinessService service, TestState state) =>
        (await service.GetBoardAsync(As(state.StateAdmin))).SchoolSystems.Single(s => s.SchoolSystemId == state.LeaA.Id).Figures.WithAssurance;

    private static async Task<int> SignedOnSchoolSystemAsync(ReadinessService service, TestState state) =>
        (await service.GetSchoolSystemAsync(As(state.StateAdmin), state.LeaA.Id)).SchoolSystem.Figures.WithAssurance;

    [Fact]
    public async Task GetBoard_AfterASignatureThroughTheConsole_CountsItOnTheNextRead()
    {
        var (database, state, statement, service) = await ArrangeAsync();
        await using var _ = database;
        Assert.Equal(0, await SignedOnBoardAsync(service, state));
        Assert.Equal(0, await SignedOnSchoolSystemAsync(service, state));

        await AssuranceTestSupport.SignAsync(database, state.UserA1, statement);

        Assert.Equal(1, await SignedOnBoardAsync(service, state));
        Assert.Equal(1, await SignedOnSchoolSystemAsync(service, state));
        var board = await service.GetBoardAsync(As(state.StateAdmin));
        Assert.Equal(1, board.Total.WithAssurance);
    }

    [Fact]
    public async Task GetBoard_WhenNothingWasCommittedThroughTheConsole_AnswersFromTheCountsAlreadyMade()
    {
        var (database, state, statement, service) = await ArrangeAsync();
        await using var _ = database;
        Assert.Equal(0, await SignedOnBoardAsync(service, state));
        Assert.Equal(0, await SignedOnSchoolSystemAsync(service, state));

        // A row written behind the console's back moves no audit sequence, so the kept counts are still used: the
        // proof that a read with nothing committed in between counts nothing again.
        await using (var db = await database.OpenAsync())
        {
            db.AssuranceSignatures.Add(new AssuranceSignature
            {
                StaffMemberId = state.UserA3.Id, StatementVersionId = statement, SchoolYear = 2026, SignedAt = database.Clock.GetUtcNow(),
                TypedName = state.UserA3.FullName, Acknowledgements = "I agree", TextHash = new string('0', 64), VerificationCode = "CODE-BEHIND",
            });
            await db.SaveChangesAsync();
        }
        Assert.Equal(0, await SignedOnBoardAsync(service, state));
        Assert.Equal(0, await SignedOnSchoolSystemAsync(service, state));

        // The next audited change that can move this school system (a signature in it) has its counts made again,
        // the row written behind the console's back included.
        await AssuranceTestSupport.SignAsync(database, state.UserA1, statement);
        Assert.Equal(2, await SignedOnBoardAsync(service, state));
        Assert.Equal(2, await SignedOnSchoolSystemAsync(service, state));
    }

    [Fact]
    public async Task GetBoard_ForADistrictCoordinator_CountsTheirSchoolSystemAfresh()
    {
        var (database, state, statement, service) = await ArrangeAsync();
        await using var _ = database;
        Assert.Equal(0, (await service.GetBoardAsync(As(state.DistrictA))).SchoolSystems.Single().Figures.WithAssurance);

        await using (var db = await database.OpenAsync())
        {
            db.AssuranceSignatures.Add(new AssuranceSignature
            {
                StaffMemberId = state.UserA3.Id, StatementVersionId = statement, SchoolYear = 2026, SignedAt = database.Clock.GetUtcNow(),
                TypedName = state.UserA3.FullName, Acknowledgements = "I agree", TextHash = new string('0', 64), VerificationCode = "CODE-BEHIND",
            });
            await db.SaveChangesAsync();
        }

        Assert.Equal(1, (await service.GetBoardAsync(As(state.DistrictA))).SchoolSystems.Single().Figures.WithAssurance);
    }
}

using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Security;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EserSecurity.Tests.Core.Changes;

/// <summary>
/// Two console instances over one PostgreSQL database, each with Core services of its own: a change committed on one
/// reaches the other's subscribers, shared reads and kept scopes, and a listener that lost its connection listens again
/// and tells its subscribers that anything may have changed. The fake clock never moves here, so nothing expires on its
/// own: what a test sees on the second instance came through the feed.
/// </summary>
[Trait("Database", "PostgresOnly")]
public sealed class PostgresAccessChangeFeedTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static async Task<PostgresChangeTransport> StartFeedAsync(IServiceProvider instance)
    {
        var transport = instance.GetRequiredService<PostgresChangeTransport>();
        await transport.StartAsync(CancellationToken.None);
        await transport.Listening.WaitAsync(Patience);
        return transport;
    }

    private static AccessChange Change(AccessChangeKind kind, int? schoolSystemId = null, int? subject = null) =>
        new(kind, schoolSystemId, null, null, null, TestDatabase.DefaultNow, subject);

    [Fact]
    public async Task Publish_OnOneInstance_ReachesTheOthersSubscribers_AndMovesItsVersion()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var other = database.CreateInstance();
        await StartFeedAsync(database.Services);
        await StartFeedAsync(other);
        var otherFeed = other.GetRequiredService<IAccessChangeFeed>();
        using var arriving = new ChangeRecorder(otherFeed);
        var versionBefore = otherFeed.Version;

        var sent = new AccessChange(AccessChangeKind.RequestDecided, 3, 7, 42, 5, TestDatabase.DefaultNow.AddMinutes(1), 9);
        database.Get<IAccessChangeFeed>().Publish(sent);

        Assert.Equal(sent, await arriving.WaitForAsync(c => c.Kind == AccessChangeKind.RequestDecided));
        Assert.Equal(versionBefore + 1, otherFeed.Version);
        Assert.IsType<PostgresAccessChangeFeed>(database.Get<IAccessChangeFeed>());
    }

    [Fact]
    public async Task Publish_ReachesItsOwnSubscribersOnce_NotAgainFromTheDatabase()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var other = database.CreateInstance();
        await StartFeedAsync(database.Services);
        await StartFeedAsync(other);
        using var here = new ChangeRecorder(database.Get<IAccessChangeFeed>());

        database.Get<IAccessChangeFeed>().Publish(Change(AccessChangeKind.KeyDatesChanged));
        // Sent after this instance's own change reached the other, so this instance's listener has had its own by then.
        using (var there = new ChangeRecorder(other.GetRequiredService<IAccessChangeFeed>()))
        {
            await there.WaitForAsync(c => c.Kind == AccessChangeKind.KeyDatesChanged);
        }
        other.GetRequiredService<IAccessChangeFeed>().Publish(Change(AccessChangeKind.RoleCatalogChanged));
        await here.WaitForAsync(c => c.Kind == AccessChangeKind.RoleCatalogChanged);

        Assert.Single(await here.WaitForAsync(c => c.Kind == AccessChangeKind.KeyDatesChanged, 1));
    }

    [Fact]
    public async Task SharedQueueRead_OnTheOtherInstance_ReadsAfreshAfterADecisionOnThisOne()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var request = await TestState.AddPendingRequestAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, database.Clock.GetUtcNow().AddDays(-1));
        await using var other = database.CreateInstance();
        await StartFeedAsync(database.Services);
        await StartFeedAsync(other);
        var otherQueue = other.GetRequiredService<ApprovalQueue>();
        var coordinator = TestState.CallerFor(state.DistrictA);
        Assert.Contains((await otherQueue.GetCoordinatorQueueAsync(coordinator, new QueueQuery())).Items, r => r.Id == request.Id);
        using var arriving = new ChangeRecorder(other.GetRequiredService<IAccessChangeFeed>());

        await database.Get<AccessRequestService>().DecideAsync(TestState.CallerFor(state.LocalA), request.Id, Decision.Approve, null);

        await arriving.WaitForAsync(c => c.Kind == AccessChangeKind.RequestDecided && c.AccessRequestId == request.Id);
        Assert.DoesNotContain((await otherQueue.GetCoordinatorQueueAsync(coordinator, new QueueQuery())).Items, r => r.Id == request.Id);
    }

    [Fact]
    public async Task KeptScope_OnTheOtherInstance_SeesAnAssignmentMadeOnThisOne()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var other = database.CreateInstance();
        await StartFeedAsync(database.Services);
        await StartFeedAsync(other);
        var otherScopes = other.GetRequiredService<ScopeService>();
        var newcomer = TestState.CallerFor(state.UserA3);
        Assert.DoesNotContain(state.A2.Id, (await otherScopes.GetReadScopeAsync(newcomer, CancellationToken.None)).LocalSchoolIds);
        using var arriving = new ChangeRecorder(other.GetRequiredService<IAccessChangeFeed>());

        await database.Get<CoordinatorService>().AssignLocalCoordinatorAsync(
            TestState.CallerFor(state.DistrictA), state.LeaA.Id, state.UserA3.Id, new LocalCoverage(state.A2.Id, null));

        await arriving.WaitForAsync(c => c.Kind == AccessChangeKind.AssignmentChanged);
        Assert.Contains(state.A2.Id, (await otherScopes.GetReadScopeAsync(newcomer, CancellationToken.None)).LocalSchoolIds);
    }

    [Fact]
    public async Task Listener_WhoseConnectionIsCut_ListensAgain_AndTellsEveryReaderThatAnythingMayHaveChanged()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await TestState.AddPendingRequestAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, database.Clock.GetUtcNow().AddDays(-1));
        var logs = new RecordedLogs();
        await using var other = database.CreateInstance(logs: logs);
        await StartFeedAsync(database.Services);
        await StartFeedAsync(other);
        var otherFeed = other.GetRequiredService<IAccessChangeFeed>();
        var otherQueue = other.GetRequiredService<ApprovalQueue>();
        var district = TestState.CallerFor(state.DistrictA);
        Assert.Equal(1, await otherQueue.CountAwaitingAsync(district));
        using var arriving = new ChangeRecorder(otherFeed);
        // Ended while the instances cannot hear each other: no change about it ever arrives.
        await using (var db = await database.OpenAsync())
        {
            await db.CoordinatorAssignments.Where(a => a.StaffMemberId == state.DistrictA.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(a => a.EndsOn, database.Clock.Today().AddDays(-1)));
        }

        // Ends every listening connection on this database: both instances lose theirs.
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var cut = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND application_name = @name", connection);
            cut.Parameters.AddWithValue("name", PostgresChangeTransport.ListenerApplicationName);
            Assert.Equal(2L, await cut.ExecuteScalarAsync());
        }

        var resumed = await arriving.WaitForAsync(c => c.Kind == AccessChangeKind.FeedResumed);
        Assert.True(resumed.ConcernsEveryone);
        Assert.Contains(logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("lost its connection"));
        Assert.Contains(logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("were missed"));
        // The kept scope and the shared count are read afresh: the district coordinator no longer coordinates.
        Assert.Equal(0, await otherQueue.CountAwaitingAsync(district));

        // Listening again: a change from the first instance arrives as before.
        database.Get<IAccessChangeFeed>().Publish(Change(AccessChangeKind.KeyDatesChanged));
        await arriving.WaitForAsync(c => c.Kind == AccessChangeKind.KeyDatesChanged);
    }

    [Fact]
    public async Task ChangeFromAnotherRelease_ThatThisOneCannotRead_IsSkipped_AndTheNextStillArrives()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var other = database.CreateInstance();
        await StartFeedAsync(other);
        using var arriving = new ChangeRecorder(other.GetRequiredService<IAccessChangeFeed>());

        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
            notify.Parameters.AddWithValue("channel", PostgresChangeTransport.Channel);
            notify.Parameters.AddWithValue("payload", """{"i":"6f1c1e9e-5c1b-4e43-9a57-2f4d8b0f3a11","k":"SomethingNew","t":"2026-11-28T15:00:00+00:00"}""");
            await notify.ExecuteNonQueryAsync();
        }
        database.Get<IAccessChangeFeed>().Publish(Change(AccessChangeKind.KeyDatesChanged));
        await StartFeedAsync(database.Services);
        database.Get<IAccessChangeFeed>().Publish(Change(AccessChangeKind.RoleCatalogChanged));

        var received = await arriving.WaitForAsync(c => c.Kind == AccessChangeKind.RoleCatalogChanged);
        Assert.Equal(AccessChangeKind.RoleCatalogChanged, received.Kind);
        // Published before the first instance's transport ran: it stayed on that instance.
        Assert.Empty(await arriving.WaitForAsync(c => c.Kind == AccessChangeKind.KeyDatesChanged, 0));
    }

    [Fact]
    public void Payload_IsCompactJsonWithTheSendersId_WellUnderPostgresLimit()
    {
        var instance = Guid.NewGuid();
        var change = new AccessChange(AccessChangeKind.StaffDirectoryChanged, int.MaxValue, int.MaxValue, int.MaxValue, int.MaxValue,
            DateTimeOffset.MaxValue, int.MaxValue);

        var payload = PostgresChangeTransport.Encode(change, instance);

        Assert.Contains(instance.ToString(), payload);
        Assert.Contains("\"StaffDirectoryChanged\"", payload);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(payload) < 400, payload);
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Provisioning;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EserSecurity.Tests.Core.Provisioning;

public sealed class WebhookSenderTests
{
    private static readonly HttpStatusCode[] TwoFailures = [HttpStatusCode.InternalServerError, HttpStatusCode.ServiceUnavailable];

    private static async Task<(int Id, string Key)> RegisterAsync(TestDatabase database, TestState state, string url, string clientId = "eser-production")
    {
        var saved = await database.Get<ApiClientService>().RegisterAsync(TestState.CallerFor(state.StateAdmin),
            new ApiClientEdit(clientId, "eSER production", ApiScopes.All, url));
        return (saved.Id, saved.NewWebhookSecret!);
    }

    /// <summary>Three decision changes: two grants made and one assurance signed.</summary>
    private static async Task<long> ChangeThreeDecisionsAsync(TestDatabase database, TestState state)
    {
        await GrantSetup.AddAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1);
        await GrantSetup.AddAsync(database, state.UserA3, state.SchoolRole, state.LeaA, state.A3);
        await TestState.SignThisYearAsync(database, state.UserA1);
        return await LatestAsync(database);
    }

    private static async Task<long> LatestAsync(TestDatabase database)
    {
        await using var db = await database.OpenAsync();
        return await db.AccessDecisionChanges.MaxAsync(c => c.Id);
    }

    private static async Task<ApiClient> ClientAsync(TestDatabase database, int id)
    {
        await using var db = await database.OpenAsync();
        return await db.ApiClients.AsNoTracking().SingleAsync(c => c.Id == id);
    }

    private static WebhookSender Sender(TestDatabase database, int batchSize) => new(
        database.Factory, database.Get<IHttpClientFactory>(), database.Get<IDataProtectionProvider>(), database.Clock,
        Options.Create(new WebhookOptions { BatchSize = batchSize }), database.Get<IAccessChangeFeed>(), NullLogger<WebhookSender>.Instance);

    /// <summary>The signature a receiver computes on its own, as the README tells it to.</summary>
    private static string Expected(string key, WebhookReceiver.Delivery delivery) =>
        "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key),
            Encoding.UTF8.GetBytes(delivery.Timestamp + ".").Concat(delivery.Body).ToArray()));

    [Fact]
    public async Task Delivers_EveryChangeAfterRegistration_InOrder_SignedWithTheClientsKey_AndMovesTheDeliveredCursor()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var state = await TestState.CreateAsync(database);
        var (id, key) = await RegisterAsync(database, state, receiver.Url);
        var registeredAt = (await ClientAsync(database, id)).DeliveredThrough;
        var latest = await ChangeThreeDecisionsAsync(database, state);

        var pass = await database.Get<WebhookSender>().DeliverDueAsync();

        Assert.Equal(new WebhookPass(1, 3, 0, false, null), pass);
        var delivery = Assert.Single(receiver.Received);
        Assert.Equal(Expected(key, delivery), delivery.Signature);
        Assert.Equal("application/json; charset=utf-8", delivery.ContentType);
        Assert.Equal(database.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), delivery.Timestamp);
        Assert.Equal($"{id}-{registeredAt + 1}-{latest}", delivery.Id);
        using var json = JsonDocument.Parse(delivery.Body);
        var changes = json.RootElement.GetProperty("changes").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, 3).Select(i => registeredAt + i), changes.Select(c => c.GetProperty("cursor").GetInt64()));
        Assert.Equal(["Granted", "Granted", "AssuranceSigned"], changes.Select(c => c.GetProperty("kind").GetString()));
        Assert.Equal([state.UserA1.StaffId, state.UserA3.StaffId, state.UserA1.StaffId], changes.Select(c => c.GetProperty("staffId").GetString()));
        Assert.Equal(latest, json.RootElement.GetProperty("next").GetInt64());
        var client = await ClientAsync(database, id);
        Assert.Equal(latest, client.DeliveredThrough);
        Assert.Equal(database.Clock.GetUtcNow(), client.LastDeliveredAt);
        Assert.Equal(WebhookHealth.UpToDate, (await database.Get<ApiClientService>().ListAsync(TestState.CallerFor(state.StateAdmin)))[0].Webhook.Health);

        Assert.Equal(new WebhookPass(1, 0, 0, false, null), await database.Get<WebhookSender>().DeliverDueAsync());
        Assert.Single(receiver.Received);
    }

    [Fact]
    public async Task APassThatDeliveredOrFailed_TellsTheApiClientsPage_AndAPassWithNothingDueTellsNobody()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var state = await TestState.CreateAsync(database);
        await RegisterAsync(database, state, receiver.Url);
        await ChangeThreeDecisionsAsync(database, state);
        using var recorder = new ChangeRecorder(database.Get<IAccessChangeFeed>());
        var sender = database.Get<WebhookSender>();

        await sender.DeliverDueAsync();
        var delivered = await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.WebhookDeliveryChanged);
        await GrantSetup.AddAsync(database, state.UserB1, state.SchoolRole, state.LeaB, state.B1);
        receiver.Answer(HttpStatusCode.InternalServerError);
        await sender.DeliverDueAsync();
        await recorder.WaitForAsync(c => c.Kind == AccessChangeKind.WebhookDeliveryChanged, 2);
        var before = database.Get<IAccessChangeFeed>().Version;
        var nothingDue = await sender.DeliverDueAsync();

        Assert.Equal((0, 0), (nothingDue.ChangesDelivered, nothingDue.Failures));
        Assert.Equal(before, database.Get<IAccessChangeFeed>().Version);
        Assert.True(ApiClientService.ConcernsRegister(delivered));
        Assert.Null(delivered.SchoolSystemId);
    }

    [Fact]
    public async Task ABacklog_GoesInBatches_EachStartingWhereTheLastEnded()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var state = await TestState.CreateAsync(database);
        var (id, _) = await RegisterAsync(database, state, receiver.Url);
        var registeredAt = (await ClientAsync(database, id)).DeliveredThrough;
        var latest = await ChangeThreeDecisionsAsync(database, state);

        await Sender(database, batchSize: 2).DeliverDueAsync();

        Assert.Equal([[registeredAt + 1, registeredAt + 2], [latest]], receiver.Received.Select(d => d.Changes.Select(c => c.Cursor).ToArray()));
        Assert.Equal([true, false], receiver.Received.Select(d => d.Page.HasMore));
        Assert.Equal(latest, (await ClientAsync(database, id)).DeliveredThrough);
    }

    [Fact]
    public async Task AFailedDelivery_IsRetriedWithTheSameChanges_AfterAWaitThatDoubles_AndTheStateSaysWhatWentWrong()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var state = await TestState.CreateAsync(database);
        var (id, _) = await RegisterAsync(database, state, receiver.Url);
        var latest = await ChangeThreeDecisionsAsync(database, state);
        var sender = database.Get<WebhookSender>();
        var admin = TestState.CallerFor(state.StateAdmin);
        receiver.Answer(TwoFailures);
        var start = database.Clock.GetUtcNow();

        var first = await sender.DeliverDueAsync();
        var failing = (await database.Get<ApiClientService>().ListAsync(admin))[0].Webhook;
        var tooSoon = await sender.DeliverDueAsync();
        database.Clock.Advance(TimeSpan.FromSeconds(10));
        var second = await sender.DeliverDueAsync();
        database.Clock.Advance(TimeSpan.FromSeconds(19));
        var stillWaiting = await sender.DeliverDueAsync();
        database.Clock.Advance(TimeSpan.FromSeconds(1));
        var third = await sender.DeliverDueAsync();

        Assert.Equal(new WebhookPass(1, 0, 1, false, start + TimeSpan.FromSeconds(10)), first);
        Assert.Equal(WebhookHealth.Failing, failing.Health);
        Assert.Equal(3, failing.Waiting);
        Assert.Equal("The receiver answered 500 Internal Server Error.", failing.LastError);
        Assert.Equal(start + TimeSpan.FromSeconds(10), failing.NextAttemptAt);
        Assert.Equal(new WebhookPass(1, 0, 0, false, start + TimeSpan.FromSeconds(10)), tooSoon);
        Assert.Equal(new WebhookPass(1, 0, 1, false, start + TimeSpan.FromSeconds(30)), second);
        Assert.Equal(new WebhookPass(1, 0, 0, false, start + TimeSpan.FromSeconds(30)), stillWaiting);
        Assert.Equal(new WebhookPass(1, 3, 0, false, null), third);
        Assert.Equal([HttpStatusCode.InternalServerError, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK], receiver.Received.Select(d => d.Status));
        Assert.Single(receiver.Received.Select(d => d.Id).Distinct());
        Assert.Single(receiver.Received.Select(d => string.Join(",", d.Changes.Select(c => c.Cursor))).Distinct());
        var client = await ClientAsync(database, id);
        Assert.Equal((latest, 0, null, null), (client.DeliveredThrough, client.FailedAttempts, client.NextAttemptAt, client.LastError));
    }

    [Fact]
    public void TheWaitBetweenRetries_DoublesFromTheFirst_UpToTheCap()
    {
        var options = new WebhookOptions { FirstRetryAfter = TimeSpan.FromSeconds(10), MaxRetryAfter = TimeSpan.FromMinutes(5) };

        Assert.Equal([10, 20, 40, 80, 160, 300, 300], new[] { 1, 2, 3, 4, 5, 6, 40 }.Select(n => options.RetryAfter(n).TotalSeconds));
    }

    [Fact]
    public async Task AReceiverThatCannotBeReached_CountsAsAFailure_WithTheReason()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var (id, _) = await RegisterAsync(database, state, $"http://127.0.0.1:{FreePort()}/hook");
        await ChangeThreeDecisionsAsync(database, state);

        var pass = await database.Get<WebhookSender>().DeliverDueAsync();

        Assert.Equal(1, pass.Failures);
        var client = await ClientAsync(database, id);
        Assert.StartsWith("The receiver could not be reached", client.LastError, StringComparison.Ordinal);
        Assert.Equal(1, client.FailedAttempts);
    }

    [Fact]
    public async Task DeliveryIsDurableAcrossARestart_NothingAcknowledgedIsSentAgain_AndWhatFailedIsSentByTheNewInstance()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var state = await TestState.CreateAsync(database);
        await RegisterAsync(database, state, receiver.Url);
        var grant = await GrantSetup.AddAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1);
        var acknowledged = await LatestAsync(database);
        var before = database.Get<WebhookSender>();
        await before.DeliverDueAsync();
        await GrantSetup.AddAsync(database, state.UserA3, state.SchoolRole, state.LeaA, state.A3);
        var failed = await LatestAsync(database);
        receiver.Answer(HttpStatusCode.BadGateway);
        await before.DeliverDueAsync();

        // Another process over the same database: its own services and HTTP clients, the key ring the console keeps on disk.
        var services = new ServiceCollection();
        database.AddCoreServicesTo(services);
        services.AddSingleton(database.Get<IDataProtectionProvider>());
        services.AddLogging();
        await using var restarted = services.BuildServiceProvider();
        var delivery = ActivatorUtilities.CreateInstance<WebhookDelivery>(restarted);
        database.Clock.Advance(TimeSpan.FromSeconds(10));
        await delivery.StartAsync(CancellationToken.None);
        await receiver.WaitForAcknowledgedAsync(failed);
        await restarted.GetRequiredService<GrantService>().EndAsync(TestState.CallerFor(state.StateAdmin), grant.Id, "Left the school system");
        var ended = await LatestAsync(database);
        await receiver.WaitForAcknowledgedAsync(ended);
        await delivery.StopAsync(CancellationToken.None);

        var cursors = receiver.Received.Select(d => (d.Status, Cursors: string.Join(",", d.Changes.Select(c => c.Cursor)))).ToList();
        Assert.Equal([(HttpStatusCode.OK, $"{acknowledged}"), (HttpStatusCode.BadGateway, $"{failed}"), (HttpStatusCode.OK, $"{failed}"), (HttpStatusCode.OK, $"{ended}")],
            cursors.Select(c => (c.Status, c.Cursors)));
    }

    [Fact]
    public async Task ARevokedClient_GetsNothingMore()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var state = await TestState.CreateAsync(database);
        var (id, _) = await RegisterAsync(database, state, receiver.Url);
        await database.Get<ApiClientService>().RevokeAsync(TestState.CallerFor(state.StateAdmin), id, "Replaced by the new eSER tenant");
        await ChangeThreeDecisionsAsync(database, state);

        var pass = await database.Get<WebhookSender>().DeliverDueAsync();

        Assert.Equal(new WebhookPass(0, 0, 0, false, null), pass);
        Assert.Empty(receiver.Received);
        var row = Assert.Single(await database.Get<ApiClientService>().ListAsync(TestState.CallerFor(state.StateAdmin)));
        Assert.Equal(WebhookHealth.Stopped, row.Webhook.Health);
    }

    [Fact]
    public async Task AfterARotation_BothKeysSign_UntilTheOverlapEnds()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var state = await TestState.CreateAsync(database);
        var (id, oldKey) = await RegisterAsync(database, state, receiver.Url);
        var newKey = (await database.Get<ApiClientService>().RotateWebhookSecretAsync(TestState.CallerFor(state.StateAdmin), id)).NewWebhookSecret!;
        var sender = database.Get<WebhookSender>();
        await GrantSetup.AddAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1);
        await sender.DeliverDueAsync();
        database.Clock.Advance(ApiClientService.PreviousKeyOverlap);
        await GrantSetup.AddAsync(database, state.UserA3, state.SchoolRole, state.LeaA, state.A3);
        await sender.DeliverDueAsync();

        var (during, after) = (receiver.Received[0], receiver.Received[1]);
        Assert.Equal($"{Expected(newKey, during)} {Expected(oldKey, during)}", during.Signature);
        Assert.Equal(Expected(newKey, after), after.Signature);
    }

    [Fact]
    public async Task TheRunningSender_PushesARevokeMadeInThisInstance_WithoutWaitingForItsPoll()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var state = await TestState.CreateAsync(database);
        await RegisterAsync(database, state, receiver.Url);
        var grant = await GrantSetup.AddAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1);
        var granted = await LatestAsync(database);
        // The poll never comes: the test's clock stands still, so after its first pass only the change feed wakes the sender.
        var delivery = ActivatorUtilities.CreateInstance<WebhookDelivery>(database.Services);
        await delivery.StartAsync(CancellationToken.None);
        try
        {
            await receiver.WaitForAcknowledgedAsync(granted);
            await database.Get<GrantService>().EndAsync(TestState.CallerFor(state.StateAdmin), grant.Id, "Moved to another school system");
            var ended = await LatestAsync(database);
            await receiver.WaitForAcknowledgedAsync(ended);

            var change = Assert.Single(receiver.Received[^1].Changes);
            Assert.Equal((AccessDecisionChangeKind.Ended, state.UserA1.StaffId, grant.Id), (change.Kind, change.StaffId, change.Grant?.GrantId));
        }
        finally
        {
            await delivery.StopAsync(CancellationToken.None);
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

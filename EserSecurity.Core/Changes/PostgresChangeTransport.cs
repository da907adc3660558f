using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using EserSecurity.Core.Provisioning;
using EserSecurity.Core.Scheduling;
using EserSecurity.Core.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EserSecurity.Core.Changes;

/// <summary>
/// Carries <see cref="PostgresAccessChangeFeed"/>'s changes between console instances over PostgreSQL's
/// <c>LISTEN</c>/<c>NOTIFY</c> on the channel <see cref="Channel"/>. The sender takes the queued changes in batches
/// and sends them over a pooled connection, one <c>pg_notify</c> each, in publishing order. The listener keeps one
/// connection of its own listening and hands every other instance's change to the local subscribers; its own come
/// back too and are skipped by their instance id.
/// </summary>
/// <remarks>
/// A lost connection is tried again after a short backoff (<see cref="FirstRetryAfter"/>, doubling up to
/// <see cref="LastRetryAfter"/>), with a warning in the log. Changes sent while the listener was away never arrive,
/// so once it listens again it publishes <see cref="AccessChangeKind.FeedResumed"/> here, which every reader takes as
/// "anything may have changed". The backoff runs on real time, not the console's clock: it waits for the network.
/// </remarks>
public sealed class PostgresChangeTransport(
    PostgresAccessChangeFeed feed, ScopeService scopes, ApiClientRegistry apiClients, string connectionString, TimeProvider clock,
    ILogger<PostgresChangeTransport> logger)
    : BackgroundService
{
    /// <summary>The notification channel every instance of one database listens on.</summary>
    public const string Channel = "eser_access_changes";

    /// <summary>The application name of the listening connection, as <c>pg_stat_activity</c> shows it.</summary>
    public const string ListenerApplicationName = "EserSecurity change feed";

    /// <summary>The wait before the first retry after a lost connection.</summary>
    public static readonly TimeSpan FirstRetryAfter = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between two retries.</summary>
    public static readonly TimeSpan LastRetryAfter = TimeSpan.FromSeconds(15);

    /// <summary>How long the listener waits in silence before it checks that its connection still answers.</summary>
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(20);

    // PostgreSQL refuses a payload of 8000 bytes or more; a change is a few hundred.
    private const int MaxPayloadBytes = 7999;

    private const int BatchSize = 100;

    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly NpgsqlDataSource _senders = NpgsqlDataSource.Create(
        new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = "EserSecurity change feed sender" }.ConnectionString);

    // Not pooled: a pooled connection is reset when returned, which ends its LISTEN.
    private readonly string _listenerConnectionString =
        new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = ListenerApplicationName, Pooling = false }.ConnectionString;

    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the listener listens for the first time; changes published after it reach this instance from others.</summary>
    public Task Listening => _listening.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        feed.StartSending();
        try
        {
            await Task.WhenAll(Task.Run(() => ListenAsync(stoppingToken), CancellationToken.None), Task.Run(() => SendAsync(stoppingToken), CancellationToken.None));
        }
        finally
        {
            feed.StopSending();
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        _senders.Dispose();
    }

    private async Task SendAsync(CancellationToken stoppingToken)
    {
        var batch = new List<AccessChange>(BatchSize);
        var failures = 0;
        try
        {
            while (await feed.Outgoing.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < BatchSize && feed.Outgoing.TryRead(out var change))
                {
                    batch.Add(change);
                }
                try
                {
                    await NotifyAsync(batch, stoppingToken);
                    if (failures > 0)
                    {
                        logger.LogInformation("The change feed sends to the other instances again.");
                    }
                    failures = 0;
                    batch.Clear();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    failures++;
                    var wait = WakeableWorker.Backoff(FirstRetryAfter, LastRetryAfter, failures);
                    // The batch is kept and sent again: a late change only makes the other instances read again.
                    logger.LogWarning(ex, "The change feed could not send {Count} changes to the other console instances; trying again in {Wait}.",
                        batch.Count, wait);
                    await Task.Delay(wait, stoppingToken);
                }
                if (feed.TakeDropped() is > 0 and var dropped)
                {
                    logger.LogWarning("The change feed dropped {Dropped} changes it could not send in time; the other instances miss them.", dropped);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task NotifyAsync(List<AccessChange> changes, CancellationToken ct)
    {
        await using var connection = await _senders.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var change in changes)
        {
            var payload = Encode(change, feed.InstanceId);
            if (Encoding.UTF8.GetByteCount(payload) > MaxPayloadBytes)
            {
                logger.LogError("A {Kind} change is too large to send to the other instances ({Bytes} bytes).", change.Kind, Encoding.UTF8.GetByteCount(payload));
                continue;
            }
            var command = new NpgsqlBatchCommand("SELECT pg_notify(@channel, @payload)");
            command.Parameters.AddWithValue("channel", Channel);
            command.Parameters.AddWithValue("payload", payload);
            batch.BatchCommands.Add(command);
        }
        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(ct);
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        var listenedBefore = false;
        DateTimeOffset? lostAt = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_listenerConnectionString);
                connection.Notification += (_, e) => Receive(e.Payload);
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                if (listenedBefore || failures > 0)
                {
                    logger.LogWarning("The change feed listens to the other console instances again{Gap}; the changes they made meanwhile were missed, so every open page reads again.",
                        lostAt is { } at ? $" after {clock.GetUtcNow() - at:g}" : "");
                    Arrive(new AccessChange(AccessChangeKind.FeedResumed, null, null, null, null, clock.GetUtcNow()));
                }
                listenedBefore = true;
                failures = 0;
                lostAt = null;
                _listening.TrySetResult();
                while (true)
                {
                    if (!await connection.WaitAsync(Idle, stoppingToken))
                    {
                        // Nothing for a while: a connection that died quietly shows itself here.
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteScalarAsync(stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                lostAt ??= clock.GetUtcNow();
                var wait = WakeableWorker.Backoff(FirstRetryAfter, LastRetryAfter, failures);
                if (listenedBefore)
                {
                    logger.LogWarning(ex, "The change feed lost its connection to PostgreSQL: other console instances' changes do not reach this instance's pages until it listens again. Trying again in {Wait}.", wait);
                }
                else
                {
                    logger.LogWarning(ex, "The change feed cannot listen to the other console instances yet: their changes do not reach this instance's pages. Trying again in {Wait}.", wait);
                }
                try
                {
                    await Task.Delay(wait, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Receive(string payload)
    {
        try
        {
            var message = JsonSerializer.Deserialize<ChangeMessage>(payload, Json)
                ?? throw new JsonException("The payload is empty.");
            if (message.Instance != feed.InstanceId)
            {
                Arrive(message.ToChange());
            }
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException)
        {
            // An instance of another release may send a kind this one does not know: it is skipped, not fatal.
            logger.LogWarning(ex, "The change feed skipped a message it cannot read: {Payload}", payload);
        }
    }

    /// <summary>
    /// Hands a change to this instance's subscribers as its publisher would have: what decides who may see what (kept
    /// scopes, the API client register) is forgotten first, so no reader that hears of the change reads the old answer.
    /// </summary>
    private void Arrive(AccessChange change)
    {
        if (ScopeService.ChangesScopes(change))
        {
            scopes.Forget();
        }
        if (change.Kind == AccessChangeKind.ApiClientsChanged || change.ConcernsEveryone)
        {
            apiClients.Forget();
        }
        feed.DeliverHere(change);
    }

    /// <summary>The payload of one change: compact JSON with the sending instance's id.</summary>
    internal static string Encode(AccessChange change, Guid instance) =>
        JsonSerializer.Serialize(new ChangeMessage(instance, change.Kind, change.SchoolSystemId, change.SchoolId,
            change.AccessRequestId, change.ActorId, change.At, change.SubjectStaffMemberId), Json);

    internal sealed record ChangeMessage(
        [property: JsonPropertyName("i")] Guid Instance,
        [property: JsonPropertyName("k")] AccessChangeKind Kind,
        [property: JsonPropertyName("s")] int? SchoolSystemId,
        [property: JsonPropertyName("c")] int? SchoolId,
        [property: JsonPropertyName("r")] int? AccessRequestId,
        [property: JsonPropertyName("a")] int? ActorId,
        [property: JsonPropertyName("t")] DateTimeOffset At,
        [property: JsonPropertyName("p")] int? SubjectStaffMemberId)
    {
        public AccessChange ToChange() => new(Kind, SchoolSystemId, SchoolId, AccessRequestId, ActorId, At, SubjectStaffMemberId);
    }
}

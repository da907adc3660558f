using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Provisioning;

/// <summary>
/// Pushes the change feed to every active client with a webhook: the changes after the cursor its receiver last
/// acknowledged, in order, in batches shaped like a page of <c>GET /api/v1/access/changes</c>, signed with the client's
/// key. A batch counts as delivered when the receiver answers 2xx; the cursor then moves in the database, so delivery
/// survives restarts. A failure waits longer each time (<see cref="WebhookOptions.RetryAfter"/>) and sends the same batch
/// again. Delivery is at least once: a receiver skips a change whose cursor it has already applied.
/// </summary>
public sealed class WebhookSender(
    IDbContextFactory<EserSecurityDbContext> dbFactory, IHttpClientFactory http, IDataProtectionProvider protection, TimeProvider clock,
    IOptions<WebhookOptions> options, IAccessChangeFeed changes, ILogger<WebhookSender> logger)
{
    public const string HttpClientName = "webhooks";
    public const string IdHeader = "Eser-Webhook-Id";
    public const string TimestampHeader = "Eser-Webhook-Timestamp";
    public const string SignatureHeader = "Eser-Webhook-Signature";

    /// <summary>The feed's JSON, as the API writes it: camelCase names, enums by name.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Batches sent to one client in one pass, so a client far behind does not hold up the pass for long.</summary>
    private const int MaxBatchesPerPass = 50;

    /// <summary>Sends what is due to every client; says how many clients have webhooks and when to come back.</summary>
    public async Task<WebhookPass> DeliverDueAsync(CancellationToken ct = default)
    {
        long latest;
        List<Target> targets;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            latest = await AccessDecisionService.LatestAsync(db, ct);
            targets = (await db.ApiClients.AsNoTracking().Where(c => c.RevokedAt == null && c.WebhookUrl != null && c.WebhookSecret != null)
                    .Select(c => new Target(c.Id, c.ClientId, c.Scopes, c.WebhookUrl!, c.WebhookSecret!, c.PreviousWebhookSecret, c.PreviousSecretUntil,
                        c.DeliveredThrough, c.FailedAttempts, c.NextAttemptAt))
                    .ToListAsync(ct))
                .Where(t => ApiClientService.ParseScopes(t.Scopes).Contains(ApiScopes.ChangesRead)).ToList();
        }
        var now = clock.GetUtcNow();
        var due = targets.Where(t => t.DeliveredThrough < latest && (t.NextAttemptAt is null || t.NextAttemptAt <= now)).ToList();
        var outcomes = await Task.WhenAll(due.Select(t => DeliverAsync(t, ct)));
        if (outcomes.Length > 0)
        {
            changes.Publish(new AccessChange(AccessChangeKind.WebhookDeliveryChanged, null, null, null, null, clock.GetUtcNow()));
        }
        var waitingUntil = targets.Where(t => t.DeliveredThrough < latest && t.NextAttemptAt > now).Select(t => t.NextAttemptAt)
            .Concat(outcomes.Select(o => o.RetryAt)).Min();
        return new WebhookPass(targets.Count, outcomes.Sum(o => o.Delivered), outcomes.Count(o => o.RetryAt is not null),
            outcomes.Any(o => o.MoreWaiting), waitingUntil);
    }

    private async Task<Outcome> DeliverAsync(Target target, CancellationToken ct)
    {
        string key;
        string? previousKey;
        try
        {
            var protector = protection.CreateProtector(ApiClientService.SecretPurpose);
            key = protector.Unprotect(target.Secret);
            previousKey = target.PreviousSecret is not null && target.PreviousSecretUntil > clock.GetUtcNow() ? protector.Unprotect(target.PreviousSecret) : null;
        }
        catch (CryptographicException)
        {
            return await FailedAsync(target, target.DeliveredThrough,
                "This console cannot read the webhook key (its data-protection keys changed). Rotate the key and give the new one to the receiver.", ct);
        }

        var through = target.DeliveredThrough;
        var delivered = 0;
        for (var batch = 0; batch < MaxBatchesPerPass; batch++)
        {
            DecisionChangePage page;
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                var rows = await AccessDecisionService.ReadAsync(db, through, options.Value.BatchSize + 1, ct);
                if (rows.Count == 0)
                {
                    return new Outcome(delivered, null, false);
                }
                var hasMore = rows.Count > options.Value.BatchSize;
                if (hasMore)
                {
                    rows.RemoveAt(rows.Count - 1);
                }
                page = new DecisionChangePage(rows, rows[^1].Cursor, hasMore);
            }
            if (await SendAsync(target, page, key, previousKey, ct) is { } error)
            {
                return await FailedAsync(target with { FailedAttempts = batch == 0 ? target.FailedAttempts : 0 }, through, error, ct);
            }
            if (!await RecordDeliveredAsync(target, through, page.Next, ct))
            {
                // Revoked, pointed elsewhere or delivered by another instance meanwhile: the next pass starts from what the register says.
                return new Outcome(delivered, null, false);
            }
            delivered += page.Changes.Count;
            through = page.Next;
            if (!page.HasMore)
            {
                return new Outcome(delivered, null, false);
            }
        }
        return new Outcome(delivered, null, true);
    }

    /// <summary>Posts one batch; null when the receiver acknowledged it, else what went wrong in words an administrator can act on.</summary>
    private async Task<string?> SendAsync(Target target, DecisionChangePage page, string key, string? previousKey, CancellationToken ct)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(page, Json);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(IdHeader, WebhookSignature.DeliveryId(target.Id, page));
        request.Headers.Add(TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(SignatureHeader, WebhookSignature.Header(timestamp, body, key, previousKey));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.Timeout);
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (response.IsSuccessStatusCode)
            {
                logger.LogInformation("Webhook: {Count} changes delivered to API client {ClientId} through cursor {Cursor}.",
                    page.Changes.Count, target.ClientId, page.Next);
                return null;
            }
            return $"The receiver answered {(int)response.StatusCode} {response.ReasonPhrase}.";
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return $"The receiver did not answer within {options.Value.Timeout.TotalSeconds:0} seconds.";
        }
        catch (HttpRequestException ex)
        {
            return $"The receiver could not be reached: {ex.Message}";
        }
    }

    private async Task<bool> RecordDeliveredAsync(Target target, long through, long next, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Conditional on the cursor this pass started from: two instances never move it twice, nor backwards.
        return await db.ApiClients
            .Where(c => c.Id == target.Id && c.DeliveredThrough == through && c.RevokedAt == null && c.WebhookUrl == target.Url)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.DeliveredThrough, next)
                .SetProperty(c => c.FailedAttempts, 0)
                .SetProperty(c => c.NextAttemptAt, (DateTimeOffset?)null)
                .SetProperty(c => c.LastAttemptAt, now)
                .SetProperty(c => c.LastDeliveredAt, now)
                .SetProperty(c => c.LastError, (string?)null), ct) == 1;
    }

    private async Task<Outcome> FailedAsync(Target target, long through, string error, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var failures = target.FailedAttempts + 1;
        var retryAt = now + options.Value.RetryAfter(failures);
        error = error.Length > ApiClient.ErrorMaxLength ? error[..ApiClient.ErrorMaxLength] : error;
        logger.LogWarning("Webhook: delivery to API client {ClientId} failed ({Failures} in a row), next attempt at {RetryAt:u}: {Error}",
            target.ClientId, failures, retryAt, error);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.ApiClients.Where(c => c.Id == target.Id && c.DeliveredThrough == through && c.RevokedAt == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.FailedAttempts, failures)
                .SetProperty(c => c.NextAttemptAt, retryAt)
                .SetProperty(c => c.LastAttemptAt, now)
                .SetProperty(c => c.LastError, error), ct);
        return new Outcome(0, retryAt, false);
    }

    private sealed record Target(
        int Id, string ClientId, string Scopes, string Url, string Secret, string? PreviousSecret, DateTimeOffset? PreviousSecretUntil,
        long DeliveredThrough, int FailedAttempts, DateTimeOffset? NextAttemptAt);

    private sealed record Outcome(int Delivered, DateTimeOffset? RetryAt, bool MoreWaiting);
}

/// <summary>What one pass of the sender did.</summary>
/// <param name="Clients">Active clients with a webhook.</param>
/// <param name="MoreWaiting">A client still had changes waiting when its share of the pass ran out: pass again at once.</param>
/// <param name="NextRetryAt">The earliest time a failed delivery is tried again.</param>
public sealed record WebhookPass(int Clients, int ChangesDelivered, int Failures, bool MoreWaiting, DateTimeOffset? NextRetryAt);

/// <summary>
/// How a delivery is signed, so a receiver can check it came from the console: <c>v1=</c> and the hex HMAC-SHA-256 of
/// "{timestamp}.{body}" under the client's key, where the timestamp is the <see cref="WebhookSender.TimestampHeader"/>
/// value. While a rotated-out key still signs, the header carries both signatures, separated by a space.
/// </summary>
public static class WebhookSignature
{
    public static string Compute(string key, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), signed));
    }

    public static string Header(long timestamp, ReadOnlySpan<byte> body, string key, string? previousKey) =>
        previousKey is null
            ? "v1=" + Compute(key, timestamp, body)
            : $"v1={Compute(key, timestamp, body)} v1={Compute(previousKey, timestamp, body)}";

    /// <summary>Names the client and the cursors a batch spans ("7-1201-1300"). A receiver applies each change once, by its cursor.</summary>
    public static string DeliveryId(int clientId, DecisionChangePage page) =>
        string.Create(CultureInfo.InvariantCulture, $"{clientId}-{page.Changes[0].Cursor}-{page.Next}");
}

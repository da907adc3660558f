using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using EserSecurity.Core.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.Provisioning;

/// <summary>
/// The register of API clients, kept by state administrators: register a client (its id at the sign-on provider, what it
/// may read, where its changes are pushed), change it, rotate its webhook key, revoke it. Every change is audited; a
/// webhook key is shown once and stored encrypted.
/// </summary>
public sealed class ApiClientService(
    IDbContextFactory<EserSecurityDbContext> dbFactory, ScopeService scopes, IAccessChangeFeed changes, TimeProvider clock,
    IDataProtectionProvider protection, ApiClientRegistry registry)
{
    /// <summary>How long a rotated-out webhook key still signs beside the new one, so the receiver can switch without missing a change.</summary>
    public static readonly TimeSpan PreviousKeyOverlap = TimeSpan.FromHours(24);

    private const string Administer = "keep the register of API clients";

    internal const string SecretPurpose = "EserSecurity.Provisioning.WebhookSecret.v1";

    /// <summary>Whether a change concerns the API clients page: a change to the register or to a webhook's delivery state.</summary>
    public static bool ConcernsRegister(AccessChange change) => change.Kind is AccessChangeKind.ApiClientsChanged or AccessChangeKind.WebhookDeliveryChanged;

    /// <summary>The scopes a registration stores, one by one.</summary>
    public static IReadOnlyList<string> ParseScopes(string scopes) => scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Every client, active first; for state administrators.</summary>
    public async Task<IReadOnlyList<ApiClientRow>> ListAsync(Caller caller, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        (await scopes.GetReadScopeAsync(db, caller.StaffMemberId, ct)).DemandStateAdministrator(Administer);
        var latest = await AccessDecisionService.LatestAsync(db, ct);
        var clients = await db.ApiClients.AsNoTracking().OrderBy(c => c.RevokedAt != null).ThenBy(c => c.Name).ToListAsync(ct);
        var now = clock.GetUtcNow();
        return clients.Select(c => new ApiClientRow(c.Id, c.ClientId, c.Name, ParseScopes(c.Scopes), c.RegisteredAt, c.RevokedAt, c.WebhookUrl,
            StateOf(c, latest, now))).ToList();
    }

    internal static WebhookState StateOf(ApiClient c, long latest, DateTimeOffset now)
    {
        var waiting = c.WebhookUrl is null ? 0 : Math.Max(0, latest - c.DeliveredThrough);
        var health = c.WebhookUrl is null ? WebhookHealth.None
            : !c.IsActive ? WebhookHealth.Stopped
            : c.FailedAttempts > 0 ? WebhookHealth.Failing
            : waiting > 0 ? WebhookHealth.Sending
            : WebhookHealth.UpToDate;
        return new WebhookState(health, c.DeliveredThrough, waiting, c.FailedAttempts, c.LastDeliveredAt, c.LastAttemptAt, c.NextAttemptAt, c.LastError,
            c.PreviousSecretUntil is { } until && until > now ? until : null);
    }

    /// <summary>Registers a client. With a webhook, its key is made now and returned once.</summary>
    /// <exception cref="ApiClientRefusedException">A field is missing or invalid, or the client id is already registered.</exception>
    public async Task<ApiClientSaved> RegisterAsync(Caller caller, ApiClientEdit edit, CancellationToken ct = default)
    {
        var valid = Validate(edit);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        (await scopes.GetScopeAsync(db, caller.StaffMemberId, ct)).DemandStateAdministrator(Administer);
        await using var transaction = await db.BeginWriteAsync(ct);
        if (await db.ApiClients.AnyAsync(c => c.ClientId == valid.ClientId, ct))
        {
            throw new ApiClientRefusedException($"The client id {valid.ClientId} is already registered. A revoked registration stays in the register; register the client under a new id at the sign-on provider.");
        }
        var now = clock.GetUtcNow();
        // New clients start at the feed's head: what happened before is everyone's current decision, which they read first.
        var client = new ApiClient
        {
            ClientId = valid.ClientId, Name = valid.Name, Scopes = string.Join(' ', valid.Scopes), RegisteredAt = now, RegisteredById = caller.StaffMemberId,
            WebhookUrl = valid.WebhookUrl, DeliveredThrough = await AccessDecisionService.LatestAsync(db, ct),
        };
        var secret = valid.WebhookUrl is null ? null : NewSecret();
        client.WebhookSecret = secret is null ? null : Protector().Protect(secret);
        db.ApiClients.Add(client);
        await db.SaveChangesAsync(ct);
        await AuditLog.AppendAsync(db, caller, now, new AuditEntry("ApiClient.Registered", nameof(ApiClient), Id(client.Id), null, null,
            new { client.ClientId, client.Name, client.Scopes, client.WebhookUrl }), ct);
        await transaction.CommitAsync(ct);
        Published(caller, now);
        return new ApiClientSaved(client.Id, secret);
    }

    /// <summary>Changes a client's name, scopes or webhook. A webhook added where there was none gets a key, returned once.</summary>
    public async Task<ApiClientSaved> UpdateAsync(Caller caller, int id, ApiClientEdit edit, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        (await scopes.GetScopeAsync(db, caller.StaffMemberId, ct)).DemandStateAdministrator(Administer);
        await using var transaction = await db.BeginWriteAsync(ct);
        var client = await ActiveAsync(db, id, ct);
        var valid = Validate(edit with { ClientId = client.ClientId });
        var before = new { client.Name, client.Scopes, client.WebhookUrl };
        var now = clock.GetUtcNow();
        string? secret = null;
        if (valid.WebhookUrl is not null && client.WebhookSecret is null)
        {
            secret = NewSecret();
            client.WebhookSecret = Protector().Protect(secret);
            client.DeliveredThrough = await AccessDecisionService.LatestAsync(db, ct);
        }
        if (valid.WebhookUrl != client.WebhookUrl)
        {
            client.FailedAttempts = 0;
            client.NextAttemptAt = null;
            client.LastError = null;
        }
        client.Name = valid.Name;
        client.Scopes = string.Join(' ', valid.Scopes);
        client.WebhookUrl = valid.WebhookUrl;
        client.ConcurrencyToken = Guid.NewGuid();
        await db.SaveChangesAsync(ct);
        await AuditLog.AppendAsync(db, caller, now, new AuditEntry("ApiClient.Changed", nameof(ApiClient), Id(client.Id), null, before,
            new { client.Name, client.Scopes, client.WebhookUrl }), ct);
        await transaction.CommitAsync(ct);
        Published(caller, now);
        return new ApiClientSaved(client.Id, secret);
    }

    /// <summary>Makes a new webhook key, returned once; the old one keeps signing beside it for <see cref="PreviousKeyOverlap"/>.</summary>
    public async Task<ApiClientSaved> RotateWebhookSecretAsync(Caller caller, int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        (await scopes.GetScopeAsync(db, caller.StaffMemberId, ct)).DemandStateAdministrator(Administer);
        await using var transaction = await db.BeginWriteAsync(ct);
        var client = await ActiveAsync(db, id, ct);
        if (client.WebhookUrl is null || client.WebhookSecret is null)
        {
            throw new ApiClientRefusedException($"{client.Name} has no webhook, so it has no key to rotate.");
        }
        var now = clock.GetUtcNow();
        var secret = NewSecret();
        client.PreviousWebhookSecret = client.WebhookSecret;
        client.PreviousSecretUntil = now + PreviousKeyOverlap;
        client.WebhookSecret = Protector().Protect(secret);
        client.ConcurrencyToken = Guid.NewGuid();
        await db.SaveChangesAsync(ct);
        await AuditLog.AppendAsync(db, caller, now, new AuditEntry("ApiClient.WebhookKeyRotated", nameof(ApiClient), Id(client.Id), null, null,
            new { PreviousKeySignsUntil = client.PreviousSecretUntil }), ct);
        await transaction.CommitAsync(ct);
        Published(caller, now);
        return new ApiClientSaved(client.Id, secret);
    }

    /// <summary>Revokes a client: its tokens are refused from now on and nothing more is pushed to it. Kept in the register.</summary>
    public async Task RevokeAsync(Caller caller, int id, string? reason, CancellationToken ct = default)
    {
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (reason is null)
        {
            throw new ApiClientRefusedException("Say why the client is revoked; it is kept in the audit log.");
        }
        if (TextRules.ProseProblem(reason, "the reason", 500) is { } problem)
        {
            throw new ApiClientRefusedException(problem);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        (await scopes.GetScopeAsync(db, caller.StaffMemberId, ct)).DemandStateAdministrator(Administer);
        await using var transaction = await db.BeginWriteAsync(ct);
        var client = await ActiveAsync(db, id, ct);
        var now = clock.GetUtcNow();
        client.RevokedAt = now;
        client.RevokedById = caller.StaffMemberId;
        client.NextAttemptAt = null;
        client.ConcurrencyToken = Guid.NewGuid();
        await db.SaveChangesAsync(ct);
        await AuditLog.AppendAsync(db, caller, now, new AuditEntry("ApiClient.Revoked", nameof(ApiClient), Id(client.Id), null,
            new { Active = true }, new { RevokedAt = now, Reason = reason }), ct);
        await transaction.CommitAsync(ct);
        Published(caller, now);
    }

    private static async Task<ApiClient> ActiveAsync(EserSecurityDbContext db, int id, CancellationToken ct)
    {
        var client = await db.ApiClients.SingleOrDefaultAsync(c => c.Id == id, ct)
            ?? throw new ApiClientRefusedException("That API client does not exist.");
        return client.IsActive ? client : throw new ApiClientRefusedException($"{client.Name} was revoked on {client.RevokedAt:MMMM d, yyyy}; a revoked client stays revoked.");
    }

    private void Published(Caller caller, DateTimeOffset now)
    {
        // This instance's register is forgotten before the call returns, so a revoke refuses the very next API call here;
        // other subscribers (pages) hear of it through the feed.
        registry.Forget();
        changes.Publish(new AccessChange(AccessChangeKind.ApiClientsChanged, null, null, null, caller.StaffMemberId, now));
    }

    internal IDataProtector Protector() => protection.CreateProtector(SecretPurpose);

    private static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    private sealed record ValidEdit(string ClientId, string Name, IReadOnlyList<string> Scopes, string? WebhookUrl);

    private static ValidEdit Validate(ApiClientEdit edit)
    {
        var clientId = edit.ClientId?.Trim() ?? "";
        if (clientId.Length == 0)
        {
            throw new ApiClientRefusedException("Enter the client id the sign-on provider gave the application (its tokens carry it as client_id, azp or appid).");
        }
        if (clientId.Length > ApiClient.ClientIdMaxLength || clientId.Any(c => c is <= ' ' or > '~'))
        {
            throw new ApiClientRefusedException($"A client id is up to {ApiClient.ClientIdMaxLength} visible ASCII characters, without spaces.");
        }
        var name = edit.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            throw new ApiClientRefusedException("Enter a name people recognise, such as \"eSER production\".");
        }
        if (TextRules.ProseProblem(name, "the name", ApiClient.NameMaxLength) is { } problem)
        {
            throw new ApiClientRefusedException(problem);
        }
        var chosen = (edit.Scopes ?? []).Select(s => s.Trim()).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (chosen.Count == 0)
        {
            throw new ApiClientRefusedException("Choose at least one thing the client may do.");
        }
        if (chosen.FirstOrDefault(s => !ApiScopes.All.Contains(s)) is { } unknown)
        {
            throw new ApiClientRefusedException($"'{unknown}' is not a scope of this API; the scopes are {string.Join(", ", ApiScopes.All)}.");
        }
        var webhook = string.IsNullOrWhiteSpace(edit.WebhookUrl) ? null : edit.WebhookUrl.Trim();
        if (webhook is not null)
        {
            if (webhook.Length > ApiClient.WebhookUrlMaxLength || !Uri.TryCreate(webhook, UriKind.Absolute, out var uri)
                || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri))) || !string.IsNullOrEmpty(uri.UserInfo))
            {
                throw new ApiClientRefusedException("A webhook address is a full https:// address without a user name or password (http:// only for this machine, such as http://127.0.0.1:5001/hook).");
            }
            if (!chosen.Contains(ApiScopes.ChangesRead))
            {
                throw new ApiClientRefusedException($"A webhook pushes the change feed: also allow '{ApiScopes.ChangesRead}'.");
            }
        }
        return new ValidEdit(clientId, name, ApiScopes.All.Where(chosen.Contains).ToList(), webhook);
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}

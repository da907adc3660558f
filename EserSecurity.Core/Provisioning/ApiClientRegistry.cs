using System.Collections.Frozen;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Core.Provisioning;

/// <summary>
/// Which API clients may call, and with which scopes: the console's own register, kept in memory because every API call
/// asks. A change to the register made here is seen at once; one made by another console instance within
/// <see cref="Lifetime"/>.
/// </summary>
public sealed class ApiClientRegistry : IDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(15);

    private readonly IDbContextFactory<EserSecurityDbContext> _dbFactory;
    private readonly TimeProvider _clock;
    private readonly IDisposable _subscription;
    private volatile Snapshot? _snapshot;
    private long _generation;

    public ApiClientRegistry(IDbContextFactory<EserSecurityDbContext> dbFactory, TimeProvider clock, IAccessChangeFeed feed)
    {
        _dbFactory = dbFactory;
        _clock = clock;
        _subscription = feed.Subscribe(change =>
        {
            if (change.Kind == AccessChangeKind.ApiClientsChanged || change.ConcernsEveryone)
            {
                Forget();
            }
            return Task.CompletedTask;
        });
    }

    /// <summary>Drops the remembered register, so the next call reads it again.</summary>
    public void Forget()
    {
        Interlocked.Increment(ref _generation);
        _snapshot = null;
    }

    /// <summary>
    /// The caller for a validated token: its client is registered and active, and the token carries
    /// <paramref name="requiredScope"/>, which the registration also allows.
    /// </summary>
    /// <exception cref="ApiRefusedException">Unknown or revoked client, or the scope missing from the token or the registration.</exception>
    public async Task<ApiCaller> AuthorizeAsync(string? clientId, IEnumerable<string> tokenScopes, string requiredScope, CancellationToken ct = default)
    {
        var snapshot = await CurrentAsync(ct);
        if (string.IsNullOrEmpty(clientId) || !snapshot.Clients.TryGetValue(clientId, out var client))
        {
            throw new ApiRefusedException(ApiRefusal.UnknownClient,
                "This client is not registered with the console, or its registration was revoked. A state administrator registers it under API clients.");
        }
        var granted = tokenScopes.Where(client.Scopes.Contains).ToFrozenSet(StringComparer.Ordinal);
        if (!client.Scopes.Contains(requiredScope))
        {
            throw new ApiRefusedException(ApiRefusal.MissingScope,
                $"This client's registration does not allow '{requiredScope}'. A state administrator can add it under API clients.");
        }
        if (!granted.Contains(requiredScope))
        {
            throw new ApiRefusedException(ApiRefusal.MissingScope, $"The token does not carry the '{requiredScope}' scope: ask the sign-on provider for it.");
        }
        return new ApiCaller(client.Id, clientId, granted);
    }

    private async Task<Snapshot> CurrentAsync(CancellationToken ct)
    {
        var now = _clock.GetUtcNow();
        var snapshot = _snapshot;
        if (snapshot is not null && now - snapshot.At < Lifetime && now >= snapshot.At)
        {
            return snapshot;
        }
        var generation = Interlocked.Read(ref _generation);
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var clients = await db.ApiClients.AsNoTracking().Where(c => c.RevokedAt == null)
            .Select(c => new { c.Id, c.ClientId, c.Scopes }).ToListAsync(ct);
        snapshot = new Snapshot(now, clients.ToFrozenDictionary(c => c.ClientId,
            c => new RegisteredClient(c.Id, ApiClientService.ParseScopes(c.Scopes).ToFrozenSet(StringComparer.Ordinal)), StringComparer.Ordinal));
        // A read that started before a Forget may hold the old register: it answers this call but is not kept.
        if (Interlocked.Read(ref _generation) == generation)
        {
            _snapshot = snapshot;
        }
        return snapshot;
    }

    public void Dispose() => _subscription.Dispose();

    private sealed record RegisteredClient(int Id, FrozenSet<string> Scopes);

    private sealed record Snapshot(DateTimeOffset At, FrozenDictionary<string, RegisteredClient> Clients);
}

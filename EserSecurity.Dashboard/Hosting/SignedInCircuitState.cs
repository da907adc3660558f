using System.Security.Claims;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Identity;
using EserSecurity.Core.Security;
using Microsoft.AspNetCore.Components.Authorization;

namespace EserSecurity.Dashboard.Hosting;

/// <summary>
/// The authentication state of one circuit (and of one prerendered request). It re-checks the signed-in account
/// through <see cref="SignOnLinks.CheckAsync"/> every <see cref="RecheckInterval"/> and at once on a published change
/// that concerns the person (<see cref="SignOnLinks.ConcernsSignedInPerson"/>). When the answer changes it publishes a
/// new authentication state: anonymous once the session has ended (signed out elsewhere, unlinked); the same principal
/// with a fresh state when the link or employment changed. The layout takes the new state as its cascading parameter
/// and resolves the person again, and sends a signed-out tab to the sign-in: <c>AuthorizeRouteView</c> alone would
/// not, since it checks only pages that carry <c>[Authorize]</c> and the console's pages rely on the fallback policy.
/// </summary>
public sealed class SignedInCircuitState(SignOnLinks links, IAccessChangeFeed feed, TimeProvider clock, ILogger<SignedInCircuitState> logger)
    : AuthenticationStateProvider, IHostEnvironmentAuthenticationStateProvider, IDisposable
{
    /// <summary>How often an open circuit re-checks its person even when no change arrives (changes made by another server).</summary>
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromMinutes(1);

    private static readonly AuthenticationState Anonymous = new(new ClaimsPrincipal(new ClaimsIdentity()));

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _lock = new();
    private Task<AuthenticationState> _state = Task.FromResult(Anonymous);
    private ClaimsPrincipal? _principal;
    private SignedInAccount? _account;
    private SignedInCheck _check = SignedInCheck.SignedOut;
    private ITimer? _timer;
    private IDisposable? _subscription;
    private bool _disposed;

    /// <summary>The last answer of the re-check.</summary>
    public SignedInCheck Current => _check;

    public override Task<AuthenticationState> GetAuthenticationStateAsync() => _state;

    /// <summary>Called by the host with the request's principal, once per circuit (and per prerendered request).</summary>
    public void SetAuthenticationState(Task<AuthenticationState> authenticationStateTask)
    {
        ArgumentNullException.ThrowIfNull(authenticationStateTask);
        _state = StartAsync(authenticationStateTask);
        NotifyAuthenticationStateChanged(_state);
    }

    private async Task<AuthenticationState> StartAsync(Task<AuthenticationState> hostState)
    {
        var state = await hostState;
        var account = SignedInPeople.AccountOf(state.User);
        if (account is null)
        {
            // Without the console's own claims there is nobody to re-check: such a principal gets no console.
            return state.User.Identity?.IsAuthenticated == true ? Anonymous : state;
        }
        await _gate.WaitAsync();
        try
        {
            _principal = state.User;
            _account = account;
            _check = await CheckAsync(account, _check);
        }
        finally
        {
            _gate.Release();
        }
        if (_check.Status == SignedInStatus.SignedOut)
        {
            return Anonymous;
        }
        lock (_lock)
        {
            if (!_disposed)
            {
                _subscription ??= feed.Subscribe(OnChangeAsync);
                _timer ??= clock.CreateTimer(_ => _ = RecheckAsync(), null, RecheckInterval, RecheckInterval);
            }
        }
        return state;
    }

    private Task OnChangeAsync(AccessChange change) =>
        SignOnLinks.ConcernsSignedInPerson(change, _check.Person?.StaffMemberId) ? RecheckAsync() : Task.CompletedTask;

    /// <summary>Re-checks the account now; publishes a new authentication state only when the answer changed.</summary>
    public async Task RecheckAsync()
    {
        if (_account is not { } account || _disposed)
        {
            return;
        }
        Task<AuthenticationState> published;
        await _gate.WaitAsync();
        try
        {
            var check = await CheckAsync(account, _check);
            if (check == _check || _disposed)
            {
                return;
            }
            _check = check;
            published = _state = Task.FromResult(check.Status == SignedInStatus.SignedOut ? Anonymous : new AuthenticationState(_principal!));
        }
        finally
        {
            _gate.Release();
        }
        if (_check.Status == SignedInStatus.SignedOut)
        {
            // A session never comes back: nothing more to watch.
            StopWatching();
        }
        NotifyAuthenticationStateChanged(published);
    }

    /// <summary>The re-check never throws: a refusal means signed out; any other failure keeps the last answer until the next try.</summary>
    private async Task<SignedInCheck> CheckAsync(SignedInAccount account, SignedInCheck last)
    {
        try
        {
            return await links.CheckAsync(account);
        }
        catch (ScopeDeniedException)
        {
            return SignedInCheck.SignedOut;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Re-checking a signed-in account failed; the circuit keeps its last answer until the next re-check");
            return last;
        }
    }

    private void StopWatching()
    {
        lock (_lock)
        {
            _timer?.Dispose();
            _timer = null;
            _subscription?.Dispose();
            _subscription = null;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
        }
        StopWatching();
    }
}

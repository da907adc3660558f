using EserSecurity.Core.Identity;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using EserSecurity.Dashboard.Hosting;
using Microsoft.AspNetCore.Components.Authorization;

namespace EserSecurity.Dashboard.Components.Shared;

/// <summary>
/// The signed-in person of this circuit, linked to their staff record by the account's issuer and subject. Holds
/// identity only: what the person may do is computed by Core from the database on every call. It resolves again
/// whenever the authentication state changes (the circuit's re-check publishes a new one).
/// </summary>
public sealed class CurrentUser(AuthenticationStateProvider authentication, SignedInPeople people, ScopeService scopes)
{
    private Task<AuthenticationState>? _resolvedFor;
    private SignedInCheck _check = SignedInCheck.SignedOut;
    private SignedInAccount? _account;

    /// <summary>The re-check of the signed-in account as of the current authentication state.</summary>
    public async Task<SignedInCheck> GetCheckAsync(CancellationToken ct = default)
    {
        var current = authentication.GetAuthenticationStateAsync();
        if (!ReferenceEquals(current, _resolvedFor))
        {
            var state = await current;
            _account = SignedInPeople.AccountOf(state.User);
            _check = await people.CheckAsync(state.User, ct);
            _resolvedFor = current;
        }
        return _check;
    }

    /// <summary>The account and session the cookie names; for the link request form.</summary>
    public async Task<SignedInAccount?> GetAccountAsync(CancellationToken ct = default)
    {
        await GetCheckAsync(ct);
        return _account;
    }

    public async Task<LinkedPerson?> GetPersonAsync(CancellationToken ct = default) => (await GetCheckAsync(ct)).Person;

    /// <summary>The caller to hand to Core services; throws when the account is not linked to an active staff record.</summary>
    public async Task<Caller> GetCallerAsync(CancellationToken ct = default) =>
        (await GetPersonAsync(ct))?.ToCaller()
        ?? throw scopes.Refuse(null, "Your sign-on account is not linked to a staff record yet.");

    public async Task<AccessScope?> GetScopeAsync(CancellationToken ct = default)
    {
        var person = await GetPersonAsync(ct);
        return person is null ? null : await scopes.GetScopeAsync(person.ToCaller(), ct);
    }
}

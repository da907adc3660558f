using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using EserSecurity.Dashboard.Hosting;
using Microsoft.AspNetCore.Components.Authorization;

namespace EserSecurity.Dashboard.Components.Shared;

/// <summary>
/// The signed-in person of this circuit, linked to their staff record by sign-on username. Holds identity only:
/// what the person may do is computed by Core from the database on every call.
/// </summary>
public sealed class CurrentUser(AuthenticationStateProvider authentication, SignedInPeople people, ScopeService scopes)
{
    private LinkedPerson? _person;
    private bool _resolved;

    public async Task<LinkedPerson?> GetPersonAsync(CancellationToken ct = default)
    {
        if (!_resolved)
        {
            var state = await authentication.GetAuthenticationStateAsync();
            _person = await people.ResolveAsync(state.User, ct);
            _resolved = true;
        }
        return _person;
    }

    /// <summary>The caller to hand to Core services; throws when the account is not linked to a staff record.</summary>
    public async Task<Caller> GetCallerAsync(CancellationToken ct = default) =>
        (await GetPersonAsync(ct))?.ToCaller()
        ?? throw new ScopeDeniedException("Your sign-on account is not linked to a staff record yet.");

    public async Task<AccessScope?> GetScopeAsync(CancellationToken ct = default)
    {
        var person = await GetPersonAsync(ct);
        return person is null ? null : await scopes.GetScopeAsync(person.ToCaller(), ct);
    }
}

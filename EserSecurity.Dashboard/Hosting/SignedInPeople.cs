using System.Security.Claims;
using EserSecurity.Core.Staff;
using Microsoft.Extensions.Options;

namespace EserSecurity.Dashboard.Hosting;

/// <summary>Links a signed-in principal to its staff record by the sign-on username claim; shared by the circuit and the HTTP endpoints.</summary>
public sealed class SignedInPeople(StaffDirectory directory, IOptions<SignOnOptions> signOn)
{
    public async Task<LinkedPerson?> ResolveAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return null;
        }
        var username = user.FindFirst(signOn.Value.UsernameClaim)?.Value ?? user.Identity.Name;
        if (username is not null && username.Contains('@'))
        {
            username = username[..username.IndexOf('@')];
        }
        return username is null ? null : await directory.FindLinkedPersonAsync(username, ct);
    }
}

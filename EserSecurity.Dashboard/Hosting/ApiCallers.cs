using System.Security.Claims;
using EserSecurity.Core.Provisioning;
using Microsoft.Extensions.Options;

namespace EserSecurity.Dashboard.Hosting;

/// <summary>
/// Turns a validated bearer token into Core's <see cref="ApiCaller"/>: the client its token names (never a display name)
/// and the scopes it carries, checked against the console's register.
/// </summary>
public sealed class ApiCallers(ApiClientRegistry registry, IOptions<AccessApiOptions> options)
{
    /// <summary>The calling client's id, from the first configured claim the token carries.</summary>
    public static string? ClientIdOf(ClaimsPrincipal user, AccessApiOptions settings) =>
        user.Identity?.IsAuthenticated != true ? null
        : settings.ClientIdClaimTypes.Select(type => user.FindFirst(type)?.Value).FirstOrDefault(v => !string.IsNullOrEmpty(v));

    /// <summary>
    /// The scopes a token carries: OAuth's space-separated <c>scope</c> (or Entra's <c>scp</c>), and Entra's application
    /// permissions, which arrive as <c>roles</c>.
    /// </summary>
    public static IEnumerable<string> ScopesOf(ClaimsPrincipal user) =>
        user.FindAll("scope").Concat(user.FindAll("scp")).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Concat(user.FindAll("roles").Select(c => c.Value));

    public Task<ApiCaller> AuthorizeAsync(HttpContext context, string scope) =>
        registry.AuthorizeAsync(ClientIdOf(context.User, options.Value), ScopesOf(context.User), scope, context.RequestAborted);
}

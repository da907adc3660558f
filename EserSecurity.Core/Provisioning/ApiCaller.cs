namespace EserSecurity.Core.Provisioning;

/// <summary>
/// A registered, active API client whose bearer token carried the scopes it is using. Made only by
/// <see cref="ApiClientRegistry.AuthorizeAsync"/>, from the token's client id checked against the console's own register.
/// </summary>
public sealed class ApiCaller
{
    internal ApiCaller(int apiClientId, string clientId, IReadOnlySet<string> scopes)
    {
        ApiClientId = apiClientId;
        ClientId = clientId;
        Scopes = scopes;
    }

    public int ApiClientId { get; }

    public string ClientId { get; }

    /// <summary>The scopes both the token carried and the registration allows.</summary>
    public IReadOnlySet<string> Scopes { get; }

    /// <exception cref="ApiRefusedException">The caller does not hold <paramref name="scope"/>.</exception>
    public void Demand(string scope)
    {
        if (!Scopes.Contains(scope))
        {
            throw new ApiRefusedException(ApiRefusal.MissingScope, $"This call needs the '{scope}' scope.");
        }
    }
}

/// <summary>Why an API call was refused.</summary>
public enum ApiRefusal
{
    /// <summary>The token's client is not registered, or was revoked.</summary>
    UnknownClient,

    /// <summary>The token or the registration lacks the scope the call needs.</summary>
    MissingScope,

    /// <summary>No such person (or cursor) to answer about.</summary>
    NotFound,

    /// <summary>The request itself is malformed (a cursor or limit out of range).</summary>
    BadRequest,
}

/// <summary>An API call is refused; the message is safe to send to the client.</summary>
public sealed class ApiRefusedException(ApiRefusal refusal, string message) : Exception(message)
{
    public ApiRefusal Refusal { get; } = refusal;
}

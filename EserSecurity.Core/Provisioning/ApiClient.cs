namespace EserSecurity.Core.Provisioning;

/// <summary>
/// An application that enforces access (eSER, EdLink) registered to call the access API: the client id its bearer tokens
/// carry, what it may read, and where its changes are pushed. Revoked, never deleted.
/// </summary>
public class ApiClient
{
    public const int ClientIdMaxLength = 200;
    public const int NameMaxLength = 100;
    public const int ScopesMaxLength = 200;
    public const int WebhookUrlMaxLength = 2000;
    public const int SecretMaxLength = 1000;
    public const int ErrorMaxLength = 500;

    public int Id { get; set; }

    /// <summary>The client's id at the sign-on provider, as its tokens name it (<c>client_id</c>, <c>azp</c> or <c>appid</c>).</summary>
    public required string ClientId { get; set; }

    public required string Name { get; set; }

    /// <summary>The scopes this client may use, separated by spaces (see <see cref="ApiScopes"/>).</summary>
    public required string Scopes { get; set; }

    public DateTimeOffset RegisteredAt { get; set; }

    public int? RegisteredById { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public int? RevokedById { get; set; }

    /// <summary>Where changes are pushed; null when the client only follows the feed itself.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>The key that signs pushed changes (HMAC-SHA-256), encrypted with the console's data-protection keys.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>The key before the last rotation, still signing beside the new one until <see cref="PreviousSecretUntil"/>.</summary>
    public string? PreviousWebhookSecret { get; set; }

    public DateTimeOffset? PreviousSecretUntil { get; set; }

    /// <summary>The cursor of the last change the receiver acknowledged.</summary>
    public long DeliveredThrough { get; set; }

    /// <summary>Failed attempts since the last success.</summary>
    public int FailedAttempts { get; set; }

    public DateTimeOffset? NextAttemptAt { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }

    public DateTimeOffset? LastDeliveredAt { get; set; }

    public string? LastError { get; set; }

    public Guid ConcurrencyToken { get; set; } = Guid.NewGuid();

    public bool IsActive => RevokedAt is null;
}

/// <summary>What an API client may do.</summary>
public static class ApiScopes
{
    /// <summary>Read a person's current access decision.</summary>
    public const string AccessRead = "access.read";

    /// <summary>Follow the change feed, and receive it by webhook.</summary>
    public const string ChangesRead = "changes.read";

    public static readonly IReadOnlyList<string> All = [AccessRead, ChangesRead];

    public static string Describe(string scope) => scope switch
    {
        AccessRead => "Read a person's access decision",
        ChangesRead => "Follow the change feed and receive webhooks",
        _ => scope,
    };
}

namespace EserSecurity.Core.Provisioning;

/// <summary>What a state administrator enters to register or change an API client.</summary>
/// <param name="WebhookUrl">Where changes are pushed, or empty for none; https, or http to this machine only.</param>
public sealed record ApiClientEdit(string? ClientId, string? Name, IReadOnlyCollection<string> Scopes, string? WebhookUrl);

/// <summary>A registration saved. <paramref name="NewWebhookSecret"/> is shown once, when a webhook key was made.</summary>
public sealed record ApiClientSaved(int Id, string? NewWebhookSecret);

/// <summary>One API client as the API clients page lists it, with its webhook's delivery state.</summary>
public sealed record ApiClientRow(
    int Id,
    string ClientId,
    string Name,
    IReadOnlyList<string> Scopes,
    DateTimeOffset RegisteredAt,
    DateTimeOffset? RevokedAt,
    string? WebhookUrl,
    WebhookState Webhook);

/// <summary>Where a client's webhook deliveries stand.</summary>
/// <param name="Waiting">Changes not yet acknowledged by the receiver.</param>
public sealed record WebhookState(
    WebhookHealth Health,
    long DeliveredThrough,
    long Waiting,
    int FailedAttempts,
    DateTimeOffset? LastDeliveredAt,
    DateTimeOffset? LastAttemptAt,
    DateTimeOffset? NextAttemptAt,
    string? LastError,
    DateTimeOffset? PreviousKeyValidUntil);

public enum WebhookHealth
{
    /// <summary>No webhook: the client follows the feed itself.</summary>
    None,

    /// <summary>Everything delivered.</summary>
    UpToDate,

    /// <summary>Changes waiting, no failure since the last success.</summary>
    Sending,

    /// <summary>The last attempt failed; the sender tries again at <see cref="WebhookState.NextAttemptAt"/>.</summary>
    Failing,

    /// <summary>The client was revoked; nothing more is sent.</summary>
    Stopped,
}

/// <summary>An API client cannot be registered or changed as asked; the message says why and is safe to show.</summary>
public sealed class ApiClientRefusedException(string message) : Exception(message);

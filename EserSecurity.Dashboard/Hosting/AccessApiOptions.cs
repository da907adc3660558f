namespace EserSecurity.Dashboard.Hosting;

/// <summary>The access API for the applications that enforce access (section <c>Api</c>).</summary>
public sealed class AccessApiOptions
{
    public const string SectionName = "Api";

    /// <summary>
    /// The audience every token must name: the console's API registration at the sign-on provider (for example
    /// <c>api://eser-security</c>). Without it the API is off.
    /// </summary>
    public string? Audience { get; set; }

    /// <summary>
    /// Who issues the clients' tokens; its discovery document names the issuer and the signing keys. Empty means the sign-in
    /// provider: <c>OpenIdConnect:Authority</c>, or Entra's <c>{AzureAd:Instance}{AzureAd:TenantId}/v2.0</c>.
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>Discovery over HTTPS only; turning it off is allowed in Development (tests against a loopback provider).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The claims that name the calling client when none are configured: RFC 9068's <c>client_id</c>, Entra's <c>azp</c> (v2) and <c>appid</c> (v1).</summary>
    public static readonly IReadOnlyList<string> DefaultClientIdClaims = ["client_id", "azp", "appid"];

    /// <summary>
    /// The claims that may name the calling client, first found wins; empty means <see cref="DefaultClientIdClaims"/>.
    /// The default is not the property's initial value because configuration binding appends to an array it finds:
    /// a state that configures only <c>azp</c> must get only <c>azp</c>.
    /// </summary>
    public string[] ClientIdClaims { get; set; } = [];

    /// <summary>The claims that are read, in order: the configured ones, else the defaults.</summary>
    public IReadOnlyList<string> ClientIdClaimTypes => ClientIdClaims.Length > 0 ? ClientIdClaims : DefaultClientIdClaims;

    /// <summary>How far a token's times may be off the console's clock.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Requests per second each client may make on average (a token bucket).</summary>
    public int RequestsPerSecond { get; set; } = 100;

    /// <summary>How many requests a client may make at once above the average.</summary>
    public int Burst { get; set; } = 200;

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Audience);
}

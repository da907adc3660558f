namespace EserSecurity.Dashboard.Hosting;

/// <summary>How long a console session lasts (section <c>SignIn</c>).</summary>
public sealed class SignInOptions
{
    public const string SectionName = "SignIn";

    /// <summary>A session nobody uses for this long ends; each request while it lasts extends it (sliding).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>A session ends this long after the sign-in, however busy it is.</summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(10);
}

/// <summary>A standard OpenID Connect provider, such as the state's sign-on (section <c>OpenIdConnect</c>).</summary>
public sealed class OpenIdConnectSignOnOptions
{
    public const string SectionName = "OpenIdConnect";

    /// <summary>The provider's address; its discovery document names the issuer every token must carry.</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    /// <summary>Given through the environment or a secret store, never in the repository; empty for a public client.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Scopes asked for besides <c>openid</c>; none configured means <c>profile</c> and <c>email</c>.</summary>
    public string[] Scopes { get; set; } = [];

    public IEnumerable<string> ScopesToAsk() =>
        (Scopes.Length > 0 ? Scopes : ["profile", "email"]).Where(s => !string.IsNullOrWhiteSpace(s) && s != "openid").Distinct();

    /// <summary>The claim that names the account at the issuer; together with the issuer it is what a staff record is linked to.</summary>
    public string SubjectClaim { get; set; } = "sub";

    /// <summary>Shown to the person; never used to find a staff record.</summary>
    public string DisplayNameClaim { get; set; } = "name";

    /// <summary>A claim the provider fills with the eScholar Staff ID, when the deployment trusts it; empty when there is none.</summary>
    public string? StaffIdClaim { get; set; }

    /// <summary>Whether an e-mail address the provider marks verified may link an account to the staff record with that e-mail.</summary>
    public bool TrustVerifiedEmail { get; set; }

    public string EmailClaim { get; set; } = "email";

    public string EmailVerifiedClaim { get; set; } = "email_verified";

    /// <summary>Discovery over HTTPS only; turning it off is allowed in Development (tests against a loopback provider).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}

/// <summary>The console's own settings for Microsoft Entra ID beside Microsoft.Identity.Web's (section <c>AzureAd</c>).</summary>
public sealed class AzureAdSignOnOptions
{
    public const string SectionName = "AzureAd";

    /// <summary>Microsoft.Identity.Web's tenant: a tenant id, or <c>organizations</c>/<c>common</c> with <see cref="AllowedTenants"/>.</summary>
    public string? TenantId { get; set; }

    /// <summary>The tenants (ids) whose accounts may sign in; empty means the one <see cref="TenantId"/> names.</summary>
    public string[] AllowedTenants { get; set; } = [];

    /// <summary>A claim carrying the eScholar Staff ID (for example an optional <c>employeeid</c> claim), when the deployment trusts it.</summary>
    public string? StaffIdClaim { get; set; }

    /// <summary>The tenants accepted: <see cref="AllowedTenants"/>, or the configured tenant id itself.</summary>
    public IReadOnlyList<string> AcceptedTenants() =>
        AllowedTenants.Length > 0 ? AllowedTenants : Guid.TryParse(TenantId, out _) ? [TenantId!] : [];
}

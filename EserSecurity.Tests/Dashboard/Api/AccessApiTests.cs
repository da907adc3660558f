using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EserSecurity.Core.KeyDates;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Provisioning;
using EserSecurity.Tests.Support;

namespace EserSecurity.Tests.Dashboard.Api;

/// <summary>The access API end to end: real bearer tokens from a real provider, the console's register and Core.</summary>
public sealed class AccessApiTests
{
    private const string ClientId = "eser-production";
    private const string Secret = "eser-client-secret";

    private sealed record Arranged(TestDatabase Database, TestState State, ApiHost Host) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            await Database.DisposeAsync();
        }
    }

    private static async Task<Arranged> ArrangeAsync(IReadOnlyList<string>? registeredScopes = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var host = await ApiHost.StartAsync(database, settings);
        await host.Provider.AddMachineClientAsync(new TestMachineClient(ClientId, Secret, [.. ApiScopes.All, "other.scope"], TestOpenIdProvider.ApiAudience));
        await database.Get<ApiClientService>().RegisterAsync(TestState.CallerFor(state.StateAdmin),
            new ApiClientEdit(ClientId, "eSER production", registeredScopes ?? ApiScopes.All, null));
        return new Arranged(database, state, host);
    }

    private static async Task<HttpClient> ClientAsync(Arranged a, params string[] scopes) =>
        a.Host.CreateClient(await a.Host.Provider.GetClientTokenAsync(ClientId, Secret, scopes.Length > 0 ? scopes : [.. ApiScopes.All]));

    [Fact]
    public async Task GetAccess_WithAValidToken_AnswersTheDecision_AsTheContractDescribes()
    {
        await using var a = await ArrangeAsync();
        await using (var db = await a.Database.OpenAsync())
        {
            db.KeyDates.Add(new KeyDate { Kind = KeyDateKind.GoLive, Title = "Go-live", On = new DateOnly(2026, 11, 1) });
            await db.SaveChangesAsync();
        }
        await GrantSetup.AddAsync(a.Database, a.State.UserA1, a.State.SchoolRole, a.State.LeaA, a.State.A1);
        await TestState.SignThisYearAsync(a.Database, a.State.UserA1);
        using var client = await ClientAsync(a);

        using var response = await client.GetAsync($"/api/v1/people/{a.State.UserA1.StaffId}/access");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Equal(a.State.UserA1.StaffId, root.GetProperty("staffId").GetString());
        Assert.True(root.GetProperty("admit").GetBoolean());
        Assert.Equal("Admit", root.GetProperty("decision").GetString());
        Assert.Equal("Signed", root.GetProperty("assurance").GetProperty("status").GetString());
        var grant = Assert.Single(root.GetProperty("grants").EnumerateArray());
        Assert.Equal("101001", grant.GetProperty("schoolCode").GetString());
        Assert.Equal("InForce", grant.GetProperty("iepFormsStanding").GetString());
        Assert.True(grant.TryGetProperty("grantedAt", out _));
        Assert.True(grant.TryGetProperty("endsOn", out _));
    }

    [Fact]
    public async Task GetAccess_UnknownStaffId_Is404_AndAMalformedOneIs400_AsProblemDetails()
    {
        await using var a = await ArrangeAsync();
        using var client = await ClientAsync(a);

        using var missing = await client.GetAsync("/api/v1/people/99999999/access");
        using var malformed = await client.GetAsync("/api/v1/people/abc/access");

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Contains("99999999", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }

    [Fact]
    public async Task Calls_WithoutAToken_WithAWrongAudience_OrAnExpiredToken_AreRefusedWith401()
    {
        await using var a = await ArrangeAsync();
        await a.Host.Provider.AddMachineClientAsync(new TestMachineClient("other-api-client", Secret, ApiScopes.All, "api://another-application"));
        await a.Host.Provider.AddMachineClientAsync(new TestMachineClient("expired-client", Secret, ApiScopes.All, TestOpenIdProvider.ApiAudience, Expired: true));
        var path = $"/api/v1/people/{a.State.UserA1.StaffId}/access";

        using var anonymous = a.Host.CreateClient();
        using var wrongAudience = a.Host.CreateClient(await a.Host.Provider.GetClientTokenAsync("other-api-client", Secret, ApiScopes.AccessRead));
        using var expired = a.Host.CreateClient(await a.Host.Provider.GetClientTokenAsync("expired-client", Secret, ApiScopes.AccessRead));
        using var forged = a.Host.CreateClient((await a.Host.Provider.GetClientTokenAsync(ClientId, Secret, ApiScopes.AccessRead))[..^4] + "AAAA");

        foreach (var client in new[] { anonymous, wrongAudience, expired, forged })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(a.State.UserA1.LastName, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Calls_WithoutTheScope_InTheTokenOrTheRegistration_AreRefusedWith403()
    {
        await using var a = await ArrangeAsync(registeredScopes: [ApiScopes.AccessRead]);
        using var feedOnlyToken = await ClientAsync(a, ApiScopes.ChangesRead);
        using var fullToken = await ClientAsync(a);

        using var missingInToken = await feedOnlyToken.GetAsync($"/api/v1/people/{a.State.UserA1.StaffId}/access");
        using var missingInRegistration = await fullToken.GetAsync("/api/v1/access/changes");

        Assert.Equal(HttpStatusCode.Forbidden, missingInToken.StatusCode);
        Assert.Contains("insufficient_scope", missingInToken.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains(ApiScopes.AccessRead, await missingInToken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, missingInRegistration.StatusCode);
        Assert.Contains("registration", await missingInRegistration.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnregisteredOrRevokedClient_IsRefused_EvenWithAValidToken()
    {
        await using var a = await ArrangeAsync();
        await a.Host.Provider.AddMachineClientAsync(new TestMachineClient("never-registered", Secret, ApiScopes.All, TestOpenIdProvider.ApiAudience));
        using var stranger = a.Host.CreateClient(await a.Host.Provider.GetClientTokenAsync("never-registered", Secret, ApiScopes.AccessRead));
        using var client = await ClientAsync(a);
        var path = $"/api/v1/people/{a.State.UserA1.StaffId}/access";
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path)).StatusCode);

        using var unregistered = await stranger.GetAsync(path);
        var registered = (await a.Database.Get<ApiClientService>().ListAsync(TestState.CallerFor(a.State.StateAdmin))).Single(c => c.ClientId == ClientId);
        await a.Database.Get<ApiClientService>().RevokeAsync(TestState.CallerFor(a.State.StateAdmin), registered.Id, "Replaced by a new registration.");
        using var revoked = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Forbidden, unregistered.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, revoked.StatusCode);
    }

    [Fact]
    public async Task TheConsolesSessionCookie_NeverAuthorizesAnApiCall_AndATokenNeverOpensTheConsole()
    {
        await using var a = await ArrangeAsync();
        using var signedIn = await a.Host.SignInAsync(a.State.StateAdmin.Username!);
        using var withToken = await ClientAsync(a);

        using var apiWithCookie = await signedIn.GetAsync($"/api/v1/people/{a.State.UserA1.StaffId}/access");
        using var consoleWithCookie = await signedIn.GetAsync(ApiHost.ConsolePagePath);
        using var consoleWithToken = await withToken.GetAsync(ApiHost.ConsolePagePath);

        Assert.Equal(HttpStatusCode.Unauthorized, apiWithCookie.StatusCode);
        Assert.Equal(HttpStatusCode.OK, consoleWithCookie.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, consoleWithToken.StatusCode);
        Assert.Contains("/account/sign-in", consoleWithToken.Headers.Location?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARevokeInTheConsole_IsVisibleThroughTheApiAtOnce_InTheDecisionAndTheFeed()
    {
        await using var a = await ArrangeAsync();
        var grant = await GrantSetup.AddAsync(a.Database, a.State.UserA1, a.State.SchoolRole, a.State.LeaA, a.State.A1);
        using var client = await ClientAsync(a);
        var latest = await client.GetFromJsonAsync<JsonElement>("/api/v1/access/changes/latest");
        var path = $"/api/v1/people/{a.State.UserA1.StaffId}/access";
        Assert.Single((await client.GetFromJsonAsync<JsonElement>(path)).GetProperty("grants").EnumerateArray());

        await a.Database.Get<GrantService>().EndAsync(TestState.CallerFor(a.State.DistrictA), grant.Id, "Revoked after an incident.");

        Assert.Empty((await client.GetFromJsonAsync<JsonElement>(path)).GetProperty("grants").EnumerateArray());
        var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/access/changes?after={latest.GetProperty("cursor").GetInt64()}");
        var change = Assert.Single(page.GetProperty("changes").EnumerateArray());
        Assert.Equal("Ended", change.GetProperty("kind").GetString());
        Assert.Equal("Manual", change.GetProperty("reason").GetString());
        Assert.Equal(grant.Id, change.GetProperty("grant").GetProperty("grantId").GetInt32());
        Assert.Equal(change.GetProperty("cursor").GetInt64(), page.GetProperty("next").GetInt64());
        Assert.False(page.GetProperty("hasMore").GetBoolean());
    }

    [Fact]
    public async Task Calls_AboveTheClientsRate_AreRefusedWith429()
    {
        await using var a = await ArrangeAsync(settings: new Dictionary<string, string?> { ["Api:RequestsPerSecond"] = "1", ["Api:Burst"] = "3" });
        using var client = await ClientAsync(a);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await client.GetAsync("/api/v1/access/changes/latest");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    [Fact]
    public async Task TheOpenApiDocument_DescribesEachEndpoint_ItsBearerScheme_AndNothingElse()
    {
        await using var a = await ArrangeAsync();
        using var anonymous = a.Host.CreateClient();

        using var response = await anonymous.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = json.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).Order().ToList();
        Assert.Equal(["/api/v1/access/changes", "/api/v1/access/changes/latest", "/api/v1/people/{staffId}/access"], paths);
        var access = json.RootElement.GetProperty("paths").GetProperty("/api/v1/people/{staffId}/access").GetProperty("get");
        Assert.Equal("GetPersonAccess", access.GetProperty("operationId").GetString());
        foreach (var status in new[] { "200", "401", "403", "404", "429" })
        {
            Assert.True(access.GetProperty("responses").TryGetProperty(status, out _), $"GET access documents {status}");
        }
        var changes = json.RootElement.GetProperty("paths").GetProperty("/api/v1/access/changes").GetProperty("get");
        Assert.Equal(["after", "limit"], changes.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).Order());
        var schemes = json.RootElement.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("Bearer").GetProperty("scheme").GetString());
        var decision = json.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("AccessDecision").GetProperty("properties");
        foreach (var property in new[] { "staffId", "admit", "decision", "readyForGoLive", "assurance", "grants" })
        {
            Assert.True(decision.TryGetProperty(property, out _), $"AccessDecision describes {property}");
        }
    }
}

using EserSecurity.Core.Provisioning;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.Provisioning;

public sealed class ApiClientServiceTests
{
    private static ApiClientEdit Edit(string clientId = "eser-production", string? webhook = null, params string[] scopes) =>
        new(clientId, "eSER production", scopes.Length > 0 ? scopes : ApiScopes.All, webhook);

    [Theory]
    [InlineData("", "Enter the client id")]
    [InlineData("has space", "without spaces")]
    public async Task Register_RefusesAMalformedClientId_WithWhatToDo(string clientId, string expected)
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);

        var refused = await Assert.ThrowsAsync<ApiClientRefusedException>(() =>
            database.Get<ApiClientService>().RegisterAsync(TestState.CallerFor(state.StateAdmin), Edit(clientId)));

        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_RefusesADuplicate_AnUnknownScope_APlainHttpWebhookElsewhere_AndAWebhookWithoutTheFeedScope()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var service = database.Get<ApiClientService>();
        var admin = TestState.CallerFor(state.StateAdmin);
        await service.RegisterAsync(admin, Edit());

        Assert.Contains("already registered", (await Assert.ThrowsAsync<ApiClientRefusedException>(() => service.RegisterAsync(admin, Edit()))).Message, StringComparison.Ordinal);
        Assert.Contains("not a scope", (await Assert.ThrowsAsync<ApiClientRefusedException>(() => service.RegisterAsync(admin, Edit("b", null, "admin.write")))).Message, StringComparison.Ordinal);
        Assert.Contains("https://", (await Assert.ThrowsAsync<ApiClientRefusedException>(() => service.RegisterAsync(admin, Edit("c", "http://receiver.example/hook")))).Message, StringComparison.Ordinal);
        Assert.Contains(ApiScopes.ChangesRead, (await Assert.ThrowsAsync<ApiClientRefusedException>(() =>
            service.RegisterAsync(admin, Edit("d", "https://receiver.example/hook", ApiScopes.AccessRead)))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebhookKey_IsShownOnce_StoredEncrypted_AndARotationKeepsThePreviousOneForADay()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var service = database.Get<ApiClientService>();
        var admin = TestState.CallerFor(state.StateAdmin);

        var saved = await service.RegisterAsync(admin, Edit(webhook: "https://receiver.example/hook"));
        var rotated = await service.RotateWebhookSecretAsync(admin, saved.Id);

        Assert.StartsWith("whsec_", saved.NewWebhookSecret, StringComparison.Ordinal);
        Assert.NotEqual(saved.NewWebhookSecret, rotated.NewWebhookSecret);
        await using var db = await database.OpenAsync();
        var stored = await db.ApiClients.AsNoTracking().SingleAsync(c => c.Id == saved.Id);
        Assert.DoesNotContain(rotated.NewWebhookSecret!, stored.WebhookSecret!, StringComparison.Ordinal);
        Assert.Equal(rotated.NewWebhookSecret, service.Protector().Unprotect(stored.WebhookSecret!));
        Assert.Equal(saved.NewWebhookSecret, service.Protector().Unprotect(stored.PreviousWebhookSecret!));
        Assert.Equal(database.Clock.GetUtcNow() + ApiClientService.PreviousKeyOverlap, stored.PreviousSecretUntil);
        var row = Assert.Single(await service.ListAsync(admin));
        Assert.Equal(stored.PreviousSecretUntil, row.Webhook.PreviousKeyValidUntil);
        Assert.Equal(WebhookHealth.UpToDate, row.Webhook.Health);
        var audited = await db.AuditEvents.Where(e => e.EntityType == nameof(ApiClient)).Select(e => e.Action + " " + e.After).ToListAsync();
        Assert.Equal(2, audited.Count);
        Assert.All(audited, a => Assert.DoesNotContain("whsec_", a, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Revoke_KeepsTheRegistration_AndTheRegistryRefusesTheClientAtOnce()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var service = database.Get<ApiClientService>();
        var registry = database.Get<ApiClientRegistry>();
        var admin = TestState.CallerFor(state.StateAdmin);
        var saved = await service.RegisterAsync(admin, Edit());
        var caller = await registry.AuthorizeAsync("eser-production", ApiScopes.All, ApiScopes.AccessRead);
        Assert.Equal("eser-production", caller.ClientId);

        await Assert.ThrowsAsync<ApiClientRefusedException>(() => service.RevokeAsync(admin, saved.Id, " "));
        await service.RevokeAsync(admin, saved.Id, "Replaced by a new registration.");

        var refused = await Assert.ThrowsAsync<ApiRefusedException>(() => registry.AuthorizeAsync("eser-production", ApiScopes.All, ApiScopes.AccessRead));
        Assert.Equal(ApiRefusal.UnknownClient, refused.Refusal);
        var row = Assert.Single(await service.ListAsync(admin));
        Assert.NotNull(row.RevokedAt);
        Assert.Contains("revoked", (await Assert.ThrowsAsync<ApiClientRefusedException>(() => service.RotateWebhookSecretAsync(admin, saved.Id))).Message, StringComparison.Ordinal);
        await using var db = await database.OpenAsync();
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == "ApiClient.Revoked" && e.EntityId == saved.Id.ToString()));
    }
}

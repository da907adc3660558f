using System.Net;
using Bunit;
using EserSecurity.Core.Provisioning;
using EserSecurity.Dashboard.Components.Pages.ApiClients;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace EserSecurity.Tests.Dashboard.Administration;

public sealed class ApiClientsPageTests
{
    private const string ChangesScope = "Follow the change feed and receive webhooks (changes.read)";

    private static async Task<ApiClientSaved> RegisterAsync(TestDatabase database, TestState state, string? webhook) =>
        await database.Get<ApiClientService>().RegisterAsync(TestState.CallerFor(state.StateAdmin),
            new ApiClientEdit("eser-production", "eSER production", ApiScopes.All, webhook));

    /// <summary>The page with the providers its dialogs need.</summary>
    private static (IRenderedComponent<MudDialogProvider> Dialogs, IRenderedComponent<ApiClientsPage> Page) RenderWithDialogs(BunitContext ctx)
    {
        ctx.Render<MudPopoverProvider>();
        return (ctx.Render<MudDialogProvider>(), ctx.Render<ApiClientsPage>());
    }

    private static string Row(IRenderedComponent<ApiClientsPage> page) => page.Find("[data-testid=api-clients]").TextContent;

    [Fact]
    public async Task Register_WithAWebhook_ShowsTheKeyOnce_ThatSignsForTheClient_AndListsTheClient()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        var (dialogs, page) = RenderWithDialogs(ctx);
        page.WaitForAssertion(() => Assert.Contains("No API client is registered yet.", Row(page)));

        await page.InvokeAsync(() => page.FindButton("Register a client").Click());
        dialogs.WaitForAssertion(() => dialogs.FindByLabel("Client id"));
        dialogs.FindByLabel("Client id").Change("eser-production");
        dialogs.FindByLabel("Name").Change("eSER production");
        Assert.True(dialogs.FindCheckbox("Read a person's access decision (access.read)").IsChecked);
        dialogs.FindCheckbox(ChangesScope).Change(true);
        dialogs.FindByLabel("Webhook address (optional)").Change("https://eser.example.org/hooks/access");
        await dialogs.InvokeAsync(() => dialogs.FindButton("Register client").Click());

        page.WaitForAssertion(() => Assert.Equal("eSER production is registered.", page.Find("[data-testid=api-clients-message]").TextContent.Trim()));
        var key = page.Find("[data-testid=webhook-key]").TextContent.Trim();
        await using (var db = await database.OpenAsync())
        {
            var client = await db.ApiClients.SingleAsync();
            var stored = ctx.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("EserSecurity.Provisioning.WebhookSecret.v1").Unprotect(client.WebhookSecret!);
            Assert.Equal(stored, key);
            Assert.DoesNotContain(key, client.WebhookSecret!);
            Assert.Equal(("eser-production", "access.read changes.read"), (client.ClientId, client.Scopes));
        }
        var row = Row(page);
        Assert.Contains("eser-production", row);
        Assert.Contains("https://eser.example.org/hooks/access", row);
        Assert.Contains("Up to date: nothing has changed since it was registered.", row);

        await page.InvokeAsync(() => page.FindButton("Copy the webhook key").Click());
        Assert.Equal(key, ctx.JSInterop.VerifyInvoke("navigator.clipboard.writeText").Arguments.Single());
        page.WaitForAssertion(() => Assert.Equal("Copied to the clipboard.", page.Find("[data-testid=webhook-key-copied]").TextContent.Trim()));

        await page.InvokeAsync(() => page.FindButton("Hide the key").Click());
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=new-webhook-key]")));
        Assert.DoesNotContain(key, page.Markup);
    }

    [Fact]
    public async Task AWebhookWithoutTheFeedScope_IsRefusedInTheDialog_WhichKeepsWhatWasTyped()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        var (dialogs, page) = RenderWithDialogs(ctx);
        page.WaitForAssertion(() => page.FindButton("Register a client"));

        await page.InvokeAsync(() => page.FindButton("Register a client").Click());
        dialogs.WaitForAssertion(() => dialogs.FindByLabel("Client id"));
        dialogs.FindByLabel("Client id").Change("edlink");
        dialogs.FindByLabel("Name").Change("EdLink");
        dialogs.FindByLabel("Webhook address (optional)").Change("https://edlink.example.org/hook");
        await dialogs.InvokeAsync(() => dialogs.FindButton("Register client").Click());

        dialogs.WaitForAssertion(() => Assert.Equal("A webhook pushes the change feed: also allow 'changes.read'.",
            dialogs.Find("[data-testid=api-client-error]").TextContent.Trim()));
        Assert.Equal("edlink", ((AngleSharp.Html.Dom.IHtmlInputElement)dialogs.FindByLabel("Client id")).Value);
        Assert.Equal("https://edlink.example.org/hook", ((AngleSharp.Html.Dom.IHtmlInputElement)dialogs.FindByLabel("Webhook address (optional)")).Value);
        await using var db = await database.OpenAsync();
        Assert.False(await db.ApiClients.AnyAsync());
    }

    [Fact]
    public async Task Deliveries_ShowLive_AFailureWithItsReasonAndNextTry_ThenUpToDate()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var state = await TestState.CreateAsync(database);
        await RegisterAsync(database, state, receiver.Url);
        await GrantSetup.AddAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1);
        await TestState.SignThisYearAsync(database, state.UserA1);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        var page = ctx.Render<ApiClientsPage>();
        page.WaitForAssertion(() => Assert.Contains("Sending: 2 changes waiting.", Row(page)));
        var sender = database.Get<WebhookSender>();

        receiver.Answer(HttpStatusCode.ServiceUnavailable);
        await sender.DeliverDueAsync();
        var nextTry = database.Clock.GetUtcNow().AddSeconds(10).UtcDateTime.ToString("MMM d, yyyy HH:mm:ss");
        page.WaitForAssertion(() => Assert.Contains($"Failing: 2 changes waiting after 1 failed attempt; next try {nextTry} UTC.", Row(page)));
        Assert.EndsWith("The receiver answered 503 Service Unavailable.", page.Find("[data-testid=webhook-error]").TextContent.Trim());

        database.Clock.Advance(TimeSpan.FromSeconds(10));
        await sender.DeliverDueAsync();
        var deliveredAt = database.Clock.GetUtcNow().UtcDateTime.ToString("MMM d, yyyy HH:mm:ss");
        page.WaitForAssertion(() => Assert.Contains($"Up to date: last delivery {deliveredAt} UTC.", Row(page)));
        Assert.Empty(page.FindAll("[data-testid=webhook-error]"));
    }

    [Fact]
    public async Task Rotate_AfterConfirming_ShowsTheNewKeyAndHowLongTheOldOneStillSigns()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var first = await RegisterAsync(database, state, "https://eser.example.org/hook");
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        var (dialogs, page) = RenderWithDialogs(ctx);
        page.WaitForAssertion(() => page.FindButton("Rotate key of eSER production"));

        await page.InvokeAsync(() => page.FindButton("Rotate key of eSER production").Click());
        dialogs.WaitForAssertion(() => Assert.Contains("The current key keeps signing beside it for 24 hours", dialogs.Markup));
        await dialogs.InvokeAsync(() => dialogs.FindButton("Rotate key").Click());

        page.WaitForAssertion(() => Assert.Equal("The webhook key of eSER production is rotated.", page.Find("[data-testid=api-clients-message]").TextContent.Trim()));
        var key = page.Find("[data-testid=webhook-key]").TextContent.Trim();
        Assert.StartsWith("whsec_", key);
        Assert.NotEqual(first.NewWebhookSecret, key);
        var until = database.Clock.GetUtcNow().AddHours(24).UtcDateTime.ToString("MMM d, yyyy HH:mm:ss");
        Assert.Contains($"The previous key also signs until {until} UTC.", Row(page));
    }

    [Fact]
    public async Task Revoke_AsksWhy_ThenTheClientStaysListedAsRevokedWithNothingMoreToDo()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await RegisterAsync(database, state, "https://eser.example.org/hook");
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        var (dialogs, page) = RenderWithDialogs(ctx);
        page.WaitForAssertion(() => page.FindButton("Revoke eSER production"));

        await page.InvokeAsync(() => page.FindButton("Revoke eSER production").Click());
        dialogs.WaitForAssertion(() => dialogs.FindByLabel("Why the client is revoked"));
        await dialogs.InvokeAsync(() => dialogs.FindButton("Revoke client").Click());
        dialogs.WaitForAssertion(() => Assert.Contains("Say why; it is kept in the record.", dialogs.Markup));
        dialogs.FindByLabel("Why the client is revoked").Input("Replaced by the new eSER tenant.");
        await dialogs.InvokeAsync(() => dialogs.FindButton("Revoke client").Click());

        page.WaitForAssertion(() => Assert.Equal("eSER production is revoked.", page.Find("[data-testid=api-clients-message]").TextContent.Trim()));
        Assert.Contains($"Revoked {database.Clock.GetUtcNow().UtcDateTime:MMM d, yyyy}", Row(page));
        Assert.Contains("Stopped: the client is revoked; nothing more is sent.", Row(page));
        Assert.Empty(page.FindButtons("Revoke eSER production"));
        Assert.Empty(page.FindButtons("Change eSER production"));
        await using var db = await database.OpenAsync();
        Assert.Contains("Replaced by the new eSER tenant.", (await db.AuditEvents.SingleAsync(e => e.Action == "ApiClient.Revoked")).After);
    }

    [Fact]
    public async Task AnotherAdministratorsRegistration_ShowsLive()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        var page = ctx.Render<ApiClientsPage>();
        page.WaitForAssertion(() => Assert.Contains("No API client is registered yet.", Row(page)));

        await RegisterAsync(database, state, null);

        page.WaitForAssertion(() => Assert.Contains("No webhook: the client follows the change feed itself.", Row(page)));
        Assert.Empty(page.FindAll("[data-testid=new-webhook-key]"));
    }

    [Fact]
    public async Task ACoordinator_IsRefusedThePage()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await RegisterAsync(database, state, null);
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        var page = ctx.Render<ApiClientsPage>();

        page.WaitForAssertion(() => Assert.StartsWith("Only a state administrator may", page.Find("[data-testid=api-clients-denied]").TextContent.Trim()));
        Assert.Empty(page.FindButtons("Register a client"));
        Assert.DoesNotContain("eser-production", page.Markup);
    }
}

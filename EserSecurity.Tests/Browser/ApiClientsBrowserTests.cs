using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using EserSecurity.Core.Data;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Staff;
using EserSecurity.DemoState;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EserSecurity.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class ApiClientsBrowserTests(ConsoleServer server)
{
    /// <summary>
    /// Two decision changes written straight into the console's database, as another instance would: a role granted to a
    /// person outside the demo cast and ended at once, so no page's figures move.
    /// </summary>
    private async Task GrantAndEndAsync()
    {
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>().CreateDbContextAsync();
        var person = await db.StaffMembers.Where(s => s.EmploymentStatus == EmploymentStatus.Active && s.SchoolSystemId != null && s.Username != null && !DemoPeople.All.Contains(s.Username!))
            .OrderBy(s => s.Id).FirstAsync();
        var role = await db.EserRoles.OrderBy(r => r.Id).FirstAsync();
        var grant = new AccessGrant
        {
            StaffMemberId = person.Id, EserRoleId = role.Id, SchoolSystemId = person.SchoolSystemId!.Value, Origin = GrantOrigin.Request, GrantedAt = DateTimeOffset.UtcNow,
        };
        db.AccessGrants.Add(grant);
        await db.SaveChangesAsync();
        grant.EndedAt = DateTimeOffset.UtcNow;
        grant.EndReason = GrantEndReason.Manual;
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task StateAdministrator_RegistersAWebhookClient_WatchesDeliveriesFailAndRecoverLive_RotatesAndRevokes_AndThePagePassesAxe()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var clientId = $"browser-{Guid.NewGuid():N}"[..20];
        var admin = await server.SignInAsync(DemoPeople.StateAdmin);
        await admin.GetByRole(AriaRole.Link, new() { Name = "API clients" }).ClickAsync();
        await Assertions.Expect(admin).ToHaveURLAsync(new Regex("/administration/api-clients$"));
        await ConsoleServer.WaitForCircuitAsync(admin);
        var clients = admin.GetByTestId("api-clients");
        await Assertions.Expect(clients).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(admin);

        await admin.GetByRole(AriaRole.Button, new() { Name = "Register a client" }).ClickAsync();
        var dialog = admin.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Client id").FillAsync(clientId);
        await dialog.GetByLabel("Name", new() { Exact = true }).FillAsync("eSER test tenant");
        await dialog.GetByLabel("Follow the change feed and receive webhooks (changes.read)").CheckAsync();
        await dialog.GetByLabel("Webhook address (optional)").FillAsync(receiver.Url);
        await Accessibility.AssertNoSeriousViolationsAsync(admin);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Register client" }).ClickAsync();
        await Assertions.Expect(admin.GetByTestId("api-clients-message")).ToHaveTextAsync("eSER test tenant is registered.");
        var key = (await admin.GetByTestId("webhook-key").TextContentAsync())!.Trim();
        var row = clients.GetByRole(AriaRole.Row).Filter(new() { HasText = clientId });
        await Assertions.Expect(row).ToContainTextAsync("Up to date: nothing has changed since it was registered.");
        await Accessibility.AssertNoSeriousViolationsAsync(admin);

        receiver.Answer(HttpStatusCode.InternalServerError);
        await GrantAndEndAsync();
        await Assertions.Expect(row).ToContainTextAsync("Failing: 2 changes waiting after 1 failed attempt", new() { Timeout = 15_000 });
        await Assertions.Expect(row).ToContainTextAsync("The receiver answered 500 Internal Server Error.");
        await Accessibility.AssertNoSeriousViolationsAsync(admin);
        await Assertions.Expect(row).ToContainTextAsync("Up to date: last delivery", new() { Timeout = 20_000 });
        var delivered = receiver.Received[^1];
        Assert.Equal(HttpStatusCode.OK, delivered.Status);
        Assert.Equal(2, delivered.Changes.Count);
        Assert.Equal("v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key),
            Encoding.UTF8.GetBytes(delivered.Timestamp + ".").Concat(delivered.Body).ToArray())), delivered.Signature);

        await row.GetByRole(AriaRole.Button, new() { Name = "Rotate key of eSER test tenant" }).ClickAsync();
        await admin.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Rotate key" }).ClickAsync();
        await Assertions.Expect(admin.GetByTestId("api-clients-message")).ToHaveTextAsync("The webhook key of eSER test tenant is rotated.");
        await Assertions.Expect(admin.GetByTestId("webhook-key")).Not.ToHaveTextAsync(key);
        await Assertions.Expect(row).ToContainTextAsync("The previous key also signs until");
        await Accessibility.AssertNoSeriousViolationsAsync(admin);
        await admin.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "api-clients.png"), FullPage = true });

        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke eSER test tenant" }).ClickAsync();
        dialog = admin.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Why the client is revoked").FillAsync("Registered by the browser test.");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Revoke client" }).ClickAsync();
        await Assertions.Expect(admin.GetByTestId("api-clients-message")).ToHaveTextAsync("eSER test tenant is revoked.");
        await Assertions.Expect(row).ToContainTextAsync("Stopped: the client is revoked; nothing more is sent.");
        await Assertions.Expect(row.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await Accessibility.AssertNoSeriousViolationsAsync(admin);
        await admin.Context.CloseAsync();
    }
}

using Bunit;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Documents;
using EserSecurity.Core.Grants;
using EserSecurity.Core.SchoolSystems;
using EserSecurity.Core.Security;
using EserSecurity.Dashboard.Components.Pages.Audit;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace EserSecurity.Tests.Dashboard.Audit;

public sealed class AuditLogPageTests
{
    [Fact]
    public async Task ShowSecurityEvents_ListsOnlyRefusalsAndDownloads_AndChoosingEveryEventBringsTheRestBack()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var grant = await GrantSetup.AddAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1);
        await database.Get<GrantService>().EndAsync(TestState.CallerFor(state.DistrictA), grant.Id, "Left the program.");
        await database.Get<DocumentService>().AuthorizedUserListCsvAsync(TestState.CallerFor(state.DistrictA), state.LeaA.Id);
        await Assert.ThrowsAsync<ScopeDeniedException>(() =>
            database.Get<DocumentService>().AuthorizedUserListCsvAsync(TestState.CallerFor(state.DistrictA), state.LeaB.Id));
        await database.Get<SecurityEvents>().WriteQueuedRefusalsAsync();
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        var popovers = ctx.Render<MudPopoverProvider>();
        var navigation = ctx.Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("audit?show=security");

        var page = ctx.Render<AuditLogPage>();

        page.WaitForAssertion(() => Assert.Equal([AuditAction.ScopeRefused, AuditAction.PersonalDataDownloaded], Actions(page)));
        Assert.Equal("Refusals and personal-data downloads", page.FindByLabel("Show").GetAttribute("value"));

        page.Find("[role=combobox][aria-label='Show']").Closest(".mud-input-control")!.MouseDown();
        popovers.WaitForAssertion(() => Assert.NotEmpty(popovers.FindAll("[role=listbox] [role=option]")));
        popovers.FindAll("[role=listbox] [role=option]").Single(o => o.TextContent.Trim() == "Every event").Click();

        page.WaitForAssertion(() => Assert.Equal("Every event", page.FindByLabel("Show").GetAttribute("value")));
        Assert.EndsWith("/audit", navigation.Uri);
        page.WaitForAssertion(() => Assert.Contains(Actions(page), a => !a.StartsWith(AuditAction.SecurityPrefix, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task StateAdministrator_VerifiesTheArchiveAndTheChain_AndAnAlteredEventIsNamed()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var grant = await GrantSetup.AddAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1);
        await database.Get<GrantService>().EndAsync(TestState.CallerFor(state.DistrictA), grant.Id, "Left the program.");
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        var page = ctx.Render<AuditLogPage>();

        page.WaitForAssertion(() => page.FindByRole("button", "Verify the archive and the chain").Click());

        page.WaitForAssertion(() => Assert.Matches(
            @"^The archive and the chain are intact: 0 archive batches, 0 archived and [1-9][\d,]* live events checked\.$",
            page.Find("[data-testid=verification]").TextContent.Trim()));

        await using (var db = await database.OpenAsync())
        {
            await db.AuditEvents.Where(e => e.Action == "AccessGrant.Ended").ExecuteUpdateAsync(u => u.SetProperty(e => e.ActorName, "Someone else"));
        }
        page.FindByRole("button", "Verify the archive and the chain").Click();

        page.WaitForAssertion(() => Assert.Contains("was altered after it was written", page.Find("[data-testid=verification]").TextContent));
        Assert.Contains("mud-alert-text-error", page.Find("[data-testid=verification]").ClassName);
    }

    [Fact]
    public async Task OpenedByALocalCoordinator_SaysWhoReadsIt_AndTheRefusalIsRecorded()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.LocalA.Username);

        var page = ctx.Render<AuditLogPage>();

        page.WaitForAssertion(() => Assert.StartsWith("The audit log is for state administrators, district security coordinators and supervisors.",
            page.Find(".mud-alert").TextContent.Trim()));
        Assert.Empty(page.FindAll("table"));
        Assert.Equal(1, await ctx.Services.GetRequiredService<SecurityEvents>().WriteQueuedRefusalsAsync());
        var refusal = Assert.Single((await database.Get<AuditSearch>().SearchAsync(TestState.CallerFor(state.StateAdmin), new AuditQuery(Kind: "Security"))).Items);
        Assert.Equal(state.LocalA.FullName, refusal.ActorName);
    }

    [Fact]
    public async Task DistrictCoordinator_SeesTheirSchoolSystemsEvents_TheFiltersChangeTheRowsAndTheExport_AndEachRecordLinks()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var admin = TestState.CallerFor(state.StateAdmin);
        await PolicySetup.UpdateAsync(database, state, admin, state.LeaA.Id, new SecurityPolicyChange(new DateOnly(2026, 8, 1), true, null));
        await PolicySetup.UpdateAsync(database, state, admin, state.LeaB.Id, new SecurityPolicyChange(new DateOnly(2026, 8, 1), true, null));
        database.Clock.Advance(TimeSpan.FromDays(1));
        var grant = await GrantSetup.AddAsync(database, state.UserA3, state.SchoolRole, state.LeaA, state.A3);
        await database.Get<GrantService>().EndAsync(TestState.CallerFor(state.DistrictA), grant.Id, "Left the program.");
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        var popovers = ctx.Render<MudPopoverProvider>();
        var navigation = ctx.Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("audit");

        var page = ctx.Render<AuditLogPage>();

        // Signing in linked the coordinator's account, a change in their school system too.
        page.WaitForAssertion(() => Assert.Equal(["SignOn.Linked", "AccessGrant.Ended", "SchoolSystem.SecurityPolicyUpdated"], Actions(page)));
        Assert.Empty(page.FindAll("button:contains('Verify the chain')"));
        Assert.Empty(page.FindAll("[aria-label='School system']"));
        Assert.Equal("documents/files/audit-log", page.Find("[data-testid=audit-csv]").GetAttribute("href"));
        Assert.Equal([$"people/{state.DistrictA.Id}", $"people/{state.UserA3.Id}"], page.FindAll("a[data-testid=audit-record]").Select(a => a.GetAttribute("href")));

        page.FindByLabel("Person").Input(state.UserA3.StaffId);
        // MudBlazor's search debounce runs on the injected clock, which this test holds: move it past the interval.
        database.Clock.Advance(TimeSpan.FromSeconds(1));
        popovers.WaitForAssertion(() => Assert.Single(popovers.FindAll(".mud-list-item")));
        popovers.Find(".mud-list-item").Click();

        page.WaitForAssertion(() => Assert.EndsWith($"/audit?person={state.UserA3.Id}", navigation.Uri));
        page.WaitForAssertion(() => Assert.Equal(["AccessGrant.Ended"], Actions(page)));
        Assert.Equal($"documents/files/audit-log?person={state.UserA3.Id}", page.Find("[data-testid=audit-csv]").GetAttribute("href"));

        await page.InvokeAsync(() => navigation.NavigateTo("audit?show=schoolsystem&to=2026-11-28&sort=oldest"));

        page.WaitForAssertion(() => Assert.Equal(["SchoolSystem.SecurityPolicyUpdated"], Actions(page)));
        Assert.Equal("documents/files/audit-log?show=schoolsystem&to=2026-11-28&sort=oldest", page.Find("[data-testid=audit-csv]").GetAttribute("href"));
        Assert.Equal("School system policies and duties", page.FindByLabel("Show").GetAttribute("value"));
        Assert.Empty(page.FindAll("a[data-testid=audit-record]"));

        await page.InvokeAsync(() => navigation.NavigateTo($"audit?lea={state.LeaB.Id}"));

        page.WaitForAssertion(() => Assert.Contains("outside the school systems whose audit log you read", page.Find("[data-testid=grid-denied]").TextContent));
        Assert.Empty(Actions(page));
    }

    private static List<string> Actions(IRenderedComponent<AuditLogPage> page) =>
        page.FindAll("tbody.mud-table-body tr").Where(r => r.Children.Length > 3).Select(r => r.Children[3].TextContent.Trim()).ToList();
}

using Bunit;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Documents;
using EserSecurity.Core.Grants;
using EserSecurity.Core.Security;
using EserSecurity.Dashboard.Components.Pages.Audit;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.Components;
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
    public async Task OpenedByACoordinator_SaysWhoReadsIt_AndTheRefusalIsRecorded()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);

        var page = ctx.Render<AuditLogPage>();

        page.WaitForAssertion(() => Assert.Equal("Only a state administrator may read the audit log.", page.Find(".mud-alert").TextContent.Trim()));
        Assert.Empty(page.FindAll("table"));
        Assert.Equal(1, await ctx.Services.GetRequiredService<SecurityEvents>().WriteQueuedRefusalsAsync());
        var refusal = Assert.Single((await database.Get<AuditLog>().ReadAsync(TestState.CallerFor(state.StateAdmin), null, 0, 10, AuditEventKind.Security)).Items);
        Assert.Equal(state.DistrictA.FullName, refusal.ActorName);
    }

    private static List<string> Actions(IRenderedComponent<AuditLogPage> page) =>
        page.FindAll("tbody.mud-table-body tr").Where(r => r.Children.Length > 3).Select(r => r.Children[3].TextContent.Trim()).ToList();
}

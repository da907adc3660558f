using Bunit;
using EserSecurity.Core.Roles;
using EserSecurity.Core.Tas;
using EserSecurity.Dashboard.Components.Pages.Roles;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace EserSecurity.Tests.Dashboard.Roles;

public sealed class RolesPageTests
{
    [Fact]
    public async Task AddRole_WithoutDescription_ShowsCoreMessage_KeepsWhatWasTyped_ThenSaves()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        ctx.Render<MudPopoverProvider>();
        var dialogs = ctx.Render<MudDialogProvider>();
        var page = ctx.Render<RolesPage>();
        page.WaitForAssertion(() => Assert.Contains("LEA Reports", page.Find("[data-testid=eser-roles]").TextContent));

        page.FindButton("Add role").Click();
        dialogs.WaitForAssertion(() => dialogs.FindByLabel("Name"));
        dialogs.FindByLabel("Name").Change("Transition Planner");
        dialogs.FindByLabel("Code").Change("transition-plan");
        dialogs.FindByLabel("Permissions").Change("View student records\nWrite transition plans");
        await dialogs.InvokeAsync(() => dialogs.FindButton("Save role").Click());

        dialogs.WaitForAssertion(() => Assert.Equal("The description is required.", dialogs.Find("[data-testid=role-error]").TextContent.Trim()));
        Assert.Equal("Transition Planner", dialogs.FindByLabel("Name").GetAttribute("value"));
        Assert.Equal("transition-plan", dialogs.FindByLabel("Code").GetAttribute("value"));

        dialogs.FindByLabel("Description").Change("Plans transitions for students with IEPs.");
        await dialogs.InvokeAsync(() => dialogs.FindButton("Save role").Click());

        page.WaitForAssertion(() => Assert.Contains("Transition Planner saved.", page.Find("[data-testid=roles-message]").TextContent));
        Assert.Contains("TRANSITION-PLAN", page.Find("[data-testid=eser-roles]").TextContent);
        await using var db = await database.OpenAsync();
        var role = await db.EserRoles.SingleAsync(r => r.Code == "TRANSITION-PLAN");
        Assert.Equal("View student records; Write transition plans", role.Permissions);
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == "EserRole.Created"));
    }

    [Fact]
    public async Task EditRole_ToAnotherRolesName_IsRefusedInTheDialog()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        ctx.Render<MudPopoverProvider>();
        var dialogs = ctx.Render<MudDialogProvider>();
        var page = ctx.Render<RolesPage>();
        page.WaitForAssertion(() => page.FindButton("Edit LEA Reports"));

        page.FindButton("Edit LEA Reports").Click();
        dialogs.WaitForAssertion(() => Assert.Equal("LEA Reports", dialogs.FindByLabel("Name").GetAttribute("value")));
        dialogs.FindByLabel("Name").Change("IEP Forms Writer");
        await dialogs.InvokeAsync(() => dialogs.FindButton("Save role").Click());

        dialogs.WaitForAssertion(() => Assert.Equal("Another role is already called IEP Forms Writer.", dialogs.Find("[data-testid=role-error]").TextContent.Trim()));
        Assert.Equal("IEP Forms Writer", dialogs.FindByLabel("Name").GetAttribute("value"));
    }

    [Fact]
    public async Task Remove_IsOfferedOnlyForUnusedRoles_AndTheServerRefusalSaysRetireInstead()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await TestState.AddPendingRequestAsync(database, state.UserA1, state.SchoolRole, state.LeaA, state.A1, database.Clock.GetUtcNow());
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        ctx.Render<MudPopoverProvider>();
        var dialogs = ctx.Render<MudDialogProvider>();
        var page = ctx.Render<RolesPage>();
        page.WaitForAssertion(() => page.FindButton("Remove LEA Reports"));
        Assert.Empty(page.FindButtons("Remove Student Data Entry"));
        page.FindButton("Retire Student Data Entry");

        // Someone requests the role after the page was drawn: the server refuses the removal.
        await TestState.AddPendingRequestAsync(database, state.DistrictA, state.LeaRole, state.LeaA, null, database.Clock.GetUtcNow());
        page.FindButton("Remove LEA Reports").Click();
        dialogs.WaitForAssertion(() => dialogs.FindButton("Remove"));
        await dialogs.InvokeAsync(() => dialogs.FindButton("Remove").Click());

        page.WaitForAssertion(() => Assert.Contains("retire it instead", page.Find("[data-testid=roles-message]").TextContent));
        Assert.Empty(page.FindButtons("Remove LEA Reports"));
        await using var db = await database.OpenAsync();
        Assert.True(await db.EserRoles.AnyAsync(r => r.Id == state.LeaRole.Id));
    }

    [Fact]
    public async Task RetireThenRestore_ShowsTheState()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        ctx.Render<MudPopoverProvider>();
        ctx.Render<MudDialogProvider>();
        var page = ctx.Render<RolesPage>();
        page.WaitForAssertion(() => page.FindButton("Retire LEA Reports"));

        await page.InvokeAsync(() => page.FindButton("Retire LEA Reports").Click());

        page.WaitForAssertion(() => page.FindButton("Restore LEA Reports"));
        Assert.Contains("LEA Reports retired", page.Find("[data-testid=roles-message]").TextContent);
        await using var db = await database.OpenAsync();
        Assert.True((await db.EserRoles.SingleAsync(r => r.Id == state.LeaRole.Id)).IsRetired);
    }

    [Fact]
    public async Task MapUnmappedTasRole_ChoosesRoleThenPermission_AndShowsTheMapping()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var tas = await LegacyAccessState.CreateAsync(database, state);
        await LegacyAccessState.AddAsync(database, state.UserA1, state.LeaA, state.A1, tas.Gifted);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        var popovers = ctx.Render<MudPopoverProvider>();
        var dialogs = ctx.Render<MudDialogProvider>();
        ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("roles?unmapped=true");
        var page = ctx.Render<RolesPage>();
        page.WaitForAssertion(() => Assert.Contains(LegacyAccessState.TasGifted, page.Find("[data-testid=tas-roles]").TextContent));
        Assert.DoesNotContain(LegacyAccessState.TasDataEntry, page.Find("[data-testid=tas-roles]").TextContent);
        Assert.Contains("Unmapped", page.Find("[data-testid=tas-roles]").TextContent);

        page.FindButton($"Map of {LegacyAccessState.TasGifted}").Click();
        dialogs.WaitForAssertion(() => Assert.Contains($"People who held {LegacyAccessState.TasGifted} in TAS are offered", dialogs.Find("[role=dialog]").TextContent));
        dialogs.ChooseOption(popovers, "eSER role", "Student Data Entry");
        dialogs.ChooseOption(popovers, "Permission", "View student records");
        await dialogs.InvokeAsync(() => dialogs.FindButton("Save mapping").Click());

        page.WaitForAssertion(() => Assert.Contains("now maps to Student Data Entry (View student records)", page.Find("[data-testid=tas-message]").TextContent));
        await using var db = await database.OpenAsync();
        var gifted = await db.TasRoles.SingleAsync(t => t.Id == tas.Gifted.Id);
        Assert.Equal(state.SchoolRole.Id, gifted.EserRoleId);
        Assert.Equal("View student records", gifted.EserPermission);
    }

    [Fact]
    public async Task DistrictCoordinator_IsToldOnlyStateAdministratorsEditTheCatalog()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);

        var page = ctx.Render<RolesPage>();

        page.WaitForAssertion(() => Assert.Contains("Only state administrators edit the role catalog", page.Markup));
        Assert.Empty(page.FindAll("[data-testid=eser-roles]"));
    }

    [Fact]
    public async Task AnImportsNewTasRole_AndAnotherAdministratorsRetirement_ShowWithoutAReload()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        ctx.Render<MudPopoverProvider>();
        ctx.Render<MudDialogProvider>();
        var page = ctx.Render<RolesPage>();
        page.WaitForAssertion(() => page.FindButton("Retire LEA Reports"));
        Assert.Contains("No TAS roles yet", page.Find("[data-testid=tas-roles]").TextContent);

        await database.Get<TasImportService>().CommitAsync(TestState.CallerFor(state.StateAdmin),
            new TasReportCsv().Row(state.UserA1, "101", "101001", "SER Behaviour Plans").ToStream());
        await database.Get<RoleCatalogService>().RetireRoleAsync(TestState.CallerFor(state.StateAdmin), state.LeaRole.Id);

        page.WaitForAssertion(() => page.FindButton("Map of SER Behaviour Plans"));
        page.WaitForAssertion(() => page.FindButton("Restore LEA Reports"));
    }
}

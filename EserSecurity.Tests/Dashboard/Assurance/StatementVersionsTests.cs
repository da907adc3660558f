using Bunit;
using EserSecurity.Core.Assurance;
using EserSecurity.Dashboard.Components.Pages.Assurance;
using EserSecurity.Tests.Core.Assurance;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace EserSecurity.Tests.Dashboard.Assurance;

public sealed class StatementVersionsTests
{
    private static async Task WriteAsync(IRenderedComponent<StatementEditor> editor, string title, string body, string acknowledgements)
    {
        await editor.InvokeAsync(() => editor.FindByLabel("Title").Input(title));
        await editor.InvokeAsync(() => editor.FindByLabel("Statement text").Input(body));
        await editor.InvokeAsync(() => editor.FindByLabel("Acknowledgements").Input(acknowledgements));
    }

    [Fact]
    public async Task Administrator_WritesADraft_WatchesThePreview_AndPublishesAfterConfirming()
    {
        var (database, state) = await AssuranceTestSupport.ArrangeAsync();
        await using var _ = database;
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        var dialogs = ctx.Render<MudDialogProvider>();
        var editor = ctx.Render<StatementEditor>(p => p.Add(e => e.Year, 2026));
        editor.WaitForAssertion(() => Assert.Equal("New 2026–27 statement version", editor.Find("h1").TextContent.Trim()));

        await WriteAsync(editor, "Assurance 2026–27", "# Duties\nI protect records.\n\n- Only for my duties.\n- Copies stay secure.",
            "I will protect records.\nI will report a breach.");

        var preview = editor.Find("[data-testid=statement-preview]");
        Assert.Equal("Assurance 2026–27", preview.QuerySelector("h3")!.TextContent.Trim());
        Assert.Equal("Duties", preview.QuerySelector("h4")!.TextContent.Trim());
        Assert.Equal(["Only for my duties.", "Copies stay secure.", "I will protect records.", "I will report a breach."],
            preview.QuerySelectorAll("li").Select(li => li.TextContent.Trim()));

        await editor.InvokeAsync(() => editor.FindButton("Save draft").Click());
        editor.WaitForAssertion(() => Assert.Contains("Draft saved", editor.Find("[data-testid=statement-notice]").TextContent));
        Assert.Equal("Version 1 of 2026–27 (draft)", editor.Find("h1").TextContent.Trim());

        await editor.InvokeAsync(() => editor.FindButton("Publish…").Click());
        dialogs.WaitForAssertion(() => Assert.Contains("can never change", dialogs.Find("[role=dialog]").TextContent));
        Assert.Contains("create a new version", dialogs.Find("[role=dialog]").TextContent);
        await dialogs.InvokeAsync(() => dialogs.FindButton("Publish").Click());

        editor.WaitForAssertion(() => Assert.Contains("is published", editor.Find("[data-testid=statement-notice]").TextContent));
        Assert.Contains("can never change", editor.Find("[data-testid=read-only]").TextContent);
        Assert.Empty(editor.FindAll("textarea"));
        await using var db = await database.OpenAsync();
        var version = await db.StatementVersions.SingleAsync();
        Assert.Equal((StatementStatus.Published, "Assurance 2026–27"), (version.Status, version.Title));
    }

    [Fact]
    public async Task CancellingTheConfirmation_LeavesTheDraftUnpublished()
    {
        var (database, state) = await AssuranceTestSupport.ArrangeAsync();
        await using var _ = database;
        var draft = await database.Get<StatementService>().CreateDraftAsync(TestState.CallerFor(state.StateAdmin), new SchoolYear(2026),
            AssuranceTestSupport.Content());
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        var dialogs = ctx.Render<MudDialogProvider>();
        var editor = ctx.Render<StatementEditor>(p => p.Add(e => e.Id, draft));
        editor.WaitForAssertion(() => Assert.Equal("Version 1 of 2026–27 (draft)", editor.Find("h1").TextContent.Trim()));

        await editor.InvokeAsync(() => editor.FindButton("Publish…").Click());
        dialogs.WaitForAssertion(() => Assert.Contains("Publish version 1 of 2026–27?", dialogs.Find("[role=dialog]").TextContent));
        await dialogs.InvokeAsync(() => dialogs.FindButton("Keep editing").Click());

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[role=dialog]")));
        Assert.Equal("Version 1 of 2026–27 (draft)", editor.Find("h1").TextContent.Trim());
        await using var db = await database.OpenAsync();
        Assert.Equal(StatementStatus.Draft, (await db.StatementVersions.SingleAsync()).Status);
    }

    [Fact]
    public async Task InvalidDraft_ShowsCoresMessageBesideTheForm_AndKeepsEverythingTyped()
    {
        var (database, state) = await AssuranceTestSupport.ArrangeAsync();
        await using var _ = database;
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        var editor = ctx.Render<StatementEditor>(p => p.Add(e => e.Year, 2026));
        editor.WaitForAssertion(() => Assert.Equal("New 2026–27 statement version", editor.Find("h1").TextContent.Trim()));

        await WriteAsync(editor, "Assurance 2026–27", "I protect records.", "");
        await editor.InvokeAsync(() => editor.FindButton("Save draft").Click());

        editor.WaitForAssertion(() => Assert.Contains("Add at least one acknowledgement", editor.Find("[data-testid=statement-error]").TextContent));
        Assert.Equal("Assurance 2026–27", editor.FindByLabel("Title").GetAttribute("value"));
        Assert.Equal("I protect records.", editor.FindByLabel("Statement text").TextContent);
        await using var db = await database.OpenAsync();
        Assert.False(await db.StatementVersions.AnyAsync());
    }

    [Fact]
    public async Task PublishedVersion_IsReadOnly_AndOffersACorrectionInstead()
    {
        var (database, state) = await AssuranceTestSupport.ArrangeAsync();
        await using var _ = database;
        var version = await AssuranceTestSupport.PublishAsync(database, state);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);

        var editor = ctx.Render<StatementEditor>(p => p.Add(e => e.Id, version));

        editor.WaitForAssertion(() => Assert.Contains("can never change", editor.Find("[data-testid=read-only]").TextContent));
        Assert.Equal("Version 1 of 2026–27", editor.Find("h1").TextContent.Trim());
        Assert.Empty(editor.FindAll("textarea"));
        Assert.Empty(editor.FindButtons("Save draft"));
        Assert.Equal("assurance/statements/new/2026", editor.FindAll("a").Single(a => a.TextContent.Contains("Start a correction")).GetAttribute("href"));
    }

    [Fact]
    public async Task VersionList_ShowsEachYearsVersionsWithStatusAndSignatures()
    {
        var (database, state) = await AssuranceTestSupport.ArrangeAsync();
        await using var _ = database;
        var first = await AssuranceTestSupport.PublishAsync(database, state);
        await AssuranceTestSupport.SignAsync(database, state.UserA1, first);
        var correction = await database.Get<StatementService>().CreateDraftAsync(TestState.CallerFor(state.StateAdmin), new SchoolYear(2026),
            AssuranceTestSupport.Content(body: AssuranceTestSupport.Body + "\nCorrected."));
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);

        var list = ctx.Render<StatementVersions>();

        list.WaitForAssertion(() => Assert.Equal(2, list.FindAll("[data-testid=statement-version]").Count));
        var rows = list.FindAll("[data-testid=statement-version]").Select(r => r.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList()).ToList();
        Assert.Equal(["2", AssuranceTestSupport.Title, "Draft", "—", "0", "Edit"], rows[0]);
        Assert.Equal(["1", "Current", "1", "View"], [rows[1][0], rows[1][2], rows[1][4], rows[1][5]]);
        Assert.Equal($"assurance/statements/{correction}", list.FindAll("a").Single(a => a.TextContent.Contains("Edit the 2026–27 draft")).GetAttribute("href"));
        Assert.Equal("assurance/statements/new/2027", list.FindAll("a").Single(a => a.TextContent.Contains("New 2027–28 version")).GetAttribute("href"));
    }

    [Fact]
    public async Task Coordinator_IsToldStatementsAreForStateAdministrators()
    {
        var (database, state) = await AssuranceTestSupport.ArrangeAsync();
        await using var _ = database;
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);

        var list = ctx.Render<StatementVersions>();

        list.WaitForAssertion(() => Assert.Contains("Only a state administrator", list.Find(".mud-alert").TextContent));
        Assert.Empty(list.FindAll("[data-testid=statement-version]"));
    }

    [Fact]
    public async Task NewVersion_StartsFromTheCurrentText_AndIsNumberedAfterIt()
    {
        var (database, state) = await AssuranceTestSupport.ArrangeAsync();
        await using var _ = database;
        await AssuranceTestSupport.PublishAsync(database, state);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        var dialogs = ctx.Render<MudDialogProvider>();

        var editor = ctx.Render<StatementEditor>(p => p.Add(e => e.Year, 2026));

        editor.WaitForAssertion(() => Assert.Equal("Started from the text of version 1 of 2026–27. Nothing is saved until you save the draft.",
            editor.Find("[data-testid=statement-notice]").TextContent.Trim()));
        Assert.Equal(AssuranceTestSupport.Title, editor.FindByLabel("Title").GetAttribute("value"));
        await editor.InvokeAsync(() => editor.FindButton("Publish…").Click());
        dialogs.WaitForAssertion(() => Assert.Contains("Publish version 2 of 2026–27?", dialogs.Find("[role=dialog]").TextContent));
    }

    [Fact]
    public async Task NewVersion_WhileTheYearHasADraft_OpensThatDraft()
    {
        var (database, state) = await AssuranceTestSupport.ArrangeAsync();
        await using var _ = database;
        var draft = await database.Get<StatementService>().CreateDraftAsync(TestState.CallerFor(state.StateAdmin), new SchoolYear(2026),
            AssuranceTestSupport.Content());
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);

        var editor = ctx.Render<StatementEditor>(p => p.Add(e => e.Year, 2026));

        var navigation = ctx.Services.GetRequiredService<NavigationManager>();
        editor.WaitForAssertion(() => Assert.EndsWith($"assurance/statements/{draft}", navigation.Uri));
    }
}

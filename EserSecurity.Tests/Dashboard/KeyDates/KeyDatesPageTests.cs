using Bunit;
using EserSecurity.Core.KeyDates;
using EserSecurity.Dashboard.Components.Pages.KeyDates;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace EserSecurity.Tests.Dashboard.KeyDates;

public sealed class KeyDatesPageTests
{
    [Fact]
    public async Task AddKeyDate_ShowsItInTheList()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        var popovers = ctx.Render<MudPopoverProvider>();
        var dialogs = ctx.Render<MudDialogProvider>();
        var page = ctx.Render<KeyDatesPage>();
        page.WaitForAssertion(() => page.FindButton("Add key date"));

        page.FindButton("Add key date").Click();
        dialogs.WaitForAssertion(() => dialogs.FindByLabel("Title"));
        dialogs.ChooseOption(popovers, "Kind", "Go-live");
        dialogs.FindByLabel("Title").Change("eSER go-live");
        dialogs.FindByLabel("Date").Change("2027-01-04");
        await dialogs.InvokeAsync(() => dialogs.FindButton("Save key date").Click());

        page.WaitForAssertion(() => Assert.Contains("eSER go-live added.", page.Find("[data-testid=key-dates-message]").TextContent));
        var table = page.Find("[data-testid=key-dates]").TextContent;
        Assert.Contains("Mon, Jan 4, 2027", table);
        Assert.Contains("Go-live", table);
        await using var db = await database.OpenAsync();
        Assert.Equal(new DateOnly(2027, 1, 4), (await db.KeyDates.SingleAsync()).On);
    }

    [Fact]
    public async Task WeeklySeries_WithoutStartTime_IsRefused_ThenAddsOneSessionAWeek()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        ctx.Render<MudPopoverProvider>();
        var dialogs = ctx.Render<MudDialogProvider>();
        var page = ctx.Render<KeyDatesPage>();
        page.WaitForAssertion(() => page.FindButton("Add weekly Q&A sessions"));

        page.FindButton("Add weekly Q&A sessions").Click();
        dialogs.WaitForAssertion(() => dialogs.FindByLabel("First session on"));
        dialogs.FindByLabel("First session on").Change("2026-12-01");
        dialogs.FindByLabel("Last session on or before").Change("2026-12-22");
        await dialogs.InvokeAsync(() => dialogs.FindButton("Add sessions").Click());

        dialogs.WaitForAssertion(() => Assert.Equal("A Q&A session needs its start time.", dialogs.Find("[data-testid=key-date-error]").TextContent.Trim()));
        await using (var db = await database.OpenAsync())
        {
            Assert.False(await db.KeyDates.AnyAsync());
        }

        dialogs.FindByLabel("Starts at").Change("15:00");
        dialogs.FindByLabel("Ends at").Change("16:00");
        await dialogs.InvokeAsync(() => dialogs.FindButton("Add sessions").Click());

        page.WaitForAssertion(() => Assert.Contains("4 weekly sessions added.", page.Find("[data-testid=key-dates-message]").TextContent));
        Assert.Equal(4, page.FindAll("[data-testid=key-dates] tbody tr").Count);
        Assert.Contains("3:00 PM – 4:00 PM", page.Find("[data-testid=key-dates]").TextContent);
        await using var check = await database.OpenAsync();
        Assert.Equal(
            [new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 8), new DateOnly(2026, 12, 15), new DateOnly(2026, 12, 22)],
            await check.KeyDates.OrderBy(k => k.On).Select(k => k.On).ToListAsync());
    }

    [Fact]
    public async Task Coordinator_SeesTheListReadOnly()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await database.Get<KeyDateService>().CreateAsync(TestState.CallerFor(state.StateAdmin),
            new KeyDateEdit(KeyDateKind.DocumentRelease, "Gaining Access A–Z released", new DateOnly(2026, 12, 2)));
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);

        var page = ctx.Render<KeyDatesPage>();

        page.WaitForAssertion(() => Assert.Contains("Gaining Access A–Z released", page.Find("[data-testid=key-dates]").TextContent));
        Assert.Empty(page.FindButtons("Add key date"));
        Assert.DoesNotContain("Remove", page.Find("[data-testid=key-dates]").TextContent);
    }
}

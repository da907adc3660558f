using System.Text.RegularExpressions;
using Bunit;
using EserSecurity.Core.KeyDates;
using EserSecurity.Dashboard.Components.Pages.Home;
using EserSecurity.Tests.Support;

namespace EserSecurity.Tests.Dashboard.Home;

public sealed class UpcomingKeyDatesTests
{
    [Fact]
    public async Task ShowsTheNextDatesButNotPastOnes_AndANewDateAppearsLive()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var keyDates = database.Get<KeyDateService>();
        var admin = TestState.CallerFor(state.StateAdmin);
        await keyDates.CreateAsync(admin, new KeyDateEdit(KeyDateKind.GoLive, "Go-live", new DateOnly(2027, 1, 4)));
        await keyDates.CreateAsync(admin, new KeyDateEdit(KeyDateKind.QaSession, "Past Q&A", new DateOnly(2026, 11, 23), new TimeOnly(14, 0)));
        await keyDates.CreateAsync(admin, new KeyDateEdit(KeyDateKind.QaSession, "Weekly Q&A", new DateOnly(2026, 11, 30), new TimeOnly(14, 0)));
        await using var ctx = DashboardContext.Create(database, state.UserA1.Username);

        var upcoming = ctx.Render<UpcomingKeyDates>();

        upcoming.WaitForAssertion(() => Assert.Contains("Mon, Nov 30, 2:00 PM — Weekly Q&A",
            Regex.Replace(upcoming.Find("[data-testid=upcoming-key-dates]").TextContent, @"\s+", " ")));
        Assert.DoesNotContain("Past Q&A", upcoming.Markup);

        await keyDates.CreateAsync(admin, new KeyDateEdit(KeyDateKind.DocumentRelease, "Gaining Access A–Z released", new DateOnly(2026, 12, 2)));

        upcoming.WaitForAssertion(() => Assert.Contains("Gaining Access A–Z released", upcoming.Find("[data-testid=upcoming-key-dates]").TextContent));
    }
}

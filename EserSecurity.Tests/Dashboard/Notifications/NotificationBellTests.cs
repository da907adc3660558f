using Bunit;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Notifications;
using EserSecurity.Dashboard.Components.Layout;
using EserSecurity.Dashboard.Components.Pages.Notifications;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace EserSecurity.Tests.Dashboard.Notifications;

public sealed class NotificationBellTests
{
    private static Task<int> SubmitAsync(TestDatabase database, TestState state) =>
        database.Get<AccessRequestService>().SubmitAsync(TestState.CallerFor(state.UserA1), new NewAccessRequest(state.SchoolRole.Id, state.A1.Id, "I enter evaluations."));

    private static string BellName(IRenderedComponent<NotificationBell> bell) =>
        bell.Find("[data-testid=notification-bell] button").GetAttribute("aria-label")!;

    [Fact]
    public async Task TheBell_CountsUpLive_ListsTheNotice_AndOpeningItMarksItReadAndGoesToItsPage()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        var popovers = ctx.Render<MudPopoverProvider>();
        var bell = ctx.Render<NotificationBell>(p => p.Add(b => b.StaffMemberId, state.DistrictA.Id));
        bell.WaitForAssertion(() => Assert.Equal("Notifications, none unread", BellName(bell)));

        await SubmitAsync(database, state);

        bell.WaitForAssertion(() => Assert.Equal("Notifications, 1 unread", BellName(bell)));
        await bell.InvokeAsync(() => bell.Find("[data-testid=notification-bell] button").Click());
        var title = $"{state.UserA1.FullName} asks for Student Data Entry at {state.A1.Name}";
        popovers.WaitForAssertion(() => Assert.Contains(title, popovers.Markup));
        await popovers.InvokeAsync(() => popovers.FindAll(".mud-menu-item").First(i => i.TextContent.Contains(title, StringComparison.Ordinal)).Click());

        bell.WaitForAssertion(() => Assert.Equal("Notifications, none unread", BellName(bell)));
        Assert.EndsWith($"/queue?search={state.UserA1.StaffId}", ctx.Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public async Task AnotherPersonsNotice_DoesNotMoveTheBell()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.DistrictB.Username);
        var bell = ctx.Render<NotificationBell>(p => p.Add(b => b.StaffMemberId, state.DistrictB.Id));
        bell.WaitForAssertion(() => Assert.Equal("Notifications, none unread", BellName(bell)));

        await SubmitAsync(database, state);
        await using (var db = await database.OpenAsync())
        {
            Assert.Equal(2, await db.Notifications.CountAsync());
        }

        Assert.Equal("Notifications, none unread", BellName(bell));
    }

    [Fact]
    public async Task ThePage_ListsTheNotices_MarksOneRead_AndSavesAnEmailChoice()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await SubmitAsync(database, state);
        await using var ctx = DashboardContext.Create(database, state.DistrictA.Username);
        var popovers = ctx.Render<MudPopoverProvider>();
        var page = ctx.Render<NotificationsPage>();
        var title = $"{state.UserA1.FullName} asks for Student Data Entry at {state.A1.Name}";
        page.WaitForAssertion(() => Assert.Contains(title, page.Find("table").TextContent));
        Assert.Contains("Not e-mailed: this console sends no e-mail", page.Find("table").TextContent);

        await page.InvokeAsync(() => page.FindButton($"Mark read: {title}").Click());
        page.WaitForAssertion(() => Assert.Empty(page.FindButtons($"Mark read: {title}")));
        Assert.Equal(0, await database.Get<NotificationService>().CountUnreadAsync(TestState.CallerFor(state.DistrictA)));

        page.ChooseOption(popovers, "A request waits for your decision", "In one daily digest");
        page.WaitForAssertion(() => Assert.Equal("Saved: \"A request waits for your decision\" — in your daily digest.",
            page.Find("[data-testid=notification-choices-message]").TextContent.Trim()));
        var choices = await database.Get<NotificationService>().GetChoicesAsync(TestState.CallerFor(state.DistrictA));
        Assert.Equal(NotificationDelivery.DailyDigest, choices.Single(c => c.Kind == NotificationKind.RequestWaiting).Delivery);
    }

    [Fact]
    public async Task AKindTheStateMakesMandatory_OffersNoNoEmail_AndSaysItIsRequired()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.UserA1.Username);
        var popovers = ctx.Render<MudPopoverProvider>();
        var choices = ctx.Render<NotificationChoices>();
        const string Assurance = "Your confidentiality assurance is ready, due in a week, or overdue";
        choices.WaitForAssertion(() => Assert.NotEmpty(choices.FindAll($"[role=combobox][aria-label='{Assurance}']")));

        Assert.Equal("Required by the state", HelperText(choices, Assurance));
        Assert.Equal("", HelperText(choices, "Your request was decided"));
        Assert.Equal(["E-mail at once", "In one daily digest"], Options(choices, popovers, Assurance));
        choices.ChooseOption(popovers, Assurance, "In one daily digest");
        choices.WaitForAssertion(() => Assert.Equal($"Saved: \"{Assurance}\" — in your daily digest.",
            choices.Find("[data-testid=notification-choices-message]").TextContent.Trim()));
    }

    /// <summary>The helper line under the select named <paramref name="label"/>.</summary>
    private static string HelperText(IRenderedComponent<NotificationChoices> choices, string label) =>
        choices.Find($"[role=combobox][aria-label='{label}']").Closest(".mud-input-control")!
            .QuerySelector(".mud-input-helper-text")?.TextContent.Trim() ?? "";

    /// <summary>Opens the select named <paramref name="label"/> and reads its options, then closes it again.</summary>
    private static List<string> Options(IRenderedComponent<NotificationChoices> choices, IRenderedComponent<MudPopoverProvider> popovers, string label)
    {
        choices.Find($"[role=combobox][aria-label='{label}']").Closest(".mud-input-control")!.MouseDown();
        popovers.WaitForAssertion(() => Assert.NotEmpty(popovers.FindAll("[role=listbox] [role=option]")));
        var options = popovers.FindAll("[role=listbox] [role=option]").Select(o => o.TextContent.Trim()).ToList();
        choices.Find($"[role=combobox][aria-label='{label}']").Closest(".mud-input-control")!.MouseDown();
        popovers.WaitForAssertion(() => Assert.Empty(popovers.FindAll("[role=listbox] [role=option]")));
        return options;
    }
}

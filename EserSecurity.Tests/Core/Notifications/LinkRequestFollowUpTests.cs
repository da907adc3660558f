using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Identity;
using EserSecurity.Core.Notifications;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.Notifications;

/// <summary>A link request that waits too long reminds its district coordinators, then escalates to the state (stale age 14 days, escalation 5).</summary>
public sealed class LinkRequestFollowUpTests
{
    private static async Task<List<(int Recipient, NotificationKind Kind, string Title, string? Link)>> FollowUpsAsync(TestDatabase database)
    {
        await using var db = await database.OpenAsync();
        return (await db.Notifications.AsNoTracking().Where(n => n.Kind == NotificationKind.WaitingReminder || n.Kind == NotificationKind.Escalation)
            .OrderBy(n => n.Id).ToListAsync()).Select(n => (n.RecipientId, n.Kind, n.Title, n.Link)).ToList();
    }

    private static async Task<(WaitingFollowUp, DateTimeOffset?)> StateOfAsync(TestDatabase database, int linkRequestId)
    {
        await using var db = await database.OpenAsync();
        return await db.LinkRequests.Where(r => r.Id == linkRequestId)
            .Select(r => new ValueTuple<WaitingFollowUp, DateTimeOffset?>(r.FollowUp, r.FollowedUpAt)).SingleAsync();
    }

    [Fact]
    public async Task AWaitingLinkRequest_RemindsTheDistrictCoordinatorsAfterTheStaleAge_ThenEscalatesToTheStateAdministrators_EachOnce()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var id = await LinkSetup.FileAsync(database, "new.alpha", state.LeaA, "12345678");
        var followUp = database.Get<LinkRequestFollowUp>();
        var filed = database.Clock.GetUtcNow();
        var what = $"new.alpha's request to link their sign-in to Staff ID 12345678 in {state.LeaA.Name}";

        database.Clock.SetUtcNow(filed.AddDays(14));
        Assert.Equal(0, await followUp.RunAsync());
        database.Clock.SetUtcNow(filed.AddDays(14).AddMinutes(15));
        Assert.Equal(1, await followUp.RunAsync());
        Assert.Equal(0, await followUp.RunAsync());
        var reminded = await StateOfAsync(database, id);
        database.Clock.SetUtcNow(filed.AddDays(19).AddMinutes(-1));
        Assert.Equal(0, await followUp.RunAsync());
        database.Clock.SetUtcNow(filed.AddDays(19));
        Assert.Equal(1, await followUp.RunAsync());
        database.Clock.SetUtcNow(filed.AddDays(40));
        Assert.Equal(0, await followUp.RunAsync());

        Assert.Equal((WaitingFollowUp.Reminded, filed.AddDays(14).AddMinutes(15)), reminded);
        Assert.Equal((WaitingFollowUp.EscalatedToState, filed.AddDays(19)), await StateOfAsync(database, id));
        Assert.Equal(
        [
            (state.DistrictA.Id, NotificationKind.WaitingReminder, $"{what} has waited 14 days for you", "link-requests"),
            (state.StateAdmin.Id, NotificationKind.Escalation, $"Escalated to the state: {what} has waited 19 days for a decision", "link-requests"),
        ], await FollowUpsAsync(database));
        var row = (await database.Get<LinkRequestService>().ReadPendingAsync(TestState.CallerFor(state.DistrictA), 0, 25)).Items.Single(r => r.Id == id);
        Assert.Equal((WaitingFollowUp.EscalatedToState, filed.AddDays(19)), (row.FollowUp, row.FollowedUpAt));
    }

    [Fact]
    public async Task ASchoolSystemWithoutDistrictCoordinators_RemindsTheStateAdministrators()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using (var db = await database.OpenAsync())
        {
            await db.CoordinatorAssignments.Where(a => a.StaffMemberId == state.DistrictB.Id).ExecuteDeleteAsync();
        }
        await LinkSetup.FileAsync(database, "new.bravo", state.LeaB, "87654321");
        database.Clock.Advance(TimeSpan.FromDays(15));

        await database.Get<LinkRequestFollowUp>().RunAsync();

        Assert.Equal([(state.StateAdmin.Id, NotificationKind.WaitingReminder)], (await FollowUpsAsync(database)).Select(n => (n.Recipient, n.Kind)));
    }

    [Fact]
    public async Task AConfirmedOrRefusedLinkRequest_IsNotFollowedUp()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var links = database.Get<LinkRequestService>();
        var refused = await LinkSetup.FileAsync(database, "new.refused", state.LeaA, "12345678");
        var confirmed = await LinkSetup.FileAsync(database, "new.confirmed", state.LeaA, state.UserA3.StaffId);
        var waiting = await LinkSetup.FileAsync(database, "new.waiting", state.LeaA, "87654321");
        database.Clock.Advance(TimeSpan.FromDays(10));
        await links.RefuseAsync(TestState.CallerFor(state.DistrictA), refused, "No one with this Staff ID works in our school system.");
        await links.ConfirmAsync(TestState.CallerFor(state.DistrictA), confirmed);
        database.Clock.Advance(TimeSpan.FromDays(30));

        Assert.Equal(1, await database.Get<LinkRequestFollowUp>().RunAsync());

        Assert.Equal((WaitingFollowUp.None, (DateTimeOffset?)null), await StateOfAsync(database, refused));
        Assert.Equal((WaitingFollowUp.None, (DateTimeOffset?)null), await StateOfAsync(database, confirmed));
        Assert.Equal(WaitingFollowUp.EscalatedToState, (await StateOfAsync(database, waiting)).Item1);
        Assert.All(await FollowUpsAsync(database), n => Assert.Contains("Staff ID 87654321", n.Title, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AConsoleThatWasStopped_SendsTheReminderThenTheEscalation_InOrder_Once_EvenWithTwoRunsAtOnce()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var id = await LinkSetup.FileAsync(database, "new.alpha", state.LeaA, "12345678");
        database.Clock.Advance(TimeSpan.FromDays(30));

        var runs = await Task.WhenAll(database.Get<LinkRequestFollowUp>().RunAsync(), database.Get<LinkRequestFollowUp>().RunAsync());

        Assert.Equal(1, runs.Sum());
        Assert.Equal(
            [(state.DistrictA.Id, NotificationKind.WaitingReminder), (state.StateAdmin.Id, NotificationKind.Escalation)],
            (await FollowUpsAsync(database)).Select(n => (n.Recipient, n.Kind)));
        Assert.Equal(WaitingFollowUp.EscalatedToState, (await StateOfAsync(database, id)).Item1);
    }

    [Fact]
    public void TheDueLevel_GoesFromTheReminderStraightToTheState()
    {
        var filed = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

        Assert.Equal(WaitingFollowUp.None, LinkRequestFollowUp.DueAt(filed, filed.AddDays(14), 14, 5));
        Assert.Equal(WaitingFollowUp.Reminded, LinkRequestFollowUp.DueAt(filed, filed.AddDays(14).AddTicks(1), 14, 5));
        Assert.Equal(WaitingFollowUp.Reminded, LinkRequestFollowUp.DueAt(filed, filed.AddDays(19).AddTicks(-1), 14, 5));
        Assert.Equal(WaitingFollowUp.EscalatedToState, LinkRequestFollowUp.DueAt(filed, filed.AddDays(19), 14, 5));
        Assert.Equal(WaitingFollowUp.EscalatedToState, LinkRequestFollowUp.DueAt(filed, filed.AddDays(40), 14, 5));
    }
}

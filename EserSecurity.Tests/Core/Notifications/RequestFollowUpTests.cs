using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Notifications;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.Notifications;

/// <summary>A request that waits too long reminds, then escalates to the district coordinators, then to the state (stale age 14 days, escalation 5).</summary>
public sealed class RequestFollowUpTests
{
    private static async Task<List<(int Recipient, NotificationKind Kind, string Title)>> FollowUpsAsync(TestDatabase database)
    {
        await using var db = await database.OpenAsync();
        return (await db.Notifications.AsNoTracking().Where(n => n.Kind == NotificationKind.WaitingReminder || n.Kind == NotificationKind.Escalation)
            .OrderBy(n => n.Id).ToListAsync()).Select(n => (n.RecipientId, n.Kind, n.Title)).ToList();
    }

    private static async Task<(WaitingFollowUp, DateTimeOffset?)> StateOfAsync(TestDatabase database, int requestId)
    {
        await using var db = await database.OpenAsync();
        return await db.AccessRequests.Where(r => r.Id == requestId).Select(r => new ValueTuple<WaitingFollowUp, DateTimeOffset?>(r.FollowUp, r.FollowedUpAt)).SingleAsync();
    }

    private static Task<int> SubmitAsync(TestDatabase database, TestState state, int roleId, bool atSchool = true) =>
        database.Get<AccessRequestService>().SubmitAsync(TestState.CallerFor(state.UserA1),
            new NewAccessRequest(roleId, atSchool ? state.A1.Id : null, "I enter evaluations."));

    [Fact]
    public async Task AWaitingRequest_RemindsAfterTheStaleAge_ThenEscalatesToTheDistrict_ThenToTheState_EachOnce()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var id = await SubmitAsync(database, state, state.SchoolRole.Id);
        var followUp = database.Get<RequestFollowUp>();
        var submitted = database.Clock.GetUtcNow();
        var what = $"{state.UserA1.FullName}'s request for Student Data Entry at {state.A1.Name}";

        database.Clock.SetUtcNow(submitted.AddDays(14));
        Assert.Equal(0, await followUp.RunAsync());
        database.Clock.SetUtcNow(submitted.AddDays(14).AddMinutes(15));
        Assert.Equal(1, await followUp.RunAsync());
        Assert.Equal(0, await followUp.RunAsync());
        var reminded = await StateOfAsync(database, id);
        database.Clock.SetUtcNow(submitted.AddDays(19));
        Assert.Equal(1, await followUp.RunAsync());
        database.Clock.SetUtcNow(submitted.AddDays(24));
        Assert.Equal(1, await followUp.RunAsync());
        Assert.Equal(0, await followUp.RunAsync());

        Assert.Equal((WaitingFollowUp.Reminded, submitted.AddDays(14).AddMinutes(15)), reminded);
        Assert.Equal((WaitingFollowUp.EscalatedToState, submitted.AddDays(24)), await StateOfAsync(database, id));
        var notices = await FollowUpsAsync(database);
        Assert.Equal(
        [
            (state.DistrictA.Id, NotificationKind.WaitingReminder, $"{what} has waited 14 days for you"),
            (state.LocalA.Id, NotificationKind.WaitingReminder, $"{what} has waited 14 days for you"),
            (state.DistrictA.Id, NotificationKind.Escalation, $"Escalated to you: {what} has waited 19 days for a coordinator"),
            (state.StateAdmin.Id, NotificationKind.Escalation, $"Escalated to the state: {what} has waited 24 days for a coordinator"),
        ], notices.Take(2).OrderBy(n => n.Recipient == state.LocalA.Id).Concat(notices.Skip(2)));
        var row = (await database.Get<ApprovalQueue>().GetCoordinatorQueueAsync(TestState.CallerFor(state.DistrictA), new QueueQuery())).Items.Single(r => r.Id == id);
        Assert.Equal((WaitingFollowUp.EscalatedToState, submitted.AddDays(24)), (row.FollowUp, row.FollowedUpAt));
    }

    [Fact]
    public async Task AStep_StartsTheCountAgain_AndTheSupervisorIsRemindedOfAnEndorsement()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await TestState.SignThisYearAsync(database, state.UserA1);
        var id = await SubmitAsync(database, state, state.IepRole.Id);
        var followUp = database.Get<RequestFollowUp>();
        var submitted = database.Clock.GetUtcNow();
        database.Clock.SetUtcNow(submitted.AddDays(15));
        await followUp.RunAsync();

        await database.Get<AccessRequestService>().DecideAsync(TestState.CallerFor(state.LocalA), id, Decision.Approve, null);
        var approved = database.Clock.GetUtcNow();
        var reset = await StateOfAsync(database, id);
        database.Clock.SetUtcNow(approved.AddDays(14));
        var tooSoon = await followUp.RunAsync();
        database.Clock.SetUtcNow(approved.AddDays(15));
        var due = await followUp.RunAsync();

        Assert.Equal((WaitingFollowUp.None, (DateTimeOffset?)null), reset);
        Assert.Equal((0, 1), (tooSoon, due));
        var reminder = (await FollowUpsAsync(database)).Last();
        Assert.Equal((state.SupervisorA.Id, NotificationKind.WaitingReminder), (reminder.Recipient, reminder.Kind));
    }

    [Fact]
    public async Task AConsoleThatWasStopped_SendsEveryLevelItMissed_InOrder_Once_EvenWithTwoRunsAtOnce()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var id = await SubmitAsync(database, state, state.LeaRole.Id, atSchool: false);
        database.Clock.Advance(TimeSpan.FromDays(30));

        var runs = await Task.WhenAll(database.Get<RequestFollowUp>().RunAsync(), database.Get<RequestFollowUp>().RunAsync());

        Assert.Equal(1, runs.Sum());
        Assert.Equal(
            [(state.DistrictA.Id, NotificationKind.WaitingReminder), (state.DistrictA.Id, NotificationKind.Escalation), (state.StateAdmin.Id, NotificationKind.Escalation)],
            (await FollowUpsAsync(database)).Select(n => (n.Recipient, n.Kind)));
        Assert.Equal(WaitingFollowUp.EscalatedToState, (await StateOfAsync(database, id)).Item1);
    }

    [Fact]
    public void TheDueLevel_FollowsTheStaleAgeAndTheEscalationDays()
    {
        var since = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

        Assert.Equal((WaitingFollowUp.None, null), RequestFollowUp.DueAt(since, since.AddDays(14), 14, 5));
        Assert.Equal((WaitingFollowUp.Reminded, since.AddDays(14)), RequestFollowUp.DueAt(since, since.AddDays(14).AddTicks(1), 14, 5));
        Assert.Equal((WaitingFollowUp.EscalatedToDistrict, since.AddDays(19)), RequestFollowUp.DueAt(since, since.AddDays(19), 14, 5));
        Assert.Equal((WaitingFollowUp.EscalatedToState, since.AddDays(24)), RequestFollowUp.DueAt(since, since.AddDays(40), 14, 5));
    }
}

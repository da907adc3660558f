using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Notifications;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Tests.Core.Notifications;

/// <summary>Each step of a request tells exactly the right people, in the step's own transaction.</summary>
public sealed class RequestNotificationTests
{
    private static async Task<List<(int Recipient, NotificationKind Kind, string Title, string? Link, MailState Mail)>> NoticesAsync(TestDatabase database)
    {
        await using var db = await database.OpenAsync();
        return (await db.Notifications.AsNoTracking().OrderBy(n => n.Id).ToListAsync())
            .Select(n => (n.RecipientId, n.Kind, n.Title, n.Link, n.Mail)).ToList();
    }

    private static Task<int> SubmitAsync(TestDatabase database, StaffMember requester, int roleId, int? schoolId) =>
        database.Get<AccessRequestService>().SubmitAsync(TestState.CallerFor(requester), new NewAccessRequest(roleId, schoolId, "I enter evaluations."));

    [Fact]
    public async Task ASubmittedRequest_TellsEachCoordinatorItRoutesTo_OnceEach_AndNotTheRequester()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);

        await SubmitAsync(database, state.UserA1, state.SchoolRole.Id, state.A1.Id);

        var notices = await NoticesAsync(database);
        Assert.Equal([state.DistrictA.Id, state.LocalA.Id], notices.Select(n => n.Recipient).Order());
        Assert.All(notices, n => Assert.Equal(
            (NotificationKind.RequestWaiting, $"{state.UserA1.FullName} asks for Student Data Entry at {state.A1.Name}", $"queue?search={state.UserA1.StaffId}", MailState.AtOnce),
            (n.Kind, n.Title, n.Link, n.Mail)));
    }

    [Fact]
    public async Task ARequestNoCoordinatorCovers_TellsTheStateAdministrators()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);

        await SubmitAsync(database, state.UserA3, state.SchoolRole.Id, state.A3.Id);
        await using (var db = await database.OpenAsync())
        {
            await db.CoordinatorAssignments.Where(a => a.StaffMemberId == state.DistrictA.Id).ExecuteDeleteAsync();
        }
        await SubmitAsync(database, state.UserA3, state.LeaRole.Id, null);

        var notices = await NoticesAsync(database);
        Assert.Equal(state.DistrictA.Id, notices[0].Recipient);
        var unrouted = Assert.Single(notices.Skip(1));
        Assert.Equal((state.StateAdmin.Id, $"{state.UserA3.FullName} asks for LEA Reports at {state.LeaA.Name}, and no coordinator covers it"),
            (unrouted.Recipient, unrouted.Title));
    }

    [Fact]
    public async Task Decisions_TellTheRequester_AndIepFormsAccessTellsTheSupervisor_ThenTheEndorsementTellsTheRequester()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await TestState.SignThisYearAsync(database, state.UserA1, state.UserA3);
        var service = database.Get<AccessRequestService>();
        var approved = await SubmitAsync(database, state.UserA1, state.SchoolRole.Id, state.A1.Id);
        var denied = await SubmitAsync(database, state.UserA3, state.SchoolRole.Id, state.A3.Id);
        var iep = await SubmitAsync(database, state.UserA1, state.IepRole.Id, state.A1.Id);
        var before = (await NoticesAsync(database)).Count;

        await service.DecideAsync(TestState.CallerFor(state.DistrictA), approved, Decision.Approve, null);
        await service.DecideAsync(TestState.CallerFor(state.DistrictA), denied, Decision.Deny, "Not your school's duties.");
        await service.DecideAsync(TestState.CallerFor(state.LocalA), iep, Decision.Approve, null);
        await service.EndorseAsync(TestState.CallerFor(state.SupervisorA), iep, Decision.Approve, null);

        var after = (await NoticesAsync(database)).Skip(before).Select(n => (n.Recipient, n.Kind, n.Title, n.Link)).ToList();
        Assert.Equal(
        [
            (state.UserA1.Id, NotificationKind.RequestDecided, $"Your request for Student Data Entry at {state.A1.Name} is approved", "requests/mine"),
            (state.UserA3.Id, NotificationKind.RequestDecided, $"Your request for Student Data Entry at {state.A3.Name} was denied: Not your school's duties.", "requests/mine"),
            (state.UserA1.Id, NotificationKind.RequestDecided,
                $"A coordinator approved your request for IEP Forms Writer at {state.A1.Name}; it now waits for the special education supervisor", "requests/mine"),
            (state.SupervisorA.Id, NotificationKind.EndorsementWaiting,
                $"{state.UserA1.FullName} needs your endorsement for IEP Forms Writer (IEP Forms) at {state.A1.Name}", $"supervisor?search={state.UserA1.StaffId}"),
            (state.UserA1.Id, NotificationKind.RequestDecided, $"Your request for IEP Forms Writer at {state.A1.Name} is approved", "requests/mine"),
        ], after);
    }

    [Fact]
    public async Task ADecisionSomeoneElseMadeFirst_TellsNobodyTwice()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await TestState.SignThisYearAsync(database, state.UserA1);
        var service = database.Get<AccessRequestService>();
        var id = await SubmitAsync(database, state.UserA1, state.SchoolRole.Id, state.A1.Id);

        await Task.WhenAll(
            service.DecideAsync(TestState.CallerFor(state.DistrictA), id, Decision.Approve, null),
            service.DecideAsync(TestState.CallerFor(state.LocalA), id, Decision.Approve, null));

        Assert.Single(await NoticesAsync(database), n => n.Kind == NotificationKind.RequestDecided);
    }

    [Fact]
    public async Task ThePersonsChoice_SetsTheMailState_AndSomeoneWithoutAnAddressGetsNoMail()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var notifications = database.Get<NotificationService>();
        await notifications.SetChoiceAsync(TestState.CallerFor(state.DistrictA), NotificationKind.RequestWaiting, NotificationDelivery.DailyDigest);
        await SubmitAsync(database, state.UserA1, state.SchoolRole.Id, state.A1.Id);
        await notifications.SetChoiceAsync(TestState.CallerFor(state.DistrictA), NotificationKind.RequestWaiting, NotificationDelivery.None);
        await using (var db = await database.OpenAsync())
        {
            await db.StaffMembers.Where(s => s.Id == state.LocalA.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.Email, ""));
        }
        await SubmitAsync(database, state.UserA1, state.LeaRole.Id, null);
        await SubmitAsync(database, state.UserA1, state.IepRole.Id, state.A1.Id);

        var notices = await NoticesAsync(database);
        (int, MailState)[] expected =
        [
            (state.DistrictA.Id, MailState.Digest), (state.LocalA.Id, MailState.AtOnce),
            (state.DistrictA.Id, MailState.None),
            (state.DistrictA.Id, MailState.None), (state.LocalA.Id, MailState.None),
        ];
        Assert.Equal(expected.Order(), notices.Select(n => (n.Recipient, n.Mail)).Order());
        Assert.Equal(3, await notifications.CountUnreadAsync(TestState.CallerFor(state.DistrictA)));
        await using var audit = await database.OpenAsync();
        Assert.Equal(2, await audit.AuditEvents.CountAsync(e => e.Action == "Notification.ChoiceChanged"));
    }

    [Fact]
    public async Task ADecision_MailsTheRequesterAsTheyChose_AndSomeoneWithoutAnAddressGetsNoMail()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var notifications = database.Get<NotificationService>();
        var service = database.Get<AccessRequestService>();
        await notifications.SetChoiceAsync(TestState.CallerFor(state.UserA1), NotificationKind.RequestDecided, NotificationDelivery.DailyDigest);
        await notifications.SetChoiceAsync(TestState.CallerFor(state.UserA3), NotificationKind.RequestDecided, NotificationDelivery.None);
        // Another kind's choice does not count for a decision.
        await notifications.SetChoiceAsync(TestState.CallerFor(state.LocalA), NotificationKind.RequestWaiting, NotificationDelivery.None);
        await using (var db = await database.OpenAsync())
        {
            await db.StaffMembers.Where(s => s.Id == state.UserB1.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.Email, ""));
        }
        var digest = await SubmitAsync(database, state.UserA1, state.SchoolRole.Id, state.A1.Id);
        var none = await SubmitAsync(database, state.UserA3, state.SchoolRole.Id, state.A3.Id);
        var atOnce = await SubmitAsync(database, state.LocalA, state.LeaRole.Id, null);
        var noAddress = await SubmitAsync(database, state.UserB1, state.SchoolRole.Id, state.B1.Id);
        var before = (await NoticesAsync(database)).Count;

        await service.DecideAsync(TestState.CallerFor(state.DistrictA), digest, Decision.Approve, null);
        await service.DecideAsync(TestState.CallerFor(state.DistrictA), none, Decision.Deny, "Not your school's duties.");
        await service.DecideAsync(TestState.CallerFor(state.DistrictA), atOnce, Decision.Approve, null);
        await service.DecideAsync(TestState.CallerFor(state.DistrictB), noAddress, Decision.Approve, null);

        var decided = (await NoticesAsync(database)).Skip(before).Select(n => (n.Recipient, n.Kind, n.Mail)).ToList();
        Assert.Equal(
        [
            (state.UserA1.Id, NotificationKind.RequestDecided, MailState.Digest),
            (state.UserA3.Id, NotificationKind.RequestDecided, MailState.None),
            (state.LocalA.Id, NotificationKind.RequestDecided, MailState.AtOnce),
            (state.UserB1.Id, NotificationKind.RequestDecided, MailState.None),
        ], decided);
    }

    [Fact]
    public async Task AFiledLinkRequest_TellsTheSchoolSystemsDistrictCoordinators_OrTheStateAdministratorsWhenItHasNone()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var links = database.Get<EserSecurity.Core.Identity.LinkRequestService>();
        await using (var db = await database.OpenAsync())
        {
            await db.CoordinatorAssignments.Where(a => a.StaffMemberId == state.DistrictB.Id).ExecuteDeleteAsync();
        }

        await links.FileAsync(await LinkSetup.SignInUnlinkedAsync(database, "new.alpha"), new EserSecurity.Core.Identity.LinkRequestForm("12345678", state.LeaA.Id, null));
        await links.FileAsync(await LinkSetup.SignInUnlinkedAsync(database, "new.bravo"), new EserSecurity.Core.Identity.LinkRequestForm("87654321", state.LeaB.Id, null));

        var notices = await NoticesAsync(database);
        Assert.Equal([state.DistrictA.Id, state.StateAdmin.Id], notices.Select(n => n.Recipient));
        Assert.All(notices, n => Assert.Equal((NotificationKind.LinkRequestWaiting, "link-requests"), (n.Kind, n.Link)));
        Assert.EndsWith($"asks to link their sign-in to Staff ID 12345678 in {state.LeaA.Name}", notices[0].Title);
    }

    [Fact]
    public async Task WithNotificationsOff_NoStepOfARequestWritesANotice_AndTheStepsStillHappen()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var services = new ServiceCollection();
        database.AddCoreServicesTo(services);
        services.AddLogging();
        services.Configure<NotificationOptions>(o => o.Enabled = false);
        await using var off = services.BuildServiceProvider();
        var requests = off.GetRequiredService<AccessRequestService>();

        var id = await requests.SubmitAsync(TestState.CallerFor(state.UserA1), new NewAccessRequest(state.SchoolRole.Id, state.A1.Id, "I enter evaluations."));
        var outcome = await requests.DecideAsync(TestState.CallerFor(state.DistrictA), id, Decision.Approve, null);

        Assert.Equal(AccessRequestStatus.Approved, outcome.Status);
        Assert.Empty(await NoticesAsync(database));
    }
}

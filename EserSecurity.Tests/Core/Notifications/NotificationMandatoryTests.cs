using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Notifications;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EserSecurity.Tests.Core.Notifications;

/// <summary>The kinds of notice the state makes mandatory reach everyone by e-mail: at once or in the daily digest, never not at all.</summary>
public sealed class NotificationMandatoryTests
{
    /// <summary>The Core services over the same database, with the <c>Notifications</c> section read from <paramref name="settings"/>.</summary>
    private static ServiceProvider WithSettings(TestDatabase database, Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        database.AddCoreServicesTo(services);
        services.AddLogging();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        services.Configure<NotificationOptions>(configuration.GetSection(NotificationOptions.SectionName));
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task ByDefault_TheAssuranceAndTheEndOfAccessAreMandatory_NoEmailIsRefused_AndTheDigestIsAllowed()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var notifications = database.Get<NotificationService>();
        var caller = TestState.CallerFor(state.UserA1);

        var refused = await Assert.ThrowsAsync<NotificationRefusedException>(
            () => notifications.SetChoiceAsync(caller, NotificationKind.Assurance, NotificationDelivery.None));
        await Assert.ThrowsAsync<NotificationRefusedException>(() => notifications.SetChoiceAsync(caller, NotificationKind.GrantExpiring, NotificationDelivery.None));
        await notifications.SetChoiceAsync(caller, NotificationKind.Assurance, NotificationDelivery.DailyDigest);
        await notifications.SetChoiceAsync(caller, NotificationKind.RequestDecided, NotificationDelivery.None);

        Assert.Equal(
            "E-mail for \"Your confidentiality assurance is ready, due in a week, or overdue\" is required by the state: choose at once or a daily digest.",
            refused.Message);
        var choices = (await notifications.GetChoicesAsync(caller)).ToDictionary(c => c.Kind);
        Assert.Equal([NotificationKind.Assurance, NotificationKind.GrantExpiring], choices.Values.Where(c => c.IsMandatory).Select(c => c.Kind));
        Assert.Equal((NotificationDelivery.DailyDigest, NotificationDelivery.AtOnce, NotificationDelivery.None),
            (choices[NotificationKind.Assurance].Delivery, choices[NotificationKind.GrantExpiring].Delivery, choices[NotificationKind.RequestDecided].Delivery));
        await using var db = await database.OpenAsync();
        Assert.Equal(2, await db.AuditEvents.CountAsync(e => e.Action == "Notification.ChoiceChanged"));
    }

    [Fact]
    public async Task ANoEmailChoiceSavedBeforeTheAssuranceWasMandatory_IsEmailedAtOnce_AndADigestStaysADigest()
    {
        await using var database = await TestDatabase.CreateAsync(now: new DateTimeOffset(2026, 7, 2, 14, 0, 0, TimeSpan.Zero));
        var state = await TestState.CreateAsync(database);
        foreach (var person in new[] { state.UserA1, state.UserA3 })
        {
            await GrantSetup.AddAsync(database, person, state.SchoolRole, state.LeaA, null);
        }
        await using (var db = await database.OpenAsync())
        {
            db.NotificationPreferences.AddRange(
                new NotificationPreference { StaffMemberId = state.UserA1.Id, Kind = NotificationKind.Assurance, Delivery = NotificationDelivery.None },
                new NotificationPreference { StaffMemberId = state.UserA3.Id, Kind = NotificationKind.Assurance, Delivery = NotificationDelivery.DailyDigest });
            await db.SaveChangesAsync();
        }
        await TestState.SignThisYearAsync(database, state.UserB1);

        Assert.Equal(2, await database.Get<AssuranceReminders>().RunAsync());

        await using var read = await database.OpenAsync();
        var mail = await read.Notifications.AsNoTracking().Where(n => n.Kind == NotificationKind.Assurance)
            .ToDictionaryAsync(n => n.RecipientId, n => n.Mail);
        Assert.Equal((MailState.AtOnce, MailState.Digest), (mail[state.UserA1.Id], mail[state.UserA3.Id]));
        var choice = (await database.Get<NotificationService>().GetChoicesAsync(TestState.CallerFor(state.UserA1))).Single(c => c.Kind == NotificationKind.Assurance);
        Assert.Equal((NotificationDelivery.AtOnce, true), (choice.Delivery, choice.IsMandatory));
    }

    [Fact]
    public async Task TheStateNamesTheMandatoryKinds_ByNameInAnyCase_AndAnEmptyListMakesNoneMandatory()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var caller = TestState.CallerFor(state.DistrictA);
        // Chosen while the kind was optional; the state then makes it mandatory.
        await database.Get<NotificationService>().SetChoiceAsync(caller, NotificationKind.RequestWaiting, NotificationDelivery.None);
        await using var named = WithSettings(database, new() { ["Notifications:Mandatory:0"] = "requestWaiting" });
        await using var none = WithSettings(database, new() { ["Notifications:Mandatory"] = "" });

        await named.GetRequiredService<AccessRequestService>().SubmitAsync(TestState.CallerFor(state.UserA1), new NewAccessRequest(state.SchoolRole.Id, state.A1.Id, "I enter evaluations."));
        await Assert.ThrowsAsync<NotificationRefusedException>(
            () => named.GetRequiredService<NotificationService>().SetChoiceAsync(caller, NotificationKind.RequestWaiting, NotificationDelivery.None));
        await none.GetRequiredService<NotificationService>().SetChoiceAsync(caller, NotificationKind.Assurance, NotificationDelivery.None);

        await using var db = await database.OpenAsync();
        Assert.Equal(MailState.AtOnce, await db.Notifications.Where(n => n.RecipientId == state.DistrictA.Id).Select(n => n.Mail).SingleAsync());
        Assert.Equal([NotificationKind.RequestWaiting],
            (await named.GetRequiredService<NotificationService>().GetChoicesAsync(caller)).Where(c => c.IsMandatory).Select(c => c.Kind));
        Assert.DoesNotContain(await none.GetRequiredService<NotificationService>().GetChoicesAsync(caller), c => c.IsMandatory);
    }

    [Fact]
    public async Task AMandatoryKindThatIsNotAKindOfNotice_IsRefusedWithTheNamesThereAre()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var services = WithSettings(database, new() { ["Notifications:Mandatory:0"] = "Assurance", ["Notifications:Mandatory:1"] = "GrantExpiry" });

        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<NotificationOptions>>().Value);

        Assert.Contains("Mandatory lists kinds of notice by name, from: RequestWaiting, RequestDecided,", refused.Message);
        Assert.Contains("GrantExpiring", refused.Message);
    }
}

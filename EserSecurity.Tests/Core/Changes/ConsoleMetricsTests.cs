using System.Diagnostics.Metrics;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Directories;
using EserSecurity.Core.Notifications;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Core.Notifications;
using EserSecurity.Tests.Support;
using MailKit.Security;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace EserSecurity.Tests.Core.Changes;

/// <summary>The console's meter: each instrument records once, where the thing it counts has been committed.</summary>
public sealed class ConsoleMetricsTests
{
    private static MetricCollector<T> Collect<T>(TestDatabase database, string instrument) where T : struct =>
        new(database.Get<IMeterFactory>(), ConsoleMetrics.MeterName, instrument);

    private static Task<int> SubmitAsync(TestDatabase database, StaffMember requester, int roleId, int? schoolId) =>
        database.Get<AccessRequestService>().SubmitAsync(TestState.CallerFor(requester), new NewAccessRequest(roleId, schoolId, "I enter evaluations."));

    private static string? Tag(CollectedMeasurement<long> measurement, string name) => measurement.Tags[name] as string;

    [Fact]
    public async Task Decisions_CountOncePerStoredDecision_ByOutcome_AndNotWhenRefusedOrAlreadyDecided()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await TestState.SignThisYearAsync(database, state.UserA1, state.UserA3);
        var service = database.Get<AccessRequestService>();
        var approved = await SubmitAsync(database, state.UserA1, state.SchoolRole.Id, state.A1.Id);
        var denied = await SubmitAsync(database, state.UserA3, state.SchoolRole.Id, state.A3.Id);
        var iep = await SubmitAsync(database, state.UserA1, state.IepRole.Id, state.A1.Id);
        using var decisions = Collect<long>(database, "eser.decisions");

        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.DecideAsync(TestState.CallerFor(state.UserA3), approved, Decision.Approve, null));
        Assert.Empty(decisions.GetMeasurementSnapshot());

        await service.DecideAsync(TestState.CallerFor(state.DistrictA), approved, Decision.Approve, null);
        var again = await service.DecideAsync(TestState.CallerFor(state.LocalA), approved, Decision.Approve, null);
        await service.DecideAsync(TestState.CallerFor(state.DistrictA), denied, Decision.Deny, "Not your school's duties.");
        await service.DecideAsync(TestState.CallerFor(state.LocalA), iep, Decision.Approve, null);
        await service.EndorseAsync(TestState.CallerFor(state.SupervisorA), iep, Decision.Approve, null);

        Assert.False(again.Succeeded);
        var measurements = decisions.GetMeasurementSnapshot();
        Assert.All(measurements, m => Assert.Equal(1, m.Value));
        Assert.Equal(["approved", "denied", "approved", "endorsed"], measurements.Select(m => Tag(m, "outcome")));
    }

    [Fact]
    public async Task AnImport_CountsAndRecordsItsDuration_ByKind_OnlyWhenItCommits()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var service = database.Get<SchoolDirectoryImportService>();
        var admin = TestState.CallerFor(state.StateAdmin);
        using var imports = Collect<long>(database, "eser.imports");
        using var durations = Collect<double>(database, "eser.import.duration");
        var blocked = DirectoryCsv.Schools().Row("202", "Bravo City Schools", "202002", "Bravo Middle", "Maybe");
        var clean = DirectoryCsv.Schools().Row("303", "Charlie Charter", "303001", "Charlie Academy", "Open");

        await service.PreviewAsync(admin, clean.ToStream());
        await Assert.ThrowsAsync<DirectoryImportRefusedException>(() => service.CommitAsync(admin, blocked.ToStream()));
        Assert.Empty(imports.GetMeasurementSnapshot());
        Assert.Empty(durations.GetMeasurementSnapshot());

        await service.CommitAsync(admin, clean.ToStream());

        var count = Assert.Single(imports.GetMeasurementSnapshot());
        Assert.Equal((1L, "school_directory"), (count.Value, Tag(count, "kind")));
        var duration = Assert.Single(durations.GetMeasurementSnapshot());
        Assert.Equal("school_directory", duration.Tags["kind"]);
        Assert.InRange(duration.Value, double.Epsilon, 600);
    }

    [Fact]
    public async Task Notices_CountInTheConsoleWhenWritten_AndAsEmailWhenTheServerAcceptsThem()
    {
        await using var database = await TestDatabase.CreateAsync();
        using var smtp = SmtpTestServer.Start();
        var state = await TestState.CreateAsync(database);
        using var sent = Collect<long>(database, "eser.notifications.sent");

        await SubmitAsync(database, state.UserA1, state.SchoolRole.Id, state.A1.Id);

        var console = Assert.Single(sent.GetMeasurementSnapshot());
        Assert.Equal((2L, "console"), (console.Value, Tag(console, "channel")));

        var mail = new MailOptions { Host = "127.0.0.1", Port = smtp.Port, Security = SecureSocketOptions.None, From = "EserSecurity <eser-security@tea.example.gov>" };
        var mailer = NotificationMailerTests.Mailer(database, mail);
        await mailer.SendDueAsync();
        await mailer.SendDueAsync();

        var measurements = sent.GetMeasurementSnapshot();
        Assert.Equal([(2L, "console"), (2L, "email")], measurements.Select(m => (m.Value, Tag(m, "channel"))));
    }

    [Fact]
    public async Task FanOut_RecordsOnceEverySubscriberHasBeenHandedTheChange_WithoutWaitingForThemToFinish()
    {
        await using var database = await TestDatabase.CreateAsync();
        var feed = database.Get<IAccessChangeFeed>();
        using var fanOut = Collect<double>(database, "eser.live_update.fan_out.duration");
        var handed = 0;
        var finish = new TaskCompletionSource();
        using var first = feed.Subscribe(_ => { Interlocked.Increment(ref handed); return finish.Task; });
        using var second = feed.Subscribe(_ => { Interlocked.Increment(ref handed); return finish.Task; });

        feed.Publish(new AccessChange(AccessChangeKind.RoleCatalogChanged, null, null, null, null, database.Clock.GetUtcNow()));

        await fanOut.WaitForMeasurementsAsync(1, TimeSpan.FromSeconds(30));
        Assert.Equal(2, Volatile.Read(ref handed));
        Assert.False(finish.Task.IsCompleted);
        Assert.True(Assert.Single(fanOut.GetMeasurementSnapshot()).Value >= 0);
        finish.SetResult();
    }
}

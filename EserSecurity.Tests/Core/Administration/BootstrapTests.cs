using EserSecurity.Core.Administration;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EserSecurity.Tests.Core.Administration;

/// <summary>The startup step that makes the first state administrator from <c>Bootstrap:StateAdministrator</c>.</summary>
public sealed class BootstrapTests
{
    private const string FirstAdminStaffId = "7000001";

    [Fact]
    public async Task FirstStart_MakesTheConfiguredPersonStateAdministrator_AuditedAsTheSystem_AndTheSecondStartIgnoresIt()
    {
        await using var database = await TestDatabase.CreateAsync();
        var person = await AddStaffAsync(database, FirstAdminStaffId, EmploymentStatus.Active);
        var log = new LogLines();

        var first = await Bootstrapper(database, FirstAdminStaffId, log).BootstrapAsync();
        var second = await Bootstrapper(database, FirstAdminStaffId, log).BootstrapAsync();

        Assert.Equal(BootstrapOutcome.Made, first.Outcome);
        Assert.Equal(BootstrapOutcome.Ignored, second.Outcome);
        Assert.Equal(
            [
                (LogLevel.Information, $"Bootstrap:StateAdministrator: made Renée Thibodeaux (Staff ID {FirstAdminStaffId}) the first state administrator. They add further state administrators on /administration/state-administrators; the setting is ignored from now on and can be removed."),
                (LogLevel.Information, $"Bootstrap:StateAdministrator ({FirstAdminStaffId}) ignored: the console already has 1 active state administrator. State administrators add and end others on /administration/state-administrators; the setting can be removed."),
            ],
            log.Lines);
        await using var db = await database.OpenAsync();
        var admin = Assert.Single(await db.StateAdministrators.ToListAsync());
        Assert.Equal((person.Id, (int?)null, TestDatabase.DefaultNow), (admin.StaffMemberId, admin.AddedById, admin.AddedAt!.Value));
        var audit = Assert.Single(await db.AuditEvents.ToListAsync());
        Assert.Equal(("StateAdministrator.Added", AuditLog.BootstrapActorName, (int?)null), (audit.Action, audit.ActorName, audit.ActorId));
        Assert.True((await database.Get<AuditLog>().VerifyAsync(TestState.CallerFor(person))).IsIntact);
    }

    [Theory]
    [InlineData("7000999", BootstrapOutcome.UnknownStaffId, "names Staff ID 7000999, which is not in the staff directory. No state administrator was made. Import the staff directory")]
    [InlineData("7000002", BootstrapOutcome.EmploymentEnded, "names Staff ID 7000002 (Renée Thibodeaux), whose employment has ended. No state administrator was made.")]
    [InlineData("state.admin", BootstrapOutcome.Malformed, "is 'state.admin', which is not a Staff ID (6 to 20 digits). No state administrator was made. Correct the setting")]
    public async Task AWrongStaffId_IsLoggedAsAnErrorSayingWhatToDo_AndMakesNobody(string configured, BootstrapOutcome expected, string message)
    {
        await using var database = await TestDatabase.CreateAsync();
        await AddStaffAsync(database, "7000002", EmploymentStatus.Ended);
        var log = new LogLines();

        var result = await Bootstrapper(database, configured, log).BootstrapAsync();

        Assert.Equal(expected, result.Outcome);
        var (level, line) = Assert.Single(log.Lines);
        Assert.Equal(LogLevel.Error, level);
        Assert.Contains(message, line);
        await using var db = await database.OpenAsync();
        Assert.Empty(await db.StateAdministrators.ToListAsync());
        Assert.Empty(await db.AuditEvents.ToListAsync());
    }

    [Fact]
    public async Task NoSettingAndNoAdministrator_WarnsHowToMakeOne_AndNoSettingWithOne_SaysNothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        var log = new LogLines();

        var empty = await Bootstrapper(database, null, log).BootstrapAsync();
        await TestState.CreateAsync(database);
        var filled = await Bootstrapper(database, " ", log).BootstrapAsync();

        Assert.Equal((BootstrapOutcome.NoAdministrator, BootstrapOutcome.NotConfigured), (empty.Outcome, filled.Outcome));
        var (level, line) = Assert.Single(log.Lines);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Contains("Set Bootstrap:StateAdministrator (environment variable Bootstrap__StateAdministrator) to the Staff ID", line);
    }

    [Fact]
    public async Task AnAdministratorWhoseEmploymentEnded_DoesNotCount_SoTheBootstrapMakesANewOne()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using (var db = await database.OpenAsync())
        {
            await db.StaffMembers.Where(s => s.Id == state.StateAdmin.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.EmploymentStatus, EmploymentStatus.Ended));
        }

        var result = await Bootstrapper(database, state.UserA1.StaffId, new LogLines()).BootstrapAsync();

        Assert.Equal(BootstrapOutcome.Made, result.Outcome);
    }

    private static StateAdministratorService Bootstrapper(TestDatabase database, string? staffId, LogLines log) =>
        ActivatorUtilities.CreateInstance<StateAdministratorService>(database.Services,
            Options.Create(new BootstrapOptions { StateAdministrator = staffId }), log);

    private static async Task<StaffMember> AddStaffAsync(TestDatabase database, string staffId, EmploymentStatus status)
    {
        await using var db = await database.OpenAsync();
        var person = new StaffMember
        {
            StaffId = staffId, FirstName = "Renée", LastName = "Thibodeaux", Email = $"r{staffId}@example.org",
            Position = "eSER Program Manager", EmploymentStatus = status,
        };
        db.StaffMembers.Add(person);
        await db.SaveChangesAsync();
        return person;
    }

    /// <summary>The lines the bootstrap logs, as an operator reads them.</summary>
    private sealed class LogLines : ILogger<StateAdministratorService>
    {
        public List<(LogLevel Level, string Line)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add((logLevel, formatter(state, exception)));
    }
}

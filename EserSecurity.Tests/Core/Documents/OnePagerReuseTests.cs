using System.Collections.Concurrent;
using System.Data.Common;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Data;
using EserSecurity.Core.Documents;
using EserSecurity.Core.Documents.Layout;
using EserSecurity.Core.KeyDates;
using EserSecurity.Core.Security;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using QRCoder;

namespace EserSecurity.Tests.Core.Documents;

/// <summary>
/// What one-pager downloads reuse from one document to the next (a band's QR code, the reads kept until the next audited
/// change) never hides a change, whichever console instance made it, and documents composed on several threads at once
/// are each their own school system's.
/// </summary>
public sealed class OnePagerReuseTests
{
    private const string ConsoleUrl = "https://eser-access.example.org";

    private static DocumentService ServiceWithConsoleUrl(TestDatabase database) =>
        new(database.Factory, database.Get<ScopeService>(), database.Clock, Options.Create(new DocumentOptions { ConsoleUrl = ConsoleUrl }));

    [Fact]
    public async Task NextDownload_AfterAuditedChangesOfNamesAndKeyDates_ShowsTheChanges()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var service = ServiceWithConsoleUrl(database);
        var caller = TestState.CallerFor(state.StateAdmin);
        var before = PdfText.All((await service.CoordinatorSetupAsync(caller, state.LeaA.Id)).Content);
        var gainingBefore = PdfText.All((await service.GainingAccessAsync(caller, state.LeaA.Id)).Content);
        Assert.Contains(state.DistrictA.FullName, before, StringComparison.Ordinal);
        Assert.Contains(state.SupervisorA.FullName, before, StringComparison.Ordinal);

        await CommitAuditedAsync(database, caller, async db =>
        {
            await db.StaffMembers.Where(s => s.Id == state.DistrictA.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.LastName, "Renamedcoordinator"));
            await db.StaffMembers.Where(s => s.Id == state.SupervisorA.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.FirstName, "Newsupervisor"));
            await db.SchoolSystems.Where(s => s.Id == state.LeaA.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.Name, "Alpha Parish Public Schools"));
        });
        await database.Get<KeyDateService>().CreateAsync(caller,
            new KeyDateEdit(KeyDateKind.DocumentRelease, "Coordinator Setup reissue", database.Clock.Today().AddDays(3)));

        var after = PdfText.All((await service.CoordinatorSetupAsync(caller, state.LeaA.Id)).Content);
        var gainingAfter = PdfText.All((await service.GainingAccessAsync(caller, state.LeaA.Id)).Content);
        Assert.Contains($"{state.DistrictA.FirstName} Renamedcoordinator", after, StringComparison.Ordinal);
        Assert.DoesNotContain(state.DistrictA.FullName, after, StringComparison.Ordinal);
        Assert.Contains($"Newsupervisor {state.SupervisorA.LastName}", after, StringComparison.Ordinal);
        Assert.Contains("Alpha Parish Public Schools", after, StringComparison.Ordinal);
        Assert.Contains("Coordinator Setup reissue", after, StringComparison.Ordinal);
        Assert.DoesNotContain("Coordinator Setup reissue", before, StringComparison.Ordinal);
        Assert.Contains($"{state.DistrictA.FirstName} Renamedcoordinator", gainingAfter, StringComparison.Ordinal);
        Assert.Contains("Coordinator Setup reissue", gainingAfter, StringComparison.Ordinal);
        Assert.DoesNotContain("Coordinator Setup reissue", gainingBefore, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NextDownload_AfterAChangeCommittedByAnotherConsoleInstance_ShowsIt()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var service = ServiceWithConsoleUrl(database);
        var caller = TestState.CallerFor(state.StateAdmin);
        var before = PdfText.All((await service.GainingAccessAsync(caller, state.LeaB.Id)).Content);
        Assert.DoesNotContain("Second instance release", before, StringComparison.Ordinal);

        // Its own change feed, which this instance never hears on SQLite: only the database says something changed.
        await using (var second = database.CreateInstance())
        {
            await second.GetRequiredService<KeyDateService>().CreateAsync(caller,
                new KeyDateEdit(KeyDateKind.DocumentRelease, "Second instance release", database.Clock.Today().AddDays(2)));
        }

        var after = PdfText.All((await service.GainingAccessAsync(caller, state.LeaB.Id)).Content);
        Assert.Contains("Second instance release", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NextDownload_OnTheDayAnAssignmentStarts_NamesTheCoordinator_WithoutAnyChangeInBetween()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var service = ServiceWithConsoleUrl(database);
        var caller = TestState.CallerFor(state.StateAdmin);
        var tomorrow = database.Clock.Today().AddDays(1);
        await CommitAuditedAsync(database, caller, async db =>
        {
            db.CoordinatorAssignments.Add(new CoordinatorAssignment
            {
                StaffMemberId = state.UserB1.Id, SchoolSystemId = state.LeaB.Id, Coverage = CoordinatorCoverage.SchoolSystem, StartsOn = tomorrow,
            });
            await db.SaveChangesAsync();
        });

        var today = PdfText.All((await service.CoordinatorSetupAsync(caller, state.LeaB.Id)).Content);
        database.Clock.Advance(TimeSpan.FromDays(1));
        var onTheDay = PdfText.All((await service.CoordinatorSetupAsync(caller, state.LeaB.Id)).Content);

        Assert.DoesNotContain(state.UserB1.FullName, today, StringComparison.Ordinal);
        Assert.Contains(state.UserB1.FullName, onTheDay, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NextDownload_WhenNothingWasCommitted_ReadsOnlyTheAuditSequence_AndGivesTheSameText()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var commands = new CommandLog();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        database.AddCoreServicesTo(services);
        services.ConfigureDbContext<EserSecurityDbContext>(options => options.AddInterceptors(commands));
        await using var provider = services.BuildServiceProvider();
        var service = provider.GetRequiredService<DocumentService>();
        var caller = TestState.CallerFor(state.StateAdmin);
        var first = PdfText.All((await service.CoordinatorSetupAsync(caller, state.LeaA.Id)).Content);
        var readFirst = commands.Take();

        var second = PdfText.All((await service.CoordinatorSetupAsync(caller, state.LeaA.Id)).Content);
        var readSecond = commands.Take();

        Assert.Equal(first, second);
        Assert.True(readFirst.Count > 3, $"The first download read {readFirst.Count} times.");
        var only = Assert.Single(readSecond);
        Assert.Contains("AuditChainHeads", only, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NextDownload_OfTheSameOnePager_ByAnotherPersonLater_CarriesThatPersonAndTime_AndTheSameText()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var service = ServiceWithConsoleUrl(database);
        var first = await service.GainingAccessAsync(TestState.CallerFor(state.StateAdmin), state.LeaA.Id);
        database.Clock.Advance(TimeSpan.FromMinutes(7));

        var second = await service.GainingAccessAsync(TestState.CallerFor(state.DistrictA), state.LeaA.Id);

        using var firstPdf = UglyToad.PdfPig.PdfDocument.Open(first.Content);
        using var secondPdf = UglyToad.PdfPig.PdfDocument.Open(second.Content);
        Assert.Equal((state.StateAdmin.FullName, "D:20261128150000+00'00'"), (firstPdf.Information.Author, firstPdf.Information.CreationDate));
        Assert.Equal((state.DistrictA.FullName, "D:20261128150700+00'00'"), (secondPdf.Information.Author, secondPdf.Information.CreationDate));
        Assert.Equal(PdfText.All(first.Content), PdfText.All(second.Content));
    }

    /// <summary>Commits <paramref name="change"/> as every Core write does: under the write lock, with its audit event.</summary>
    private static async Task CommitAuditedAsync(TestDatabase database, Caller caller, Func<EserSecurityDbContext, Task> change)
    {
        await using var db = await database.OpenAsync();
        await using var transaction = await db.BeginWriteAsync(CancellationToken.None);
        await change(db);
        await AuditLog.AppendAsync(db, caller, database.Clock.GetUtcNow(), new AuditEntry("Test.Changed", "Test", "1", null), CancellationToken.None);
        await transaction.CommitAsync();
    }

    /// <summary>The text of every command the contexts ran, taken in turns.</summary>
    private sealed class CommandLog : DbCommandInterceptor
    {
        private readonly ConcurrentQueue<string> _commands = new();

        public List<string> Take()
        {
            var taken = new List<string>();
            while (_commands.TryDequeue(out var command))
            {
                taken.Add(command);
            }
            return taken;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            _commands.Enqueue(command.CommandText);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            _commands.Enqueue(command.CommandText);
            return base.ReaderExecuting(command, eventData, result);
        }
    }

    [Fact]
    public async Task OnePagers_ComposedOnSeveralThreadsAtOnce_AreEachTheirOwnSchoolSystems()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var service = ServiceWithConsoleUrl(database);
        var caller = TestState.CallerFor(state.StateAdmin);
        var requests = new (int SchoolSystemId, bool Setup, string Expected, string Other)[]
        {
            (state.LeaA.Id, true, state.LeaA.Name, state.LeaB.Name),
            (state.LeaA.Id, false, state.LeaA.Name, state.LeaB.Name),
            (state.LeaB.Id, true, state.LeaB.Name, state.LeaA.Name),
            (state.LeaB.Id, false, state.LeaB.Name, state.LeaA.Name),
        };
        Task<GeneratedDocument> Download((int SchoolSystemId, bool Setup, string, string) r) =>
            r.Setup ? service.CoordinatorSetupAsync(caller, r.SchoolSystemId) : service.GainingAccessAsync(caller, r.SchoolSystemId);
        var alone = new List<string>();
        foreach (var request in requests)
        {
            alone.Add(PdfText.All((await Download(request)).Content));
        }

        var together = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(async () =>
            (Index: i % requests.Length, Text: PdfText.All((await Download(requests[i % requests.Length])).Content)))));

        foreach (var (index, text) in together)
        {
            Assert.Equal(alone[index], text);
            Assert.Contains(requests[index].Expected, text, StringComparison.Ordinal);
            Assert.DoesNotContain(requests[index].Other, text, StringComparison.Ordinal);
            Assert.Contains(requests[index].Setup ? "eser-access.example.org/queue" : "eser-access.example.org/requests/new", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task BandQrModules_OnSeveralThreadsAtOnce_AreEachPayloadsOwnCode()
    {
        var payloads = Enumerable.Range(0, 40).Select(i => $"{ConsoleUrl}/page-{i}").ToArray();

        var drawn = await Task.WhenAll(Enumerable.Range(0, 160).Select(i => Task.Run(() => (Payload: payloads[i % payloads.Length],
            Modules: PdfComposer.BandQrModules(payloads[i % payloads.Length])))));

        foreach (var (payload, modules) in drawn)
        {
            using var expected = QRCodeGenerator.GenerateQrCode(payload, QRCodeGenerator.ECCLevel.M);
            Assert.Equal(expected.ModuleMatrix.Count, modules.Length);
            for (var row = 0; row < modules.Length; row++)
            {
                Assert.Equal(Enumerable.Range(0, modules[row].Length).Select(c => expected.ModuleMatrix[row][c]), modules[row]);
            }
        }
    }
}

using EserSecurity.Core.Documents;
using EserSecurity.Core.Documents.Layout;
using EserSecurity.Core.KeyDates;
using EserSecurity.Core.Security;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using QRCoder;

namespace EserSecurity.Tests.Core.Documents;

/// <summary>
/// What one-pager downloads reuse from one document to the next (a band's QR code, the compiled key-date read) never
/// hides a change, and documents composed on several threads at once are each their own school system's.
/// </summary>
public sealed class OnePagerReuseTests
{
    private const string ConsoleUrl = "https://eser-access.example.org";

    private static DocumentService ServiceWithConsoleUrl(TestDatabase database) =>
        new(database.Factory, database.Get<ScopeService>(), database.Clock, Options.Create(new DocumentOptions { ConsoleUrl = ConsoleUrl }));

    [Fact]
    public async Task NextDownload_AfterNamesSchoolSystemAndKeyDatesChange_ShowsTheChanges()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var service = ServiceWithConsoleUrl(database);
        var caller = TestState.CallerFor(state.StateAdmin);
        var before = PdfText.All((await service.CoordinatorSetupAsync(caller, state.LeaA.Id)).Content);
        var gainingBefore = PdfText.All((await service.GainingAccessAsync(caller, state.LeaA.Id)).Content);
        Assert.Contains(state.DistrictA.FullName, before, StringComparison.Ordinal);
        Assert.Contains(state.SupervisorA.FullName, before, StringComparison.Ordinal);

        await using (var db = await database.OpenAsync())
        {
            await db.StaffMembers.Where(s => s.Id == state.DistrictA.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.LastName, "Renamedcoordinator"));
            await db.StaffMembers.Where(s => s.Id == state.SupervisorA.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.FirstName, "Newsupervisor"));
            await db.SchoolSystems.Where(s => s.Id == state.LeaA.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.Name, "Alpha Parish Public Schools"));
            db.KeyDates.Add(new KeyDate { Kind = KeyDateKind.DocumentRelease, Title = "Coordinator Setup reissue", On = database.Clock.Today().AddDays(3) });
            await db.SaveChangesAsync();
        }

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

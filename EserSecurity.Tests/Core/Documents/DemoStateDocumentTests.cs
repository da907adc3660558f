using System.Diagnostics;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Data;
using EserSecurity.Core.Documents;
using EserSecurity.Core.Security;
using EserSecurity.DemoState;
using EserSecurity.Tests.DemoState;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace EserSecurity.Tests.Core.Documents;

internal sealed record SchoolSystemFacts(int Id, string Code, string Name, int LocalCoordinators, int ActiveGrants)
{
    public static async Task<(Caller Admin, List<SchoolSystemFacts> Systems)> ReadAsync(TestDatabase database)
    {
        await using var db = await database.OpenAsync();
        var admin = await db.StaffMembers.SingleAsync(s => s.Username == DemoPeople.StateAdmin);
        var systems = await db.SchoolSystems.OrderBy(s => s.Code)
            .Select(s => new SchoolSystemFacts(s.Id, s.Code, s.Name,
                db.CoordinatorAssignments.Count(a => a.SchoolSystemId == s.Id && a.Coverage != CoordinatorCoverage.SchoolSystem),
                db.AccessGrants.Count(g => g.SchoolSystemId == s.Id && g.EndedAt == null)))
            .ToListAsync();
        return (new Caller(admin.Id, admin.FullName), systems);
    }
}

/// <summary>The Small demo state: 4 school systems, shared read-only by these tests.</summary>
public sealed class SmallDemoStateDocumentTests(SmallDemoStateFixture small) : IClassFixture<SmallDemoStateFixture>
{
    [Fact]
    public async Task EveryOnePagerOfEverySchoolSystem_IsExactlyOnePageNamingIt()
    {
        var (admin, systems) = await SchoolSystemFacts.ReadAsync(small.Database);
        var documents = small.Database.Get<DocumentService>();

        Assert.Equal(4, systems.Count);
        foreach (var system in systems)
        {
            foreach (var document in new[] { await documents.CoordinatorSetupAsync(admin, system.Id), await documents.GainingAccessAsync(admin, system.Id) })
            {
                Assert.Equal(1, PdfText.PageCount(document.Content));
                Assert.Contains($"{system.Code} · {system.Name}", PdfText.All(document.Content), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task DemoSchoolSystemsCoordinatorSetup_NamesItsDemoCoordinatorsSupervisorAndGroup()
    {
        var (admin, systems) = await SchoolSystemFacts.ReadAsync(small.Database);
        await using var db = await small.Database.OpenAsync();
        var people = await db.StaffMembers.Where(s => DemoPeople.All.Contains(s.Username!)).ToDictionaryAsync(s => s.Username!);

        var text = PdfText.All((await small.Database.Get<DocumentService>().CoordinatorSetupAsync(admin, systems.Single(s => s.Code == "026").Id)).Content);

        Assert.Contains($"{people[DemoPeople.DistrictCoordinator].FullName} District coordinator", text, StringComparison.Ordinal);
        Assert.Contains($"{people[DemoPeople.DistrictCoordinator2].FullName} District coordinator", text, StringComparison.Ordinal);
        Assert.Contains($"{people[DemoPeople.SpedSupervisor].FullName} Special education supervisor", text, StringComparison.Ordinal);
        Assert.Contains(people[DemoPeople.DistrictCoordinator].Email, text, StringComparison.Ordinal);
        Assert.Contains("Group “Northside Schools”", text, StringComparison.Ordinal);
    }
}

/// <summary>The Full demo state: 72 school systems. One test, because seeding takes several seconds.</summary>
public sealed class FullDemoStateDocumentTests(ITestOutputHelper output)
{
    [Fact]
    public async Task All72SchoolSystems_GetOnePageOnePagers_AndTheLargestAuthorizedUserListPaginates()
    {
        var seeding = Stopwatch.StartNew();
        await using var database = await TestDatabase.CreateAsync(DemoStateSize.Full);
        var (admin, systems) = await SchoolSystemFacts.ReadAsync(database);
        var documents = database.Get<DocumentService>();
        output.WriteLine($"Full demo state seeded in {seeding.Elapsed.TotalSeconds:F1} s");

        Assert.Equal(72, systems.Count);
        var timer = Stopwatch.StartNew();
        var onePagers = 0;
        foreach (var system in systems)
        {
            var setup = await documents.CoordinatorSetupAsync(admin, system.Id);
            var gaining = await documents.GainingAccessAsync(admin, system.Id);
            onePagers += 2;
            Assert.True(PdfText.PageCount(setup.Content) == 1, $"{system.Code} coordinator setup is one page");
            Assert.True(PdfText.PageCount(gaining.Content) == 1, $"{system.Code} gaining access is one page");
        }
        output.WriteLine($"{onePagers} one-pagers through DocumentService, each read back with PdfPig: {timer.Elapsed.TotalSeconds:F1} s");

        var busiest = systems.MaxBy(s => s.LocalCoordinators)!;
        var text = PdfText.All((await documents.CoordinatorSetupAsync(admin, busiest.Id)).Content);
        Assert.Contains("more local coordinators — see the Coordinators page", text, StringComparison.Ordinal);

        var largest = systems.MaxBy(s => s.ActiveGrants)!;
        timer.Restart();
        var list = await documents.AuthorizedUserListPdfAsync(admin, largest.Id);
        output.WriteLine($"Authorized-user list of {largest.Code} ({largest.ActiveGrants} active grants): {timer.ElapsedMilliseconds} ms, {list.Content.Length / 1024} KB");
        var pages = PdfText.Pages(list.Content);
        Assert.True(pages.Count > 1);
        Assert.All(pages, page => Assert.Contains("Name Position Role School Granted on IEP Forms", page, StringComparison.Ordinal));
        Assert.Contains($"Total: {largest.ActiveGrants:N0} active roles", pages[^1], StringComparison.Ordinal);

        var zip = new MemoryStream();
        timer.Restart();
        await documents.WriteOnePagersZipAsync(admin, zip);
        output.WriteLine($"ZIP of all {onePagers} one-pagers: {timer.ElapsedMilliseconds} ms ({onePagers / timer.Elapsed.TotalSeconds:F0} one-pagers/s), {zip.Length / 1024} KB");
    }
}

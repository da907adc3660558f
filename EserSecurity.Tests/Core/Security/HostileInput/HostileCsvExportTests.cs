using System.Text;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Documents;
using EserSecurity.Core.Readiness;
using EserSecurity.Core.Reviews;
using EserSecurity.Tests.Core.Reviews;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EserSecurity.Tests.Core.Security.HostileInput;

/// <summary>
/// Names an import stores as they are (a last name "=1+2", a school "=HYPERLINK(0)", a role "-2+3") come back out in
/// every CSV the console produces: each such cell starts with a single quote, so a spreadsheet shows it and never runs
/// it, and no cell of the export starts with =, +, - or @.
/// </summary>
public sealed class HostileCsvExportTests
{
    private static readonly Dictionary<string, Func<TestDatabase, TestState, ReviewSetup, Task<GeneratedDocument>>> Exports = new()
    {
        ["authorized users"] = (db, s, _) => db.Get<DocumentService>().AuthorizedUserListCsvAsync(TestState.CallerFor(s.DistrictA), s.LeaA.Id),
        ["assurance status"] = (db, s, _) =>
            db.Get<AssuranceStatusService>().ExportCsvAsync(TestState.CallerFor(s.DistrictA), new AssurancePeopleQuery(SchoolSystemId: s.LeaA.Id)),
        ["not ready"] = (db, s, _) => db.Get<ReadinessService>().ExportNotReadyCsvAsync(TestState.CallerFor(s.DistrictA), s.LeaA.Id),
        ["access review"] = (db, s, review) => db.Get<AccessReviewService>().ReportCsvAsync(TestState.CallerFor(s.DistrictA), review.ReviewId),
    };

    public static TheoryData<string> ExportNames() => [.. Exports.Keys];

    [Theory]
    [MemberData(nameof(ExportNames))]
    public async Task FormulaNames_AreWrittenOutAsText(string export)
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using (var db = await database.OpenAsync())
        {
            await db.StaffMembers.Where(p => p.Id == state.UserA1.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(p => p.LastName, "=1+2").SetProperty(p => p.FirstName, "@SUM(1)").SetProperty(p => p.Position, "+CMD"));
            await db.Schools.Where(x => x.Id == state.A1.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.Name, "=HYPERLINK(0)"));
            await db.EserRoles.Where(r => r.Id == state.SchoolRole.Id).ExecuteUpdateAsync(u => u.SetProperty(r => r.Name, "-2+3"));
        }
        var review = await ReviewSetup.OpenForAAsync(database, state);
        await LegacyAccessState.AddAsync(database, state.UserA1, state.LeaA, state.A1, (await LegacyAccessState.CreateAsync(database, state)).DataEntry);

        var document = await Exports[export](database, state, review);

        var cells = CsvRecords.Parse(Encoding.UTF8.GetString(document.Content).TrimStart('\uFEFF')).SelectMany(r => r).ToList();
        Assert.Contains(cells, c => c.Length > 1 && c[0] == '\'' && c[1] is '=' or '+' or '-' or '@');
        Assert.DoesNotContain(cells, c => c.Length > 0 && c[0] is '=' or '+' or '-' or '@');
    }
}

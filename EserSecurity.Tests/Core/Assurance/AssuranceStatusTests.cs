using System.Text;
using EserSecurity.Core;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Data;
using EserSecurity.Core.Home;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using EserSecurity.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using static EserSecurity.Tests.Core.Assurance.AssuranceTestSupport;

namespace EserSecurity.Tests.Core.Assurance;

public sealed class AssuranceStatusTests
{
    private static readonly DateTimeOffset June30 = new(2026, 6, 30, 18, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(2026, 6, 30, AssuranceStatus.Overdue)]
    [InlineData(2026, 7, 1, AssuranceStatus.Due)]
    [InlineData(2026, 7, 30, AssuranceStatus.Due)]
    [InlineData(2026, 7, 31, AssuranceStatus.Overdue)]
    [InlineData(2026, 8, 1, AssuranceStatus.Overdue)]
    [InlineData(2027, 6, 30, AssuranceStatus.Overdue)]
    public void StatusOn_Unsigned_IsDueForThirtyDaysFromJuly1_ThenOverdue(int year, int month, int day, AssuranceStatus expected)
    {
        Assert.Equal(expected, AssuranceRules.StatusOn(new DateOnly(year, month, day), signedThisYear: false));
        Assert.Equal(AssuranceStatus.Signed, AssuranceRules.StatusOn(new DateOnly(year, month, day), signedThisYear: true));
    }

    [Fact]
    public async Task SignedOnJune30_IsDueOnJuly1_AndOverdueAfterTheGracePeriod()
    {
        var (database, state) = await ArrangeAsync(June30);
        await using var _ = database;
        await SignAsync(database, state.UserA1, await PublishAsync(database, state));

        var onJune30 = await StatusOfAsync(database, state);
        var onJuly1 = await StatusOfAsync(database, state, new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero));
        var day29 = await StatusOfAsync(database, state, new DateTimeOffset(2026, 7, 30, 23, 59, 0, TimeSpan.Zero));
        var day30 = await StatusOfAsync(database, state, new DateTimeOffset(2026, 7, 31, 0, 0, 0, TimeSpan.Zero));
        var day31 = await StatusOfAsync(database, state, new DateTimeOffset(2026, 8, 1, 12, 0, 0, TimeSpan.Zero));

        Assert.Equal(
            new[] { AssuranceStatus.Signed, AssuranceStatus.Due, AssuranceStatus.Due, AssuranceStatus.Overdue, AssuranceStatus.Overdue },
            new[] { onJune30, onJuly1, day29, day30, day31 });
    }

    [Fact]
    public async Task Report_InTheGracePeriod_CountsUnsignedAsDue_AndNamesTheFirstOverdueDay()
    {
        var (database, state) = await ArrangeAsync(new DateTimeOffset(2026, 7, 20, 12, 0, 0, TimeSpan.Zero));
        await using var _ = database;
        await SignAsync(database, state.UserA1, await PublishAsync(database, state));

        var report = await database.Get<AssuranceStatusService>().GetReportAsync(TestState.CallerFor(state.StateAdmin));

        Assert.Equal(new AssuranceCounts(1, 7, 0), report.Totals);
        Assert.Equal((new SchoolYear(2026), new DateOnly(2026, 7, 31)), (report.Year, report.OverdueFrom));
    }

    [Fact]
    public async Task GracePeriod_IsConfigurable()
    {
        var (database, state) = await ArrangeAsync(new DateTimeOffset(2026, 7, 12, 12, 0, 0, TimeSpan.Zero));
        await using var _ = database;
        var tenDays = new AssuranceStatusService(database.Factory, database.Get<ScopeService>(), database.Clock,
            Options.Create(new AssuranceOptions { GraceDays = 10 }));

        var report = await tenDays.GetReportAsync(TestState.CallerFor(state.StateAdmin));

        Assert.Equal((new AssuranceCounts(0, 0, 8), new DateOnly(2026, 7, 11)), (report.Totals, report.OverdueFrom));
        Assert.Equal(8, (await database.Get<AssuranceStatusService>().GetReportAsync(TestState.CallerFor(state.StateAdmin))).Totals.Due);
    }

    [Fact]
    public void GraceDays_IsBoundFromTheAssuranceSection_AndValidated()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Assurance:GraceDays"] = "45" });
        builder.AddEserSecurityCore();
        using var services = builder.Services.BuildServiceProvider();
        var invalid = new ServiceCollection().AddEserSecurityCore(new DatabaseOptions()).Configure<AssuranceOptions>(o => o.GraceDays = -1);
        using var invalidServices = invalid.BuildServiceProvider();

        Assert.Equal(45, services.GetRequiredService<IOptions<AssuranceOptions>>().Value.GraceDays);
        Assert.Equal(30, new AssuranceOptions().GraceDays);
        Assert.Throws<OptionsValidationException>(() => invalidServices.GetRequiredService<IOptions<AssuranceOptions>>().Value);
    }

    [Fact]
    public async Task Report_CountsDistinctPeopleBySchoolSystemAndSchool_OnTheKnownState()
    {
        var (database, state) = await SignedStateAsync();
        await using var _ = database;

        var report = await database.Get<AssuranceStatusService>().GetReportAsync(TestState.CallerFor(state.StateAdmin));

        Assert.Equal(new AssuranceCounts(3, 0, 5), report.Totals);
        Assert.Equal(
            new (string? Code, string Name, int Signed, int Overdue)[]
            {
                ("101", "Alpha Parish Schools", 2, 3), ("202", "Bravo City Schools", 1, 1), (null, AssuranceService.StateAgencyName, 0, 1),
            },
            report.SchoolSystems.Select(s => (s.Code, s.Name, s.Counts.Signed, s.Counts.Overdue)));
        Assert.Equal(
            new[]
            {
                ("Alpha Elementary", 1, 1), ("Alpha Middle", 0, 0), ("Alpha High", 0, 1), ("Bravo Elementary", 1, 0),
                ("No school (school-system staff)", 1, 1), ("No school (school-system staff)", 0, 1), ("State agency staff", 0, 1),
            },
            report.Schools.Select(s => (s.SchoolName, s.Counts.Signed, s.Counts.Overdue)));
        Assert.Equal(new int?[] { state.LeaA.Id, state.LeaB.Id, null }, report.Schools.Skip(4).Select(s => s.SchoolSystemId));
    }

    [Theory]
    [InlineData("district", 2, 3, new[] { "Alpha Elementary", "Alpha Middle", "Alpha High", "No school (school-system staff)" })]
    [InlineData("supervisor", 2, 3, new[] { "Alpha Elementary", "Alpha Middle", "Alpha High", "No school (school-system staff)" })]
    [InlineData("local", 1, 1, new[] { "Alpha Elementary", "Alpha Middle" })]
    [InlineData("districtB", 1, 1, new[] { "Bravo Elementary", "No school (school-system staff)" })]
    public async Task Report_CoversExactlyTheCallersScope(string who, int signed, int overdue, string[] schools)
    {
        var (database, state) = await SignedStateAsync();
        await using var _ = database;
        var caller = TestState.CallerFor(Person(state, who));

        var report = await database.Get<AssuranceStatusService>().GetReportAsync(caller);
        var people = await database.Get<AssuranceStatusService>().GetPeopleAsync(caller, new AssurancePeopleQuery(PageSize: 50));

        Assert.Equal((signed, overdue), (report.Totals.Signed, report.Totals.Overdue));
        Assert.Equal(schools, report.Schools.Select(s => s.SchoolName));
        Assert.Equal(signed + overdue, people.TotalCount);
    }

    [Fact]
    public async Task StatusPages_AreRefusedToStaffWithoutScope_AndToFiltersOutsideScope()
    {
        var (database, state) = await SignedStateAsync();
        await using var _ = database;
        var service = database.Get<AssuranceStatusService>();
        var user = TestState.CallerFor(state.UserA1);
        var local = TestState.CallerFor(state.LocalA);
        var districtB = TestState.CallerFor(state.DistrictB);

        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.GetReportAsync(user));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.GetPeopleAsync(user, new AssurancePeopleQuery()));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.ExportCsvAsync(user, new AssurancePeopleQuery()));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.GetPeopleAsync(local, new AssurancePeopleQuery(SchoolId: state.A3.Id)));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.GetReportAsync(districtB, state.LeaA.Id));
        await Assert.ThrowsAsync<ScopeDeniedException>(() => service.ExportCsvAsync(districtB, new AssurancePeopleQuery(SchoolSystemId: state.LeaA.Id)));
    }

    [Fact]
    public async Task People_FilterByStatusSchoolAndSearch_SortAndPageOnTheServer()
    {
        var (database, state) = await SignedStateAsync();
        await using var _ = database;
        var service = database.Get<AssuranceStatusService>();
        var admin = TestState.CallerFor(state.StateAdmin);

        var signed = await service.GetPeopleAsync(admin, new AssurancePeopleQuery(Status: AssuranceStatus.Signed));
        var due = await service.GetPeopleAsync(admin, new AssurancePeopleQuery(Status: AssuranceStatus.Due));
        var overdueAtA1 = await service.GetPeopleAsync(admin, new AssurancePeopleQuery(Status: AssuranceStatus.Overdue, SchoolId: state.A1.Id));
        var byStaffId = await service.GetPeopleAsync(admin, new AssurancePeopleQuery(Search: state.UserB1.StaffId));
        var byName = await service.GetPeopleAsync(admin, new AssurancePeopleQuery(Search: "user al"));
        var newestFirst = await service.GetPeopleAsync(admin, new AssurancePeopleQuery(Status: AssuranceStatus.Signed, Sort: AssurancePeopleSort.SignedAt, Descending: true));
        var secondPage = await service.GetPeopleAsync(admin, new AssurancePeopleQuery(Page: 1, PageSize: 3));

        Assert.Equal(["alpha", "alpha1", "bravo1"], signed.Items.Select(p => p.Name.Split(' ')[1]));
        Assert.Empty(due.Items);
        Assert.Equal("local alpha", Assert.Single(overdueAtA1.Items).Name);
        var bravo = Assert.Single(byStaffId.Items);
        Assert.Equal(("user bravo1", "Bravo City Schools", AssuranceStatus.Signed, 1), (bravo.Name, bravo.SchoolSystemName, bravo.Status, bravo.VersionNumber));
        Assert.Equal(["Bravo Elementary"], bravo.Schools);
        Assert.Equal(["user alpha1", "user alpha3"], byName.Items.Select(p => p.Name));
        Assert.Equal(["user bravo1", "district alpha", "user alpha1"], newestFirst.Items.Select(p => p.Name));
        Assert.Equal((8, 3), (secondPage.TotalCount, secondPage.Items.Count));
        Assert.Equal(["supervisor alpha", "user alpha1", "user alpha3"], secondPage.Items.Select(p => p.Name));
    }

    [Fact]
    public async Task ExportCsv_ListsEveryFilteredPerson_WithFormulasNeutralised()
    {
        var (database, state) = await SignedStateAsync();
        await using var _ = database;
        await using (var db = await database.OpenAsync())
        {
            db.StaffMembers.Add(new StaffMember
            {
                StaffId = "9100000001", FirstName = "Eve", LastName = "=HYPERLINK(\"http://x\")", Email = "eve@example.org",
                SchoolSystemId = state.LeaA.Id, Position = "+Teacher, grade 3",
            });
            await db.SaveChangesAsync();
        }

        var csv = await database.Get<AssuranceStatusService>().ExportCsvAsync(TestState.CallerFor(state.DistrictA),
            new AssurancePeopleQuery(SchoolSystemId: state.LeaA.Id, Page: 5, PageSize: 1));

        Assert.Equal(("assurance-status-101-2026-11-28.csv", "text/csv; charset=utf-8"), (csv.FileName, csv.ContentType));
        var text = Encoding.UTF8.GetString(csv.Content);
        Assert.StartsWith("\uFEFF", text, StringComparison.Ordinal);
        var lines = text.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Last name,First name,Staff ID,Position,School system,Schools,Status,Signed on,Version", lines[0]);
        Assert.Equal(7, lines.Length);
        Assert.Equal("\"'=HYPERLINK(\"\"http://x\"\")\",Eve,9100000001,\"'+Teacher, grade 3\",Alpha Parish Schools,,Overdue,,", lines[1]);
        Assert.Contains($"alpha1,user,{state.UserA1.StaffId},Teacher,Alpha Parish Schools,Alpha Elementary,Signed,2026-11-28,1", lines);
        Assert.Contains($"alpha3,user,{state.UserA3.StaffId},Teacher,Alpha Parish Schools,Alpha High,Overdue,,", lines);
    }

    [Fact]
    public async Task HomeFigures_ShowTheSameCountsAsTheStatusPage()
    {
        var (database, state) = await SignedStateAsync();
        await using var _ = database;
        var home = database.Get<HomeService>();
        var status = database.Get<AssuranceStatusService>();

        foreach (var person in new[] { state.StateAdmin, state.DistrictA, state.LocalA, state.SupervisorA, state.DistrictB })
        {
            var caller = TestState.CallerFor(person);
            Assert.Equal((await status.GetReportAsync(caller)).Totals, (await home.GetSummaryAsync(caller)).Assurance);
        }
        var admin = await home.GetSummaryAsync(TestState.CallerFor(state.StateAdmin));
        var user = await home.GetSummaryAsync(TestState.CallerFor(state.UserA3));
        Assert.Equal(3, admin.Statewide!.AssurancesSignedThisYear);
        Assert.Null(user.Assurance);
        Assert.Equal(AssuranceStatus.Overdue, user.Personal.AssuranceStatus);
    }

    /// <summary>The known state on Nov 28, 2026, with user alpha1, district alpha and user bravo1 signed, in that order.</summary>
    private static async Task<(TestDatabase Database, TestState State)> SignedStateAsync()
    {
        var (database, state) = await ArrangeAsync();
        var version = await PublishAsync(database, state);
        foreach (var person in new[] { state.UserA1, state.DistrictA, state.UserB1 })
        {
            await SignAsync(database, person, version);
            database.Clock.Advance(TimeSpan.FromMinutes(5));
        }
        return (database, state);
    }

    private static async Task<AssuranceStatus> StatusOfAsync(TestDatabase database, TestState state, DateTimeOffset? on = null)
    {
        if (on is { } day)
        {
            database.Clock.SetUtcNow(day);
        }
        var people = await database.Get<AssuranceStatusService>().GetPeopleAsync(TestState.CallerFor(state.StateAdmin),
            new AssurancePeopleQuery(Search: state.UserA1.StaffId));
        return Assert.Single(people.Items).Status;
    }
}

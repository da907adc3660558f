using System.Diagnostics;
using EserSecurity.Core.Administration;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Staff;
using EserSecurity.Dashboard.Hosting;
using EserSecurity.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EserSecurity.Tests.Dashboard.Hosting;

/// <summary>
/// The nightly feed's command line, run as the real built console (<c>dotnet EserSecurity.Dashboard.dll import …</c>)
/// against a SQLite file of its own: exit codes, what it prints, that a commit is audited as the acting person, and the
/// first load of an empty database without one.
/// </summary>
public sealed class DirectoryCommandLineTests
{
    private sealed record Run(int ExitCode, string Output, string Error);

    private static async Task<Run> RunConsoleAsync(TestDatabase database, IReadOnlyList<string> args, IDictionary<string, string>? environment = null)
    {
        var dashboard = DashboardOutputDirectory();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dashboard,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(dashboard, "EserSecurity.Dashboard.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Database__ConnectionString"] = database.ConnectionString;
        // The same key as the test database's services, so both extend one chain.
        start.Environment["Audit__ChainKey"] = TestDatabase.TestChainKey;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the console.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new Run(process.ExitCode, await output, await error);
    }

    /// <summary>The Dashboard's build output beside the tests' own (same configuration and framework).</summary>
    private static string DashboardOutputDirectory()
    {
        var testOutput = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var marker = $"{Path.DirectorySeparatorChar}EserSecurity.Tests{Path.DirectorySeparatorChar}";
        var index = testOutput.LastIndexOf(marker, StringComparison.Ordinal);
        return testOutput[..index] + $"{Path.DirectorySeparatorChar}EserSecurity.Dashboard{Path.DirectorySeparatorChar}" + testOutput[(index + marker.Length)..];
    }

    private static async Task<string> WriteAsync(DirectoryCsv csv)
    {
        var path = Path.Combine(Path.GetTempPath(), $"eser-directory-{Guid.NewGuid():N}.csv");
        await File.WriteAllBytesAsync(path, csv.ToBytes());
        return path;
    }

    [Fact]
    public async Task StaffFileWithBlockingRows_PrintsCountsAndTheFirstProblems_AndExitsOne_WritingNothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        var file = await WriteAsync(DirectoryCsv.Staff()
            .Row("5550001", "Newman", "Nora", "nora@example.org", "101", "101002", "Teacher", "Active", "", "")
            .Row("12AB", "Doe", "Jane", "j@example.org", "101", "101001", "Teacher", "Active", "", ""));

        var run = await RunConsoleAsync(database, ["import", "staff", "--file", file, "--commit", "--as", s.StateAdmin.StaffId]);

        Assert.Equal(DirectoryCommandLine.CannotCommit, run.ExitCode);
        Assert.Matches(@"new\s+1", run.Output);
        Assert.Matches(@"invalid\s+1", run.Output);
        Assert.Contains("line 3: invalid: The Staff ID \"12AB\"", run.Output);
        Assert.Contains("Nothing was imported", run.Error);
        await using var db = await database.OpenAsync();
        Assert.False(await db.StaffMembers.AnyAsync(p => p.StaffId == "5550001"));
        File.Delete(file);
    }

    [Fact]
    public async Task StaffFileCommitted_AsTheConfiguredActingPerson_IsImportedAndAuditedAsThem_AndExitsZero()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        var file = await WriteAsync(DirectoryCsv.Staff()
            .Row("5550001", "Thibodeaux, Renée", "Nora", "nora@example.org", "101", "101002", "Teacher", "Active", "", "")
            .Person(s.UserA3, "101", "101003", status: "Ended", statusDate: "2026-11-20"));

        var preview = await RunConsoleAsync(database, ["import", "staff", "--file", file],
            new Dictionary<string, string> { ["Import__ActingStaffId"] = s.DistrictA.StaffId });
        var commit = await RunConsoleAsync(database, ["import", "staff", "--file", file, "--commit"],
            new Dictionary<string, string> { ["Import__ActingStaffId"] = s.DistrictA.StaffId });

        Assert.Equal(0, preview.ExitCode);
        Assert.Contains("Preview only", preview.Output);
        Assert.Equal(0, commit.ExitCode);
        Assert.Contains("1 created", commit.Output);
        Assert.Matches(@"not in this file\s+4", commit.Output);
        await using var db = await database.OpenAsync();
        Assert.Equal("Thibodeaux, Renée", (await db.StaffMembers.SingleAsync(p => p.StaffId == "5550001")).LastName);
        Assert.Equal(EmploymentStatus.Ended, (await db.StaffMembers.SingleAsync(p => p.Id == s.UserA3.Id)).EmploymentStatus);
        var audit = await db.AuditEvents.SingleAsync();
        Assert.Equal(("StaffDirectory.Imported", s.DistrictA.Id, s.DistrictA.FullName), (audit.Action, audit.ActorId, audit.ActorName));
        File.Delete(file);
    }

    [Fact]
    public async Task SchoolFile_CommittedByAStateAdministrator_ExitsZero_AndByACoordinator_IsRefusedAsBadUsage()
    {
        await using var database = await TestDatabase.CreateAsync();
        var s = await TestState.CreateAsync(database);
        var file = await WriteAsync(DirectoryCsv.Schools().Row("101", "Alpha Parish Schools", "101009", "Alpha New", "Open"));

        var coordinator = await RunConsoleAsync(database, ["import", "schools", "--file", file, "--commit", "--as", s.DistrictA.StaffId]);
        var admin = await RunConsoleAsync(database, ["import", "schools", "--file", file, "--commit", "--as", s.StateAdmin.StaffId]);

        Assert.Equal(DirectoryCommandLine.BadUsage, coordinator.ExitCode);
        Assert.Contains("may not do this", coordinator.Error);
        Assert.Equal(0, admin.ExitCode);
        await using var db = await database.OpenAsync();
        Assert.True(await db.Schools.AnyAsync(x => x.SiteCode == "101009"));
        File.Delete(file);
    }

    [Fact]
    public async Task OnAnEmptyDatabase_SchoolsThenStaff_ImportWithoutAnActingPerson_ThenTheBootstrap_ThenAnImportNeedsOne()
    {
        await using var database = await TestDatabase.CreateAsync();
        var schools = await WriteAsync(DirectoryCsv.Schools()
            .Row("101", "Alpha Parish Schools", "101001", "Alpha Elementary", "Open")
            .Row("202", "Bravo City Schools", "202001", "Bravo Elementary", "Open"));
        var staff = await WriteAsync(DirectoryCsv.Staff()
            .Row("7000001", "Thibodeaux", "Renée", "renee@example.org", "101", "101001", "eSER Program Manager", "Active", "", "")
            .Row("5550002", "Baker", "Bo", "bo@example.org", "202", "202001", "Teacher", "Active", "", ""));

        var schoolRun = await RunConsoleAsync(database, ["import", "schools", "--file", schools, "--commit"]);
        var staffRun = await RunConsoleAsync(database, ["import", "staff", "--file", staff, "--commit"]);

        Assert.Equal((0, ""), (schoolRun.ExitCode, schoolRun.Error));
        Assert.Contains($"as {AuditLog.FirstDirectoryImportActorName}", schoolRun.Output);
        Assert.Equal((0, ""), (staffRun.ExitCode, staffRun.Error));
        Assert.Contains("2 created", staffRun.Output);
        await using (var db = await database.OpenAsync())
        {
            Assert.Equal(2, await db.StaffMembers.CountAsync());
            Assert.Equal(
                [("SchoolDirectory.Imported", AuditLog.FirstDirectoryImportActorName, (int?)null), ("StaffDirectory.Imported", AuditLog.FirstDirectoryImportActorName, null)],
                (await db.AuditEvents.OrderBy(e => e.Sequence).ToListAsync()).Select(e => (e.Action, e.ActorName, e.ActorId)));
        }

        var bootstrap = ActivatorUtilities.CreateInstance<StateAdministratorService>(database.Services,
            Options.Create(new BootstrapOptions { StateAdministrator = "7000001" }), NullLogger<StateAdministratorService>.Instance);
        Assert.Equal(BootstrapOutcome.Made, (await bootstrap.BootstrapAsync()).Outcome);
        var more = await WriteAsync(DirectoryCsv.Staff()
            .Row("5550003", "Carter", "Cy", "cy@example.org", "101", "101001", "Teacher", "Active", "", ""));

        var refused = await RunConsoleAsync(database, ["import", "staff", "--file", more, "--commit"]);
        var asTheAdministrator = await RunConsoleAsync(database, ["import", "staff", "--file", more, "--commit", "--as", "7000001"]);

        Assert.Equal(DirectoryCommandLine.BadUsage, refused.ExitCode);
        Assert.Contains("already has an active state administrator", refused.Error);
        Assert.Contains("--as <Staff ID>, or the configuration key Import:ActingStaffId", refused.Error);
        Assert.Equal(0, asTheAdministrator.ExitCode);
        await using (var db = await database.OpenAsync())
        {
            var last = await db.AuditEvents.OrderByDescending(e => e.Sequence).FirstAsync();
            Assert.Equal(("StaffDirectory.Imported", "Renée Thibodeaux"), (last.Action, last.ActorName));
            Assert.Equal(3, await db.StaffMembers.CountAsync());
        }
        File.Delete(schools);
        File.Delete(staff);
        File.Delete(more);
    }

    [Theory]
    [InlineData("import")]
    [InlineData("import staff --commit")]
    [InlineData("import staff --file /no/such/file.csv")]
    [InlineData("import staff --file {file} --frobnicate")]
    [InlineData("import schools --file {file} --end-missing")]
    [InlineData("import staff --file {file}")]
    [InlineData("import staff --file {file} --as 1234567890")]
    public async Task BadUsage_ExitsTwo_WithoutWriting(string commandLine)
    {
        await using var database = await TestDatabase.CreateAsync();
        await TestState.CreateAsync(database);
        var file = await WriteAsync(DirectoryCsv.Staff().Row("5550001", "Newman", "Nora", "nora@example.org", "101", "101002", "Teacher", "Active", "", ""));

        var run = await RunConsoleAsync(database, commandLine.Replace("{file}", file, StringComparison.Ordinal).Split(' '));

        Assert.Equal(DirectoryCommandLine.BadUsage, run.ExitCode);
        Assert.NotEmpty(run.Error);
        await using var db = await database.OpenAsync();
        Assert.False(await db.StaffMembers.AnyAsync(p => p.StaffId == "5550001"));
        File.Delete(file);
    }
}

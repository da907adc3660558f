using System.Diagnostics;
using System.Text;
using EserSecurity.Core;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Data;
using EserSecurity.Core.Staff;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Tests.Browser;

/// <summary>
/// The real console process, started twice against one database that has a staff directory and no state administrator,
/// with <c>Bootstrap__StateAdministrator</c> set: the first start makes the administrator, the second ignores the setting.
/// </summary>
public sealed class ConsoleBootstrapTests : IAsyncLifetime
{
    private const string StaffId = "8800001";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"eser-bootstrap-{Guid.NewGuid():N}");
    private ServiceProvider? _services;

    private string DatabasePath => Path.Combine(_directory, "console.db");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        var options = new DatabaseOptions { ConnectionString = $"Data Source={DatabasePath}" };
        var services = new ServiceCollection();
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        services.AddLogging();
        services.AddEserSecurityCore(options);
        _services = services.BuildServiceProvider();
        // The state's staff directory, as an import leaves it: one person, and no state administrator yet.
        await _services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        await using var db = await Factory.CreateDbContextAsync();
        db.StaffMembers.Add(new StaffMember
        {
            StaffId = StaffId, FirstName = "Renée", LastName = "Thibodeaux", Email = "renee.thibodeaux@example.org", Position = "eSER Program Manager",
        });
        await db.SaveChangesAsync();
    }

    private IDbContextFactory<EserSecurityDbContext> Factory => _services!.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>();

    [Fact]
    public async Task FirstStartMakesExactlyOneStateAdministrator_AndTheSecondStartIgnoresTheSetting()
    {
        var first = await StartAndStopAsync();

        Assert.Contains($"Bootstrap:StateAdministrator: made Renée Thibodeaux (Staff ID {StaffId}) the first state administrator.", first);
        await using (var db = await Factory.CreateDbContextAsync())
        {
            var admin = Assert.Single(await db.StateAdministrators.Include(a => a.StaffMember).ToListAsync());
            Assert.Equal((StaffId, (int?)null), (admin.StaffMember!.StaffId, admin.AddedById));
            var audit = Assert.Single(await db.AuditEvents.ToListAsync());
            Assert.Equal(("StateAdministrator.Added", AuditLog.BootstrapActorName), (audit.Action, audit.ActorName));
        }

        var second = await StartAndStopAsync();

        Assert.Contains($"Bootstrap:StateAdministrator ({StaffId}) ignored: the console already has 1 active state administrator.", second);
        Assert.DoesNotContain("made Renée Thibodeaux", second);
        await using var after = await Factory.CreateDbContextAsync();
        Assert.Single(await after.StateAdministrators.ToListAsync());
        Assert.Single(await after.AuditEvents.ToListAsync());
    }

    /// <summary>Starts the console, waits until it serves (or exits), stops it, and returns what it wrote.</summary>
    private async Task<string> StartAndStopAsync()
    {
        var dashboard = ConsoleServer.DashboardOutputDirectory();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dashboard,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(dashboard, "EserSecurity.Dashboard.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{ConsoleServer.FreePort()}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Database__ConnectionString"] = $"Data Source={DatabasePath}";
        start.Environment["Database__DemoState"] = "None";
        start.Environment["Bootstrap__StateAdministrator"] = StaffId;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__EserSecurity.Core.Administration"] = "Information";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        var output = new StringBuilder();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the console.");
        void Record(string? line)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
            if (line?.Contains("Application started", StringComparison.Ordinal) == true)
            {
                started.TrySetResult();
            }
        }
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        var finished = await Task.WhenAny(started.Task, exited, Task.Delay(TimeSpan.FromSeconds(120)));
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        lock (output)
        {
            Assert.True(finished == started.Task, $"The console did not start:\n{output}");
            return output.ToString();
        }
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a dying process; the temp folder is cleaned by the OS.
        }
    }
}

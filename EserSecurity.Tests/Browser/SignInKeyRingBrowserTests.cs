using EserSecurity.DemoState;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace EserSecurity.Tests.Browser;

/// <summary>
/// Two console processes over one database, each with its own home directory (as on two machines or two containers,
/// where the framework's default key store in the home directory is not shared): a session cookie that the first
/// issued is accepted by the second. In the browser collection so that its two consoles do not start beside the
/// shared one.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SignInKeyRingBrowserTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"eser-keyring-{Guid.NewGuid():N}");

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ASessionCookieFromOneInstance_IsAcceptedByASecondInstanceOverTheSameDatabase()
    {
        var database = Path.Combine(_directory, "console.db");
        var first = new SharedDatabaseConsole(database, Path.Combine(_directory, "home-1"));
        var second = new SharedDatabaseConsole(database, Path.Combine(_directory, "home-2"));
        try
        {
            await first.InitializeAsync();
            var page = await first.SignInAsync(DemoPeople.StaffUser);
            var signedInAs = await page.GetByTestId("signed-in-as").InnerTextAsync();
            await second.InitializeAsync();

            // The cookie is the browser's for 127.0.0.1 whatever the port, so the second console receives it.
            await page.GotoAsync(second.BaseUrl + "/");

            // A cookie the second cannot read would have sent the browser to the sign-in page.
            Assert.Equal(second.BaseUrl + "/", page.Url);
            await ConsoleServer.WaitForCircuitAsync(page);
            await Assertions.Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync(signedInAs);
            first.PolicyViolations.AssertNone();
        }
        finally
        {
            await second.DisposeAsync();
            await first.DisposeAsync();
        }
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a dying process; the temp folder is cleaned by the OS.
        }
        return Task.CompletedTask;
    }

    /// <summary>A console on the given database file, with its own home directory.</summary>
    private sealed class SharedDatabaseConsole(string databasePath, string home) : ConsoleServer
    {
        protected override Task ConfigureAsync(IDictionary<string, string?> environment)
        {
            Directory.CreateDirectory(home);
            environment["Database__ConnectionString"] = $"Data Source={databasePath}";
            environment["HOME"] = home;
            return Task.CompletedTask;
        }
    }
}

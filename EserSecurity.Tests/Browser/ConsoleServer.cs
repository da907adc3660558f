using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using EserSecurity.Core;
using EserSecurity.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EserSecurity.Tests.Browser;

/// <summary>
/// The real console, started as its own process on a free loopback port with its own database (small demo state),
/// and Debian's Chromium driven by Playwright. One per test collection; a derived fixture can add configuration
/// (<see cref="ConfigureAsync"/>) before the console starts, choose another database (<see cref="CreateDatabaseAsync"/>)
/// and start further instances of the console over it (<see cref="StartAnotherConsoleAsync"/>).
/// </summary>
public class ConsoleServer : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"eser-browser-{Guid.NewGuid():N}");
    private readonly List<ConsoleProcess> _consoles = [];
    private DatabaseOptions _database = null!;
    private IPlaywright? _playwright;
    private ServiceProvider? _services;

    public string BaseUrl { get; private set; } = "";

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Content-Security-Policy violations in every browser context opened through <see cref="NewContextAsync"/>.</summary>
    public ContentSecurityPolicyWatch PolicyViolations { get; } = new();

    public string DatabasePath => Path.Combine(_directory, "console.db");

    /// <summary>Core services over the same database the console uses, for computing expected figures.</summary>
    public IServiceProvider Services => _services!;

    public virtual async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _database = await CreateDatabaseAsync();
        BaseUrl = await StartAnotherConsoleAsync();

        var services = new ServiceCollection();
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(_database));
        services.AddLogging();
        services.AddEserSecurityCore(_database);
        services.Configure<EserSecurity.Core.Audit.AuditOptions>(o => o.ChainKey = Support.TestDatabase.TestChainKey);
        _services = services.BuildServiceProvider();

        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: run ./test.sh, which installs Debian's chromium.");
        }
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
        ContentSecurityPolicyWatch.RegisterFixture(GetType(), PolicyViolations);
    }

    /// <summary>Adds or changes a console's environment (its configuration) before it starts, for each console started; <see cref="BaseUrl"/> is known by then.</summary>
    protected virtual Task ConfigureAsync(IDictionary<string, string?> environment) => Task.CompletedTask;

    /// <summary>The database the console starts on: a SQLite file of its own (<see cref="DatabasePath"/>) unless a derived fixture chooses another.</summary>
    protected virtual Task<DatabaseOptions> CreateDatabaseAsync() =>
        Task.FromResult(new DatabaseOptions { ConnectionString = $"Data Source={DatabasePath}" });

    /// <summary>Removes what <see cref="CreateDatabaseAsync"/> made outside the fixture's folder, after every console has stopped.</summary>
    protected virtual Task DropDatabaseAsync() => Task.CompletedTask;

    /// <summary>
    /// Starts an instance of the console on a free loopback port over the fixture's database, with the same
    /// configuration, and returns its address once it serves. The first is <see cref="BaseUrl"/>; start the next only
    /// after it, which has created the demo state by then.
    /// </summary>
    protected async Task<string> StartAnotherConsoleAsync()
    {
        var baseUrl = $"http://127.0.0.1:{FreePort()}";
        var dashboard = DashboardOutputDirectory();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dashboard,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(dashboard, "EserSecurity.Dashboard.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseUrl);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Database__Provider"] = _database.Provider;
        start.Environment["Database__ConnectionString"] = _database.ConnectionString;
        start.Environment["Database__DemoState"] = "Small";
        // The test process writes through Services over the same database: both extend the audit chain with one key.
        start.Environment["Audit__ChainKey"] = Support.TestDatabase.TestChainKey;
        // A change a test writes through Services is not on this console's feed; like another instance's change, it reaches
        // webhooks at the next poll, which is kept short here, as is the wait before a failed delivery is tried again.
        start.Environment["Webhooks__PollInterval"] = "00:00:01";
        start.Environment["Webhooks__FirstRetryAfter"] = "00:00:05";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        if (_consoles.Count == 0)
        {
            BaseUrl = baseUrl;
        }
        await ConfigureAsync(start.Environment);
        var console = new ConsoleProcess(start);
        _consoles.Add(console);
        await console.WaitUntilServingAsync();
        return baseUrl;
    }

    /// <summary>
    /// A fresh browser context (its own cookies), signed in as the given demo person, on the home page with a live
    /// circuit: on the first console, or on the one at <paramref name="baseUrl"/>.
    /// </summary>
    public async Task<IPage> SignInAsync(string username, string? baseUrl = null)
    {
        var context = await NewContextAsync(baseUrl);
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/dev/sign-in?search={Uri.EscapeDataString(username)}");
        await page.GetByRole(AriaRole.Button, new() { NameRegex = SignInButtonName(username) }).ClickAsync();
        await page.WaitForURLAsync((baseUrl ?? BaseUrl) + "/");
        await WaitForCircuitAsync(page);
        return page;
    }

    /// <summary>
    /// A fresh browser context (its own cookies) on the first console, or on the one at <paramref name="baseUrl"/>, whose
    /// pages report Content-Security-Policy violations to <see cref="PolicyViolations"/>.
    /// </summary>
    public async Task<IBrowserContext> NewContextAsync(string? baseUrl = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl ?? BaseUrl, ViewportSize = new() { Width = 1366, Height = 900 } });
        await PolicyViolations.WatchAsync(context);
        return context;
    }

    /// <summary>A person's button on the development sign-in page reads "Name username · position · school system".</summary>
    public static System.Text.RegularExpressions.Regex SignInButtonName(string username) =>
        new($@"\s{System.Text.RegularExpressions.Regex.Escape(username)} ·");

    /// <summary>Prerendered HTML looks ready but ignores clicks; the layout flips this marker once the circuit is live.</summary>
    public static Task WaitForCircuitAsync(IPage page) =>
        page.Locator("#circuit-state[data-state=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });

    /// <summary>What the consoles wrote, one after the other.</summary>
    public string Output => string.Join(Environment.NewLine, _consoles.Select(c => c.Output));

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The Dashboard's own build output (same configuration as the tests), where its static web assets manifest lives.</summary>
    internal static string DashboardOutputDirectory()
    {
        var testOutput = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var marker = $"{Path.DirectorySeparatorChar}EserSecurity.Tests{Path.DirectorySeparatorChar}";
        var index = testOutput.LastIndexOf(marker, StringComparison.Ordinal);
        var directory = testOutput[..index] + $"{Path.DirectorySeparatorChar}EserSecurity.Dashboard{Path.DirectorySeparatorChar}" + testOutput[(index + marker.Length)..];
        return Directory.Exists(directory) ? directory : throw new DirectoryNotFoundException($"Build the Dashboard first: {directory} is missing.");
    }

    public virtual async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
        foreach (var console in _consoles)
        {
            await console.DisposeAsync();
        }
        SqliteConnection.ClearAllPools();
        await DropDatabaseAsync();
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

/// <summary>One console process: started at construction, its output kept, killed at dispose.</summary>
internal sealed class ConsoleProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Process _process;

    public ConsoleProcess(ProcessStartInfo start)
    {
        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the console.");
        _process.OutputDataReceived += (_, e) =>
        {
            lock (_output)
            {
                _output.AppendLine(e.Data);
            }
            if (e.Data?.Contains("Application started", StringComparison.Ordinal) == true)
            {
                _started.TrySetResult();
            }
        };
        _process.ErrorDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output
    {
        get { lock (_output) { return _output.ToString(); } }
    }

    /// <summary>
    /// Waits for the host's own "Application started" line (logged once it listens), or for the process to exit:
    /// a condition, not a polling loop.
    /// </summary>
    public async Task WaitUntilServingAsync()
    {
        var exited = _process.WaitForExitAsync();
        var finished = await Task.WhenAny(_started.Task, exited, Task.Delay(TimeSpan.FromSeconds(120)));
        if (finished == exited)
        {
            throw new InvalidOperationException($"The console exited with code {_process.ExitCode}:\n{Output}");
        }
        if (finished != _started.Task)
        {
            throw new TimeoutException($"The console did not start within 120 s:\n{Output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}

[CollectionDefinition(Name)]
[FailOnContentSecurityPolicyViolation(typeof(ConsoleServer))]
public sealed class BrowserCollection : ICollectionFixture<ConsoleServer>
{
    public const string Name = "Browser";
}

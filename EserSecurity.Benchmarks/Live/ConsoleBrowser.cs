using System.Text.RegularExpressions;
using EserSecurity.Benchmarks.Measurement;
using Microsoft.Playwright;

namespace EserSecurity.Benchmarks.Live;

/// <summary>
/// Debian's Chromium through Playwright against one running console: people signed in through the development sign-in,
/// each page in its own context (its own window, never a background tab), and the CPU time the browser has used.
/// </summary>
internal sealed class ConsoleBrowser : IAsyncDisposable
{
    public const float StepTimeoutMs = 30_000;

    private const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly string _baseUrl;
    private readonly DashboardProcess? _console;

    private ConsoleBrowser(IPlaywright playwright, IBrowser browser, string baseUrl, DashboardProcess? console)
    {
        _playwright = playwright;
        _browser = browser;
        _baseUrl = baseUrl;
        _console = console;
    }

    /// <summary>The Playwright driver and Chromium: every process this benchmark started except the console.</summary>
    public TimeSpan CpuTime => ProcessTreeCpu.OfDescendants(Environment.ProcessId, _console?.ProcessId ?? -1);

    /// <summary>Fails before anything starts when the browser is missing; Playwright never downloads one here.</summary>
    public static void RequireChromium()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium (apt-get install -y chromium).");
        }
    }

    public static Task<ConsoleBrowser> LaunchAsync(DashboardProcess console) => LaunchAsync(console.BaseUrl, console);

    /// <summary>A browser on the console at <paramref name="baseUrl"/>; <paramref name="console"/> when this program started it.</summary>
    public static async Task<ConsoleBrowser> LaunchAsync(string baseUrl, DashboardProcess? console)
    {
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ChromiumArgs,
            });
            return new ConsoleBrowser(playwright, browser, baseUrl, console);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>Signs the person in through the development sign-in; the page ends on their home page with its circuit live.</summary>
    public async Task<IPage> SignInAsync(string username)
    {
        var page = await (await NewContextAsync(null)).NewPageAsync();
        await page.GotoAsync($"/dev/sign-in?search={Uri.EscapeDataString(username)}");
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex($@"\s{Regex.Escape(username)} ·") }).ClickAsync();
        await page.WaitForURLAsync(_baseUrl + "/");
        await WaitForCircuitAsync(page);
        return page;
    }

    /// <summary>
    /// <paramref name="count"/> pages of one person: the first signs in, the others are new contexts with the same sign-in
    /// cookie, still blank (the caller opens them one at a time).
    /// </summary>
    public async Task<IReadOnlyList<IPage>> SignInPagesAsync(string username, int count)
    {
        var pages = new List<IPage> { await SignInAsync(username) };
        var signedIn = await pages[0].Context.StorageStateAsync();
        while (pages.Count < count)
        {
            pages.Add(await (await NewContextAsync(signedIn)).NewPageAsync());
        }
        return pages;
    }

    /// <summary>Opens the path in each page in turn: starting many circuits at once on a small machine would only measure the start-up.</summary>
    public static async Task OpenOneByOneAsync(IEnumerable<IPage> pages, string path, CancellationToken ct)
    {
        foreach (var page in pages)
        {
            ct.ThrowIfCancellationRequested();
            await page.GotoAsync(path);
            await WaitForCircuitAsync(page);
        }
    }

    /// <summary>
    /// Prints what the open pages cost with nothing happening, to set beside the CPU of a round, once the opening's own
    /// work has settled: the console keeps compiling hot methods again (tiered JIT) for several seconds after many
    /// circuits start, and a round timed meanwhile measures that too.
    /// </summary>
    public async Task SettleAndReportIdleAsync(CancellationToken ct)
    {
        var console = _console ?? throw new InvalidOperationException("Only a console this program started can be watched settling.");
        await console.SettleAsync(ct);
        var before = (Console: console.CpuTime, Browser: CpuTime);
        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        Console.WriteLine($"  idle, per second: console CPU {(console.CpuTime - before.Console).TotalMilliseconds / 2:0} ms, " +
            $"browser CPU {(CpuTime - before.Browser).TotalMilliseconds / 2:0} ms");
    }

    /// <summary>Prerendered HTML looks ready but ignores clicks; the layout flips this marker once the circuit is live.</summary>
    public static Task WaitForCircuitAsync(IPage page) =>
        page.Locator("#circuit-state[data-state=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    /// <summary>Navigates inside the live circuit, as the console's own links do, so the page keeps its live subscriptions.</summary>
    public static Task NavigateInCircuitAsync(IPage page, string url) => page.EvaluateAsync("url => Blazor.navigateTo(url)", url);

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    private async Task<IBrowserContext> NewContextAsync(string? storageState)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _baseUrl,
            StorageState = storageState,
            ViewportSize = new() { Width = 1366, Height = 900 },
        });
        context.SetDefaultTimeout(StepTimeoutMs);
        return context;
    }
}

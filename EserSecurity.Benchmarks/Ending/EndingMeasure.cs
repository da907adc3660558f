using EserSecurity.Benchmarks.Live;
using Microsoft.Playwright;

namespace EserSecurity.Benchmarks.Ending;

/// <summary>
/// Times one ending: the coordinator's dialog is prepared, every observing page is armed to stamp the render that shows
/// the text, the confirm click is sent, and each page's stamp is set against the server's stamp on the change.
/// </summary>
internal sealed class EndingMeasure(DashboardProcess console, ConsoleBrowser browser, int timeoutMs)
{
    public async Task<EndingRound> RoundAsync(
        string measure, int round, string ended, IReadOnlyList<IPage> observing, string selector, string text,
        Func<Task<Func<Task>>> prepare, Func<Task<DateTimeOffset>> stamp)
    {
        var confirm = await prepare();
        foreach (var page in observing)
        {
            if (!await page.EvaluateAsync<bool>(BrowserProbes.WatchShown, new[] { selector, text }))
            {
                throw new InvalidOperationException($"{measure}, round {round}: a page showed \"{text}\" before the change.");
            }
        }

        var cpuBefore = (Console: console.CpuTime, Browser: browser.CpuTime);
        await confirm();
        var shownAt = await Task.WhenAll(observing.Select(page =>
            BrowserProbes.AwaitAsync<double>(page, "__eserShown", timeoutMs, $"{measure}, round {round}: \"{text}\" was not shown")));
        var consoleCpu = console.CpuTime - cpuBefore.Console;
        var browserCpu = browser.CpuTime - cpuBefore.Browser;

        var stampMs = (await stamp() - DateTimeOffset.UnixEpoch).TotalMilliseconds;
        return new EndingRound(measure, round, ended, consoleCpu.TotalMilliseconds, browserCpu.TotalMilliseconds,
            shownAt.Select(at => at - stampMs).ToList());
    }
}

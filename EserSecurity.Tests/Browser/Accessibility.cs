using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace EserSecurity.Tests.Browser;

public static class Accessibility
{
    /// <summary>
    /// Runs axe-core on the page and fails on any serious or critical violation, naming each one. A control's colour
    /// transition still running (a button turning enabled after a preview) is first run to its end, so axe checks the
    /// colours the user reads rather than one frame of the fade; animations a test holds stay where they were held.
    /// </summary>
    public static async Task AssertNoSeriousViolationsAsync(IPage page)
    {
        await WaitForTitleAsync(page);
        await page.EvaluateAsync(
            "() => document.getAnimations().filter(a => a.playState === 'running' && a instanceof CSSTransition).forEach(a => { try { a.finish(); } catch { } })");
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious.Select(Describe)));
    }

    /// <summary>
    /// Holds every running CSS animation and transition where it is now. A live highlight fades over seconds while axe-core
    /// takes a while to check a page; held, the page axe checks is the one the user sees the moment the change arrives.
    /// </summary>
    public static Task HoldAnimationsAsync(IPage page) =>
        page.EvaluateAsync("() => document.getAnimations().forEach(animation => animation.pause())");

    /// <summary>
    /// Runs every finite CSS animation and transition to its end: a message that fades in is checked as the user reads
    /// it once it has appeared, not at the faint first frames of its fade.
    /// </summary>
    public static Task FinishAnimationsAsync(IPage page) =>
        page.EvaluateAsync("() => document.getAnimations().forEach(animation => { try { animation.finish(); } catch { } })");

    /// <summary>
    /// Waits until a console page's circuit has started and the document has its title: when a circuit starts, the head
    /// outlet replaces the prerendered head, and a check in that moment finds no title. A page whose circuit does not
    /// start, or that never gets a title, is left to axe, which names what it finds.
    /// </summary>
    private static async Task WaitForTitleAsync(IPage page)
    {
        try
        {
            if (await page.Locator("#circuit-state").CountAsync() > 0)
            {
                await page.Locator("#circuit-state[data-state=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 10_000 });
            }
            await page.WaitForFunctionAsync("() => document.title.trim().length > 0", null, new() { Timeout = 10_000 });
        }
        catch (System.TimeoutException)
        {
        }
    }

    private static string Describe(AxeResultItem violation) =>
        $"{violation.Impact}: {violation.Id} — {violation.Help}: " +
        string.Join(" | ", violation.Nodes.Take(5).Select(Describe));

    /// <summary>The element, and what axe found wrong with it (for contrast: the ratio and both colours).</summary>
    private static string Describe(AxeResultNode node) =>
        node.Any.Concat(node.All).Concat(node.None).Select(check => check.Message).FirstOrDefault(m => !string.IsNullOrEmpty(m)) is { } message
            ? $"{node.Html} ({message})"
            : node.Html;
}

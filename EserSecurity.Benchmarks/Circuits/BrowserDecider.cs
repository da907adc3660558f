using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using EserSecurity.Benchmarks.Live;
using Microsoft.Playwright;

namespace EserSecurity.Benchmarks.Circuits;

/// <summary>A decision made in the console: which request, and when the approve click was dispatched (Unix ms).</summary>
internal sealed record Decision(int RequestId, double ClickedAt);

/// <summary>
/// A coordinator deciding in one Chromium page, as the live benchmark decides: the change feed is the console's own, so
/// a decision has to be made inside the console process, and its own UI is the way a coordinator makes one. The page
/// shows the coordinator's queue, oldest first, and approves the first row.
/// </summary>
internal sealed partial class BrowserDecider(IPage page)
{
    private const int OutcomeTimeoutMs = 30_000;
    // A console busy with thousands of circuits re-renders the queue under the pointer for a while after a decision;
    // Playwright tries the click again each time the row is replaced, until this runs out.
    private const float OpenTimeoutMs = 120_000;

    /// <summary>Opens the queue inside the page's live circuit; the page is signed in with its circuit live.</summary>
    public async Task OpenQueueAsync()
    {
        await ConsoleBrowser.NavigateInCircuitAsync(page, "/queue");
        await page.GetByRole(AriaRole.Button, new() { NameRegex = OpenButton() }).First.WaitForAsync();
    }

    /// <summary>The request in the first row of the decider's queue: the oldest one waiting.</summary>
    public async Task<int> FirstRequestAsync()
    {
        var label = await page.GetByRole(AriaRole.Button, new() { NameRegex = OpenButton() }).First.GetAttributeAsync("aria-label")
            ?? throw new InvalidOperationException("The decider's queue shows no request.");
        return int.Parse(OpenButton().Match(label).Groups["id"].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Opens the request and prepares its approval; <see cref="ApproveAsync"/> then clicks.</summary>
    public async Task PrepareAsync(int requestId)
    {
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex($"^Open request {requestId} from ") })
            .ClickAsync(new() { Timeout = OpenTimeoutMs });
        var approve = Approve(requestId);
        await Assertions.Expect(approve).ToBeEnabledAsync(new() { Timeout = ConsoleBrowser.StepTimeoutMs });
        if (!await page.EvaluateAsync<bool>(BrowserProbes.WatchDecision, new[] { $"Request {requestId}", $"Approve request {requestId}" }))
        {
            throw new InvalidOperationException($"Request {requestId} shows a decision outcome before the decision.");
        }
    }

    /// <summary>Clicks "Approve", waits for the outcome, and fails unless the request was approved.</summary>
    public async Task<Decision> ApproveAsync(int requestId)
    {
        await Approve(requestId).ClickAsync();
        var outcome = await BrowserProbes.AwaitAsync<JsonElement>(page, "__eserOutcome", OutcomeTimeoutMs, "no decision outcome");
        var clickedAt = await page.EvaluateAsync<double>(BrowserProbes.ClickAt);
        var text = outcome.GetProperty("text").GetString() ?? "";
        return text.StartsWith("Approved", StringComparison.Ordinal)
            ? new Decision(requestId, clickedAt)
            : throw new InvalidOperationException($"Approving request {requestId} answered \"{text}\".");
    }

    private ILocator Approve(int requestId) =>
        page.GetByRole(AriaRole.Button, new() { Name = $"Approve request {requestId}", Exact = true });

    [GeneratedRegex(@"^Open request (?<id>\d+) from ")]
    private static partial Regex OpenButton();
}

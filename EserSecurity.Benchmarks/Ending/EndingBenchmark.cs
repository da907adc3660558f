using EserSecurity.Benchmarks.Live;
using EserSecurity.Benchmarks.Measurement;
using EserSecurity.Core.Data;
using EserSecurity.DemoState;
using Microsoft.Playwright;

namespace EserSecurity.Benchmarks.Ending;

/// <summary>
/// The issue's one-second bounds for taking access away, through the real console and Chromium: a coordinator ends a
/// grant and the holder's open pages show it; a coordinator ends an employment and the leaver's open pages lose the
/// console. The changes go through the console's own pages, so its in-process change feed hears them as in production.
/// </summary>
internal sealed class EndingBenchmark(BenchmarkOptions options)
{
    private const int WarmupRounds = 2;
    private const int LiveUpdateTimeoutMs = 15_000;
    private const string GrantEnd = "grant end";
    private const string EmploymentEnd = "employment end";

    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(20);

    private int TotalRounds => WarmupRounds + options.Rounds;

    public Task RunAsync(CancellationToken ct) => ConsoleRun.RunAsync("ending", RunTimeout, RunAgainstAsync, ct);

    private async Task RunAgainstAsync(DashboardProcess console, string databasePath, CancellationToken ct)
    {
        await using var services = CoreServices.Over(databasePath, DemoStateSize.None);
        var cast = await EndingCast.PrepareAsync(services, TotalRounds, TotalRounds, ct);
        await using var browser = await ConsoleBrowser.LaunchAsync(console);
        Console.WriteLine($"Signing in {DemoPeople.DistrictCoordinator} (ending) and {options.Pages} pages of {cast.Holder.Username} (holding {TotalRounds} grants) ...");
        var coordinator = await browser.SignInAsync(DemoPeople.DistrictCoordinator);
        var rounds = new List<EndingRound>();
        var measure = new EndingMeasure(console, browser, LiveUpdateTimeoutMs);

        var holderPages = await OpenHomePagesAsync(browser, cast.Holder, ct);
        await ConsoleBrowser.NavigateInCircuitAsync(coordinator, $"/people/{cast.Holder.StaffMemberId}");
        await browser.SettleAndReportIdleAsync(ct);
        foreach (var (grant, round) in cast.Grants.Select((g, i) => (g, i + 1 - WarmupRounds)))
        {
            ct.ThrowIfCancellationRequested();
            var reason = $"Ended in benchmark round {round}.";
            var result = await measure.RoundAsync(GrantEnd, round, grant.RoleAndSchool, holderPages, "[data-testid=\"ended-grants\"]", reason,
                () => EndGrantAsync(coordinator, grant, reason), () => EndingCast.GrantEndedAtAsync(services, grant.GrantId, ct));
            Keep(rounds, result);
        }
        await CloseAsync(holderPages);

        foreach (var (leaver, round) in cast.Leavers.Select((p, i) => (p, i + 1 - WarmupRounds)))
        {
            ct.ThrowIfCancellationRequested();
            var leaverPages = await OpenHomePagesAsync(browser, leaver, ct);
            await ConsoleBrowser.NavigateInCircuitAsync(coordinator, $"/people/{leaver.StaffMemberId}");
            var endEmployment = coordinator.GetByRole(AriaRole.Button, new() { Name = $"End employment of {leaver.Name}", Exact = true });
            await endEmployment.WaitForAsync();
            await console.SettleAsync(ct);
            var result = await measure.RoundAsync(EmploymentEnd, round, leaver.Name, leaverPages, "h1", "The console is closed to you",
                () => EndEmploymentAsync(coordinator, endEmployment), () => EndingCast.EmploymentEndedAtAsync(services, leaver.StaffMemberId, ct));
            Keep(rounds, result);
            await CloseAsync(leaverPages);
        }
        EndingReport.Print(rounds, options.Pages, WarmupRounds);
    }

    private async Task<IReadOnlyList<IPage>> OpenHomePagesAsync(ConsoleBrowser browser, EndingPerson person, CancellationToken ct)
    {
        var pages = await browser.SignInPagesAsync(person.Username, options.Pages);
        // The first page ends its sign-in on the home page already.
        await ConsoleBrowser.OpenOneByOneAsync(pages.Skip(1), "/", ct);
        return pages;
    }

    /// <summary>Opens the grant's dialog and fills in the reason; the returned step confirms it (the click that is timed).</summary>
    private static async Task<Func<Task>> EndGrantAsync(IPage coordinator, GrantToEnd grant, string reason)
    {
        await coordinator.GetByRole(AriaRole.Button, new() { Name = grant.EndButtonLabel, Exact = true }).ClickAsync();
        await coordinator.GetByLabel("Why the grant ends (the person sees it)").FillAsync(reason);
        return () => coordinator.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "End grant", Exact = true }).ClickAsync();
    }

    private static async Task<Func<Task>> EndEmploymentAsync(IPage coordinator, ILocator endEmployment)
    {
        await endEmployment.ClickAsync();
        var confirm = coordinator.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "End employment", Exact = true });
        await confirm.WaitForAsync();
        return () => confirm.ClickAsync();
    }

    private static void Keep(List<EndingRound> rounds, EndingRound result)
    {
        var median = Percentiles.Of(result.FromStamp).Median;
        Console.WriteLine($"  {result.Measure}, round {(result.Round <= 0 ? "warm-up" : result.Round)}: {result.Ended}, " +
            $"shown after {ResultTable.Ms(median, 0)} ms (median from the stamp)");
        if (result.Round > 0)
        {
            rounds.Add(result);
        }
    }

    private static async Task CloseAsync(IEnumerable<IPage> pages)
    {
        foreach (var page in pages)
        {
            await page.Context.CloseAsync();
        }
    }
}

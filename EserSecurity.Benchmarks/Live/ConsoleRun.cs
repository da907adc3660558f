using Microsoft.Data.Sqlite;

namespace EserSecurity.Benchmarks.Live;

/// <summary>
/// One in-browser benchmark run against the real console: its database in a temporary folder, the console started on it,
/// a bound on the whole run, and the console's warnings printed afterwards (or all its output when the run fails).
/// </summary>
internal static class ConsoleRun
{
    public static async Task RunAsync(
        string name, TimeSpan timeout, Func<DashboardProcess, string, CancellationToken, Task> run, CancellationToken ct)
    {
        ConsoleBrowser.RequireChromium();
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(timeout);
        var directory = Directory.CreateTempSubdirectory($"eser-bench-{name}-");
        try
        {
            var databasePath = Path.Combine(directory.FullName, "console.db");
            Console.WriteLine("Starting the console (Development, Small demo state) ...");
            await using var console = await DashboardProcess.StartAsync(databasePath, bounded.Token);
            Console.WriteLine($"  serving {console.BaseUrl}");
            try
            {
                await run(console, databasePath, bounded.Token);
                PrintConsoleLog(console.Output);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && !ct.IsCancellationRequested)
            {
                Console.Error.WriteLine($"The console's output so far:\n{console.Output}");
                throw;
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"The {name} benchmark did not finish within {timeout.TotalMinutes:0} minutes.");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try
            {
                directory.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A file still held by the dying console; the temp folder is cleaned by the OS.
            }
        }
    }

    /// <summary>The console logs at Warning and above here; thread-pool starvation or failed handlers explain slow rounds.</summary>
    private static void PrintConsoleLog(string output)
    {
        const int MaxLines = 40;
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0)
        {
            return;
        }
        Console.WriteLine();
        Console.WriteLine($"The console logged {lines.Length} line(s) at Warning or above{(lines.Length > MaxLines ? $"; the first {MaxLines}" : "")}:");
        foreach (var line in lines.Take(MaxLines))
        {
            Console.WriteLine($"  {line}");
        }
    }
}

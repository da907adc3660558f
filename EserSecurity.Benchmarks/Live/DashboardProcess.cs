using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EserSecurity.Benchmarks.Live;

/// <summary>
/// The real console from its build output, as its own process on a free loopback port with its own database (small demo
/// state), in the Development environment so that static web assets are served from the build output.
/// </summary>
internal sealed class DashboardProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private DashboardProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public int ProcessId => _process.Id;

    /// <summary>CPU time the console has used so far, on all its threads.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<DashboardProcess> StartAsync(string databasePath, CancellationToken ct, IReadOnlyDictionary<string, string>? environment = null)
    {
        var directory = OutputDirectory();
        var baseUrl = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(directory, "EserSecurity.Dashboard.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseUrl);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Database__ConnectionString"] = CoreServices.ConnectionString(databasePath);
        start.Environment["Database__DemoState"] = "Small";
        start.Environment["Audit__ChainKeyFile"] = CoreServices.ChainKeyFile(databasePath);
        // A console that creates its own demo state also writes the key beside it, as the benchmark's Core services do.
        start.Environment["Audit__CreateKeyFile"] = "true";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the console.");
        var dashboard = new DashboardProcess(process, baseUrl);
        process.OutputDataReceived += (_, e) => dashboard.Append(e.Data);
        process.ErrorDataReceived += (_, e) => dashboard.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await dashboard.WaitUntilServingAsync(ct);
            return dashboard;
        }
        catch
        {
            await dashboard.DisposeAsync();
            throw;
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

    /// <summary>Waits (at most 30 s) until the console uses under a tenth of a core for a whole second.</summary>
    public async Task SettleAsync(CancellationToken ct)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            var before = CpuTime;
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            if (CpuTime - before < TimeSpan.FromMilliseconds(100))
            {
                Console.WriteLine($"  the console settled after {waited.Elapsed.TotalSeconds:0} s");
                return;
            }
        }
        Console.WriteLine("  the console was still busy after 30 s; timing anyway");
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private async Task WaitUntilServingAsync(CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The console exited with code {_process.ExitCode}:\n{Output}");
            }
            try
            {
                using var response = await http.GetAsync(new Uri($"{BaseUrl}/dev/sign-in"), ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                // Still creating its database.
            }
            await Task.Delay(250, ct);
        }
        throw new TimeoutException($"The console did not answer within {StartTimeout.TotalSeconds:0} s:\n{Output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The Dashboard's build output in the same configuration as this program: bin/Release/net10.0 beside ours.</summary>
    private static string OutputDirectory()
    {
        var ours = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var marker = $"{Path.DirectorySeparatorChar}EserSecurity.Benchmarks{Path.DirectorySeparatorChar}";
        var index = ours.LastIndexOf(marker, StringComparison.Ordinal);
        if (index < 0)
        {
            throw new InvalidOperationException($"Run the benchmarks from their build output inside the repository, not from {ours}.");
        }
        var directory = ours[..index] + $"{Path.DirectorySeparatorChar}EserSecurity.Dashboard{Path.DirectorySeparatorChar}" + ours[(index + marker.Length)..];
        return File.Exists(Path.Combine(directory, "EserSecurity.Dashboard.dll"))
            ? directory
            : throw new InvalidOperationException(
                $"The Dashboard is not built in {directory}: run `dotnet build -c Release` (or `dotnet build EserSecurity.Dashboard -c Release`) first.");
    }
}

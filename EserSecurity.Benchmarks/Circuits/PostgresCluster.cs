using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EserSecurity.Benchmarks.Circuits;

/// <summary>
/// A throwaway PostgreSQL 15 cluster of the benchmark's own, made as ./test.sh makes its: initdb into a temp folder,
/// started with pg_ctl on a free loopback port (its socket in that folder too), never the system's service. Stopping
/// it removes the folder. initdb refuses to run as root, so as root the cluster belongs to the postgres user.
/// </summary>
internal sealed class PostgresCluster : IAsyncDisposable
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";

    private readonly DirectoryInfo _root;
    private readonly bool _asPostgresUser;
    private bool _started;

    private PostgresCluster(DirectoryInfo root, bool asPostgresUser, int port)
    {
        _root = root;
        _asPostgresUser = asPostgresUser;
        Port = port;
    }

    public int Port { get; }

    private string DataDirectory => Path.Combine(_root.FullName, "data");

    /// <summary>Fails before anything starts when PostgreSQL 15 is not installed, saying how to install it.</summary>
    public static void RequireInstalled()
    {
        if (!File.Exists(Path.Combine(BinDirectory, "initdb")))
        {
            throw new InvalidOperationException(
                $"PostgreSQL 15 is not installed ({BinDirectory}/initdb is missing): install Debian's package with " +
                "`sudo apt-get install -y postgresql-15` (the benchmark starts a cluster of its own, never the system's service).");
        }
    }

    public static async Task<PostgresCluster> StartAsync(CancellationToken ct)
    {
        RequireInstalled();
        var root = Directory.CreateTempSubdirectory("eser-bench-postgres-");
        var cluster = new PostgresCluster(root, asPostgresUser: Environment.UserName == "root", FreePort());
        try
        {
            if (cluster._asPostgresUser)
            {
                await RunAsync("chown", ["postgres", root.FullName], ct);
            }
            await cluster.RunToolAsync("initdb", ["-D", cluster.DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], ct);
            // Circuits on several instances each hold pooled connections; durability is not what is measured.
            await cluster.RunToolAsync("pg_ctl", ["-D", cluster.DataDirectory, "-l", Path.Combine(root.FullName, "server.log"), "-w", "-o",
                $"-c listen_addresses=127.0.0.1 -p {cluster.Port} -k {root.FullName} -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                "start"], ct);
            cluster._started = true;
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates an empty database in the cluster and returns its Npgsql connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken ct)
    {
        await RunToolAsync("createdb", ["-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "postgres", name], ct);
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name};Maximum Pool Size=100";
    }

    /// <summary>Stops the cluster (fast: open connections are cut) and removes its folder; it never throws.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            _started = false;
            try
            {
                // Not cancellable: the cluster stops even when the run was interrupted.
                await RunToolAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "stop"], CancellationToken.None);
            }
            catch (InvalidOperationException ex)
            {
                Console.Error.WriteLine($"Stopping the PostgreSQL cluster in {_root.FullName}: {ex.Message}");
            }
        }
        try
        {
            _root.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the stopping server; the temp folder is cleaned by the OS.
        }
    }

    private Task RunToolAsync(string tool, IReadOnlyList<string> arguments, CancellationToken ct) =>
        _asPostgresUser
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(BinDirectory, tool), .. arguments], ct)
            : RunAsync(Path.Combine(BinDirectory, tool), arguments, ct);

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Globalization;

namespace EserSecurity.Benchmarks.Circuits;

/// <summary>The database the consoles this benchmark starts share.</summary>
internal enum CircuitDatabase
{
    Sqlite,
    Postgres,
}

/// <summary>
/// The circuits command's options: the circuit counts to ramp through, decisions timed at each, whether the console
/// shares identical queue reads, and the consoles to load.
/// </summary>
/// <param name="Urls">
/// Consoles already running, or empty to start them here over the Full demo state. Circuits are spread over the list in
/// turn and decisions are made on the first, so a run over several instances that share one change feed needs only a
/// second address here.
/// </param>
/// <param name="Instances">
/// How many console processes this benchmark starts over one database (when <paramref name="Urls"/> is empty); more
/// than one needs PostgreSQL, whose change feed carries a decision from the first instance to the others.
/// </param>
/// <param name="Database">The database of the consoles this benchmark starts: SQLite unless PostgreSQL is asked for or needed.</param>
internal sealed record CircuitLoadOptions(
    IReadOnlyList<int> Counts, int Decisions, bool SharedReads, IReadOnlyList<string> Urls, int Instances = 1, CircuitDatabase Database = CircuitDatabase.Sqlite)
{
    public const int MaxCircuits = 20_000;

    public const int MaxInstances = 4;

    private static readonly int[] DefaultCounts = [100, 1_000, 2_000, 3_000, 5_000];

    public static CircuitLoadOptions Parse(IReadOnlyList<string> args)
    {
        var options = new CircuitLoadOptions(DefaultCounts, Decisions: 5, SharedReads: true, Urls: []);
        var sharedGiven = false;
        var ownConsolesGiven = false;
        CircuitDatabase? database = null;
        for (var i = 1; i + 1 < args.Count; i += 2)
        {
            var (name, text) = (args[i], args[i + 1]);
            options = name switch
            {
                "--counts" => options with { Counts = CountList(name, text) },
                "--decisions" => options with { Decisions = Number(name, text, 1, 100) },
                "--shared" => options with { SharedReads = OnOrOff(name, text) },
                "--url" => options with { Urls = [Url(name, text)] },
                "--urls" => options with { Urls = UrlList(name, text) },
                "--instances" => options with { Instances = Number(name, text, 1, MaxInstances) },
                "--provider" => options,
                _ => throw new BenchmarkUsageException($"Unknown option '{name}' for circuits."),
            };
            sharedGiven |= name == "--shared";
            ownConsolesGiven |= name is "--instances" or "--provider";
            if (name == "--provider")
            {
                database = Provider(name, text);
            }
        }
        if (sharedGiven && options.Urls.Count > 0)
        {
            throw new BenchmarkUsageException("--shared sets up the console this program starts; a running console (--url) shares reads by its own configuration (Queue:ShareReadsFor).");
        }
        if (ownConsolesGiven && options.Urls.Count > 0)
        {
            throw new BenchmarkUsageException("--instances and --provider set up the consoles this program starts; with --url or --urls the consoles are already running.");
        }
        // One SQLite file serves one console process: several instances share a PostgreSQL database and its change feed.
        if (options.Instances > 1 && database == CircuitDatabase.Sqlite)
        {
            throw new BenchmarkUsageException($"--instances {options.Instances} needs --provider postgres: instances of the console share a PostgreSQL database, never a SQLite file.");
        }
        return options with { Database = database ?? (options.Instances > 1 ? CircuitDatabase.Postgres : CircuitDatabase.Sqlite) };
    }

    /// <summary>The instance (an index into the consoles) that the circuit opened <paramref name="circuit"/>-th (from 0) goes to: round-robin.</summary>
    public static int InstanceOf(int circuit, int instances) => circuit % instances;

    private static CircuitDatabase Provider(string name, string text) => text switch
    {
        "sqlite" => CircuitDatabase.Sqlite,
        "postgres" => CircuitDatabase.Postgres,
        _ => throw new BenchmarkUsageException($"{name} takes sqlite or postgres, not '{text}'."),
    };

    private static string[] UrlList(string name, string text)
    {
        var urls = text.Split(',', StringSplitOptions.TrimEntries).Select(part => Url(name, part)).ToArray();
        return urls.Distinct(StringComparer.OrdinalIgnoreCase).Count() == urls.Length
            ? urls
            : throw new BenchmarkUsageException($"{name} lists each console once, not '{text}'.");
    }

    private static int[] CountList(string name, string text)
    {
        var counts = text.Split(',').Select(part => Number(name, part.Trim(), 1, MaxCircuits)).ToArray();
        return counts.Zip(counts.Skip(1)).All(pair => pair.First < pair.Second)
            ? counts
            : throw new BenchmarkUsageException($"{name} ramps up: each count larger than the one before, not '{text}'.");
    }

    private static string Url(string name, string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri.GetLeftPart(UriPartial.Authority)
            : throw new BenchmarkUsageException($"{name} takes the console's address, such as http://127.0.0.1:5000 (--urls: addresses separated by commas), not '{text}'.");

    private static bool OnOrOff(string name, string text) => text switch
    {
        "on" => true,
        "off" => false,
        _ => throw new BenchmarkUsageException($"{name} takes on or off, not '{text}'."),
    };

    private static int Number(string name, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new BenchmarkUsageException($"{name} takes whole numbers from {min} to {max}, not '{text}'.");
}

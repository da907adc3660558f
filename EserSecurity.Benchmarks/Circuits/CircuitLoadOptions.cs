using System.Globalization;

namespace EserSecurity.Benchmarks.Circuits;

/// <summary>
/// The circuits command's options: the circuit counts to ramp through, decisions timed at each, whether the console
/// shares identical queue reads, and the consoles to load.
/// </summary>
/// <param name="Urls">
/// Consoles already running, or empty to start one here over the Full demo state. Circuits are spread over the list in
/// turn and decisions are made on the first, so a run over several instances that share one change feed needs only a
/// second address here.
/// </param>
internal sealed record CircuitLoadOptions(IReadOnlyList<int> Counts, int Decisions, bool SharedReads, IReadOnlyList<string> Urls)
{
    public const int MaxCircuits = 20_000;

    private static readonly int[] DefaultCounts = [100, 1_000, 2_000, 3_000, 5_000];

    public static CircuitLoadOptions Parse(IReadOnlyList<string> args)
    {
        var options = new CircuitLoadOptions(DefaultCounts, Decisions: 5, SharedReads: true, Urls: []);
        var sharedGiven = false;
        for (var i = 1; i + 1 < args.Count; i += 2)
        {
            var (name, text) = (args[i], args[i + 1]);
            options = name switch
            {
                "--counts" => options with { Counts = CountList(name, text) },
                "--decisions" => options with { Decisions = Number(name, text, 1, 100) },
                "--shared" => options with { SharedReads = OnOrOff(name, text) },
                "--url" => options with { Urls = [Url(name, text)] },
                _ => throw new BenchmarkUsageException($"Unknown option '{name}' for circuits."),
            };
            sharedGiven |= name == "--shared";
        }
        if (sharedGiven && options.Urls.Count > 0)
        {
            throw new BenchmarkUsageException("--shared sets up the console this program starts; a running console (--url) shares reads by its own configuration (Queue:ShareReadsFor).");
        }
        return options;
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
            : throw new BenchmarkUsageException($"{name} takes the console's address, such as http://127.0.0.1:5000, not '{text}'.");

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

using System.Globalization;

namespace EserSecurity.Benchmarks;

internal enum BenchmarkCommand
{
    Queue,
    Live,
    Circuits,
    Documents,
    Import,
    Directory,
    Reviews,
    Ending,
    Api,
    Notify,
    DecisionNotify,
    Archive,
    AuditVerify,
    Readiness,
}

/// <summary>The command line: a command, a few bounded counts and, for decision-notify, whether the mail sender runs.</summary>
internal sealed record BenchmarkOptions(
    BenchmarkCommand Command, int Iterations, int Warmups, int Rounds, int Pages, int Rows = BenchmarkOptions.DefaultRows, bool MailSender = true)
{
    public const int DefaultRows = 100_000;

    public const int DefaultAuditEvents = 1_000_000;

    /// <summary>TAS rows the readiness benchmark grows the Full demo state to.</summary>
    public const int DefaultReadinessRows = 120_000;

    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            throw new BenchmarkUsageException("Name a command: queue, live, circuits, ending, documents, import, directory, reviews, api, notify, decision-notify, archive, audit-verify or readiness.");
        }
        var command = args[0] switch
        {
            "queue" => BenchmarkCommand.Queue,
            "live" => BenchmarkCommand.Live,
            "circuits" => BenchmarkCommand.Circuits,
            "documents" => BenchmarkCommand.Documents,
            "import" => BenchmarkCommand.Import,
            "directory" => BenchmarkCommand.Directory,
            "reviews" => BenchmarkCommand.Reviews,
            "ending" => BenchmarkCommand.Ending,
            "api" => BenchmarkCommand.Api,
            "notify" => BenchmarkCommand.Notify,
            "decision-notify" => BenchmarkCommand.DecisionNotify,
            "archive" => BenchmarkCommand.Archive,
            "audit-verify" => BenchmarkCommand.AuditVerify,
            "readiness" => BenchmarkCommand.Readiness,
            _ => throw new BenchmarkUsageException($"Unknown command '{args[0]}'."),
        };
        var options = new BenchmarkOptions(command, Iterations: command switch
            {
                BenchmarkCommand.Documents => 5,
                BenchmarkCommand.DecisionNotify => 500,
                _ => 50,
            },
            Warmups: 5,
            Rounds: command switch
            {
                BenchmarkCommand.Import or BenchmarkCommand.Directory or BenchmarkCommand.Reviews or BenchmarkCommand.Api or BenchmarkCommand.Notify
                    or BenchmarkCommand.AuditVerify => 3,
                BenchmarkCommand.DecisionNotify => 4,
                BenchmarkCommand.Archive => 1,
                BenchmarkCommand.Readiness => 20,
                _ => 10,
            },
            Pages: command == BenchmarkCommand.Ending ? 5 : 20,
            Rows: command switch
            {
                BenchmarkCommand.AuditVerify => DefaultAuditEvents,
                BenchmarkCommand.Readiness => DefaultReadinessRows,
                _ => DefaultRows,
            });
        for (var i = 1; i < args.Count; i += 2)
        {
            if (i + 1 >= args.Count)
            {
                throw new BenchmarkUsageException($"{args[i]} needs a number.");
            }
            var (name, text) = (args[i], args[i + 1]);
            options = (command, name) switch
            {
                (BenchmarkCommand.Queue, "--iterations") => options with { Iterations = Count(name, text, 1000) },
                (BenchmarkCommand.Queue, "--warmups") => options with { Warmups = Count(name, text, 100) },
                (BenchmarkCommand.Documents, "--rounds") => options with { Iterations = Count(name, text, 100) },
                (BenchmarkCommand.Live, "--rounds") => options with { Rounds = Count(name, text, 100) },
                (BenchmarkCommand.Live, "--pages") => options with { Pages = Count(name, text, 50) },
                // Its options are lists, addresses and on/off: CircuitLoadOptions reads them.
                (BenchmarkCommand.Circuits, _) => options,
                (BenchmarkCommand.Ending, "--rounds") => options with { Rounds = Count(name, text, 30) },
                (BenchmarkCommand.Ending, "--pages") => options with { Pages = Count(name, text, 20) },
                (BenchmarkCommand.Import, "--rows") => options with { Rows = Count(name, text, 250_000) },
                (BenchmarkCommand.Import, "--rounds") => options with { Rounds = Count(name, text, 10) },
                (BenchmarkCommand.Directory, "--rows") => options with { Rows = Count(name, text, 250_000) },
                (BenchmarkCommand.Directory, "--rounds") => options with { Rounds = Count(name, text, 10) },
                (BenchmarkCommand.Reviews, "--rounds") => options with { Rounds = Count(name, text, 10) },
                (BenchmarkCommand.Api, "--rounds") => options with { Rounds = Count(name, text, 10) },
                (BenchmarkCommand.Notify, "--rounds") => options with { Rounds = Count(name, text, 10) },
                (BenchmarkCommand.DecisionNotify, "--rounds") => options with { Rounds = Count(name, text, 20) },
                (BenchmarkCommand.DecisionNotify, "--decisions") => options with { Iterations = Count(name, text, 2000) },
                (BenchmarkCommand.DecisionNotify, "--mail") => options with { MailSender = OnOrOff(name, text) },
                (BenchmarkCommand.Archive, "--rounds") => options with { Rounds = Count(name, text, 5) },
                (BenchmarkCommand.AuditVerify, "--events") => options with { Rows = Count(name, text, 5_000_000) },
                (BenchmarkCommand.AuditVerify, "--rounds") => options with { Rounds = Count(name, text, 10) },
                (BenchmarkCommand.Readiness, "--rows") => options with { Rows = Count(name, text, 300_000) },
                (BenchmarkCommand.Readiness, "--rounds") => options with { Rounds = Count(name, text, 200) },
                _ => throw new BenchmarkUsageException($"Unknown option '{name}' for {args[0]}."),
            };
        }
        return options;
    }

    private static bool OnOrOff(string name, string text) => text switch
    {
        "on" => true,
        "off" => false,
        _ => throw new BenchmarkUsageException($"{name} takes on or off, not '{text}'."),
    };

    // Bounded so that a typo cannot start an hour-long run or a hundred browsers.
    private static int Count(string name, string text, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1 && value <= max
            ? value
            : throw new BenchmarkUsageException($"{name} takes a whole number from 1 to {max}, not '{text}'.");
}

internal sealed class BenchmarkUsageException(string message) : Exception(message);

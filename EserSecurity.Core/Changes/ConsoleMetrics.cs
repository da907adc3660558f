using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EserSecurity.Core.Changes;

/// <summary>
/// The console's own measurements, on the meter <see cref="MeterName"/>: decisions, the live update fan-out, imports
/// and notices sent. Each is recorded at the one place the thing happens, after its commit. Core only records; the
/// console's host decides whether and where the figures are exported.
/// </summary>
public sealed class ConsoleMetrics
{
    /// <summary>The name of the console's meter, which an exporter listens to.</summary>
    public const string MeterName = "EserSecurity";

    private readonly Counter<long> _decisions;
    private readonly Histogram<double> _fanOut;
    private readonly Counter<long> _imports;
    private readonly Histogram<double> _importDuration;
    private readonly Counter<long> _notificationsSent;

    public ConsoleMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _decisions = meter.CreateCounter<long>("eser.decisions", "{decision}",
            "Access request decisions stored, by outcome (approved, denied, endorsed).");
        _fanOut = meter.CreateHistogram<double>("eser.live_update.fan_out.duration", "s",
            "From a change being published to every subscriber of this instance having been handed it.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] });
        _imports = meter.CreateCounter<long>("eser.imports", "{import}",
            "Imports committed, by kind (tas, staff_directory, school_directory).");
        _importDuration = meter.CreateHistogram<double>("eser.import.duration", "s",
            "How long a committed import took, from its turn at the commit gate to its commit, by kind.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300] });
        _notificationsSent = meter.CreateCounter<long>("eser.notifications.sent", "{notice}",
            "Notices sent, by channel: console (written to a person's notifications) or email (accepted by the mail server).");
    }

    /// <summary>A stored decision on an access request.</summary>
    public void Decided(DecisionOutcomeKind outcome) =>
        _decisions.Add(1, new KeyValuePair<string, object?>("outcome", outcome switch
        {
            DecisionOutcomeKind.Approved => "approved",
            DecisionOutcomeKind.Denied => "denied",
            _ => "endorsed",
        }));

    /// <summary>A published change has been handed to every subscriber, <paramref name="startedAt"/> being a <see cref="Stopwatch"/> timestamp.</summary>
    public void FannedOut(long startedAt) => _fanOut.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds);

    /// <summary>A committed import, <paramref name="startedAt"/> being a <see cref="Stopwatch"/> timestamp.</summary>
    public void Imported(ImportKind kind, long startedAt)
    {
        var tag = new KeyValuePair<string, object?>("kind", kind switch
        {
            ImportKind.Tas => "tas",
            ImportKind.StaffDirectory => "staff_directory",
            _ => "school_directory",
        });
        _imports.Add(1, tag);
        _importDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, tag);
    }

    /// <summary>Notices written to people's notifications in the console, after their commit.</summary>
    public void NoticesWritten(int count)
    {
        if (count > 0)
        {
            _notificationsSent.Add(count, new KeyValuePair<string, object?>("channel", "console"));
        }
    }

    /// <summary>Notices the mail server accepted.</summary>
    public void NoticesMailed(int count)
    {
        if (count > 0)
        {
            _notificationsSent.Add(count, new KeyValuePair<string, object?>("channel", "email"));
        }
    }
}

/// <summary>The outcome a decision is counted under.</summary>
public enum DecisionOutcomeKind
{
    Approved,
    Denied,
    Endorsed,
}

/// <summary>The kind an import is counted under.</summary>
public enum ImportKind
{
    Tas,
    StaffDirectory,
    SchoolDirectory,
}

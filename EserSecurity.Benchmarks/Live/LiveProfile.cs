using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace EserSecurity.Benchmarks.Live;

/// <summary>
/// Temporary diagnostic, on only with ESER_LIVE_PROFILE set to a folder: per observing page and round, the DOM mutations
/// (grouped into callbacks, about one per render batch applied), the WebSocket frames and Chromium's own performance
/// metrics; and the console's log between the click and a second after the last page dropped the row.
/// </summary>
internal sealed class LiveProfile
{
    private const string Recorder = """
        () => {
            const log = [];
            window.__eserMutations = log;
            const describe = n => n.nodeType === 1 ? (n.tagName.toLowerCase() + (n.className && typeof n.className === 'string' ? '.' + n.className.trim().split(/\s+/).slice(0, 3).join('.') : '')) : ('#' + n.nodeName);
            const path = n => { const p = []; let e = n; for (let i = 0; e && i < 4; i++, e = e.parentElement) p.push(describe(e)); return p.join(' < '); };
            const observer = new MutationObserver(records => {
                log.push({ at: performance.now(), records: records.map(r => ({ type: r.type, target: path(r.target), attr: r.attributeName,
                    added: [...r.addedNodes].map(describe), removed: [...r.removedNodes].map(describe) })) });
            });
            observer.observe(document.body, { childList: true, subtree: true, attributes: true, characterData: true });
            window.__eserStopRecording = () => { observer.disconnect(); return log; };
        }
        """;

    private readonly string _folder;
    private readonly Dictionary<IPage, List<(DateTime At, bool Sent, int Bytes)>> _frames = [];
    private readonly Dictionary<IPage, ICDPSession> _sessions = [];
    private readonly Dictionary<IPage, Dictionary<string, double>> _metricsBefore = [];
    private int _logStart;

    private LiveProfile(string folder) => _folder = folder;

    public static LiveProfile? FromEnvironment()
    {
        var folder = Environment.GetEnvironmentVariable("ESER_LIVE_PROFILE");
        if (string.IsNullOrEmpty(folder))
        {
            return null;
        }
        Directory.CreateDirectory(folder);
        return new LiveProfile(folder);
    }

    /// <summary>Before the pages open: count every WebSocket frame.</summary>
    public void Watch(IEnumerable<IPage> pages)
    {
        foreach (var page in pages)
        {
            var frames = new List<(DateTime, bool, int)>();
            _frames[page] = frames;
            page.WebSocket += (_, ws) =>
            {
                ws.FrameReceived += (_, f) => { lock (frames) { frames.Add((DateTime.UtcNow, false, f.Binary?.Length ?? f.Text?.Length ?? 0)); } };
                ws.FrameSent += (_, f) => { lock (frames) { frames.Add((DateTime.UtcNow, true, f.Binary?.Length ?? f.Text?.Length ?? 0)); } };
            };
        }
    }

    private static readonly string[] TraceCategories =
        ["toplevel", "devtools.timeline", "disabled-by-default-devtools.timeline", "disabled-by-default-devtools.timeline.frame", "blink", "cc", "viz", "gpu", "v8.execute"];

    public async Task StartRoundAsync(int round, DashboardProcess console, IReadOnlyList<IPage> observing)
    {
        var browser = observing[0].Context.Browser!;
        if (round == 1)
        {
            await StartTracingAsync(browser);
            await Task.Delay(1000);
            await StopTracingAsync("idle-trace.json");
        }
        foreach (var page in observing)
        {
            if (!_sessions.TryGetValue(page, out var session))
            {
                session = await page.Context.NewCDPSessionAsync(page);
                await session.SendAsync("Performance.enable");
                _sessions[page] = session;
            }
            _metricsBefore[page] = await MetricsAsync(session);
            await page.EvaluateAsync(Recorder);
            lock (_frames[page])
            {
                _frames[page].Clear();
            }
        }
        _logStart = console.Output.Length;
        if (round == 1)
        {
            await StartTracingAsync(browser);
        }
    }

    public async Task EndRoundAsync(int round, DashboardProcess console, IReadOnlyList<IPage> observing)
    {
        await Task.Delay(1000);
        if (round == 1)
        {
            await StopTracingAsync("round-trace.json");
        }
        var log = console.Output[_logStart..];
        var report = new StringBuilder();
        var index = 0;
        foreach (var page in observing)
        {
            var after = await MetricsAsync(_sessions[page]);
            var before = _metricsBefore[page];
            var mutations = await page.EvaluateAsync<JsonElement>("() => window.__eserStopRecording()");
            List<(DateTime At, bool Sent, int Bytes)> frames;
            lock (_frames[page])
            {
                frames = [.. _frames[page]];
            }
            report.AppendLine($"page {index++}: callbacks {mutations.GetArrayLength()}, ws received {frames.Count(f => !f.Sent)} " +
                $"({string.Join(",", frames.Where(f => !f.Sent).Select(f => f.Bytes))} B), sent {frames.Count(f => f.Sent)} " +
                $"({string.Join(",", frames.Where(f => f.Sent).Select(f => f.Bytes))} B)");
            report.AppendLine("  metrics: " + string.Join(", ", new[] { "TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration", "LayoutCount", "RecalcStyleCount" }
                .Select(m => $"{m} {(after.GetValueOrDefault(m) - before.GetValueOrDefault(m)) * (m.EndsWith("Duration", StringComparison.Ordinal) ? 1000 : 1):0.0}")));
            if (index <= 2)
            {
                report.AppendLine("  mutations: " + mutations.ToString());
            }
        }
        await File.WriteAllTextAsync(Path.Combine(_folder, $"round-{round}.txt"), report.ToString());
        await File.WriteAllTextAsync(Path.Combine(_folder, $"round-{round}.console.log"), log);
    }

    private ICDPSession? _tracing;
    private List<string> _traceEvents = [];
    private TaskCompletionSource? _traceDone;

    private async Task StartTracingAsync(IBrowser browser)
    {
        if (_tracing is null)
        {
            _tracing = await browser.NewBrowserCDPSessionAsync();
            _tracing.Event("Tracing.dataCollected").OnEvent += (_, e) =>
            {
                lock (_traceEvents)
                {
                    _traceEvents.AddRange(e!.Value.GetProperty("value").EnumerateArray().Select(v => v.GetRawText()));
                }
            };
            _tracing.Event("Tracing.tracingComplete").OnEvent += (_, _) => _traceDone?.TrySetResult();
        }
        _traceEvents = [];
        _traceDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _tracing.SendAsync("Tracing.start", new() { ["categories"] = string.Join(",", TraceCategories), ["transferMode"] = "ReportEvents" });
    }

    private async Task StopTracingAsync(string file)
    {
        await _tracing!.SendAsync("Tracing.end");
        await _traceDone!.Task.WaitAsync(TimeSpan.FromSeconds(60));
        lock (_traceEvents)
        {
            File.WriteAllText(Path.Combine(_folder, file), "[" + string.Join(",\n", _traceEvents) + "]");
        }
    }

    private static async Task<Dictionary<string, double>> MetricsAsync(ICDPSession session)
    {
        var result = await session.SendAsync("Performance.getMetrics");
        return result!.Value.GetProperty("metrics").EnumerateArray()
            .ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("value").GetDouble());
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Benchmarks.Circuits;

/// <summary>When a circuit received the render batch that took a decided request off its queue, and how large it was.</summary>
internal readonly record struct RowDrop(DateTimeOffset ReceivedAt, int Bytes, int Edits, int RemovedFrames);

/// <summary>
/// One approval queue open in the real console the way a browser opens it, without rendering: the prerendered page is
/// fetched with the person's sign-in cookie, its server component markers start a circuit over SignalR (blazorpack)
/// at <c>/_blazor</c>, every render batch is acknowledged (the server stops sending after a few unacknowledged ones),
/// and every JavaScript call the page makes is answered at once with a harmless result.
/// </summary>
/// <remarks>
/// The circuit keeps no DOM. It recognises the batch that drops a decided request by the queue's total: a decision
/// re-renders the grid and its "N requests" status in one batch (the page's live update), and a batch's string table
/// holds every text it brings, so the first batch after the decision that brings a different total is the one that
/// removed the row. A removed element's own text never travels (a RemoveFrame edit is a position), and which rows
/// change position depends on whether MudDataGrid keys its rows; the total is one short text that changes exactly
/// when a request leaves. The circuit also collects the request ids its rows have shown ("Open request N from …"), so
/// a round can check that every circuit showed the request before it was decided.
/// </remarks>
internal sealed partial class QueueCircuit : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly HubConnection _hub;
    private readonly Lock _gate = new();
    private readonly HashSet<int> _shownRequests = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _total;
    private bool _interactive;
    private TaskCompletionSource<RowDrop>? _drop;
    private string? _totalBeforeDrop;
    private long _jsObjectIds;

    private QueueCircuit(HubConnection hub) => _hub = hub;

    /// <summary>Render batches received so far.</summary>
    public int Batches { get; private set; }

    /// <summary>JavaScript calls the page made and this client answered.</summary>
    public int JsCalls { get; private set; }

    /// <summary>Why the circuit stopped working (a circuit error or a closed connection), or null while it works.</summary>
    public string? Failure { get; private set; }

    /// <summary>The queue's total as the page last showed it, such as "1,234 requests".</summary>
    public string? Total
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    public bool HasShown(int requestId)
    {
        lock (_gate)
        {
            return _shownRequests.Contains(requestId);
        }
    }

    /// <summary>
    /// Opens the page at <paramref name="path"/> (such as <c>/queue</c>) on the console at <paramref name="baseUrl"/>
    /// with the sign-in cookie, and returns once the circuit is interactive and the queue has shown its rows.
    /// </summary>
    public static async Task<QueueCircuit> OpenAsync(HttpClient http, string baseUrl, string path, string cookie, CancellationToken ct)
    {
        var baseUri = new Uri(baseUrl.TrimEnd('/') + "/");
        var pageUri = new Uri(baseUri, path.TrimStart('/'));
        using var request = new HttpRequestMessage(HttpMethod.Get, pageUri);
        request.Headers.Add("Cookie", cookie);
        using var response = await http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        if (response.RequestMessage?.RequestUri?.AbsolutePath != pageUri.AbsolutePath)
        {
            throw new InvalidOperationException($"{pageUri} sent the client to {response.RequestMessage?.RequestUri}: the cookie does not sign anyone in.");
        }
        var markers = ServerComponentMarkers.Read(await response.Content.ReadAsStringAsync(ct));
        if (markers.Components.Count == 0)
        {
            throw new InvalidOperationException($"{pageUri} has no interactive server components.");
        }

        var builder = new HubConnectionBuilder().WithUrl(new Uri(baseUri, "_blazor"), options =>
        {
            options.Headers["Cookie"] = cookie;
            // Blazor's script negotiates first; going straight to WebSockets saves a request per circuit and is the
            // transport it ends up on.
            options.SkipNegotiation = true;
            options.Transports = HttpTransportType.WebSockets;
        });
        builder.Services.AddSingleton<IHubProtocol, BlazorPackProtocol>();
        var circuit = new QueueCircuit(builder.Build());
        try
        {
            await circuit.StartAsync(baseUri, pageUri, markers, ct);
            return circuit;
        }
        catch
        {
            await circuit.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Arms the watch for the batch that drops <paramref name="requestId"/>: the first batch after this call that
    /// brings a total other than the one shown now. Fails at once when the queue never showed the request.
    /// </summary>
    public Task<RowDrop> WatchRowDrop(int requestId)
    {
        lock (_gate)
        {
            if (!_shownRequests.Contains(requestId))
            {
                throw new InvalidOperationException($"This circuit's queue never showed request {requestId}.");
            }
            _totalBeforeDrop = _total;
            _drop = new TaskCompletionSource<RowDrop>(TaskCreationOptions.RunContinuationsAsynchronously);
            return _drop.Task;
        }
    }

    public async ValueTask DisposeAsync() => await _hub.DisposeAsync();

    private async Task StartAsync(Uri baseUri, Uri pageUri, ServerComponentMarkers markers, CancellationToken ct)
    {
        _hub.On("JS.RenderBatch", [typeof(long), typeof(byte[])], args => OnRenderBatchAsync((long)args[0]!, (byte[])args[1]!));
        // Sent as (async handle, identifier, arguments JSON, result type, target instance id, call type).
        _hub.On("JS.BeginInvokeJS", [typeof(long), typeof(string), typeof(string), typeof(int), typeof(long), typeof(int)],
            args => AnswerJsAsync((long)args[0]!, (int)args[3]!));
        _hub.On("JS.EndUpdateRootComponents", [typeof(long)], _ => Task.CompletedTask);
        _hub.On("JS.EndInvokeDotNet", [typeof(string), typeof(bool), typeof(string)], _ => Task.CompletedTask);
        _hub.On("JS.Error", [typeof(string)], args => Fail($"circuit error: {args[0]}"));
        _hub.Closed += error => Fail($"connection closed{(error is null ? "" : $": {error.Message}")}");

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(StartTimeout);
        await _hub.StartAsync(bounded.Token);
        // Blazor Web's script starts the circuit with no components, then adds the prerendered ones in one batch of operations.
        var circuitId = await _hub.InvokeAsync<string?>("StartCircuit", baseUri.ToString(), pageUri.ToString(), "[]", markers.ApplicationState, bounded.Token)
            ?? throw new InvalidOperationException($"The console refused to start a circuit for {pageUri}.");
        await _hub.SendAsync("UpdateRootComponents", markers.AddOperations(batchId: 1), markers.ApplicationState, bounded.Token);
        try
        {
            await _ready.Task.WaitAsync(bounded.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"Circuit {circuitId[..Math.Min(8, circuitId.Length)]}… on {pageUri} did not show the queue within {StartTimeout.TotalSeconds:0} s " +
                $"({Batches} batches, {JsCalls} JavaScript calls{(Failure is null ? "" : $", {Failure}")}).");
        }
    }

    private async Task OnRenderBatchAsync(long batchId, byte[] data)
    {
        var receivedAt = DateTimeOffset.UtcNow;
        var batch = RenderBatchReader.Read(data);
        TaskCompletionSource<RowDrop>? dropped = null;
        lock (_gate)
        {
            Batches++;
            foreach (var text in batch.Strings)
            {
                if (TotalText().IsMatch(text))
                {
                    _total = text;
                }
                else if (text == "interactive")
                {
                    _interactive = true;
                }
                else if (OpenLabel().Match(text) is { Success: true } open)
                {
                    _shownRequests.Add(int.Parse(open.Groups["id"].Value, CultureInfo.InvariantCulture));
                }
            }
            if (_drop is not null && _total != _totalBeforeDrop)
            {
                (dropped, _drop) = (_drop, null);
            }
            if (_interactive && _total is not null && _shownRequests.Count > 0)
            {
                _ready.TrySetResult();
            }
        }
        dropped?.TrySetResult(new RowDrop(receivedAt, data.Length, batch.Edits.Count, batch.Count(RenderEditKind.RemoveFrame)));
        // Acknowledged after reading, as the script acknowledges after applying.
        await _hub.SendAsync("OnRenderCompleted", batchId, null);
    }

    /// <summary>
    /// Answers a JavaScript call as if it succeeded: nothing for a value (null), and a fresh object reference where the
    /// server asked for one (an imported module), so a component that calls into it later gets an answer too.
    /// </summary>
    private async Task AnswerJsAsync(long asyncHandle, int resultType)
    {
        const int JSObjectReference = 1;
        lock (_gate)
        {
            JsCalls++;
        }
        if (asyncHandle == 0)
        {
            return; // fire and forget
        }
        var result = resultType == JSObjectReference ? $"{{\"__jsObjectId\":{Interlocked.Increment(ref _jsObjectIds)}}}" : "null";
        await _hub.SendAsync("EndInvokeJSFromDotNet", asyncHandle, true, $"[{asyncHandle},true,{result}]");
    }

    private Task Fail(string reason)
    {
        TaskCompletionSource<RowDrop>? drop;
        lock (_gate)
        {
            Failure ??= reason;
            (drop, _drop) = (_drop, null);
        }
        drop?.TrySetException(new InvalidOperationException(reason));
        return Task.CompletedTask;
    }

    [GeneratedRegex(@"^\d[\d,.\u00a0 ]* requests?$")]
    private static partial Regex TotalText();

    [GeneratedRegex(@"^Open request (?<id>\d+) from ")]
    private static partial Regex OpenLabel();
}

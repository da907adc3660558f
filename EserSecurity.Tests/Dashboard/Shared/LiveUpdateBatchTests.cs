using System.Collections.Concurrent;
using Bunit;
using EserSecurity.Core.Changes;
using EserSecurity.Dashboard.Components.Shared;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EserSecurity.Tests.Dashboard.Shared;

/// <summary>
/// With the layout's <see cref="LiveUpdateBatch"/> on the page, one change renders every watching component in a
/// single render batch. Blazor calls OnAfterRender once a batch is done, so one batch shows as every component's render
/// before any of them hears it is done; separate batches alternate.
/// </summary>
public sealed class LiveUpdateBatchTests : IDisposable
{
    private readonly BunitContext _ctx = new();
    private readonly InProcessAccessChangeFeed _feed = StandaloneFeed.Create();
    private readonly Journal _journal = new();

    public LiveUpdateBatchTests()
    {
        _ctx.Services.AddSingleton<IAccessChangeFeed>(_feed);
        _ctx.Services.AddSingleton(TimeProvider.System);
        _ctx.Services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        _ctx.Services.AddScoped<LiveUpdates>();
        _ctx.Services.AddSingleton(_journal);
    }

    [Fact]
    public async Task WithTheBatchOnThePage_AChangeRendersEveryWatchingComponentInOneBatch()
    {
        _ctx.Render(builder =>
        {
            builder.OpenComponent<LiveUpdateBatch>(0);
            builder.CloseComponent();
            AddWatching(builder, "badge");
            AddWatching(builder, "table");
        });

        var entries = await PublishAndWaitForRendersAsync();

        Assert.Equal(["render badge", "render table", "rendered badge", "rendered table"], entries);
    }

    [Fact]
    public async Task WithoutTheBatch_EachComponentRendersInABatchOfItsOwn()
    {
        _ctx.Render(builder =>
        {
            AddWatching(builder, "badge");
            AddWatching(builder, "table");
        });

        var entries = await PublishAndWaitForRendersAsync();

        Assert.Equal(["render badge", "rendered badge", "render table", "rendered table"], entries);
    }

    private static void AddWatching(RenderTreeBuilder builder, string name)
    {
        builder.OpenComponent<Watching>(1);
        builder.AddComponentParameter(2, nameof(Watching.Name), name);
        builder.CloseComponent();
    }

    private async Task<List<string>> PublishAndWaitForRendersAsync()
    {
        // Both watch from their first render on.
        Assert.Equal(2, _journal.Watching);
        _journal.Clear();
        _feed.Publish(new AccessChange(AccessChangeKind.RequestSubmitted, 1, 2, 3, 4, DateTimeOffset.UnixEpoch));
        await _journal.BothRendered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return [.. _journal.Entries];
    }

    public void Dispose() => _ctx.Dispose();

    private sealed class Journal
    {
        private int _rendered;

        public int Watching;

        public ConcurrentQueue<string> Entries { get; private set; } = new();

        public TaskCompletionSource BothRendered { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Clear()
        {
            Entries = new();
            _rendered = 0;
            BothRendered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public void Rendered(string name)
        {
            Entries.Enqueue($"rendered {name}");
            if (Interlocked.Increment(ref _rendered) == 2)
            {
                BothRendered.TrySetResult();
            }
        }
    }

    /// <summary>Watches every change; records when it renders and when Blazor tells it the render is done.</summary>
    private sealed class Watching : ComponentBase, IDisposable
    {
        private IDisposable? _watch;
        private bool _live;

        [Parameter] public string Name { get; set; } = "";

        [Inject] private LiveUpdates Live { get; set; } = default!;

        [Inject] private Journal Journal { get; set; } = default!;

        protected override void OnInitialized()
        {
            _watch = Live.Watch(_ => true, InvokeAsync, _ => Task.CompletedTask, () =>
            {
                _live = true;
                StateHasChanged();
            });
            Interlocked.Increment(ref Journal.Watching);
        }

        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            if (_live)
            {
                Journal.Entries.Enqueue($"render {Name}");
            }
            builder.AddContent(0, Name);
        }

        protected override void OnAfterRender(bool firstRender)
        {
            if (_live)
            {
                _live = false;
                Journal.Rendered(Name);
            }
        }

        public void Dispose() => _watch?.Dispose();
    }
}

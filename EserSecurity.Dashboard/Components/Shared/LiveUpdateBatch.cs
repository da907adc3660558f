using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace EserSecurity.Dashboard.Components.Shared;

/// <summary>
/// Lets <see cref="LiveUpdates"/> render a page's updated components in one render batch, so the browser receives one
/// message and applies it in one frame. Place it once in the layout; it renders nothing.
/// </summary>
/// <remarks>
/// A component that calls StateHasChanged outside an event or a render starts a render batch of its own at once. Called
/// while a batch is being built, StateHasChanged only joins that batch. So the live update's renders run while this
/// component renders: every component they ask to render is rendered and sent with it.
/// </remarks>
public sealed class LiveUpdateBatch : ComponentBase, IDisposable
{
    private Action? _renders;

    [Inject] private LiveUpdates Live { get; set; } = default!;

    internal bool Disposed { get; private set; }

    protected override void OnInitialized() => Live.Attach(this);

    /// <summary>Runs the renders inside one render batch. Call it on the circuit's dispatcher.</summary>
    internal void RenderTogether(Action renders)
    {
        _renders = renders;
        StateHasChanged();
    }

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        var renders = _renders;
        _renders = null;
        renders?.Invoke();
    }

    public void Dispose()
    {
        Disposed = true;
        Live.Detach(this);
    }
}

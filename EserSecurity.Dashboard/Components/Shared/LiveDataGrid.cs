using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using MudBlazor;

namespace EserSecurity.Dashboard.Components.Shared;

/// <summary>
/// A <see cref="MudDataGrid{T}"/> that can reload for a live update without rendering, then render once. MudDataGrid
/// renders every row with its loading bar, again with the new rows, and its pager separately: each a message to the
/// browser and a repaint there, for every open page on every change. A quiet reload renders nothing until
/// <see cref="Render"/>, which the page's <see cref="LiveUpdates"/> calls together with its other components.
/// Use <see cref="LiveDataGridPager{T}"/> as its pager.
/// </summary>
[CascadingTypeParameter(nameof(T))]
public sealed class LiveDataGrid<T> : MudDataGrid<T>
{
    /// <summary>True while a quiet reload runs: the grid and its pager do not render.</summary>
    internal bool Quiet { get; private set; }

    /// <summary>Reloads the current page from the server data without rendering; call <see cref="Render"/> after.</summary>
    public async Task ReloadQuietlyAsync()
    {
        Quiet = true;
        try
        {
            await ReloadServerData();
            Quiet = false;
        }
        catch
        {
            // The page will not call Render for a failed reload, but a sort, a page turn or a navigation may have
            // reloaded the grid meanwhile, and its render was held back: show what the grid has now.
            Quiet = false;
            Render();
            throw;
        }
    }

    /// <summary>Renders the rows and the pager, one right after the other.</summary>
    public void Render()
    {
        StateHasChanged();
        PagerStateHasChangedEvent?.Invoke();
    }

    protected override bool ShouldRender() => !Quiet && base.ShouldRender();
}

/// <summary>
/// The pager of a <see cref="LiveDataGrid{T}"/>. It waits for the grid's render after a quiet reload, and skips the
/// extra renders MudDataGrid asks of it when nothing it shows (page, page size, total, loading) has changed: after a
/// live reload the grid asks again a moment later, which was one more message and one more repaint in the browser.
/// </summary>
public sealed class LiveDataGridPager<T> : MudDataGridPager<T>
{
    private (int Page, int PageSize, int Total, bool Loading, bool Disabled)? _shown;
    private bool _parametersSet;

    private (int, int, int, bool, bool)? Shows => DataGrid is null ? null : (DataGrid.CurrentPage, DataGrid.RowsPerPage, DataGrid.GetFilteredItemsCount(), DataGrid.Loading, Disabled);

    protected override void OnParametersSet()
    {
        base.OnParametersSet();
        _parametersSet = true;
    }

    protected override bool ShouldRender() =>
        DataGrid is not LiveDataGrid<T> { Quiet: true } && (_parametersSet || _shown != Shows) && base.ShouldRender();

    protected override void BuildRenderTree(RenderTreeBuilder __builder)
    {
        _parametersSet = false;
        _shown = Shows;
        base.BuildRenderTree(__builder);
    }
}

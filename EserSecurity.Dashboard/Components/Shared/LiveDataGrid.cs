using Microsoft.AspNetCore.Components;
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
        }
        finally
        {
            Quiet = false;
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

/// <summary>The pager of a <see cref="LiveDataGrid{T}"/>: it waits for the grid's render after a quiet reload.</summary>
public sealed class LiveDataGridPager<T> : MudDataGridPager<T>
{
    protected override bool ShouldRender() => DataGrid is not LiveDataGrid<T> { Quiet: true } && base.ShouldRender();
}

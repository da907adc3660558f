using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace EserSecurity.Dashboard.Components.Shared;

/// <summary>
/// A <see cref="MudDataGrid{T}"/> that can reload without its "loading" render. MudDataGrid renders every row once with
/// its loading bar and again with the new rows; when someone else's change triggers the reload, the first render only
/// costs the server and the browser a second pass over the whole table, and the bar would flicker on every change.
/// </summary>
[CascadingTypeParameter(nameof(T))]
public sealed class LiveDataGrid<T> : MudDataGrid<T>
{
    private bool _quiet;

    /// <summary>Reloads the current page from the server data, rendering once when the rows have arrived.</summary>
    public async Task ReloadQuietlyAsync()
    {
        _quiet = true;
        try
        {
            await ReloadServerData();
        }
        finally
        {
            _quiet = false;
        }
    }

    protected override bool ShouldRender() => !(_quiet && Loading) && base.ShouldRender();
}

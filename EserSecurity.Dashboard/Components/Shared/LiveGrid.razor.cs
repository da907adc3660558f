using EserSecurity.Core.Changes;
using EserSecurity.Core.Security;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace EserSecurity.Dashboard.Components.Shared;

/// <summary>
/// The console's one live grid: server paging and sorting through a Core read, the total, row selection with a bulk
/// action (progress, then a summary of what happened to each row), the empty state, and live updates. A change that
/// the page's Core rule says concerns it reloads the rows without rendering, then renders the grid once, in the same
/// render batch as the rest of the page's live update; rows that moved into view are marked as new.
/// </summary>
/// <typeparam name="TRow">A row as the Core read returns it.</typeparam>
/// <typeparam name="TKey">What identifies a row across reloads, and what the bulk action receives.</typeparam>
public sealed partial class LiveGrid<TRow, TKey> : IDisposable
    where TKey : notnull
{
    private readonly HashSet<TKey> _selection = [];
    private LiveDataGrid<TRow>? _grid;
    private RenderSection? _top;
    private RenderSection? _totalLine;
    private (string? Denied, int Selected, int Total) _toolbarShown;
    private IReadOnlyList<TRow> _shown = [];
    private HashSet<TKey> _shownKeys = [];
    private HashSet<TKey> _newKeys = [];
    private (object? Query, GridPageRequest Request)? _shownRequest;
    private object? _loadedQuery;
    private int _total;
    private bool _liveReload;
    private bool _liveReloadChanged;
    private string? _denied;
    private BulkRun? _run;
    private IBulkSummary? _summary;
    private IDisposable? _live;

    /// <summary>The Core read of one page.</summary>
    [Parameter, EditorRequired] public required Func<GridPageRequest, CancellationToken, Task<PagedResult<TRow>>> Read { get; set; }

    /// <summary>The Core rule that says whether a change concerns what this grid shows.</summary>
    [Parameter, EditorRequired] public required Func<AccessChange, bool> Concerns { get; set; }

    /// <summary>Identifies a row across reloads.</summary>
    [Parameter, EditorRequired] public required Func<TRow, TKey> Key { get; set; }

    /// <summary>The table's accessible name.</summary>
    [Parameter, EditorRequired] public required string Label { get; set; }

    [Parameter, EditorRequired] public required RenderFragment Columns { get; set; }

    /// <summary>The filters the read applies, as a value: when it changes, the grid starts over (selection and summary too).</summary>
    [Parameter] public object? Query { get; set; }

    /// <summary>What an empty grid says.</summary>
    [Parameter] public RenderFragment? Empty { get; set; }

    /// <summary>Shown above the toolbar and rendered with the grid, so figures read alongside the rows stay in step with them.</summary>
    [Parameter] public RenderFragment? Header { get; set; }

    /// <summary>Controls beside the bulk buttons, such as filters.</summary>
    [Parameter] public RenderFragment? Toolbar { get; set; }

    /// <summary>The total as text, for example "3 requests"; null shows no total beyond the pager's.</summary>
    [Parameter] public Func<int, string>? TotalText { get; set; }

    /// <summary>Each row's checkbox name; null makes the rows unselectable.</summary>
    [Parameter] public Func<TRow, string>? SelectLabel { get; set; }

    /// <summary>The name of the checkbox that selects every row of the page.</summary>
    [Parameter] public string SelectPageLabel { get; set; } = "Select every row on this page";

    /// <summary>Whether a row can be selected; every row by default.</summary>
    [Parameter] public Func<TRow, bool>? CanSelect { get; set; }

    [Parameter] public LiveGridBulk<TKey>? Bulk { get; set; }

    /// <summary>Classes of a row besides the grid's own "row-new".</summary>
    [Parameter] public Func<TRow, string?>? RowClass { get; set; }

    [Parameter] public int RowsPerPage { get; set; } = 25;

    [Parameter] public SortMode SortMode { get; set; } = SortMode.None;

    protected override async Task OnParametersSetAsync()
    {
        if (_grid is not null && !Equals(Query, _loadedQuery))
        {
            _selection.Clear();
            _summary = null;
            await _grid.ReloadServerData();
        }
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            // The rule is read as each change arrives: what it depends on (the reader's scope) may still be loading now.
            // The grid's own bulk action publishes a change per row; it reloads once when the action ends.
            _live = Live.Watch(change => _run is null && Concerns(change), InvokeAsync, _ => ReloadQuietlyAsync(), RenderLiveUpdate);
        }
    }

    private async Task ReloadQuietlyAsync()
    {
        if (_grid is not null)
        {
            _liveReload = true;
            await _grid.ReloadQuietlyAsync();
        }
    }

    /// <summary>
    /// A live update renders the table, and of the toolbar only what changed: usually the total alone. Rendering the grid
    /// as a whole would hand MudDataGrid new parameters and send every open page a second render batch a moment after
    /// the first; rendering the bulk buttons would re-attach their handlers on every open page.
    /// </summary>
    private void RenderLiveUpdate()
    {
        if (!_liveReloadChanged && Header is null)
        {
            // The same rows, total and marks as before: rendering would send the browser a batch that changes nothing.
            // A header may show figures the read keeps beside the rows, so it renders on every update.
            return;
        }
        var shown = (_denied, _selection.Count, _total);
        if (Header is not null || shown.Item1 != _toolbarShown.Denied || shown.Item2 != _toolbarShown.Selected)
        {
            _top?.Render();
        }
        else if (shown.Item3 != _toolbarShown.Total)
        {
            _totalLine?.Render();
        }
        _toolbarShown = shown;
        _grid?.Render();
    }

    private async Task<GridData<TRow>> LoadAsync(GridState<TRow> state, CancellationToken ct)
    {
        var sort = state.SortDefinitions.FirstOrDefault();
        var request = (Query, new GridPageRequest(state.Page, state.PageSize, sort?.SortBy, sort?.Descending ?? false));
        var live = _liveReload;
        _liveReload = false;
        _loadedQuery = Query;
        var deniedBefore = _denied;
        PagedResult<TRow> page;
        try
        {
            page = await Read(request.Item2, ct);
            _denied = null;
        }
        catch (ScopeDeniedException ex)
        {
            // A filter outside the reader's scope (a hand-edited URL): say so instead of rows.
            _denied = ex.Message;
            page = new PagedResult<TRow>([], 0);
        }
        var keys = page.Items.Select(Key).ToHashSet();
        // Rows that were not there before a live reload of the same filters, sort and page arrived since.
        HashSet<TKey> newKeys = live && Equals(request, _shownRequest) ? [.. keys.Except(_shownKeys)] : [];
        // Rows compare by value when the read returns records; other rows count as changed.
        _liveReloadChanged = !live || !page.Items.SequenceEqual(_shown) || page.TotalCount != _total || _denied != deniedBefore
            || !newKeys.SetEquals(_newKeys);
        _newKeys = newKeys;
        _shownRequest = request;
        _shownKeys = keys;
        _shown = page.Items;
        _selection.IntersectWith(keys);
        _total = page.TotalCount;
        if (!live)
        {
            // A page turn, a sort or new filters: the total, the selection and the header render with the rows. A live
            // reload renders once, when LiveUpdates asks.
            _toolbarShown = (_denied, _selection.Count, _total);
            _ = InvokeAsync(StateHasChanged);
        }
        return new GridData<TRow> { Items = page.Items, TotalItems = page.TotalCount };
    }

    private string RowClassOf(TRow row, int index) =>
        (_newKeys.Contains(Key(row)) ? "row-new " : "") + RowClass?.Invoke(row);

    private bool CanSelectRow(TRow row) => CanSelect?.Invoke(row) ?? true;

    private bool AllShownSelected => _shown.Any(CanSelectRow) && _shown.Where(CanSelectRow).All(r => _selection.Contains(Key(r)));

    private void Select(TRow row, bool on)
    {
        if (on && CanSelectRow(row))
        {
            _selection.Add(Key(row));
        }
        else
        {
            _selection.Remove(Key(row));
        }
    }

    private void SelectShown(bool on)
    {
        foreach (var row in _shown)
        {
            Select(row, on);
        }
    }

    private async Task RunSelectedAsync()
    {
        var keys = _selection.ToList();
        if (await ConfirmedAsync(Bulk!.Label, Bulk.Confirm?.Invoke(keys.Count)))
        {
            await RunBulkAsync(progress => Bulk.RunAsync(keys, progress), keys.Count);
        }
    }

    private async Task RunAllAsync()
    {
        var count = Bulk!.AllCount?.Invoke() ?? 0;
        if (await ConfirmedAsync(Bulk.AllLabel!, Bulk.ConfirmAll?.Invoke(count)))
        {
            await RunBulkAsync(Bulk.RunAllAsync!, count);
        }
    }

    private async Task<bool> ConfirmedAsync(string title, string? question) =>
        question is null || await Dialogs.ShowMessageBoxAsync(title, question, yesText: Bulk!.ConfirmText, cancelText: "Cancel") == true;

    private async Task RunBulkAsync(Func<IProgress<int>, Task<IBulkSummary>> action, int count)
    {
        var run = new BulkRun(count);
        _run = run;
        _summary = null;
        StateHasChanged();
        try
        {
            _summary = await action(new Progress<int>(run.Report));
        }
        catch (ScopeDeniedException ex)
        {
            _denied = ex.Message;
        }
        finally
        {
            _run = null;
            _selection.Clear();
        }
        if (_grid is not null)
        {
            await _grid.ReloadServerData();
        }
    }

    public void Dispose() => _live?.Dispose();
}

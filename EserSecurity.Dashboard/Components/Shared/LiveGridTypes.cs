using EserSecurity.Core.Security;

namespace EserSecurity.Dashboard.Components.Shared;

/// <summary>What a <see cref="LiveGrid{TRow, TKey}"/> asks its read for: the page, its size and the sort chosen.</summary>
/// <param name="SortBy">The property name of the sorted column, or null for the read's default order.</param>
public sealed record GridPageRequest(int Page, int PageSize, string? SortBy, bool Descending);

/// <summary>
/// A bulk action of a <see cref="LiveGrid{TRow, TKey}"/>: on the selected rows and, where the page offers it, on every
/// row the action can take. Each row is handled on its own by Core, which reports progress and a summary.
/// </summary>
public sealed class LiveGridBulk<TKey>
{
    /// <summary>The button for the selection, for example "Approve selected"; the count follows it.</summary>
    public required string Label { get; init; }

    /// <summary>The accessible name of the progress bar while the action runs.</summary>
    public required string ProgressLabel { get; init; }

    /// <summary>The question put before acting on this many rows; null acts at once.</summary>
    public Func<int, string>? Confirm { get; init; }

    /// <summary>The confirmation's button.</summary>
    public string ConfirmText { get; init; } = "Continue";

    /// <summary>Acts on the selected rows.</summary>
    public required Func<IReadOnlyList<TKey>, IProgress<int>, Task<IBulkSummary>> RunAsync { get; init; }

    /// <summary>The button that acts on every row the action can take, for example "Grant all grantable"; null offers none.</summary>
    public string? AllLabel { get; init; }

    /// <summary>How many rows acting on all would take, read as the grid renders; zero disables the button.</summary>
    public Func<int>? AllCount { get; init; }

    /// <summary>The question put before acting on all; it receives <see cref="AllCount"/>.</summary>
    public Func<int, string>? ConfirmAll { get; init; }

    /// <summary>Acts on every row the action can take.</summary>
    public Func<IProgress<int>, Task<IBulkSummary>>? RunAllAsync { get; init; }
}

/// <summary>A bulk action under way: how far it has got. Its progress bar renders on its own, not the grid.</summary>
public sealed class BulkRun(int count)
{
    public int Count { get; } = Math.Max(count, 1);

    public int Done { get; private set; }

    public event Action? Changed;

    public void Report(int done)
    {
        Done = done;
        Changed?.Invoke();
    }
}

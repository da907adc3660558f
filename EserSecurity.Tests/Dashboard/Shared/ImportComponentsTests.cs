using Bunit;
using EserSecurity.Dashboard.Components.Shared.Imports;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using MudBlazor.Services;

namespace EserSecurity.Tests.Dashboard.Shared;

/// <summary>The import steps every import page composes, on their own.</summary>
public sealed class ImportComponentsTests
{
    public enum Fruit { Apple, Pear, Plum }

    public sealed record Line(int Number, Fruit Kind);

    private static readonly Line[] Lines = [new(2, Fruit.Apple), new(3, Fruit.Pear), new(4, Fruit.Apple)];

    private static BunitContext Context()
    {
        BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(10);
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        return ctx;
    }

    private static RenderFragment Text(string text) => b => b.AddContent(0, text);

    [Fact]
    public async Task CommitStep_WithBlockingRows_ShowsWhyAndDisablesTheButton()
    {
        await using var ctx = Context();
        var imported = false;

        var step = ctx.Render<ImportCommitStep>(p => p
            .Add(x => x.ChildContent, Text("preview"))
            .Add(x => x.CommitLabel, "Import 2 rows")
            .Add(x => x.Blocked, "The file has 1 invalid row.")
            .Add(x => x.Import, () => imported = true));

        Assert.Equal("The file has 1 invalid row.", step.Find("[data-testid=commit-blocked]").TextContent.Trim());
        Assert.True(step.FindButton("Import 2 rows").HasAttribute("disabled"));
        Assert.False(imported);
    }

    [Fact]
    public async Task CommitStep_WithNothingToImport_SaysSoAndDisablesTheButton_OtherwiseTheButtonImports()
    {
        await using var ctx = Context();
        var imported = 0;

        var idle = ctx.Render<ImportCommitStep>(p => p
            .Add(x => x.ChildContent, Text("preview")).Add(x => x.CommitLabel, "Import").Add(x => x.NothingToImport, "Nothing to import."));
        Assert.Equal("Nothing to import.", idle.Find("[data-testid=nothing-to-import]").TextContent.Trim());
        Assert.True(idle.FindButton("Import").HasAttribute("disabled"));

        var ready = ctx.Render<ImportCommitStep>(p => p
            .Add(x => x.ChildContent, Text("preview")).Add(x => x.CommitLabel, "Import 3 rows").Add(x => x.Import, () => imported++)
            .Add(x => x.Choices, Text("Keep them")));
        Assert.Contains("Keep them", ready.Markup);
        await ready.InvokeAsync(() => ready.FindButton("Import 3 rows").Click());
        Assert.Equal(1, imported);
    }

    [Fact]
    public async Task Figures_ShowEveryCategory_AndMarkBlockingOnesThatHaveRows()
    {
        await using var ctx = Context();

        var figures = ctx.Render<ImportFigures<Fruit>>(p => p
            .Add(x => x.Categories, Enum.GetValues<Fruit>())
            .Add(x => x.CountOf, f => Lines.Count(l => l.Kind == f))
            .Add(x => x.TextOf, f => f.ToString())
            .Add(x => x.AlertOf, f => f is Fruit.Pear or Fruit.Plum));

        Assert.Equal("2", figures.Find("[data-testid=count-Apple]").TextContent.Trim());
        Assert.Equal("0", figures.Find("[data-testid=count-Plum]").TextContent.Trim());
        Assert.Contains("mud-error-text", figures.Find("[data-testid=count-Pear]").ClassName);
        Assert.DoesNotContain("mud-error-text", figures.Find("[data-testid=count-Plum]").ClassName);
    }

    [Fact]
    public async Task RowsTable_ShowsEveryRow_AndTheCategoryFilterOffersOnlyCategoriesWithRows()
    {
        await using var ctx = Context();
        var popovers = ctx.Render<MudPopoverProvider>();

        var table = ctx.Render<ImportRowsTable<Line, Fruit>>(p => p
            .Add(x => x.Rows, Lines)
            .Add(x => x.RowsIn, f => Lines.Where(l => l.Kind == f).ToList())
            .Add(x => x.Categories, Enum.GetValues<Fruit>())
            .Add(x => x.TextOf, f => f.ToString())
            .Add(x => x.Header, b => b.AddMarkupContent(0, "<th>Line</th>"))
            .Add(x => x.Row, line => b => b.AddMarkupContent(0, $"<td>{line.Number} {line.Kind}</td>")));

        Assert.Contains("Every row (3)", table.Markup);
        Assert.Equal(3, table.FindAll("[data-testid=findings] tbody tr").Count);

        table.ChooseOption(popovers, "Show category", "Apple");

        table.WaitForAssertion(() => Assert.Equal(["2 Apple", "4 Apple"],
            table.FindAll("[data-testid=findings] tbody tr").Select(r => r.TextContent.Trim())));
        Assert.DoesNotContain(popovers.FindAll("[role=option]"), o => o.TextContent.Contains("Plum", StringComparison.Ordinal));
    }

    [Fact]
    public void ThrottledProgress_AlwaysPassesOnTheReportThatEndsAStage()
    {
        var shown = new List<int>();
        var progress = new ThrottledProgress<int>(value => { shown.Add(value); return Task.CompletedTask; }, value => value == 100);

        progress.Report(1);
        progress.Report(100);

        Assert.Equal(1, shown[0]);
        Assert.Equal(100, shown[^1]);
    }
}

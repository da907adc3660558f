using System.Linq.Expressions;
using Bunit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Security;
using EserSecurity.Dashboard.Components.Layout;
using EserSecurity.Dashboard.Components.Shared;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace EserSecurity.Tests.Dashboard.Shared;

/// <summary>
/// The shared live grid over a read kept in memory, so each test says exactly which rows exist; live changes go
/// through the real change feed and the circuit's LiveUpdates.
/// </summary>
public sealed class LiveGridTests
{
    private static readonly Expression<Func<Person, string>> NameColumn = p => p.Name;

    [Fact]
    public async Task ChangeTheRuleAccepts_ReloadsTheRows_MarksTheArrivedRow_AndUpdatesTheTotal()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var ctx = DashboardContext.Create(database, null);
        var people = new People("Ada", "Ben");
        var grid = Render(ctx, people);
        grid.WaitForAssertion(() => Assert.Equal(["Ada", "Ben"], Names(grid)));

        people.Add("Cy");
        Publish(database, AccessChangeKind.RequestSubmitted);

        grid.WaitForAssertion(() =>
        {
            Assert.Equal(["Ada", "Ben", "Cy"], Names(grid));
            Assert.Equal("3 people", grid.Find("[data-testid=grid-total]").TextContent.Trim());
        });
        Assert.Equal(["Cy"], grid.FindAll("tbody tr.row-new td:nth-child(2)").Select(td => td.TextContent.Trim()));
    }

    [Fact]
    public async Task ChangeTheRuleRejects_DoesNotReadAgain()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var ctx = DashboardContext.Create(database, null);
        var people = new People("Ada");
        var grid = Render(ctx, people);
        grid.WaitForAssertion(() => Assert.Equal(["Ada"], Names(grid)));
        var reads = people.Reads;

        people.Add("Ben");
        Publish(database, AccessChangeKind.KeyDatesChanged);
        Publish(database, AccessChangeKind.RequestSubmitted);

        // The accepted change behind the rejected one reloads once; the rejected one read nothing.
        grid.WaitForAssertion(() => Assert.Equal(["Ada", "Ben"], Names(grid)));
        Assert.Equal(reads + 1, people.Reads);
    }

    [Fact]
    public async Task BulkAction_OnTheSelection_ShowsWhatHappenedToEachRow_AndClearsTheSelection()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var ctx = DashboardContext.Create(database, null);
        var people = new People("Ada", "Ben", "Cy");
        IReadOnlyList<int>? acted = null;
        var bulk = new LiveGridBulk<int>
        {
            Label = "Approve selected",
            ProgressLabel = "Approving",
            RunAsync = (ids, progress) =>
            {
                acted = ids;
                progress.Report(ids.Count);
                return Task.FromResult<IBulkSummary>(new Summary($"{ids.Count - 1} approved, 1 not approved", ["Ben: decided by someone else"]));
            },
        };
        var grid = Render(ctx, people, bulk);
        grid.WaitForAssertion(() => Assert.Equal(3, Names(grid).Count));

        grid.FindCheckbox("Select Ada").Change(true);
        grid.FindCheckbox("Select Ben").Change(true);
        Assert.False(grid.FindButton("Approve selected (2)").HasAttribute("disabled"));
        grid.FindButton("Approve selected (2)").Click();

        grid.WaitForAssertion(() =>
        {
            var summary = grid.Find("[data-testid=bulk-summary]").TextContent;
            Assert.Contains("1 approved, 1 not approved:", summary);
            Assert.Contains("Ben: decided by someone else", summary);
        });
        Assert.Equal([people.IdOf("Ada"), people.IdOf("Ben")], acted!.Order());
        Assert.True(grid.FindButton("Approve selected (0)").HasAttribute("disabled"));
        Assert.False(grid.FindCheckbox("Select Ada").IsChecked);
    }

    [Fact]
    public async Task Selection_KeepsRowsStillShownAfterALiveReload_AndDropsRowsThatLeft()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var ctx = DashboardContext.Create(database, null);
        var people = new People("Ada", "Ben", "Cy");
        var grid = Render(ctx, people, new LiveGridBulk<int>
        {
            Label = "Approve selected", ProgressLabel = "Approving",
            RunAsync = (_, _) => Task.FromResult<IBulkSummary>(new Summary("0 approved", [])),
        });
        grid.WaitForAssertion(() => Assert.Equal(3, Names(grid).Count));
        grid.FindCheckbox("Select every person on this page").Change(true);
        grid.WaitForAssertion(() => grid.FindButton("Approve selected (3)"));

        people.Remove("Ben");
        Publish(database, AccessChangeKind.RequestDecided);

        grid.WaitForAssertion(() => Assert.Equal(["Ada", "Cy"], Names(grid)));
        Assert.True(grid.FindCheckbox("Select Ada").IsChecked);
        Assert.True(grid.FindCheckbox("Select Cy").IsChecked);
        grid.WaitForAssertion(() => grid.FindButton("Approve selected (2)"));
    }

    [Fact]
    public async Task NewQuery_StartsOver_WithNoSelection()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var ctx = DashboardContext.Create(database, null);
        var people = new People("Ada", "Ben");
        var grid = Render(ctx, people, new LiveGridBulk<int>
        {
            Label = "Approve selected", ProgressLabel = "Approving",
            RunAsync = (_, _) => Task.FromResult<IBulkSummary>(new Summary("0 approved", [])),
        });
        grid.WaitForAssertion(() => Assert.Equal(2, Names(grid).Count));
        grid.FindCheckbox("Select Ada").Change(true);

        people.Filter = "B";
        grid.Render(p => p.Add(g => g.Query, "B"));

        grid.WaitForAssertion(() => Assert.Equal(["Ben"], Names(grid)));
        Assert.False(grid.FindCheckbox("Select Ben").IsChecked);
        grid.WaitForAssertion(() => grid.FindButton("Approve selected (0)"));
    }

    [Fact]
    public async Task ReadRefusedForScope_SaysWhy_InsteadOfRows()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var ctx = DashboardContext.Create(database, null);
        var people = new People("Ada") { Refusal = "You may not see this school system's people." };

        var grid = Render(ctx, people);

        grid.WaitForAssertion(() => Assert.Equal("You may not see this school system's people.", grid.Find("[data-testid=grid-denied]").TextContent.Trim()));
        Assert.Contains("Nobody here.", grid.Find("table").TextContent);
    }

    [Fact]
    public async Task LiveReloadThatFails_SaysThePageMayBeOutOfDate_UntilTryingAgainBringsItUpToDate()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var ctx = DashboardContext.Create(database, null);
        var people = new People("Ada");
        var notice = ctx.Render<LiveBehindNotice>();
        var grid = Render(ctx, people);
        grid.WaitForAssertion(() => Assert.Equal(["Ada"], Names(grid)));
        Assert.Empty(notice.FindAll("[role=alert]"));

        people.Failure = "The database is busy.";
        people.Add("Ben");
        Publish(database, AccessChangeKind.RequestSubmitted);

        notice.WaitForAssertion(() => Assert.StartsWith("This page may be out of date: the console could not read the latest changes.",
            notice.Find("[role=alert]").TextContent.Trim()));
        Assert.Equal(["Ada"], Names(grid));

        // The clock stands still, so only the person's "Try again now" reads again before the pause is over.
        people.Failure = null;
        await notice.FindAll("button").Single(b => b.TextContent.Trim() == "Try again now").ClickAsync(new());

        grid.WaitForAssertion(() => Assert.Equal(["Ada", "Ben"], Names(grid)));
        notice.WaitForAssertion(() => Assert.Empty(notice.FindAll("[role=alert]")));
    }

    private static IRenderedComponent<LiveGrid<Person, int>> Render(BunitContext ctx, People people, LiveGridBulk<int>? bulk = null) =>
        ctx.Render<LiveGrid<Person, int>>(p => p
            .Add(g => g.Read, people.ReadAsync)
            .Add(g => g.Concerns, c => c.Kind != AccessChangeKind.KeyDatesChanged)
            .Add(g => g.Key, person => person.Id)
            .Add(g => g.Label, "People")
            .Add(g => g.TotalText, n => $"{n} people")
            .Add(g => g.SelectLabel, person => $"Select {person.Name}")
            .Add(g => g.SelectPageLabel, "Select every person on this page")
            .Add(g => g.Bulk, bulk)
            .Add(g => g.Empty, (RenderFragment)(b => b.AddContent(0, "Nobody here.")))
            .Add(g => g.Columns, (RenderFragment)(b =>
            {
                b.OpenComponent<PropertyColumn<Person, string>>(0);
                b.AddAttribute(1, nameof(PropertyColumn<Person, string>.Property), NameColumn);
                b.AddAttribute(2, nameof(PropertyColumn<Person, string>.Title), "Name");
                b.CloseComponent();
            })));

    private static void Publish(TestDatabase database, AccessChangeKind kind) =>
        database.Get<IAccessChangeFeed>().Publish(new AccessChange(kind, 1, null, null, null, database.Clock.GetUtcNow()));

    private static List<string> Names(IRenderedComponent<LiveGrid<Person, int>> grid) =>
        grid.FindAll("tbody tr td:nth-child(2)").Select(td => td.TextContent.Trim()).ToList();

    public sealed record Person(int Id, string Name);

    private sealed record Summary(string Headline, IReadOnlyList<string> NotDone) : IBulkSummary;

    /// <summary>Rows kept in memory, read the way a Core read pages them; it counts its reads.</summary>
    private sealed class People(params string[] names)
    {
        private readonly List<Person> _people = names.Select((name, i) => new Person(i + 1, name)).ToList();

        public int Reads { get; private set; }

        public string? Filter { get; set; }

        public string? Refusal { get; init; }

        /// <summary>When set, a read fails with this message, as a read of a busy database does.</summary>
        public string? Failure { get; set; }

        public void Add(string name)
        {
            lock (_people)
            {
                _people.Add(new Person(_people.Max(p => p.Id) + 1, name));
            }
        }

        public void Remove(string name)
        {
            lock (_people)
            {
                _people.RemoveAll(p => p.Name == name);
            }
        }

        public int IdOf(string name) => _people.Single(p => p.Name == name).Id;

        public Task<PagedResult<Person>> ReadAsync(GridPageRequest request, CancellationToken ct)
        {
            ct.ThrowIfCancellationRequested();
            if (Refusal is not null)
            {
                throw new ScopeDeniedException(new SecurityEvents.RecordedRefusal(Refusal));
            }
            if (Failure is not null)
            {
                throw new InvalidOperationException(Failure);
            }
            lock (_people)
            {
                Reads++;
                var matching = _people.Where(p => Filter is null || p.Name.StartsWith(Filter, StringComparison.Ordinal)).ToList();
                return Task.FromResult(new PagedResult<Person>(
                    matching.Skip(request.Page * request.PageSize).Take(request.PageSize).ToList(), matching.Count));
            }
        }
    }
}

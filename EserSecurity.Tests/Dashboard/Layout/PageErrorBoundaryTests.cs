using System.Collections.Concurrent;
using Bunit;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Dashboard.Components.Layout;
using EserSecurity.Dashboard.Components.Pages.Requests;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EserSecurity.Tests.Dashboard.Layout;

public sealed class PageErrorBoundaryTests
{
    [Fact]
    public async Task PageThatThrows_ShowsAReferenceThatIsLogged_AndTheNavigationStillWorks()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        var log = new ErrorLog();
        ctx.Services.AddSingleton<ILoggerFactory>(log);
        var layout = RenderLayoutWith<BrokenPage>(ctx);
        layout.WaitForAssertion(() => layout.FindButton("Break the page"));

        await layout.InvokeAsync(() => layout.FindButton("Break the page").Click());

        layout.WaitForAssertion(() => Assert.Equal("Something went wrong", layout.Find("main h1").TextContent));
        var reference = layout.Find("[data-testid=error-reference]").TextContent.Trim();
        Assert.Matches("^[0-9A-F]{10}$", reference);
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Error && e.Message.Contains(reference, StringComparison.Ordinal)
            && e.Exception is InvalidOperationException);
        Assert.Contains("School systems", layout.Find("nav").TextContent);
        Assert.Empty(layout.FindAll("main #broken-page"));

        ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("/key-dates");

        layout.WaitForAssertion(() => Assert.Single(layout.FindAll("main #broken-page")));
        Assert.Empty(layout.FindAll("[data-testid=page-error]"));
    }

    [Fact]
    public async Task DialogThatThrows_ClosesWithAReferenceThatIsLogged_AndThePageUnderItKeepsWorking()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        await using var ctx = DashboardContext.Create(database, state.StateAdmin.Username);
        var log = new ErrorLog();
        ctx.Services.AddSingleton<ILoggerFactory>(log);
        var layout = RenderLayoutWith<PageWithABrokenDialog>(ctx);
        layout.WaitForAssertion(() => layout.FindButton("Open the dialog"));
        await layout.InvokeAsync(() => layout.FindButton("Open the dialog").Click());
        layout.WaitForAssertion(() => layout.FindButton("Break the dialog"));

        await layout.InvokeAsync(() => layout.FindButton("Break the dialog").Click());

        layout.WaitForAssertion(() => layout.Find("[data-testid=dialog-error]"));
        var reference = layout.Find("[data-testid=dialog-error-reference]").TextContent.Trim();
        Assert.Matches("^[0-9A-F]{10}$", reference);
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Error && e.Message.Contains(reference, StringComparison.Ordinal)
            && e.Exception is InvalidOperationException);
        Assert.Empty(layout.FindAll("[data-testid=page-error]"));
        Assert.Empty(layout.FindAll("#broken-dialog"));

        // The page is untouched and opens the dialog again once the notice is closed.
        await layout.InvokeAsync(() => layout.Find("[data-testid=dialog-error] button").Click());
        layout.WaitForAssertion(() => Assert.Empty(layout.FindAll("[data-testid=dialog-error]")));
        await layout.InvokeAsync(() => layout.FindButton("Open the dialog").Click());
        layout.WaitForAssertion(() => layout.FindButton("Break the dialog"));
    }

    [Fact]
    public async Task DatabaseBusyPastTheTimeout_SaysTheConsoleIsBusy_AndTheCircuitKeepsWorking()
    {
        await using var database = await TestDatabase.CreateAsync(commandTimeout: TimeSpan.FromSeconds(1));
        var state = await TestState.CreateAsync(database);
        var id = await database.Get<AccessRequestService>().SubmitAsync(TestState.CallerFor(state.UserA1),
            new NewAccessRequest(state.SchoolRole.Id, state.A1.Id, "My duties need it."));
        await using var ctx = DashboardContext.Create(database, state.UserA1.Username);
        var layout = RenderLayoutWith<MyRequests>(ctx);
        layout.WaitForAssertion(() => Assert.False(layout.FindButton($"Withdraw request {id}").HasAttribute("disabled")));

        await using (var writer = new SqliteConnection(database.ConnectionString))
        {
            await writer.OpenAsync();
            await using var hold = writer.CreateCommand();
            hold.CommandText = "BEGIN IMMEDIATE;";
            await hold.ExecuteNonQueryAsync();

            await WithdrawAsync(layout, id);

            layout.WaitForAssertion(() => Assert.StartsWith("The console is busy, try again.", layout.Find("[data-testid=page-error]").TextContent.Trim()));
            Assert.Contains("Request access", layout.Find("nav").TextContent);
            hold.CommandText = "ROLLBACK;";
            await hold.ExecuteNonQueryAsync();
        }
        await using (var db = await database.OpenAsync())
        {
            Assert.Equal(AccessRequestStatus.PendingCoordinator, (await db.AccessRequests.SingleAsync()).Status);
        }

        await layout.InvokeAsync(() => layout.FindButton("Try again").Click());
        layout.WaitForAssertion(() => Assert.False(layout.FindButton($"Withdraw request {id}").HasAttribute("disabled")));
        await WithdrawAsync(layout, id);

        layout.WaitForAssertion(() => Assert.Equal($"Request #{id} withdrawn.", layout.Find("[data-testid=my-requests-message]").TextContent.Trim()));
        await using var after = await database.OpenAsync();
        Assert.Equal(AccessRequestStatus.Withdrawn, (await after.AccessRequests.SingleAsync()).Status);
    }

    /// <summary>The console's layout with <typeparamref name="TPage"/> as its body.</summary>
    private static IRenderedComponent<MainLayout> RenderLayoutWith<TPage>(BunitContext ctx) where TPage : IComponent =>
        ctx.Render<MainLayout>(p => p.Add(l => l.Body, b =>
        {
            b.OpenComponent<TPage>(0);
            b.CloseComponent();
        }));

    private static async Task WithdrawAsync(IRenderedComponent<MainLayout> layout, int id)
    {
        await layout.InvokeAsync(() => layout.FindButton($"Withdraw request {id}").Click());
        layout.WaitForAssertion(() => layout.FindButton("Withdraw"));
        await layout.InvokeAsync(() => layout.FindButton("Withdraw").Click());
    }

    /// <summary>A page whose button fails the way an unexpected bug would.</summary>
    internal sealed class BrokenPage : ComponentBase
    {
        protected override void BuildRenderTree(Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "button");
            builder.AddAttribute(1, "id", "broken-page");
            builder.AddAttribute(2, "aria-label", "Break the page");
            builder.AddAttribute(3, "onclick", EventCallback.Factory.Create<MouseEventArgs>(this, Break));
            builder.AddContent(4, "Break");
            builder.CloseElement();
        }

        private static void Break() => throw new InvalidOperationException("A bug in the page.");
    }

    /// <summary>A page that opens a dialog whose button fails the way an unexpected bug would.</summary>
    internal sealed class PageWithABrokenDialog : ComponentBase
    {
        [Inject] private MudBlazor.IDialogService Dialogs { get; set; } = default!;

        protected override void BuildRenderTree(Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "button");
            builder.AddAttribute(1, "aria-label", "Open the dialog");
            builder.AddAttribute(2, "onclick", EventCallback.Factory.Create<MouseEventArgs>(this, () => Dialogs.ShowAsync<BrokenDialog>("Broken")));
            builder.AddContent(3, "Open");
            builder.CloseElement();
        }
    }

    internal sealed class BrokenDialog : ComponentBase
    {
        protected override void BuildRenderTree(Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "button");
            builder.AddAttribute(1, "id", "broken-dialog");
            builder.AddAttribute(2, "aria-label", "Break the dialog");
            builder.AddAttribute(3, "onclick", EventCallback.Factory.Create<MouseEventArgs>(this, Break));
            builder.AddContent(4, "Break");
            builder.CloseElement();
        }

        private static void Break() => throw new InvalidOperationException("A bug in the dialog.");
    }

    private sealed record LogEntry(LogLevel Level, string Message, Exception? Exception);

    private sealed class ErrorLog : ILoggerFactory, ILogger
    {
        private readonly ConcurrentQueue<LogEntry> _entries = new();

        public IReadOnlyCollection<LogEntry> Entries => _entries;

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                _entries.Enqueue(new LogEntry(logLevel, formatter(state, exception), exception));
            }
        }

        public void Dispose()
        {
        }
    }
}

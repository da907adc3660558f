using System.Security.Claims;
using Bunit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Identity;
using EserSecurity.Core.Staff;
using EserSecurity.Dashboard.Hosting;
using EserSecurity.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace EserSecurity.Tests.Dashboard.Hosting;

/// <summary>The circuit's re-check: every minute by the clock, and at once on a change that concerns the person.</summary>
public sealed class SignedInCircuitStateTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static SignedInCircuitState Circuit(TestDatabase database) =>
        new(database.Get<SignOnLinks>(), database.Get<IAccessChangeFeed>(), database.Clock, NullLogger<SignedInCircuitState>.Instance);

    private static AuthenticationState Cookie(SignedInAccount account) =>
        new(new ClaimsPrincipal(new ClaimsIdentity(DashboardContext.ClaimsOf(account), "Cookies")));

    /// <summary>The next authentication state the circuit publishes.</summary>
    private static Task<AuthenticationState> NextState(AuthenticationStateProvider provider)
    {
        var next = new TaskCompletionSource<AuthenticationState>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Handler(Task<AuthenticationState> state)
        {
            provider.AuthenticationStateChanged -= Handler;
            _ = state.ContinueWith(t => next.TrySetResult(t.Result), TaskScheduler.Default);
        }
        provider.AuthenticationStateChanged += Handler;
        return next.Task.WaitAsync(Patience);
    }

    private static async Task<(TestDatabase Database, TestState State, SignedInAccount Account, SignedInCircuitState Circuit)> SignedInAsync()
    {
        var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var account = await TestPeople.SignInAsync(database.Services, state.UserA1.StaffId);
        var circuit = Circuit(database);
        circuit.SetAuthenticationState(Task.FromResult(Cookie(account)));
        Assert.True((await circuit.GetAuthenticationStateAsync()).User.Identity!.IsAuthenticated);
        return (database, state, account, circuit);
    }

    [Fact]
    public async Task SessionEndedWithoutAnyPublishedChange_IsNoticedAtTheMinuteRecheck()
    {
        var (database, _, account, circuit) = await SignedInAsync();
        await using var _ = database;
        using var __ = circuit;
        // Ended straight in the database, as another server would: no change reaches this process's feed.
        await using (var db = await database.OpenAsync())
        {
            await db.SignInSessions.Where(s => s.Id == account.SessionId)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, database.Clock.GetUtcNow()));
        }
        var next = NextState(circuit);

        database.Clock.Advance(SignedInCircuitState.RecheckInterval - TimeSpan.FromSeconds(1));
        Assert.False(next.IsCompleted);
        database.Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.False((await next).User.Identity!.IsAuthenticated);
        Assert.Equal(SignedInStatus.SignedOut, circuit.Current.Status);
    }

    [Fact]
    public async Task SignOutElsewhere_IsNoticedAtOnce_WithoutTheClockMoving()
    {
        var (database, _, account, circuit) = await SignedInAsync();
        await using var _ = database;
        using var __ = circuit;
        var next = NextState(circuit);

        await database.Get<SignOnLinks>().EndSessionAsync(account);

        Assert.False((await next).User.Identity!.IsAuthenticated);
    }

    [Fact]
    public async Task Unlink_IsNoticedAtOnce()
    {
        var (database, state, _, circuit) = await SignedInAsync();
        await using var _ = database;
        using var __ = circuit;
        var identity = await LinkSetup.LinkedIdentityAsync(database, state.UserA1);
        var next = NextState(circuit);

        await database.Get<LinkRequestService>().UnlinkAsync(TestState.CallerFor(state.DistrictA), identity);

        Assert.False((await next).User.Identity!.IsAuthenticated);
    }

    [Fact]
    public async Task EmploymentEnded_PublishesANewStateWithoutTheConsole()
    {
        var (database, state, _, circuit) = await SignedInAsync();
        await using var _ = database;
        using var __ = circuit;
        await using (var db = await database.OpenAsync())
        {
            await db.StaffMembers.Where(s => s.Id == state.UserA1.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.EmploymentStatus, EmploymentStatus.Ended));
        }
        var next = NextState(circuit);

        database.Get<IAccessChangeFeed>().Publish(new AccessChange(
            AccessChangeKind.StaffDirectoryChanged, state.LeaA.Id, null, null, null, database.Clock.GetUtcNow(), state.UserA1.Id));

        Assert.True((await next).User.Identity!.IsAuthenticated);
        Assert.Equal(SignedInStatus.NoConsole, circuit.Current.Status);
    }

    [Fact]
    public async Task ConfirmedLinkRequest_GivesTheWaitingPageThePersonAtOnce()
    {
        await using var database = await TestDatabase.CreateAsync();
        var state = await TestState.CreateAsync(database);
        var account = await LinkSetup.SignInUnlinkedAsync(database, "new.person");
        using var circuit = Circuit(database);
        circuit.SetAuthenticationState(Task.FromResult(Cookie(account)));
        await circuit.GetAuthenticationStateAsync();
        Assert.Equal(SignedInStatus.NotLinked, circuit.Current.Status);
        var id = await database.Get<LinkRequestService>().FileAsync(account, new LinkRequestForm(state.UserA1.StaffId, state.LeaA.Id, null));
        var next = NextState(circuit);

        await database.Get<LinkRequestService>().ConfirmAsync(TestState.CallerFor(state.DistrictA), id);

        await next;
        Assert.Equal(state.UserA1.Id, circuit.Current.Person!.StaffMemberId);
    }

    [Fact]
    public async Task CookieWithoutTheConsolesOwnClaims_GetsNoConsole()
    {
        await using var database = await TestDatabase.CreateAsync();
        using var circuit = Circuit(database);

        circuit.SetAuthenticationState(Task.FromResult(new AuthenticationState(
            new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "state.admin")], "Cookies")))));

        Assert.False((await circuit.GetAuthenticationStateAsync()).User.Identity!.IsAuthenticated);
    }

    [Fact]
    public async Task AuthorizeView_RendersSignedOut_WhenTheSessionEndsElsewhere()
    {
        var (database, _, account, circuit) = await SignedInAsync();
        await using var _ = database;
        await using var ctx = new BunitContext();
        ctx.Services.AddLogging();
        ctx.Services.AddAuthorizationCore();
        // The framework's own authorization over the circuit's real state, in place of bUnit's placeholder.
        ctx.Services.AddSingleton<IAuthorizationService, DefaultAuthorizationService>();
        ctx.Services.AddCascadingAuthenticationState();
        ctx.Services.AddSingleton<AuthenticationStateProvider>(circuit);
        var view = ctx.Render<AuthorizeView>(p => p
            .Add(v => v.Authorized, _ => "console")
            .Add(v => v.NotAuthorized, _ => "signed out"));
        view.WaitForAssertion(() => Assert.Equal("console", view.Markup.Trim()));

        await database.Get<SignOnLinks>().EndSessionAsync(account);

        view.WaitForAssertion(() => Assert.Equal("signed out", view.Markup.Trim()));
    }
}

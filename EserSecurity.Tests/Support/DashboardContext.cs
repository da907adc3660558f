using System.Security.Claims;
using Bunit;
using EserSecurity.Core.Identity;
using EserSecurity.Dashboard.Hosting;

namespace EserSecurity.Tests.Support;

/// <summary>
/// A bUnit context with loose JS interop and bUnit's fake authorization, and the services the console registers: Core
/// over the test database (its clock, its change feed) and the dashboard's component services.
/// </summary>
public static class DashboardContext
{
    /// <summary>
    /// How long WaitFor… waits for an async update. A wait ends as soon as its condition holds; bUnit's 1 s default is too
    /// tight for the first render in a test process (MudBlazor and EF's queries are compiled then) on a loaded machine.
    /// </summary>
    private static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(10);

    public static BunitContext Create(TestDatabase database, string? signedInUsername)
    {
        BunitContext.DefaultWaitTimeout = WaitTimeout;
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        database.AddCoreServicesTo(ctx.Services);
        ctx.Services.AddDashboardComponentServices();
        var authorization = ctx.AddAuthorization();
        if (signedInUsername is not null)
        {
            var account = Task.Run(() => TestPeople.SignInAsync(database.Services, signedInUsername)).GetAwaiter().GetResult();
            authorization.SetAuthorized(signedInUsername);
            authorization.SetClaims(ClaimsOf(account));
        }
        return ctx;
    }

    /// <summary>The console cookie's own claims for a signed-in account.</summary>
    public static Claim[] ClaimsOf(SignedInAccount account) =>
    [
        new(SignOnClaims.Issuer, account.Issuer),
        new(SignOnClaims.Subject, account.Subject),
        new(SignOnClaims.Session, account.SessionId.ToString()),
    ];
}

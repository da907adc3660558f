using Bunit;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Assurance;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Changes;
using EserSecurity.Core.Coordinators;
using EserSecurity.Core.Home;
using EserSecurity.Core.KeyDates;
using EserSecurity.Core.Roles;
using EserSecurity.Core.SchoolSystems;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using EserSecurity.Core.Tas;
using EserSecurity.Dashboard.Components.Shared;
using EserSecurity.Dashboard.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace EserSecurity.Tests.Support;

/// <summary>A bUnit context with MudBlazor, loose JS interop and the real Core services over a test database.</summary>
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
        ctx.Services.AddMudServices();
        ctx.Services.AddSingleton(database.Get<ScopeService>());
        ctx.Services.AddSingleton(database.Get<StaffDirectory>());
        ctx.Services.AddSingleton(database.Get<HomeService>());
        ctx.Services.AddSingleton(database.Get<SchoolSystemService>());
        ctx.Services.AddSingleton(database.Get<AuditLog>());
        ctx.Services.AddSingleton(database.Get<AccessRequestService>());
        ctx.Services.AddSingleton(database.Get<ApprovalQueue>());
        ctx.Services.AddSingleton(database.Get<CoordinatorService>());
        ctx.Services.AddSingleton(database.Get<StatementService>());
        ctx.Services.AddSingleton(database.Get<AssuranceService>());
        ctx.Services.AddSingleton(database.Get<AssuranceStatusService>());
        ctx.Services.AddSingleton(database.Get<RoleCatalogService>());
        ctx.Services.AddSingleton(database.Get<KeyDateService>());
        ctx.Services.AddSingleton(database.Get<TasImportService>());
        // The feed the services publish on, so a change made through a service reaches the rendered components.
        ctx.Services.AddSingleton(database.Get<IAccessChangeFeed>());
        ctx.Services.AddSingleton<TimeProvider>(database.Clock);
        ctx.Services.AddSingleton(Options.Create(new QueueOptions()));
        ctx.Services.AddSingleton(Options.Create(new SignOnOptions()));
        ctx.Services.AddSingleton<SignedInPeople>();
        ctx.Services.AddScoped<CurrentUser>();
        ctx.Services.AddScoped<ClientOrigin>();
        ctx.Services.AddScoped<LiveUpdates>();
        var authorization = ctx.AddAuthorization();
        if (signedInUsername is not null)
        {
            authorization.SetAuthorized(signedInUsername);
        }
        return ctx;
    }
}

using EserSecurity.Core;
using EserSecurity.Core.Data;
using EserSecurity.Dashboard.Components;
using EserSecurity.Dashboard.Hosting;

// "import staff|schools --file X": the nightly directory feed runs here and exits without starting the web host.
if (DirectoryCommandLine.IsImport(args))
{
    Environment.ExitCode = await DirectoryCommandLine.RunAsync(args, Console.Out, Console.Error);
    return;
}

var builder = WebApplication.CreateBuilder(args);

builder.AddEserSecurityCore();
builder.AddDemoState();
builder.AddDashboardAuthentication();
builder.AddDashboardUi();
builder.AddVerification();
builder.AddSecurityHeaders();
builder.RequireAllowedHosts();
builder.AddHealthEndpoints();
builder.AddSignInKeyRing();
builder.AddTrustedProxies();
builder.AddAccessApi();
builder.AddMetricsEndpoint();
var developmentSignIn = builder.UsesDevelopmentSignIn();

var app = builder.Build();

// Create, migrate and (per configuration) fill the database before the first request.
await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
app.DeleteStaleStagedUploads();

app.UseSecurityHeaders();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
    app.UseHsts();
}
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);

app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.UseRateLimiter();

app.MapStaticAssets().AllowAnonymous();
app.MapHealthEndpoints();
app.MapMetricsEndpoint();
app.MapDashboardAccountEndpoints(developmentSignIn);
app.MapDocumentEndpoints();
app.MapVerificationEndpoints();
app.MapReadinessEndpoints();
app.MapAccessApi();
app.MapAccessApiDescription();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

await app.RunAsync();

/// <summary>Visible to the browser tests, which start the real host.</summary>
public partial class Program;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace EserSecurity.Tests.Support;

/// <summary>
/// The console's real pipeline (its own <c>Program</c>) in memory, in the given environment, over its own SQLite file
/// with no demo state. Outside Development it is configured as a deployment must be: a sign-on provider (never
/// contacted by these tests) and <c>AllowedHosts</c> naming <see cref="HostName"/>.
/// </summary>
public sealed class ConsoleHost(string environment, IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    public const string HostName = "console.example";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"eser-host-{Guid.NewGuid():N}");

    public string DatabasePath => Path.Combine(_directory, "console.db");

    /// <summary>A client for <c>https://console.example/</c> that does not follow redirects.</summary>
    public HttpClient CreateHttpsClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri($"https://{HostName}/"), AllowAutoRedirect = false });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(_directory);
        builder.UseEnvironment(environment);
        builder.UseSetting("Database:ConnectionString", $"Data Source={DatabasePath}");
        builder.UseSetting("Database:DemoState", "None");
        if (environment != "Development")
        {
            builder.UseSetting("AllowedHosts", HostName);
            builder.UseSetting("OpenIdConnect:Authority", "https://sign-on.state.example/");
            builder.UseSetting("OpenIdConnect:ClientId", "eser-security");
            builder.UseSetting("Audit:ChainKey", TestDatabase.TestChainKey);
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned by the OS.
        }
    }
}

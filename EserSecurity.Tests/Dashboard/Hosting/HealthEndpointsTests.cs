using System.Net;
using EserSecurity.Core.Data;
using EserSecurity.Dashboard.Hosting;
using EserSecurity.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Tests.Dashboard.Hosting;

/// <summary><c>/health/live</c> and <c>/health/ready</c> on the real pipeline, without signing in.</summary>
public sealed class HealthEndpointsTests
{
    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task LiveAndReady_AnswerHealthy_WithoutSignIn_AndNothingElse(string environment)
    {
        await using var host = new ConsoleHost(environment);
        using var client = host.CreateHttpsClient();

        foreach (var path in new[] { HealthEndpoints.LivePath, HealthEndpoints.ReadyPath })
        {
            using var response = await client.GetAsync(path);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Ready_WithAMigrationNotApplied_AnswersUnhealthy_WithoutNamingIt()
    {
        await using var host = new ConsoleHost("Production");
        using var client = host.CreateHttpsClient();
        string latest;
        await using (var db = await host.Services.GetRequiredService<IDbContextFactory<EserSecurityDbContext>>().CreateDbContextAsync())
        {
            latest = db.Database.GetMigrations().Last();
            // As an instance of an older build leaves the database when a newer build is deployed beside it.
            await db.Database.ExecuteSqlAsync($"DELETE FROM __EFMigrationsHistory WHERE MigrationId = {latest}");
        }

        using var ready = await client.GetAsync(HealthEndpoints.ReadyPath);
        using var live = await client.GetAsync(HealthEndpoints.LivePath);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var body = await ready.Content.ReadAsStringAsync();
        Assert.Equal("Unhealthy", body);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task Ready_WhenTheDatabaseCannotBeRead_AnswersUnhealthy_WhileLiveStaysHealthy()
    {
        await using var host = new ConsoleHost("Production");
        using var client = host.CreateHttpsClient();
        using (var before = await client.GetAsync(HealthEndpoints.ReadyPath))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { host.DatabasePath + "-wal", host.DatabasePath + "-shm" }.Where(File.Exists))
        {
            File.Delete(file);
        }
        await File.WriteAllTextAsync(host.DatabasePath, new string('x', 4096));

        using var ready = await client.GetAsync(HealthEndpoints.ReadyPath);
        using var live = await client.GetAsync(HealthEndpoints.LivePath);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }
}

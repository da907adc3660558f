using EserSecurity.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace EserSecurity.Core.Postgres;

/// <summary>
/// Lets `dotnet ef migrations add --project EserSecurity.Core.Postgres` build the model for PostgreSQL. Adding a
/// migration needs no server: the connection string is never opened.
/// </summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<EserSecurityDbContext>
{
    public EserSecurityDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<EserSecurityDbContext>();
        CoreServiceCollectionExtensions.ConfigureProvider(options, new DatabaseOptions
        {
            Provider = nameof(DatabaseProvider.Postgres),
            ConnectionString = "Host=localhost;Database=eser_security_design_time",
        });
        return new EserSecurityDbContext(options.Options);
    }
}

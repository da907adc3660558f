using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace EserSecurity.Core.Data;

/// <summary>Lets `dotnet ef migrations add` build the model without starting the Dashboard.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<EserSecurityDbContext>
{
    public EserSecurityDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<EserSecurityDbContext>();
        CoreServiceCollectionExtensions.ConfigureProvider(options, new DatabaseOptions { ConnectionString = "Data Source=design-time.db" });
        return new EserSecurityDbContext(options.Options);
    }
}

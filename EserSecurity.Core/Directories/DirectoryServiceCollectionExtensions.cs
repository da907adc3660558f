using Microsoft.Extensions.DependencyInjection;

namespace EserSecurity.Core.Directories;

public static class DirectoryServiceCollectionExtensions
{
    /// <summary>The school and staff directory imports and the person's directory record.</summary>
    public static IServiceCollection AddDirectoryImports(this IServiceCollection services)
    {
        services.AddSingleton<SchoolDirectoryImportService>();
        services.AddSingleton<StaffDirectoryImportService>();
        services.AddSingleton<DirectoryRecords>();
        services.AddSingleton<PersonRecordByStaffId>();
        return services;
    }
}

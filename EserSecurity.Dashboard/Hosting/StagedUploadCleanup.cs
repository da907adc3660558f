using EserSecurity.Dashboard.Components.Shared.Imports;
using Microsoft.Extensions.Options;

namespace EserSecurity.Dashboard.Hosting;

/// <summary>At start, deletes staged uploads that a crashed or killed console left in <see cref="UploadedFile.DefaultFolder"/>.</summary>
public static class StagedUploadCleanup
{
    /// <summary>
    /// How old a staged upload must be to go. At start this process has no circuits, but another instance on the same
    /// machine may: an upload lives from the file step to the commit of one import page, within one sign-in session,
    /// so a file older than the longest session (<c>SignIn:AbsoluteLifetime</c>) and than a day belongs to nobody.
    /// </summary>
    public static TimeSpan SafeAge(TimeSpan absoluteSessionLifetime) =>
        absoluteSessionLifetime > TimeSpan.FromDays(1) ? absoluteSessionLifetime : TimeSpan.FromDays(1);

    public static WebApplication DeleteStaleStagedUploads(this WebApplication app)
    {
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var age = SafeAge(app.Services.GetRequiredService<IOptions<SignInOptions>>().Value.AbsoluteLifetime);
        var deleted = UploadedFile.DeleteStaged(UploadedFile.DefaultFolder, now - age);
        if (deleted > 0)
        {
            app.Logger.LogInformation("Deleted {Count} staged uploads older than {Age} left by an earlier run in {Folder}.", deleted, age, UploadedFile.DefaultFolder);
        }
        return app;
    }
}

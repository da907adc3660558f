using EserSecurity.Core.Tas;
using EserSecurity.Dashboard.Components.Shared.Imports;

namespace EserSecurity.Dashboard.Components.Pages.Tas;

/// <summary>A TAS import's progress as the person reads it.</summary>
internal static class TasImportProgressText
{
    public static ImportProgressText Describe(TasImportProgress progress) => new(
        progress.Stage switch
        {
            TasImportStage.Reading => "Reading the file",
            TasImportStage.Checking => "Checking rows against the directory",
            _ => "Writing",
        } + (progress.Total > 0 ? $": {progress.Done:N0} of {progress.Total:N0} rows" : ""),
        progress.Total > 0 ? 100.0 * progress.Done / progress.Total : null,
        progress.Done == progress.Total);
}

namespace EserSecurity.Core.Imports;

/// <summary>
/// A file cannot be read as the import it was given to at all (empty, no data rows, required headers missing or
/// repeated, too large). The message names what is wrong and is safe to show.
/// </summary>
public class ImportFileFormatException(string message, IReadOnlyList<string>? missingHeaders = null) : Exception(message)
{
    /// <summary>The required headers the file lacks, by their names in the file's description.</summary>
    public IReadOnlyList<string> MissingHeaders { get; } = missingHeaders ?? [];
}

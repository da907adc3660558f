namespace EserSecurity.Core.Documents;

/// <summary>Settings for generated documents (configuration section "Documents").</summary>
public sealed class DocumentOptions
{
    public const string SectionName = "Documents";

    /// <summary>
    /// The console's public address, such as "https://eser-access.example.org". When set, the one-pagers carry a QR
    /// code to the page their reader needs (the Approval queue, Request access); when empty they carry none.
    /// </summary>
    public string? ConsoleUrl { get; set; }

    /// <summary>Documents and CSV exports one person may have generated in any minute (<see cref="DocumentGenerationLimit"/>).</summary>
    public int PerPersonPerMinute { get; set; } = 30;
}

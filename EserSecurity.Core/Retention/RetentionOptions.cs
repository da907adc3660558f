namespace EserSecurity.Core.Retention;

/// <summary>How long ended records stay in the live tables and where the archive goes (configuration section <c>Retention</c>).</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>The longest retention accepted, in years.</summary>
    public const int MaxYears = 50;

    /// <summary>
    /// Whether the console archives by itself. Null (the default): it does when <see cref="Folder"/> is set, which
    /// Development does by itself. True without a folder stops the start with a message that says what to set.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>The folder that holds the archive files and their manifests; kept and backed up like the database.</summary>
    public string? Folder { get; set; }

    /// <summary>How many years after the end of the school year a record ended in it moves to the archive (1 to 50; 7 by default).</summary>
    public int Years { get; set; } = 7;

    /// <summary>How often the console looks for records due (1 hour to 7 days; daily by default).</summary>
    public TimeSpan RunEvery { get; set; } = TimeSpan.FromDays(1);

    /// <summary>At most how many records of the live tables one batch moves (100 to 100,000), and as many audit events.</summary>
    public int BatchSize { get; set; } = 20_000;

    /// <summary>Whether the scheduled job runs: on when asked, or when a folder is set.</summary>
    public bool IsOn => Enabled ?? !string.IsNullOrWhiteSpace(Folder);

    /// <summary>What is wrong with these options, or null when they can be used.</summary>
    public string? Problem()
    {
        if (IsOn && string.IsNullOrWhiteSpace(Folder))
        {
            return $"{SectionName}:{nameof(Enabled)} is true but no archive folder is set: set {SectionName}:{nameof(Folder)} to the folder that keeps the archive (backed up like the database), or set {SectionName}:{nameof(Enabled)} to false.";
        }
        if (Years is < 1 or > MaxYears)
        {
            return $"{SectionName}:{nameof(Years)} is {Years}; use 1 to {MaxYears}.";
        }
        if (RunEvery < TimeSpan.FromHours(1) || RunEvery > TimeSpan.FromDays(7))
        {
            return $"{SectionName}:{nameof(RunEvery)} is {RunEvery}; use 01:00:00 to 7.00:00:00.";
        }
        return BatchSize is < 100 or > 100_000 ? $"{SectionName}:{nameof(BatchSize)} is {BatchSize}; use 100 to 100,000." : null;
    }
}

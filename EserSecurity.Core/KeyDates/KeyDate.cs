namespace EserSecurity.Core.KeyDates;

/// <summary>A date in the go-live calendar: go-live itself, a weekly Q&amp;A session, a document release.</summary>
public class KeyDate
{
    public const int TitleMaxLength = 200;
    public const int NotesMaxLength = 1000;

    public int Id { get; set; }

    public KeyDateKind Kind { get; set; }

    public required string Title { get; set; }

    public DateOnly On { get; set; }

    public TimeOnly? StartsAt { get; set; }

    public TimeOnly? EndsAt { get; set; }

    public string? Notes { get; set; }
}

public enum KeyDateKind
{
    GoLive,
    QaSession,
    DocumentRelease,
    Other,
}

using EserSecurity.Core.Documents.Layout;
using EserSecurity.Core.KeyDates;

namespace EserSecurity.Core.Documents;

/// <summary>Who and when a document is generated for, and where the console lives (for QR codes).</summary>
internal sealed record RenderContext(DateOnly Today, DateTimeOffset Now, string Author, string? ConsoleUrl)
{
    public DocumentMetadata Metadata(string title, string subject, string keywords) =>
        new(title, subject, Author, keywords, Now, Today);

    /// <summary>An absolute link into the console, or null when no console address is configured.</summary>
    public string? Link(string path) => string.IsNullOrWhiteSpace(ConsoleUrl) ? null : $"{ConsoleUrl.TrimEnd('/')}/{path}";
}

internal enum ContactKind
{
    District,
    Supervisor,
    Local,
}

/// <summary>A row of a one-pager's contact table, and whose it is (for the "and N more" line).</summary>
internal sealed record ContactRow(ContactKind Kind, IReadOnlyList<string> Cells);

/// <summary>What both one-pagers share: the go-live sentence, the coordinator rows, the key dates and the one-page fit.</summary>
internal static class OnePagers
{
    public const string Eyebrow = "eSER · EdLink Security";

    /// <summary>Most key-date rows a one-pager prints; weekly sessions already fold into one row.</summary>
    private const int MaxKeyDateRows = 6;

    /// <summary>Most later weekly sessions listed after the next one.</summary>
    private const int MaxLaterSessions = 8;

    /// <summary>Most school names printed for one group before "and N more".</summary>
    private const int MaxGroupSchools = 3;

    /// <summary>
    /// Composes the document with every row, and when that takes more than one page, with the most rows that still
    /// fit (binary search over the row count); the composition reports the rows it left out.
    /// </summary>
    public static PdfComposer ComposeOnOnePage(int rows, Func<int, PdfComposer> compose)
    {
        var all = compose(rows);
        if (all.PageCount == 1)
        {
            return all;
        }
        PdfComposer? best = null;
        int low = 0, high = rows - 1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            var candidate = compose(middle);
            if (candidate.PageCount == 1)
            {
                best = candidate;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }
        return best ?? compose(0);
    }

    /// <summary>The one-pager's band, with a QR code to <paramref name="link"/> when the console's address is configured.</summary>
    public static TitleBand Band(string title, SchoolSystemSheet sheet, string? link, string qrCaption) =>
        new(Eyebrow, title, $"{sheet.Code} · {sheet.Name}", link, link is null ? null : [qrCaption, link[(link.IndexOf("//", StringComparison.Ordinal) + 2)..]]);

    public static string Keywords(SchoolSystemSheet sheet) => $"eSER; EdLink Security; {sheet.Code}; {sheet.Name}";

    /// <summary>The next go-live on or after today, else the latest one before it.</summary>
    public static KeyDateLine? GoLive(IReadOnlyList<KeyDateLine> keyDates, DateOnly today) =>
        keyDates.Where(k => k.Kind == KeyDateKind.GoLive && k.On >= today).MinBy(k => k.On)
        ?? keyDates.Where(k => k.Kind == KeyDateKind.GoLive).MaxBy(k => k.On);

    public static string Covers(SchoolSystemSheet sheet) =>
        $"Whole school system ({(sheet.SchoolCount == 1 ? "1 school" : $"{sheet.SchoolCount} schools")})";

    public static string Covers(LocalCoordinatorLine line)
    {
        if (line.GroupName is null)
        {
            return line.SiteCode is null ? line.SchoolName ?? "" : $"{line.SchoolName} ({line.SiteCode})";
        }
        var shown = line.GroupSchools.Take(MaxGroupSchools).ToList();
        var more = line.GroupSchools.Count - shown.Count;
        var schools = shown.Count == 0 ? "no schools yet" : string.Join(", ", shown) + (more > 0 ? $" and {more} more" : "");
        return $"Group “{line.GroupName}”: {schools}";
    }

    /// <summary>
    /// The contact rows a one-pager shows when only <paramref name="shown"/> fit, in their order: local coordinators
    /// give way first, then district coordinators; the supervisor stays longest.
    /// </summary>
    public static (List<ContactRow> Shown, List<ContactRow> Omitted) Take(IReadOnlyList<ContactRow> rows, int shown)
    {
        var kept = rows.Select((row, index) => (row, index))
            .OrderBy(r => r.row.Kind switch { ContactKind.Supervisor => 0, ContactKind.District => 1, _ => 2 })
            .ThenBy(r => r.index)
            .Take(shown)
            .Select(r => r.index)
            .ToHashSet();
        return (rows.Where((_, i) => kept.Contains(i)).ToList(), rows.Where((_, i) => !kept.Contains(i)).ToList());
    }

    /// <summary>"and 12 more local coordinators", for the contact rows a one-pager could not fit.</summary>
    public static string? Omitted(IEnumerable<ContactRow> omitted)
    {
        var parts = omitted.GroupBy(r => r.Kind).OrderBy(g => g.Key).Select(g => g.Key switch
        {
            ContactKind.District => $"{g.Count()} more district {Plural(g.Count(), "coordinator")}",
            ContactKind.Supervisor => $"{g.Count()} more {Plural(g.Count(), "supervisor")}",
            _ => $"{g.Count()} more local {Plural(g.Count(), "coordinator")}",
        }).ToList();
        return parts.Count switch
        {
            0 => null,
            1 => $"and {parts[0]}",
            _ => $"and {string.Join(", ", parts[..^1])} and {parts[^1]}",
        };
    }

    private static string Plural(int count, string noun) => count == 1 ? noun : noun + "s";

    /// <summary>Key dates from today on, weekly Q&amp;A sessions folded into one row: the next one in full, then the others.</summary>
    public static void KeyDates(PdfComposer composer, IReadOnlyList<KeyDateLine> keyDates, DateOnly today)
    {
        var upcoming = keyDates.Where(k => k.On >= today).ToList();
        if (upcoming.Count == 0)
        {
            composer.Paragraph("No upcoming key dates are scheduled.");
            return;
        }
        var rows = new List<(DateOnly On, string[] Cells)>();
        var sessions = upcoming.Where(k => k.Kind == KeyDateKind.QaSession).ToList();
        if (sessions.Count > 0)
        {
            var next = sessions[0];
            var what = next.Title;
            if (sessions.Count > 1)
            {
                var later = sessions.Skip(1).Select(s => s.On).ToList();
                var more = later.Count - MaxLaterSessions;
                what += $" — weekly; also {JoinDates(later.Take(MaxLaterSessions).ToList())}{(more > 0 ? $" and {more} more" : "")}";
            }
            rows.Add((next.On, [When(next), what]));
        }
        foreach (var date in upcoming.Where(k => k.Kind != KeyDateKind.QaSession))
        {
            rows.Add((date.On, [When(date), date.Title]));
        }
        var shown = rows.OrderBy(r => r.On).Take(MaxKeyDateRows).Select(r => (IReadOnlyList<string>)r.Cells).ToList();
        composer.Table([new TableColumn("Date", 150), new TableColumn("What", 362)], shown);
        if (rows.Count > shown.Count)
        {
            composer.Paragraph($"{rows.Count - shown.Count} later dates are on the console's Home page.", ParagraphStyle.Note);
        }
    }

    private static string When(KeyDateLine date) =>
        date.StartsAt is { } start ? $"{DocumentDates.Long(date.On)}\n{DocumentDates.TimeRange(start, date.EndsAt)}" : DocumentDates.Long(date.On);

    /// <summary>"December 14, 21, 28; January 4, 11": each month named once.</summary>
    private static string JoinDates(IReadOnlyList<DateOnly> days) =>
        string.Join("; ", days.GroupBy(d => (d.Year, d.Month))
            .Select(month => DocumentDates.MonthDay(month.First()) + string.Concat(month.Skip(1).Select(d => $", {d.Day}"))));
}

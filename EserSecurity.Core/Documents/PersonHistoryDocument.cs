using System.Text;
using EserSecurity.Core.Audit;
using EserSecurity.Core.Documents.Layout;
using static EserSecurity.Core.Documents.Layout.Markup;

namespace EserSecurity.Core.Documents;

/// <summary>
/// A person's complete history (<see cref="PersonHistory"/>) as a PDF, one table per section with its header repeated
/// on every page it continues on, and as CSV with one record per line of the history.
/// </summary>
internal static class PersonHistoryDocument
{
    public const string Title = "Complete History";

    /// <summary>The line that stands for the archived part when the archive holds nothing of the person.</summary>
    public const string NoArchivedRecords = "Archived records: none";

    private static readonly TableColumn[] FactColumns = [new("Field", 110, Bold: true), new("As the record stands", 402)];

    private static readonly TableColumn[] RecordColumns =
        [new("When (UTC)", 62), new("Who", 80), new("What", 130, Bold: true), new("Details", 188), new("Source", 52)];

    private static readonly TableColumn[] EventColumns =
        [new("When (UTC)", 62), new("Who", 60), new("Action", 110, Bold: true), new("Change", 156), new("Record", 74), new("Source", 50)];

    private static readonly string[] CsvHeader = ["Section", "Source", "Time (UTC)", "Who", "What", "Details", "School system", "Record"];

    public static string FileName(PersonHistoryPerson person, DateOnly today, string extension) =>
        $"history-{person.StaffId}-{DocumentDates.Iso(today)}.{extension}";

    public static byte[] RenderPdf(PersonHistorySheet history, RenderContext context)
    {
        var person = history.Person;
        var composer = new PdfComposer(
            context.Metadata($"{Title} — {person.Name} ({person.StaffId})",
                $"Everything the console holds about {person.Name}, Staff ID {person.StaffId}, live and archived.",
                $"eSER; EdLink Security; complete history; {person.StaffId}"),
            new TitleBand(OnePagers.Eyebrow, Title, $"{person.Name} · Staff ID {person.StaffId} · {person.SchoolSystem}"));
        composer.Paragraph(
            $"Everything the console holds about {Bold(person.Name)}, retrieved by {Escape(context.Author)} on {DocumentDates.Short(context.Today)}: " +
            $"the staff record as it stands, {Count(history.Rows.Count - history.EventCount - Facts(history).Count(), "record line")} and " +
            $"**{Count(history.EventCount, "audit event")}** by or about them, oldest first. Times are UTC.",
            ParagraphStyle.Lead);

        composer.Heading("Staff record");
        composer.Table(FactColumns, Facts(history).Select(r => (IReadOnlyList<string>)[r.What, r.Details]));
        foreach (var section in PersonHistory.Sections.Where(s => s is not "Staff record" and not "Audit events" and not "Archived records"))
        {
            composer.Heading(section);
            var rows = history.Rows.Where(r => r.Section == section).ToList();
            if (rows.Count == 0)
            {
                composer.Paragraph("None.");
                continue;
            }
            composer.Table(RecordColumns, rows.Select(r => (IReadOnlyList<string>)[r.When, r.Who, r.What, r.Details, r.Source]));
        }

        composer.Heading("Audit events");
        var events = history.Rows.Where(r => r.Section == "Audit events").ToList();
        if (events.Count == 0)
        {
            composer.Paragraph("None.");
        }
        else
        {
            composer.Table(EventColumns, events.Select(r => (IReadOnlyList<string>)
                [r.When, r.Who, r.What, r.Details, r.SchoolSystem.Length == 0 ? r.Record : $"{r.Record} · {r.SchoolSystem}", r.Source]));
        }

        composer.Heading("Archived records");
        var archived = history.Rows.Where(r => r.Section == "Archived records").ToList();
        if (history.ArchivedCount == 0)
        {
            composer.Paragraph(NoArchivedRecords + ".");
        }
        else if (archived.Count > 0)
        {
            composer.Table(RecordColumns, archived.Select(r => (IReadOnlyList<string>)[r.When, r.Who, r.What, r.Details, r.Source]));
        }
        composer.Paragraph(
            "Source says where a line was read: Live for the console's own tables, or the archive batch that holds a record older than seven years. " +
            "Retrieving this history is itself recorded in the audit log.",
            ParagraphStyle.Note);
        return composer.Build();
    }

    public static byte[] RenderCsv(PersonHistorySheet history)
    {
        var csv = new StringBuilder();
        Csv.AppendRecord(csv, CsvHeader);
        foreach (var r in history.Rows)
        {
            Csv.AppendRecord(csv, [r.Section, r.Source, r.When, r.Who, r.What, r.Details, r.SchoolSystem, r.Record]);
        }
        if (history.ArchivedCount == 0)
        {
            Csv.AppendRecord(csv, ["Archived records", "", "", "", NoArchivedRecords, "", "", ""]);
        }
        return Csv.Encode(csv);
    }

    private static IEnumerable<PersonHistoryRow> Facts(PersonHistorySheet history) => history.Rows.Where(r => r.Section == "Staff record");

    private static string Count(int count, string singular) => $"{count:N0} {(count == 1 ? singular : singular + "s")}";
}

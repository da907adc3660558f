using System.Globalization;
using EserSecurity.Core.Data;
using EserSecurity.Core.Documents;
using EserSecurity.Core.Retention;
using EserSecurity.Core.Security;
using EserSecurity.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EserSecurity.Core.Audit;

/// <summary>The two forms a person's complete history is handed out in.</summary>
public enum PersonHistoryFormat
{
    Pdf,
    Csv,
}

/// <summary>
/// One line of a person's complete history, as the PDF's tables and the CSV show it. <see cref="Source"/> says where it
/// was read: <see cref="PersonHistory.LiveSource"/> for the live tables, or the name of the archive batch that holds it.
/// </summary>
/// <param name="Section">The part of the history: one of <see cref="PersonHistory.Sections"/>.</param>
/// <param name="When">UTC, "yyyy-MM-dd HH:mm" for a moment, "yyyy-MM-dd" for a day; empty for the record as it stands.</param>
/// <param name="Record">The record the line is about, as the audit log names it ("AccessGrant 12").</param>
public sealed record PersonHistoryRow(
    string Section, string Source, string When, string Who, string What, string Details, string SchoolSystem, string Record);

/// <summary>
/// A person's complete history, live and archived: their staff record as it stands, every access request with its
/// steps, every grant, their coordinator, supervisor and state administrator assignments and deputyships, their
/// assurance signatures, sign-on links and link requests, the review items of their grants, and every audit event by or
/// about them in time order (the audit log's person filter, <see cref="AuditSearch"/>). For state administrators only;
/// every retrieval is itself an audit event about the person (<see cref="RetrievedAction"/>), written before the file
/// leaves Core.
/// </summary>
public sealed class PersonHistory(
    IDbContextFactory<EserSecurityDbContext> dbFactory, ScopeService scopes, RetentionArchive archive, TimeProvider clock,
    IOptions<DocumentOptions>? options = null)
{
    /// <summary>The audit action of a retrieval.</summary>
    public const string RetrievedAction = "PersonHistory.Retrieved";

    /// <summary>The source of a line read from the live tables.</summary>
    public const string LiveSource = "Live";

    /// <summary>How many audit events are read from the database at a time.</summary>
    internal const int EventBatchSize = 1_000;

    private const string Refusal =
        "That person does not exist or their complete history is outside your scope: a person's complete history is for state administrators.";

    /// <summary>The sections of a history, in the order the PDF and the CSV give them.</summary>
    public static IReadOnlyList<string> Sections { get; } =
    [
        "Staff record", "Access requests", "Grants", "Assignments and deputyships", "Assurance signatures", "Sign-on links",
        "Review items", "Audit events", "Archived records",
    ];

    /// <summary>Whether the reader of <paramref name="scope"/> may retrieve a person's complete history: state administrators.</summary>
    public static bool CanRetrieve(AccessScope? scope) => scope is { IsStateAdministrator: true };

    /// <summary>Whether <paramref name="caller"/> may retrieve complete histories, for a page deciding whether to offer them.</summary>
    public async Task<bool> CanRetrieveAsync(Caller caller, CancellationToken ct = default) =>
        CanRetrieve(await scopes.GetReadScopeAsync(caller, ct));

    /// <summary>
    /// The complete history of <paramref name="staffMemberId"/> as a PDF (tables that repeat their header on every
    /// page) or as RFC 4180 CSV with the same lines. Anyone but a state administrator, and a person that does not exist,
    /// get the same <see cref="ScopeDeniedException"/>.
    /// </summary>
    public async Task<GeneratedDocument> RetrieveAsync(Caller caller, int staffMemberId, PersonHistoryFormat format, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await scopes.GetScopeAsync(db, caller.StaffMemberId, ct);
        var person = CanRetrieve(scope) ? await PersonHistoryRecords.LoadPersonAsync(db, staffMemberId, ct) : null;
        if (person is null)
        {
            throw scope.Refuse(Refusal);
        }
        var records = await PersonHistoryRecords.LoadAsync(db, person, ct);
        var codes = await db.SchoolSystems.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Code, ct);
        var live = new List<PersonHistoryRow>();
        await foreach (var e in EventsAsync(db, staffMemberId, ct))
        {
            live.Add(EventRow(e, LiveSource, codes));
        }
        var archived = await archive.ReadForPersonAsync(caller, staffMemberId, ct);
        var history = WithArchive(person, records, live, archived, codes);

        var now = clock.GetUtcNow();
        var context = new RenderContext(clock.Today(), now, caller.DisplayName, options?.Value.ConsoleUrl);
        var document = format == PersonHistoryFormat.Pdf
            ? new GeneratedDocument(PersonHistoryDocument.FileName(person, context.Today, "pdf"), GeneratedDocument.PdfContentType,
                PersonHistoryDocument.RenderPdf(history, context))
            : new GeneratedDocument(PersonHistoryDocument.FileName(person, context.Today, "csv"), GeneratedDocument.CsvContentType,
                PersonHistoryDocument.RenderCsv(history));

        await using var transaction = await db.BeginWriteAsync(ct);
        await AuditLog.AppendAsync(db, caller, now, new AuditEntry(
            RetrievedAction, nameof(StaffMember), staffMemberId.ToString(CultureInfo.InvariantCulture), person.SchoolSystemId,
            After: new { Format = format == PersonHistoryFormat.Pdf ? "PDF" : "CSV", Lines = history.Rows.Count, AuditEvents = history.EventCount }), ct);
        await transaction.CommitAsync(ct);
        return document;
    }

    /// <summary>
    /// The history with the archived part added: archived audit events become lines like the live ones (with their batch
    /// as the source) and the events are put in time order; other archived records get a section of their own.
    /// </summary>
    internal static PersonHistorySheet WithArchive(
        PersonHistoryPerson person, IReadOnlyList<PersonHistoryRow> records, IReadOnlyList<PersonHistoryRow> liveEvents,
        ArchivedPersonHistory archived, IReadOnlyDictionary<int, string> codes)
    {
        // A stable sort by time: where times are equal, archived events (older than anything live) stay first.
        IReadOnlyList<PersonHistoryRow> ordered = archived.AuditEvents.Count == 0 ? liveEvents
            : [.. archived.AuditEvents.OrderBy(a => a.Event.Sequence).Select(a => EventRow(a.Event, a.BatchFile, codes)).Concat(liveEvents)
                .OrderBy(r => r.When, StringComparer.Ordinal)];
        var archivedRecords = archived.Records.OrderBy(r => r.At).Select(r => new PersonHistoryRow(
            "Archived records", r.BatchFile, PersonHistoryText.Time(r.At), "", r.Kind, PersonHistoryText.Change(null, r.Json),
            CodeOf(r.SchoolSystemId, codes), $"{r.Kind} {r.Id}")).ToList();
        return new PersonHistorySheet(person, [.. records, .. ordered, .. archivedRecords], ordered.Count, archivedRecords.Count + archived.AuditEvents.Count);
    }

    /// <summary>
    /// One audit event as a line of the history, whether it is read from the live log or from an archive batch
    /// (<paramref name="source"/>): its action, time, actor, school system, record and what changed in readable form.
    /// </summary>
    public static PersonHistoryRow EventRow(AuditEvent e, string source, IReadOnlyDictionary<int, string> codes) =>
        new("Audit events", source, PersonHistoryText.Time(e.At), e.ActorName, e.Action, PersonHistoryText.Change(e.Before, e.After),
            CodeOf(e.SchoolSystemId, codes),
            $"Event {e.Sequence.ToString(CultureInfo.InvariantCulture)} · {e.EntityType} {e.EntityId}");

    /// <summary>A school system's 3-digit code for a line; its id when it no longer exists; empty for a statewide record.</summary>
    private static string CodeOf(int? schoolSystemId, IReadOnlyDictionary<int, string> codes) =>
        schoolSystemId is int lea ? codes.GetValueOrDefault(lea, lea.ToString(CultureInfo.InvariantCulture)) : "";

    /// <summary>
    /// The events by or about the person, oldest first, read a batch at a time by event number so that a history of
    /// many thousands of events never holds more than one batch of the log's rows.
    /// </summary>
    private static async IAsyncEnumerable<AuditEvent> EventsAsync(
        EserSecurityDbContext db, int staffMemberId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        long after = 0;
        while (true)
        {
            var from = after;
            var batch = await AuditSearch.Concerning(db, db.AuditEvents.AsNoTracking(), staffMemberId)
                .Where(e => e.Sequence > from).OrderBy(e => e.Sequence).Take(EventBatchSize).ToListAsync(ct);
            foreach (var e in batch)
            {
                yield return e;
            }
            if (batch.Count < EventBatchSize)
            {
                yield break;
            }
            after = batch[^1].Sequence;
        }
    }
}

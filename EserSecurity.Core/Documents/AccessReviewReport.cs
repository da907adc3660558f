using System.Globalization;
using System.Text;
using EserSecurity.Core.AccessRequests;
using EserSecurity.Core.Documents.Layout;
using EserSecurity.Core.Reviews;
using static EserSecurity.Core.Documents.Layout.Markup;

namespace EserSecurity.Core.Documents;

/// <summary>The head of an access review report: the school system, the period and the sign-off.</summary>
internal sealed record AccessReviewReportHeader(
    string Code, string Name, AccessReviewKind Kind, DateTimeOffset StartedAt, string StartedBy, DateOnly DueOn, AccessReviewStatus Status,
    DateTimeOffset? SignedOffAt, string? SignedOffBy, string? SignedOffTypedName);

/// <summary>One reviewed grant with each decision on it, by whom and when.</summary>
internal sealed record AccessReviewReportRow(
    string LastName, string FirstName, string StaffId, string Position, string Role, string Scope, bool IepForms,
    AccessReviewDecision Decision, string? DecidedBy, DateTimeOffset? DecidedAt, string? Note,
    AccessReviewDecision SupervisorDecision, string? SupervisorDecidedBy, DateTimeOffset? SupervisorDecidedAt, string? SupervisorNote,
    bool Defaulted)
{
    public string Name => $"{LastName}, {FirstName}";

    public bool Ends => Decision == AccessReviewDecision.Revoke || SupervisorDecision == AccessReviewDecision.Revoke;

    /// <summary>What the review does to the grant, as the report's last column says it.</summary>
    public string Result => Ends ? "End" : Decision == AccessReviewDecision.Undecided ? "Undecided" : "Keep";
}

/// <summary>
/// The report of one access review: who was reviewed, each decision with who made it and when, the supervisor's
/// decisions on IEP Forms grants, and the sign-off — as a PDF and as CSV.
/// </summary>
internal static class AccessReviewReport
{
    public const string Title = "Access Review Report";

    private static readonly TableColumn[] Columns =
    [
        new("Person", 100, Bold: true),
        new("Role and scope", 110),
        new("Decision", 120),
        new("Supervisor (IEP Forms)", 110),
        new("Result", 52),
    ];

    private static readonly string[] CsvHeader =
    [
        "Last name", "First name", "Staff ID", "Position", "Role", "School", "IEP Forms",
        "Decision", "Decided by", "Decided at (UTC)", "Reason",
        "Supervisor decision", "Supervisor decided by", "Supervisor decided at (UTC)", "Supervisor reason",
        "Due-date default", "Result",
    ];

    public static string FileName(AccessReviewReportHeader header, string extension) =>
        $"access-review-{header.Code}-{DocumentDates.Iso(DateOnly.FromDateTime(header.StartedAt.UtcDateTime))}.{extension}";

    public static byte[] RenderPdf(AccessReviewReportHeader header, IReadOnlyList<AccessReviewReportRow> rows, RenderContext context)
    {
        var opened = DocumentDates.Short(DateOnly.FromDateTime(header.StartedAt.UtcDateTime));
        var composer = new PdfComposer(
            context.Metadata($"{Title} — {header.Code} {header.Name}",
                $"The {Kind(header.Kind)} access review of {header.Name} opened {opened}: every grant reviewed, each decision, and the sign-off.",
                $"eSER; EdLink Security; access review; {header.Code}; {header.Name}"),
            new TitleBand(OnePagers.Eyebrow, Title, $"{header.Code} · {header.Name} · {Kind(header.Kind)} review opened {opened}"));

        var people = rows.Select(r => r.StaffId).Distinct().Count();
        composer.Paragraph(
            $"The {Kind(header.Kind)} review of every active eSER grant of {Escape(header.Name)}, opened {opened} by {Escape(header.StartedBy)}, due {DocumentDates.Short(header.DueOn)}: " +
            $"**{Count(rows.Count, "grant")} held by {Count(people, "person", "people")}**, {Count(rows.Count(r => r.Ends), "grant")} to end.",
            ParagraphStyle.Lead);
        if (header.SignedOffAt is { } signedAt && header.SignedOffBy is { } by)
        {
            var on = DateOnly.FromDateTime(signedAt.UtcDateTime);
            composer.Callout(
                $"{Escape(AccessReviewService.SignOffStatement(rows.Count, on))}\nSigned off by {Bold(by)} (typed name \"{Escape(header.SignedOffTypedName ?? by)}\") at {Escape(AccessRequestService.FormatTime(signedAt))}, special education supervisor. Every grant marked to end ended at that moment.",
                CalloutTone.Info, "Sign-off");
        }
        else
        {
            composer.Callout($"Not signed off yet: the review is {Escape(Status(header.Status))}.", CalloutTone.Warning, "Sign-off");
        }
        if (rows.Count == 0)
        {
            composer.Paragraph("Nobody held an active eSER role in this school system when the review opened.");
        }
        else
        {
            composer.Table(Columns, rows.Select(r => (IReadOnlyList<string>)
            [
                $"{r.Name} ({r.StaffId})",
                $"{r.Role} · {r.Scope}",
                Decision(r.Decision, r.DecidedBy, r.DecidedAt, r.Note, r.Defaulted),
                r.IepForms ? Decision(r.SupervisorDecision, r.SupervisorDecidedBy, r.SupervisorDecidedAt, r.SupervisorNote, r.Defaulted) : "Not needed",
                r.Result,
            ]));
        }
        composer.Paragraph(
            "A decision made by nobody is the configured due-date default. IEP Forms grants need both a coordinator's and the special education supervisor's decision; either one ending it ends it.",
            ParagraphStyle.Note);
        return composer.Build();
    }

    public static byte[] RenderCsv(IReadOnlyList<AccessReviewReportRow> rows)
    {
        var csv = new StringBuilder();
        Csv.AppendRecord(csv, CsvHeader);
        foreach (var r in rows)
        {
            Csv.AppendRecord(csv,
            [
                r.LastName, r.FirstName, r.StaffId, r.Position, r.Role, r.Scope, r.IepForms ? "Yes" : "No",
                Word(r.Decision), r.DecidedBy ?? (r.Decision == AccessReviewDecision.Undecided ? "" : "Due-date default"), Iso(r.DecidedAt), r.Note ?? "",
                r.IepForms ? Word(r.SupervisorDecision) : "", r.SupervisorDecidedBy ?? "", Iso(r.SupervisorDecidedAt), r.SupervisorNote ?? "",
                r.Defaulted ? "Yes" : "No",
                r.Result,
            ]);
        }
        return Csv.Encode(csv);
    }

    private static string Decision(AccessReviewDecision decision, string? by, DateTimeOffset? at, string? note, bool defaulted) => decision switch
    {
        AccessReviewDecision.Undecided => defaulted ? "Undecided — flagged at the due date" : "Undecided",
        _ => $"{Word(decision)} — {by ?? "due-date default"}{(at is { } when ? ", " + AccessRequestService.FormatTime(when) : "")}{(note is null ? "" : ": " + note)}",
    };

    private static string Word(AccessReviewDecision decision) => decision switch
    {
        AccessReviewDecision.Keep => "Keep",
        AccessReviewDecision.Revoke => "End",
        _ => "Undecided",
    };

    private static string Kind(AccessReviewKind kind) => kind == AccessReviewKind.Semiannual ? "semiannual" : "annual";

    private static string Status(AccessReviewStatus status) => status switch
    {
        AccessReviewStatus.AwaitingSignOff => "decided and awaiting the supervisor's sign-off",
        AccessReviewStatus.Completed => "completed",
        _ => "open",
    };

    private static string Iso(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "";

    private static string Count(int count, string singular, string? plural = null) =>
        $"{count:N0} {(count == 1 ? singular : plural ?? singular + "s")}";
}

using EserSecurity.Core.Documents.Layout;
using static EserSecurity.Core.Documents.Layout.Markup;

namespace EserSecurity.Core.Documents;

/// <summary>
/// The Security Coordinator Setup one-pager of one school system: who coordinates and supervises access, what a
/// coordinator must do, how to decide requests in the console, and the key dates. Always one page: when the school
/// system has more coordinators than fit, the last local coordinators give way to an "and N more" line.
/// </summary>
internal static class CoordinatorSetupDocument
{
    public const string Title = "Security Coordinator Setup";

    private static readonly TableColumn[] Columns =
    [
        new("Name", 96, Bold: true),
        new("Role", 82),
        new("Covers", 154),
        new("Email", 180),
    ];

    public static byte[] Render(SchoolSystemSheet sheet, IReadOnlyList<KeyDateLine> keyDates, RenderContext context) =>
        ComposeOnOnePage(sheet, keyDates, context).Build();

    /// <summary>The one-pager laid out on its one page, not yet drawn or written.</summary>
    public static PdfComposer ComposeOnOnePage(SchoolSystemSheet sheet, IReadOnlyList<KeyDateLine> keyDates, RenderContext context)
    {
        var rows = sheet.DistrictCoordinators
            .Select(p => Row(ContactKind.District, p, "District coordinator", OnePagers.Covers(sheet)))
            .Concat(sheet.Supervisors.Select(p => Row(ContactKind.Supervisor, p, "Special education supervisor",
                "IEP Forms approvals; access reviews")))
            .Concat(sheet.LocalCoordinators.Select(l => Row(ContactKind.Local, l.Person, "Local coordinator", OnePagers.Covers(l))))
            .ToList();
        return OnePagers.ComposeOnOnePage(rows.Count, shown => Compose(sheet, keyDates, context, rows, shown));
    }

    private static ContactRow Row(ContactKind kind, SheetPerson person, string role, string covers) =>
        new(kind, [person.Name, role, covers, person.Email]);

    private static PdfComposer Compose(
        SchoolSystemSheet sheet, IReadOnlyList<KeyDateLine> keyDates, RenderContext context, List<ContactRow> rows, int shown)
    {
        var composer = new PdfComposer(
            context.Metadata($"{Title} — {sheet.Code} {sheet.Name}",
                $"The security coordinators and special education supervisor of {sheet.Name}, their duties, how to approve eSER access requests, and the key dates.",
                OnePagers.Keywords(sheet)),
            OnePagers.Band(Title, sheet, context.Link("queue"), "Scan to open the Approval queue"));

        var (shownRows, omittedRows) = OnePagers.Take(rows, shown);
        var goLive = OnePagers.GoLive(keyDates, context.Today);
        var who = $"These people of {Escape(sheet.Name)} decide eSER access requests and govern who keeps access.";
        composer.Paragraph(goLive is null
            ? $"Every eSER user needs an approved role in EdLink Security before go-live. {who}"
            : goLive.On >= context.Today
                ? $"Every eSER user needs an approved role in EdLink Security before go-live on {Bold(DocumentDates.Long(goLive.On))}. {who}"
                : $"Since go-live on {Bold(DocumentDates.Long(goLive.On))}, only people with an approved role in EdLink Security reach eSER. {who}",
            ParagraphStyle.Lead);

        composer.Heading("Your coordinators and supervisor");
        if (sheet.DistrictCoordinators.Count == 0)
        {
            composer.Callout(
                "Every school system needs at least one district security coordinator. Until the state names one, requests for this school system have nobody to decide them.",
                CalloutTone.Warning, "No district security coordinator is named");
        }
        if (shownRows.Count > 0)
        {
            composer.Table(Columns, shownRows.Select(r => r.Cells));
        }
        var notes = new List<string>();
        if (OnePagers.Omitted(omittedRows) is { } more)
        {
            notes.Add($"{Bold(more)} — see the Coordinators page in the console.");
        }
        if (sheet.Supervisors.Count == 0)
        {
            notes.Add("No special education supervisor is named: requests for roles with IEP Forms access wait for one.");
        }
        if (sheet.SchoolCount > 0)
        {
            notes.Add(sheet.SchoolsCoveredByDistrictOnly == 0
                ? "Every school has a local security coordinator; the district coordinators can decide requests for all of them."
                : $"{sheet.SchoolsCoveredByDistrictOnly} of {sheet.SchoolCount} schools have no local security coordinator; the district coordinators decide their requests.");
        }
        foreach (var note in notes)
        {
            composer.Paragraph(note, ParagraphStyle.Note);
        }

        composer.Heading("What a security coordinator does");
        composer.Bullets(
        [
            "**Review every access request** for your schools — with the special education supervisor for IEP Forms access.",
            "**Keep the current list of authorized users** of eSER and eSER IEP Forms (the console's authorized-user list).",
            "**Remove access when employment ends or duties change**, the same day, following your written procedure.",
            "**Run the annual or semiannual access review** with the special education supervisor.",
        ]);

        composer.Heading("Approving requests in the console");
        var supervisorName = sheet.Supervisors.Count > 0 ? $" ({Escape(sheet.Supervisors[0].Name)})" : "";
        composer.Numbered(
        [
            "Sign in to the eSER Access Security console with your MyLA account and open the **Approval queue**.",
            "**Open** a request and check the person, their position, the role, the school (or whole school system) and the reason.",
            "Choose **Approve** or **Deny** (with a reason). A request another coordinator decided leaves your queue at once.",
            $"Requests for roles with **IEP Forms** access then go to the special education supervisor{supervisorName} for the second approval.",
        ]);

        composer.Heading("Key dates");
        OnePagers.KeyDates(composer, keyDates, context.Today);
        return composer;
    }
}
